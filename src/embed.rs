//! Embeds, as Our World in Data does them: every chart gets a minimal page of its own that
//! a council or a newspaper can put in an `<iframe>`, with a static oEmbed answer beside it.
//!
//! Each chart has two embed pages per language (URLs in [`urls::embed`]):
//!
//! - `/embed/latest/<page path><chart id>/` follows updates: it shows the page's own chart
//!   file, so it changes whenever the data does;
//! - `/embed/<edition>/<page path><chart id>/` is named by `config.edition` and carries the
//!   chart inside itself (a `data:` URI), so each such page is one self-contained file.
//!   Both are rendered from the current data: an edition's pages stay as they are only as
//!   long as the data of that edition does. To keep an old edition's embeds online after
//!   moving to the next, copy its `embed/<edition>/` folders from the output into
//!   `static/` (see docs/templates.md).
//!
//! The form that follows updates of a page's first chart also has a static oEmbed answer
//! (`oembed.json`) beside it, which the chart's page links to. Embed pages are `noindex`
//! and are not in the sitemap or the URL ledger. They are made with the page they belong
//! to (so the page cache covers them) and only when the templates have an `embed.html`:
//! a theme without one has no embeds. Files per chart and language: one (two for a page's
//! first chart), plus one with an edition.

use crate::charts::Chart;
use crate::config::Config;
use crate::data::kinds::Kind;
use crate::data::views::Views;
use crate::diagnostics::{Diagnostic, Report};
use crate::lang::Lang;
use crate::model::Site;
use crate::output::{FileRecord, Sink};
use crate::templates::{describe, escape_xml as xml_escape};
use crate::urls;
use serde::Serialize;
use tera::{Context, Tera};

/// The template of an embed page.
pub const TEMPLATE: &str = "embed.html";

/// Room the embed page needs beside its chart: the body's side padding (pixels, at the
/// default theme's sizes).
const FRAME_PAD_X: u32 = 32;

/// The height of an embed page with its table closed, at the iframe's width, without a
/// font: the body's padding, the heading's lines, the chart, the table switch and the two
/// lines of the footer, each text's lines estimated as the charts estimate theirs (a
/// little wide, so the frame errs on the tall side). The pasted snippet's script then sets
/// the exact height the page posts.
fn closed_height(chart_height: u32, width: u32, heading: &str, footer: [&str; 2]) -> u32 {
    let room = width.saturating_sub(FRAME_PAD_X) as f64;
    let lines = |text: &str, px: f64, bold: bool| {
        let w = crate::charts::text_width(text, px) * if bold { 1.1 } else { 1.0 };
        (w / room).ceil().max(1.0)
    };
    // body padding .75rem × 2; h1 1.05rem × 1.35 per line and .4rem under it; the
    // summary .4rem above a .9rem × 1.5 line; the footer .5rem above two .8rem × 1.5
    // paragraphs with .15rem margins.
    let h = 24.0
        + lines(heading, 16.8, true) * 22.7
        + 6.4
        + chart_height as f64
        + 6.4
        + 21.6
        + 8.0
        + footer.iter().map(|t| lines(t, 12.8, false) * 19.2 + 4.8).sum::<f64>()
        + 8.0;
    h.ceil() as u32
}

/// One form of a chart's embed page: the one that follows updates or an edition's.
#[derive(Debug, Clone, Serialize)]
pub struct Form {
    /// `latest` or the edition ("2023").
    pub name: String,
    /// Site path, with the language prefix: `/en/embed/latest/programs/x/budget/`.
    pub path: String,
    pub url: String,
    /// The chart image this form shows: the page's chart file (absolute URL) for the form
    /// that follows updates; `None` for the edition's, which carries the chart inside
    /// (on its own embed page, `form.image` is that `data:` URI).
    pub image: Option<String>,
    /// The phone drawing, likewise (`<id>.svg#narrow`, or its own `data:` URI).
    pub narrow_image: Option<String>,
    /// The oEmbed JSON (absolute URL): the form that follows updates of a page's first
    /// chart has one.
    pub oembed: Option<String>,
    /// The `<iframe>` to paste, as HTML text.
    pub iframe: String,
}

