//! Markdown to HTML with comrak: CommonMark plus GFM tables, strikethrough, autolinks and
//! footnotes. Raw HTML is escaped unless the site config allows it.

use crate::lang::Lang;
use comrak::{markdown_to_html, Options};
use std::collections::HashMap;
use std::sync::Arc;

/// Zola's internal links: `[text](@/methodology.md#anchor)` points at a content file and
/// becomes that page's permalink. Unknown files become `#broken-link` (and `check`
/// reports them).
pub fn with_internal_links(mut o: Options<'static>, permalinks: Arc<HashMap<String, String>>) -> Options<'static> {
    o.extension.link_url_rewriter = Some(Arc::new(move |url: &str| -> String {
        match url.strip_prefix("@/") {
            Some(rest) => {
                let (file, anchor) = rest.split_once('#').map(|(f, a)| (f, Some(a))).unwrap_or((rest, None));
                match (permalinks.get(file), anchor) {
                    (Some(p), Some(a)) => format!("{p}#{a}"),
                    (Some(p), None) => p.clone(),
                    (None, _) => "#broken-link".to_string(),
                }
            }
            None => url.to_string(),
        }
    }));
    o
}

/// Every `@/…` link target in a markdown body (for validation).
pub fn internal_links(body: &str) -> Vec<&str> {
    body.match_indices("](@/")
        .filter_map(|(i, _)| {
            let rest = &body[i + 4..];
            let end = rest.find([')', ' ', '#'])?;
            Some(&rest[..end])
        })
        .collect()
}

pub fn options(unsafe_html: bool) -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.footnotes = true;
    o.extension.tasklist = true;
    o.extension.cjk_friendly_emphasis = true;
    // Heading ids get a prefix so a narrative heading such as "Budget" can never take the
    // id of a figure anchor (`budget-2022`, `kpi-…`) on the same page.
    o.extension.header_id_prefix = Some("text-".into());
    o.extension.header_id_prefix_in_href = true;
    o.render.r#unsafe = unsafe_html;
    // Escaped rather than dropped, so an editor sees what they wrote.
    o.render.escape = !unsafe_html;
    o
}

/// Renders markdown for a page in `lang`: wide tables get a keyboard-reachable scroll
/// area (so a phone scrolls the table, not the page), and heading anchors are labelled
/// in the page's language.
pub fn to_html(body: &str, options: &Options, lang: Lang) -> String {
    let html = neutralise_script_links(&markdown_to_html(body, options));
    let (table, heading) = match lang {
        Lang::Ko => ("표", "제목 링크: '"),
        Lang::En => ("Table", "Link to heading '"),
    };
    html.replace(
        "<table>",
        &format!("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{table}\"><table>"),
    )
    .replace("</table>", "</table></div>")
    .replace("aria-label=\"Link to heading '", &format!("aria-label=\"{heading}"))
}

/// `javascript:` and `data:` links are made inert even when raw HTML is allowed.
fn neutralise_script_links(html: &str) -> String {
    if !html.contains("javascript:") && !html.contains("data:") && !html.contains("vbscript:") {
        return html.to_string();
    }
    let mut out = html.to_string();
    for attr in ["href=\"", "src=\""] {
        for scheme in ["javascript:", "vbscript:", "data:"] {
            out = out.replace(&format!("{attr}{scheme}"), &format!("{attr}#blocked-{}", scheme.trim_end_matches(':')));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped_by_default() {
        let html = to_html("<script>alert(1)</script>\n\nhi", &options(false), Lang::Ko);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn gfm_tables_and_footnotes() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1]\n\n[^1]: Note", &options(false), Lang::Ko);
        assert!(
            html.contains("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"표\"><table>"),
            "{html}"
        );
        assert!(html.contains("footnote"), "{html}");
    }

    #[test]
    fn script_links_are_inert() {
        let html = to_html("[x](javascript:alert(1))", &options(false), Lang::Ko);
        assert!(!html.contains("href=\"javascript:"), "{html}");
    }
}
