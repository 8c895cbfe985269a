//! The Atom feed of each language (`/atom.xml`, `/en/atom.xml`): every program page, then
//! every case page, in their published order.
//!
//! No build time goes in, so the same content gives the same bytes. An entry's `updated`
//! is its markdown's front-matter `date`; without one, the site's date: `[extra] updated`
//! in the config (a TOML date or an RFC 3339 string), else 1 January of the edition's year
//! (`edition = "2023"` → 2023-01-01), else 1970-01-01. The feed's `updated` is the latest
//! of these.

use crate::data::views::Views;
use crate::lang::Lang;
use crate::model::{Markdown, Site};
use crate::output::Sink;
use crate::urls;

/// The date of entries without one of their own (see the module docs), RFC 3339.
pub fn site_date(site: &Site) -> String {
    if let Some(d) = site.config.extra.get("updated").and_then(|v| match v {
        toml::Value::Datetime(d) => Some(rfc3339(&d.to_string())),
        toml::Value::String(s) => Some(rfc3339(s)),
        _ => None,
    }) {
        return d;
    }
    let year =
        site.config.edition.as_deref().and_then(|e| e.get(..4)).filter(|y| y.bytes().all(|b| b.is_ascii_digit()));
    format!("{}-01-01T00:00:00Z", year.unwrap_or("1970"))
}

/// A TOML or RFC 3339 date or date-time as an Atom date: a bare date is midnight UTC, a
/// local date-time is taken as UTC.
pub fn rfc3339(s: &str) -> String {
    let s = s.trim().replacen(' ', "T", 1);
    match s.split_once('T') {
        None => format!("{s}T00:00:00Z"),
        Some((_, time)) if time.ends_with(['Z', 'z']) || time.contains(['+', '-']) => s,
        Some(_) => format!("{s}Z"),
    }
}

fn entry_date(md: &Markdown, fallback: &str) -> String {
    md.front.date.map(|d| rfc3339(&d.to_string())).unwrap_or_else(|| fallback.to_string())
}

/// Text for XML: escaped, without the control characters XML 1.0 forbids.
fn text(s: &str) -> String {
    let clean: String = crate::meta::without_bidi_overrides(s)
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    crate::templates::escape_xml(&clean)
}

struct Entry {
    title: String,
    url: String,
    updated: String,
    summary: String,
    category: (String, String),
}

/// The Atom document of one language.
pub fn atom(site: &Site, lang: Lang) -> String {
    let base = site.config.base();
    let v = Views { site, lang };
    let fallback = site_date(site);
    let describe = |md: &Markdown, parts: Vec<String>| {
        md.front
            .description
            .clone()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" · "))
    };
    let mut entries = Vec::new();
    for p in &site.programs {
        let md = p.text.get(lang);
        let category = v.category_link_by_slug(&p.data.category);
        entries.push(Entry {
            title: p.data.name.get(lang).to_string(),
            url: urls::permalink(base, &urls::localized(&urls::program(p.slug()), lang)),
            updated: entry_date(md, &fallback),
            summary: describe(md, vec![v.region_full_name(&p.data.region), category.name.clone()]),
            category: (category.slug, category.name),
        });
    }
    for c in &site.cases {
        let md = c.text.get(lang);
        let category = v.category_link_by_slug(&c.data.category);
        entries.push(Entry {
            title: c.data.title.get(lang).to_string(),
            url: urls::permalink(base, &urls::localized(&urls::case(&c.data.slug), lang)),
            updated: entry_date(md, &fallback),
            summary: describe(
                md,
                vec![c.data.number.clone(), v.region_full_name(&c.data.region), category.name.clone()],
            ),
            category: (category.slug, category.name),
        });
    }
    let updated = entries.iter().map(|e| e.updated.as_str()).chain([fallback.as_str()]).max().unwrap_or_default();
    let feed_url = urls::permalink(base, &urls::localized(&urls::feed(), lang));
    let home = urls::permalink(base, &urls::localized(&urls::home(), lang));
    let title = text(site.config.title(lang));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n", lang.code()));
    out.push_str(&format!("  <title>{title}</title>\n"));
    let subtitle = site.config.description(lang);
    if !subtitle.is_empty() {
        out.push_str(&format!("  <subtitle>{}</subtitle>\n", text(subtitle)));
    }
    out.push_str(&format!("  <id>{}</id>\n", text(&feed_url)));
    out.push_str(&format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", text(&feed_url)));
    out.push_str(&format!("  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", text(&home)));
    out.push_str(&format!("  <updated>{}</updated>\n", text(updated)));
    out.push_str(&format!("  <author><name>{title}</name><uri>{}</uri></author>\n", text(&home)));
    if let Some(l) = crate::strings::trans(&site.config, "licence", lang).filter(|l| !l.is_empty()) {
        out.push_str(&format!("  <rights>{}</rights>\n", text(l)));
    }
    for e in &entries {
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", text(&e.title)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" hreflang=\"{}\" href=\"{}\"/>\n",
            lang.code(),
            text(&e.url)
        ));
        out.push_str(&format!("    <id>{}</id>\n", text(&e.url)));
        out.push_str(&format!("    <updated>{}</updated>\n", text(&e.updated)));
        if !e.summary.is_empty() {
            out.push_str(&format!("    <summary>{}</summary>\n", text(&e.summary)));
        }
        out.push_str(&format!("    <category term=\"{}\" label=\"{}\"/>\n", text(&e.category.0), text(&e.category.1)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// Writes the feed of each language; returns the number of files.
pub fn write_all(site: &Site, sink: &dyn Sink) -> std::io::Result<usize> {
    for lang in Lang::ALL {
        sink.put(&urls::localized(&urls::feed(), lang), atom(site, lang).as_bytes())?;
    }
    Ok(Lang::ALL.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_rfc3339() {
        assert_eq!(rfc3339("2023-05-01"), "2023-05-01T00:00:00Z");
        assert_eq!(rfc3339("2023-05-01T09:30:00"), "2023-05-01T09:30:00Z");
        assert_eq!(rfc3339("2023-05-01 09:30:00"), "2023-05-01T09:30:00Z");
        assert_eq!(rfc3339("2023-05-01T09:30:00+09:00"), "2023-05-01T09:30:00+09:00");
        assert_eq!(rfc3339("2023-05-01T09:30:00Z"), "2023-05-01T09:30:00Z");
    }

    #[test]
    fn text_drops_what_xml_forbids() {
        assert_eq!(text("a\u{1}<b>&\"c\""), "a&lt;b&gt;&amp;&quot;c&quot;");
    }
}