/// What a page's template sees of a chart's embeds (`charts[].embed`).
#[derive(Debug, Clone, Serialize)]
pub struct EmbedRef {
    /// The iframe's title: chart title and page title ("예산 대비 집행 — 알파 돌봄").
    pub title: String,
    /// Size of the iframe in pixels.
    pub width: u32,
    pub height: u32,
    pub latest: Form,
    /// `None` when the config names no edition.
    pub edition: Option<Form>,
    #[serde(skip)]
    lang: Lang,
    #[serde(skip)]
    page: Parent,
}

/// The page a chart belongs to, as the embed page links back to it (`parent`).
#[derive(Debug, Clone, Serialize)]
pub struct Parent {
    pub title: String,
    pub path: String,
    pub permalink: String,
    pub kind: &'static str,
}

/// A source line of an embed page (`sources`).
#[derive(Debug, Clone, Serialize)]
pub struct SourceLine {
    pub title: String,
    /// The printed page, for a program's or a case's chart.
    pub page: Option<u32>,
    pub url: Option<String>,
}

#[derive(Serialize)]
struct OEmbed<'a> {
    version: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    provider_name: &'a str,
    provider_url: String,
    html: &'a str,
    width: u32,
    height: u32,
}

/// Whether this site makes embed pages: its templates have `embed.html`, and its config
/// does not say `embeds = false` in `[extra]` (each chart's embeds are two or three more
/// files per language, which a very large site may not want).
pub fn enabled(tera: &Tera, config: &Config) -> bool {
    config.extra.get("embeds").and_then(toml::Value::as_bool) != Some(false)
        && tera.get_template_names().any(|n| n == TEMPLATE)
}

/// The iframe snippet for an embed page: the iframe, whose `height` fits the page with
/// its table closed, and a small script for the host page that sets the iframe's height
/// to what the embed page posts (`{gongsi: "embed-height", height}`, from `origin` only),
/// so the frame follows its content when the table opens or the text wraps.
pub fn iframe(url: &str, title: &str, width: u32, height: u32, origin: &str) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"{width}\" height=\"{height}\" loading=\"lazy\" style=\"width: 100%; max-width: {width}px; border: 0;\"></iframe>\n<script>window.addEventListener(\"message\",function(e){{if(e.origin!=={}||!e.data||e.data.gongsi!==\"embed-height\")return;document.querySelectorAll(\"iframe\").forEach(function(f){{if(f.contentWindow===e.source)f.style.height=Math.ceil(e.data.height)+\"px\"}})}});</script>",
        xml_escape(url),
        xml_escape(&crate::meta::without_bidi_overrides(title)),
        js_string(origin)
    )
}

/// A JavaScript string literal, safe inside a `<script>` element.
fn js_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default().replace('<', "\\u003c").replace('>', "\\u003e")
}

/// The origin (scheme, host and port) of a base URL: "https://a.kr" of "https://a.kr/x/".
pub fn origin(base: &str) -> String {
    match base.find("://") {
        Some(i) => {
            let rest = &base[i + 3..];
            let end = rest.find('/').map(|j| i + 3 + j).unwrap_or(base.len());
            base[..end].to_string()
        }
        None => base.trim_end_matches('/').to_string(),
    }
}

