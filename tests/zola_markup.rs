//! Markup that `zola_diff` does not see (it compares visible text and links): code blocks,
//! alerts, aligned table cells, highlighting stylesheets and minified pages, each compared
//! with what Zola 0.22.1 wrote in the committed `tests/zola-sites/<name>/expected/`.
//!
//! Every test first checks that Zola's output really contains the feature it is about, so a
//! fixture that stopped exercising it fails instead of comparing nothing.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds `tests/zola-sites/<name>/site` with gongsi into a temporary folder.
fn build(name: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = common::repo().join("tests/zola-sites").join(name);
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let out = tmp.path().join("out");
    common::copy_dir(&dir.join("site"), &site);
    let run = Command::new(env!("CARGO_BIN_EXE_gongsi"))
        .arg("--root")
        .arg(&site)
        .args(["build", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "gongsi failed on {name}:\n{}", String::from_utf8_lossy(&run.stderr));
    (tmp, dir.join("expected"), out)
}

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{}/{rel}: {e}", root.display()))
}

/// Every `<open …>…</close>` element in order (not nested in one another).
fn elements<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(open) {
        let from = &rest[i..];
        let end = from.find(close).map(|j| j + close.len()).unwrap_or(from.len());
        out.push(&from[..end]);
        rest = &from[end..];
    }
    out
}

/// Opening tags `<name …>` (exactly that name) in order.
fn open_tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = html;
    let open = format!("<{name}");
    while let Some(i) = rest.find(&open) {
        let from = &rest[i..];
        let end = from.find('>').map(|j| j + 1).unwrap_or(from.len());
        let next = from.as_bytes().get(open.len()).copied();
        if matches!(next, Some(b' ' | b'>')) {
            out.push(&from[..end]);
        }
        rest = &from[end..];
    }
    out
}

const CODE_PAGES: &[&str] = &["index.html", "snippets/counter/index.html", "snippets/languages/index.html"];

#[test]
fn highlighted_code_blocks_are_zolas_markup_byte_for_byte() {
    let (_tmp, want, got) = build("code");
    let mut all = String::new();
    for page in CODE_PAGES {
        let (w, g) = (read(&want, page), read(&got, page));
        let (wb, gb) = (elements(&w, "<pre", "</pre>"), elements(&g, "<pre", "</pre>"));
        assert!(!wb.is_empty(), "{page}: Zola wrote no code block");
        assert_eq!(wb.len(), gb.len(), "{page}: number of code blocks");
        for (a, b) in wb.iter().zip(&gb) {
            assert_eq!(a, b, "{page}: code block differs");
        }
        all.push_str(&w);
    }
    // What the fixture exercises, in Zola's own output.
    for marker in [
        "<pre class=\"giallo z-code\"><code data-lang=\"rust\">",
        "<code data-lang=\"rust\" data-name=\"main.rs\">",
        "<span aria-hidden=\"true\" class=\"giallo-ln\"> 1</span>",
        "<span aria-hidden=\"true\" class=\"giallo-ln\"> 6</span>",
        "<span class=\"giallo-l z-hl\">",
        "<code data-lang=\"plain\">",
        "<code data-lang=\"javascript\">",
        "Mon~Fri",
    ] {
        assert!(all.contains(marker), "Zola's code fixture has no {marker}");
    }
    // hide_lines=1-2: the hidden lines are not written, the third keeps its number.
    assert!(all.contains("class=\"giallo-ln\">3</span><span class=\"z-storage z-type\">struct"));
    assert!(!all.contains("allow(unused)"));
}

#[test]
fn inline_styled_code_blocks_are_zolas_markup_byte_for_byte() {
    let (_tmp, want, got) = build("sass-feeds");
    let mut blocks = 0;
    for page in ["log/bench-vise/index.html", "log/shop-lights/index.html", "log/soldering-station/index.html"] {
        let (w, g) = (read(&want, page), read(&got, page));
        let wb = elements(&w, "<pre", "</pre>");
        assert_eq!(wb, elements(&g, "<pre", "</pre>"), "{page}");
        blocks += wb.len();
        assert!(wb
            .iter()
            .all(|b| b.starts_with("<pre class=\"giallo\" style=\"color: #E1E4E8; background-color: #24292E;\">")));
    }
    assert!(blocks >= 3, "only {blocks} code blocks in Zola's sass-feeds output");
}

#[test]
fn class_highlighting_writes_zolas_stylesheet_and_a_static_file_replaces_it() {
    let (_tmp, want, got) = build("code");
    let light = read(&want, "giallo-light.css");
    assert!(light.contains(".z-code") && light.contains(".z-hl"), "Zola's giallo-light.css: {light:.200}");
    assert_eq!(light, read(&got, "giallo-light.css"));
    // The site's own static/giallo-dark.css wins over the generated one, as in Zola.
    let site_dark = read(&common::repo().join("tests/zola-sites/code/site"), "static/giallo-dark.css");
    assert_eq!(read(&want, "giallo-dark.css"), site_dark);
    assert_eq!(read(&got, "giallo-dark.css"), site_dark);
}

