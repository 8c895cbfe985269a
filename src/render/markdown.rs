//! Markdown to HTML with comrak: CommonMark plus GFM tables, strikethrough (`~~` only),
//! autolinks and footnotes. Raw HTML is escaped unless the site config allows it.
//!
//! A single `~` is text, never strikethrough: Korean writes ranges with it (월~금,
//! 만15~19세, ’23.2~8월), and GFM would strike out everything between two of them.

use crate::lang::Lang;
use comrak::{markdown_to_html, Options};
use std::collections::HashMap;
use std::sync::Arc;

/// Zola's internal links: `[text](@/methodology.md#anchor)` points at a content file and
/// becomes that page's permalink. Unknown files become `#broken-link` (and `check`
/// reports them).
pub fn with_internal_links(mut o: Options<'static>, permalinks: Arc<HashMap<String, String>>) -> Options<'static> {
    o.extension.link_url_rewriter = Some(Arc::new(move |url: &str| -> String {
        let url = &crate::content::markdown::restore_tildes(url.to_string());
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
    let html = neutralise_script_links(&render(body, options));
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

/// Markdown to HTML where only `~~` strikes through (the content layer's rule).
pub fn render(body: &str, options: &Options) -> String {
    use crate::content::markdown::{protect_single_tildes, restore_tildes};
    restore_tildes(markdown_to_html(&protect_single_tildes(body), options))
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
    fn a_single_tilde_is_text_and_only_a_double_strikes() {
        let o = options(false);
        let html = to_html("월~금(주5일) 07:30~09:30, 만15~19세, ’23.2~8월", &o, Lang::Ko);
        assert_eq!(html, "<p>월~금(주5일) 07:30~09:30, 만15~19세, ’23.2~8월</p>\n");
        let html = to_html("~~취소~~ 그리고 `a~b` [링크](https://example.org/~user)", &o, Lang::Ko);
        assert!(html.contains("<del>취소</del>"), "{html}");
        assert!(html.contains("<code>a~b</code>"), "{html}");
        assert!(html.contains("href=\"https://example.org/~user\""), "{html}");
        let html = to_html("~~~\ncode ~ here\n~~~\n", &o, Lang::Ko);
        assert!(html.contains("<pre><code>code ~ here\n</code></pre>"), "{html}");
    }

    #[test]
    fn script_links_are_inert() {
        let html = to_html("[x](javascript:alert(1))", &options(false), Lang::Ko);
        assert!(!html.contains("href=\"javascript:"), "{html}");
    }
}