/// The embeds of `chart`, drawn on the page `kind` in `lang`; `image` is the URL of the
/// page's own chart file, which the form that follows updates shows. The page's first
/// chart (`lead`) also has the static oEmbed answer, which the page links: a content
/// system given the page's address embeds that chart (one answer per page and language,
/// not per chart, which was a fifth of a large site's files; every chart keeps its
/// iframe snippet).
pub fn chart_ref(
    site: &Site,
    kind: Kind,
    lang: Lang,
    chart: &Chart,
    (image, narrow_image): (&str, &str),
    lead: bool,
) -> EmbedRef {
    let base = site.config.base();
    let path = kind.path(site);
    let page_path = if path.ends_with('/') { path.clone() } else { urls::home() };
    let local = urls::localized(&path, lang);
    let page = Parent {
        title: kind.title(site, lang),
        permalink: urls::permalink(base, &local),
        path: local,
        kind: kind.name(),
    };
    let title = crate::meta::without_bidi_overrides(&format!("{} — {}", chart.title, page.title));
    let width = chart.width + FRAME_PAD_X;
    let t = |key: &str| crate::strings::t(&site.config, key, lang);
    let source_line = {
        let list: Vec<String> = sources(site, kind, lang)
            .iter()
            .map(|s| match s.page {
                Some(p) => format!("{}, p. {p}", s.title),
                None => s.title.clone(),
            })
            .collect();
        format!("{}: {} · {}", t("source"), list.join("; "), t("licence"))
    };
    let more_line = format!(
        "{}: {} ({}) · {} {}",
        t("embed_more"),
        site.config.title(lang),
        t("new_tab"),
        t("embed_edition_note"),
        site.config.edition.as_deref().unwrap_or_default()
    );
    // The frame's own height fits the closed page at its full width and in a phone's
    // column (358 px, where the page shows the narrow drawing scaled to its width).
    let phone = 358u32;
    let narrow_h = (chart.narrow_height as f64 * phone.saturating_sub(FRAME_PAD_X) as f64
        / chart.narrow_width.max(1) as f64)
        .ceil() as u32;
    let height = closed_height(chart.height, width, &page.title, [&source_line, &more_line]).max(closed_height(
        narrow_h,
        phone,
        &page.title,
        [&source_line, &more_line],
    ));
    let origin = origin(base);
    let form = |name: &str, frozen: bool| {
        let path = urls::localized(&urls::embed(name, &page_path, &chart.id), lang);
        let url = urls::permalink(base, &path);
        Form {
            name: name.to_string(),
            image: (!frozen).then(|| image.to_string()),
            narrow_image: (!frozen).then(|| narrow_image.to_string()),
            oembed: (!frozen && lead).then(|| urls::permalink(base, &urls::oembed(&path))),
            iframe: iframe(&url, &title, width, height, &origin),
            path,
            url,
        }
    };
    EmbedRef {
        latest: form(urls::EMBED_LATEST, false),
        edition: site.config.edition.as_deref().map(|e| form(e, true)),
        title,
        width,
        height,
        lang,
        page,
    }
}

/// Where the figures of a page's charts come from: a program's or a case's source page,
/// else (region, category and home charts) every source document of the site.
pub fn sources(site: &Site, kind: Kind, lang: Lang) -> Vec<SourceLine> {
    let v = Views { site, lang };
    let one = |document: &str, page: u32| {
        let s = v.source(document, page);
        vec![SourceLine { title: s.title, page: Some(s.page), url: s.url }]
    };
    match kind {
        Kind::Program(i) => one(&site.programs[i].data.source.document, site.programs[i].data.source.page),
        Kind::Case(i) => one(&site.cases[i].data.source.document, site.cases[i].data.source.page),
        _ => site
            .sources
            .iter()
            .map(|s| SourceLine { title: s.title.get(lang).to_string(), page: None, url: s.url.clone() })
            .collect(),
    }
}

/// The oEmbed answer (type `rich`) for one form of an embed.
pub fn oembed_json(site: &Site, embed: &EmbedRef, form: &Form) -> String {
    let lang = embed.lang;
    let answer = OEmbed {
        version: "1.0",
        kind: "rich",
        title: &embed.title,
        provider_name: site.config.title(lang),
        provider_url: urls::permalink(site.config.base(), &urls::localized(&urls::home(), lang)),
        html: &form.iframe,
        width: embed.width,
        height: embed.height,
    };
    let mut out = serde_json::to_string_pretty(&answer).expect("oEmbed serialises");
    out.push('\n');
    out
}

/// A `data:` URI of an SVG image.
pub fn svg_data_uri(svg: &str) -> String {
    use base64::Engine as _;
    format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg))
}

/// Renders and writes the embed pages of one chart: the form that follows updates with
/// its oEmbed JSON, and the edition's form with the chart inside. `base` is the context
/// of the page the chart belongs to; the embed page gets its `config` and `lang`.
pub fn write(
    tera: &Tera,
    base: &Context,
    site: &Site,
    kind: Kind,
    chart: &Chart,
    embed: &EmbedRef,
    sink: &dyn Sink,
) -> Result<Vec<FileRecord>, String> {
    // A context of its own, not a copy of the page's: the page's may be large.
    let mut ctx = Context::new();
    for key in ["config", "lang"] {
        if let Some(v) = base.get(key) {
            ctx.insert(key, v);
        }
    }
    ctx.insert("kind", "embed");
    ctx.insert("chart", chart);
    ctx.insert("embed", embed);
    ctx.insert("parent", &embed.page);
    ctx.insert("sources", &sources(site, kind, embed.lang));
    let mut files = Vec::new();
    for (form, frozen) in [(Some(&embed.latest), false), (embed.edition.as_ref(), true)] {
        let Some(form) = form else { continue };
        let io = |e: std::io::Error| format!("{}: {e}", form.path);
        let mut form = form.clone();
        if frozen {
            form.image = Some(svg_data_uri(&chart.svg));
            form.narrow_image = Some(svg_data_uri(&chart.narrow_svg));
        }
        ctx.insert("current_path", &form.path);
        ctx.insert("current_url", &form.url);
        ctx.insert("form", &form);
        ctx.insert("frozen", &frozen);
        let html = tera.render(TEMPLATE, &ctx).map_err(|e| format!("{} ({TEMPLATE}): {}", form.path, describe(&e)))?;
        files.push(sink.put(&form.path, html.as_bytes()).map_err(io)?);
        if form.oembed.is_some() {
            files.push(sink.put(&urls::oembed(&form.path), oembed_json(site, embed, &form).as_bytes()).map_err(io)?);
        }
    }
    Ok(files)
}