#[test]
fn github_alerts_are_zolas_blockquotes() {
    let (_tmp, want, got) = build("code");
    let page = "snippets/notes/index.html";
    let (w, g) = (read(&want, page), read(&got, page));
    let wq = elements(&w, "<blockquote", "</blockquote>");
    assert_eq!(wq.len(), 8, "blockquotes in Zola's notes page");
    assert!(wq[0].starts_with("<blockquote class=\"markdown-alert-note\">\n<p>Snippets"));
    assert!(wq.iter().any(|q| q.starts_with("<blockquote>\n<p>[!TIP] A titled tip")));
    assert_eq!(wq, elements(&g, "<blockquote", "</blockquote>"));
}

#[test]
fn relative_and_anchor_links_get_the_page_permalink_as_in_zola() {
    let (_tmp, want, got) = build("code");
    let page = "snippets/notes/index.html";
    let links = |html: &str| open_tags(html, "a").into_iter().map(String::from).collect::<Vec<_>>();
    let w = links(&read(&want, page));
    for l in [
        "<a href=\"https://example.org/snippets/notes/diagram.svg\">",
        "<a href=\"https://example.org/snippets/notes/#before-you-copy\">",
        "<a href=\"../languages/\">",
        "<a href=\"#\">",
    ] {
        assert!(w.iter().any(|x| x == l), "Zola wrote no {l}");
    }
    assert_eq!(w, links(&read(&got, page)));
    assert_eq!(
        fs::read(want.join("snippets/notes/diagram.svg")).unwrap(),
        fs::read(got.join("snippets/notes/diagram.svg")).unwrap()
    );
}

#[test]
fn minified_pages_are_zolas_bytes() {
    let (_tmp, want, got) = build("minify");
    for page in
        ["index.html", "recipes/index.html", "recipes/omelette/index.html", "recipes/rice/index.html", "404.html"]
    {
        let (w, g) = (read(&want, page), read(&got, page));
        assert!(w.starts_with("<!doctype html><html lang=en><head><meta charset=utf-8>"), "{page}: {w:.80}");
        // Zola's minified page has no whitespace between tags outside <pre> and <script>.
        let outside: String = w.split("<pre").map(|s| s.split("</pre>").last().unwrap()).collect();
        let outside: String = outside.split("<script").map(|s| s.split("</script>").last().unwrap()).collect();
        assert!(!outside.contains(">\n") && !outside.contains(">  "), "{page}: {outside}");
        assert_eq!(w, g, "{page}: gongsi's minified page differs from Zola's");
    }
    // <pre> keeps its spaces; inline CSS is minified; inline JavaScript is not.
    let omelette = read(&got, "recipes/omelette/index.html");
    assert!(omelette.contains("<pre><code data-lang=text>  beat     30 s\n"));
    assert!(omelette.contains("<style>body{max-width:40em;margin:0 auto}"));
    assert!(omelette.contains("var  greeting = \"hello\"  ;"));
    assert!(read(&got, "recipes/rice/index.html").contains("<th style=text-align:right>Minutes"));
    // Only HTML is minified.
    assert_eq!(read(&want, "sitemap.xml").lines().count(), read(&got, "sitemap.xml").lines().count());
}

#[test]
fn aligned_table_cells_and_plain_code_blocks_without_minify() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("zola.toml", "base_url = \"https://example.org\"\n"),
        ("templates/index.html", "{{ section.content | safe }}"),
        (
            "content/_index.md",
            "+++\n+++\n| a | b | c | d |\n|:--|--:|:-:|---|\n| 1 | 2 | 3 | 4 |\n\n```rust,linenos\nlet a = \"<b>\";\n```\n\n```\nx\n```\n",
        ),
    ];
    for (rel, text) in files {
        let p = dir.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    let out = dir.path().join("public");
    let run = Command::new(env!("CARGO_BIN_EXE_gongsi"))
        .arg("--root")
        .arg(dir.path())
        .args(["build", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    // Zola 0.22.1 on the same file (pulldown-cmark's table cells, Zola's unhighlighted blocks).
    assert_eq!(
        open_tags(&html, "th"),
        [
            "<th style=\"text-align: left\">",
            "<th style=\"text-align: right\">",
            "<th style=\"text-align: center\">",
            "<th>"
        ]
    );
    assert!(html.contains("<pre><code data-lang=\"rust\">let a = &quot;&lt;b&gt;&quot;;\n</code></pre>\n"), "{html}");
    assert!(html.contains("<pre><code>x\n</code></pre>\n"), "{html}");
}
