//! What a page tells machines about itself, for sharing and discovery: the Open Graph
//! facts base.html turns into `og:` and `twitter:` tags (`og`), the Atom feed of its
//! language (`feed`), and schema.org JSON-LD (`json_ld`): `Dataset` for the data page
//! (`/data/`), a `WebPage` whose main entity is a `GovernmentService` for a program,
//! `WebSite` for the home page, `WebPage` for the rest.

use crate::data::kinds::Kind;
use crate::data::views::Views;
use crate::lang::Lang;
use crate::model::Site;
use crate::urls;
use serde::Serialize;
use serde_json::{json, Map, Value};
use tera::Context;

/// Open Graph facts of a page (`og`).
#[derive(Serialize)]
pub struct Og {
    /// `website` for the home page, `article` for the others.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `ko_KR` or `en_US`.
    pub locale: &'static str,
    /// The other languages' locales.
    pub locale_alternate: Vec<&'static str>,
}

/// The Atom feed of the page's language (`feed`).
#[derive(Serialize)]
pub struct FeedLink {
    pub path: String,
    pub url: String,
    pub title: String,
}

/// The Open Graph locale of a language.
pub fn locale(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => "ko_KR",
        Lang::En => "en_US",
    }
}

/// Adds `og`, `feed` and `json_ld` to a page's context.
pub fn insert(ctx: &mut Context, site: &Site, kind: Kind, lang: Lang) {
    ctx.insert(
        "og",
        &Og {
            kind: if kind == Kind::Home { "website" } else { "article" },
            locale: locale(lang),
            locale_alternate: Lang::ALL.iter().filter(|l| **l != lang).map(|l| locale(*l)).collect(),
        },
    );
    let path = urls::localized(&urls::feed(), lang);
    ctx.insert(
        "feed",
        &FeedLink {
            url: urls::permalink(site.config.base(), &path),
            path,
            title: format!("{} (Atom)", site.config.title(lang)),
        },
    );
    ctx.insert("json_ld", &json_ld(site, kind, lang));
}

/// The JSON-LD of a page, ready to go between `<script type="application/ld+json">` tags
/// (`<`, `>` and `&` are written as `\u003c`…, so no text can close the script); `None`
/// for the 404 page.
pub fn json_ld(site: &Site, kind: Kind, lang: Lang) -> Option<String> {
    let value = match kind {
        Kind::NotFound => return None,
        Kind::Home => website(site, lang),
        Kind::Program(i) => program(site, i, lang),
        Kind::Content(i) if site.pages[i].path == urls::data_page() => dataset(site, kind, lang),
        _ => webpage(site, kind, lang),
    };
    Some(script_json(&value))
}