/// Redirects from the embed pages a chart had under its former id `old` to the ones it
/// has now (the latest and the edition's form), with Zola's alias page.
pub fn write_former(tera: &Tera, embed: &EmbedRef, id: &str, old: &str, sink: &dyn Sink) -> Result<(), String> {
    let new_tail = format!("/{id}/");
    for form in std::iter::once(&embed.latest).chain(embed.edition.as_ref()) {
        let Some(stem) = form.path.strip_suffix(&new_tail) else { continue };
        let path = format!("{stem}/{old}/");
        let mut ctx = Context::new();
        ctx.insert("url", &form.url);
        let html = tera
            .render("internal/alias.html", &ctx)
            .map_err(|e| format!("{path} (internal/alias.html): {}", describe(&e)))?;
        sink.put(&path, html.as_bytes()).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}

/// Whether `edition` can name a folder of URLs (`/embed/<edition>/`) and the ledger file
/// `urls/<edition>.txt`: letters, digits, `.`, `-`, `_`, not starting with a dot, and not
/// `latest`, which names the embeds that follow updates.
pub fn is_edition_name(edition: &str) -> bool {
    !edition.is_empty()
        && edition.len() <= 40
        && edition != urls::EMBED_LATEST
        && !edition.starts_with('.')
        && edition.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// Reports a `config.edition` that cannot name embed URLs.
pub fn validate(site: &Site, report: &mut Report) {
    let Some(edition) = site.config.edition.as_deref() else { return };
    if is_edition_name(edition) {
        return;
    }
    let file = crate::load::config_path(&site.root).unwrap_or_else(|| "config.toml".into());
    let d = Diagnostic::error(
        &file,
        format!(
            "edition \"{edition}\" must be letters, digits, '.', '-' or '_' (and not \"latest\"): it names the frozen embeds /embed/{edition}/ and the ledger urls/{edition}.txt"
        ),
    );
    report.push(match std::fs::read_to_string(site.root.join(&file)) {
        Ok(src) => d.at_text(&src, if edition.is_empty() { "edition" } else { edition }),
        Err(_) => d,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edition_names() {
        for ok in ["2023", "2023-2", "v1.0", "2024_rev"] {
            assert!(is_edition_name(ok), "{ok}");
        }
        for bad in ["", "latest", "../x", "a/b", ".hidden", "2023 edition", "판"] {
            assert!(!is_edition_name(bad), "{bad}");
        }
    }

    #[test]
    fn a_data_uri_holds_the_svg_in_base64() {
        assert_eq!(svg_data_uri("<svg/>"), "data:image/svg+xml;base64,PHN2Zy8+");
        assert_eq!(svg_data_uri("예산"), "data:image/svg+xml;base64,7JiI7IKw");
    }

    #[test]
    fn iframe_escapes_its_attributes() {
        let s = iframe("https://a.kr/embed/latest/x/", "A & \"B\" <C>", 512, 400, "https://a.kr");
        assert!(s.contains("e.origin!==\"https://a.kr\""), "{s}");
        assert_eq!(origin("https://a.kr/sub/"), "https://a.kr");
        assert_eq!(origin("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert!(s.starts_with("<iframe src=\"https://a.kr/embed/latest/x/\" title=\"A &amp; &quot;B&quot; &lt;C&gt;\""));
        assert!(
            s.contains("width=\"512\" height=\"400\"")
                && s.contains("></iframe>\n<script>")
                && s.ends_with("</script>")
        );
    }
}
