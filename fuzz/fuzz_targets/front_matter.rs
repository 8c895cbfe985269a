//! Any bytes as a markdown file with `+++` front matter: parsing and rendering it must
//! never panic, and raw HTML must come out escaped.
#![no_main]
use gongsi::lang::Lang;
use gongsi::load::content::parse_markdown_text;
use gongsi::render::markdown;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse_markdown_text(Path::new("page.md"), text) {
        Ok(md) => {
            let html = markdown::to_html(&md.body, &markdown::options(false), Lang::Ko);
            assert!(!html.contains("<script"), "raw HTML got through: {html}");
        }
        Err(d) => {
            let _ = d.to_string();
        }
    }
});