/// JSON that is safe inside a `<script>` element; bidirectional overrides are written as
/// escapes too, like everywhere else they are dropped from what readers see.
pub fn script_json(value: &Value) -> String {
    let text = serde_json::to_string_pretty(&crate::strings::sort_keys(value.clone())).expect("JSON serialises");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' | '>' | '&' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text without bidirectional overrides, which could reorder what readers see (as the
/// templates' escaping does): for text gongsi writes itself (iframe snippets, feeds).
pub fn without_bidi_overrides(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')).collect()
}

fn permalink(site: &Site, path: &str, lang: Lang) -> String {
    urls::permalink(site.config.base(), &urls::localized(path, lang))
}

fn description(site: &Site, kind: Kind, lang: Lang) -> Option<String> {
    kind.markdown(site, lang).and_then(|m| m.front.description.clone()).filter(|d| !d.trim().is_empty())
}

fn website_ref(site: &Site, lang: Lang) -> Value {
    json!({ "@type": "WebSite", "name": site.config.title(lang), "url": permalink(site, &urls::home(), lang) })
}

/// The fields every page has: type, name, description, url, language.
fn base(site: &Site, kind: Kind, lang: Lang, ty: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org"));
    m.insert("@type".into(), json!(ty));
    m.insert("name".into(), json!(kind.title(site, lang)));
    if let Some(d) = description(site, kind, lang) {
        m.insert("description".into(), json!(d));
    }
    m.insert("url".into(), json!(permalink(site, &kind.path(site), lang)));
    m.insert("inLanguage".into(), json!(lang.code()));
    m
}

/// A description where one is needed: the page's, else the site's, else the page title.
fn required_description(m: &mut Map<String, Value>, site: &Site, lang: Lang) {
    if !m.contains_key("description") {
        let d = site.config.description(lang);
        let d = if d.trim().is_empty() { m["name"].clone() } else { json!(d) };
        m.insert("description".into(), d);
    }
}

fn website(site: &Site, lang: Lang) -> Value {
    let mut m = base(site, Kind::Home, lang, "WebSite");
    required_description(&mut m, site, lang);
    Value::Object(m)
}

fn webpage(site: &Site, kind: Kind, lang: Lang) -> Value {
    let mut m = base(site, kind, lang, "WebPage");
    m.insert("isPartOf".into(), website_ref(site, lang));
    Value::Object(m)
}

fn source_work(site: &Site, document: &str, lang: Lang) -> Value {
    let mut w = Map::new();
    w.insert("@type".into(), json!("CreativeWork"));
    match site.source(document) {
        Some(s) => {
            w.insert("name".into(), json!(s.title.get(lang)));
            if let Some(y) = s.year {
                w.insert("datePublished".into(), json!(y.to_string()));
            }
            if let Some(p) = &s.publisher {
                w.insert("publisher".into(), json!({ "@type": "Organization", "name": p.get(lang) }));
            }
            if let Some(u) = &s.url {
                w.insert("url".into(), json!(u));
            }
        }
        None => {
            w.insert("name".into(), json!(document));
        }
    }
    Value::Object(w)
}

/// A program page: the page, and the program as a `GovernmentService` run by the local
/// government of its region for the people of that region.
fn program(site: &Site, i: usize, lang: Lang) -> Value {
    let p = &site.programs[i];
    let kind = Kind::Program(i);
    let v = Views { site, lang };
    let mut m = base(site, kind, lang, "WebPage");
    m.insert("isPartOf".into(), website_ref(site, lang));
    m.insert("isBasedOn".into(), source_work(site, &p.data.source.document, lang));
    let area = v.region_full_name(&p.data.region);
    let mut service = Map::new();
    service.insert("@type".into(), json!("GovernmentService"));
    service.insert("name".into(), json!(p.data.name.get(lang)));
    if let Some(d) = description(site, kind, lang) {
        service.insert("description".into(), json!(d));
    }
    service.insert("url".into(), json!(permalink(site, &urls::program(p.slug()), lang)));
    service.insert("category".into(), json!(v.category_link_by_slug(&p.data.category).name));
    if !area.is_empty() {
        service.insert("areaServed".into(), json!({ "@type": "AdministrativeArea", "name": area }));
        service.insert("provider".into(), json!({ "@type": "GovernmentOrganization", "name": area }));
    }
    if let Some(t) = &p.data.target_group {
        service.insert("audience".into(), json!({ "@type": "Audience", "audienceType": t.get(lang) }));
    }
    m.insert("mainEntity".into(), Value::Object(service));
    Value::Object(m)
}

/// The data page: the whole dataset, its files, the years it covers and its source.
fn dataset(site: &Site, kind: Kind, lang: Lang) -> Value {
    let mut m = base(site, kind, lang, "Dataset");
    required_description(&mut m, site, lang);
    m.insert("isAccessibleForFree".into(), json!(true));
    if let Some(e) = &site.config.edition {
        m.insert("version".into(), json!(e));
    }
    if let Some(l) = crate::strings::trans(&site.config, "licence", lang).filter(|l| !l.is_empty()) {
        m.insert("license".into(), json!({ "@type": "CreativeWork", "name": l }));
    }
    m.insert(
        "creator".into(),
        json!({ "@type": "Organization", "name": site.config.title(lang), "url": permalink(site, &urls::home(), lang) }),
    );
    let mut documents: Vec<&str> = site.programs.iter().map(|p| p.data.source.document.as_str()).collect();
    documents.sort_unstable();
    documents.dedup();
    if !documents.is_empty() {
        m.insert("isBasedOn".into(), documents.iter().map(|d| source_work(site, d, lang)).collect());
    }
    let years = site
        .programs
        .iter()
        .flat_map(|p| p.budgets.iter().map(|b| b.row.year).chain(p.kpis.iter().map(|k| k.row.year)));
    let (lo, hi) = years.fold((i32::MAX, i32::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
    if lo <= hi {
        m.insert("temporalCoverage".into(), json!(if lo == hi { lo.to_string() } else { format!("{lo}/{hi}") }));
    }
    let measured: Vec<String> = ["budget", "executed", "execution_rate", "target", "actual", "achievement_rate"]
        .iter()
        .map(|k| crate::strings::t(&site.config, k, lang))
        .collect();
    m.insert("variableMeasured".into(), json!(measured));
    let base_url = site.config.base();
    let mut files = crate::export::folder_files();
    files.push(("datapackage.json".into(), "application/json"));
    m.insert(
        "distribution".into(),
        files
            .iter()
            .map(|(name, format)| {
                json!({
                    "@type": "DataDownload",
                    "name": name,
                    "encodingFormat": format,
                    "contentUrl": urls::permalink(base_url, &urls::data_file(name)),
                })
            })
            .collect(),
    );
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let s = script_json(&json!({ "name": "</script><b>&\u{202E}" }));
        assert!(!s.contains("</") && !s.contains('<') && !s.contains('&') && !s.contains('\u{202E}'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><b>&\u{202E}");
    }
}
