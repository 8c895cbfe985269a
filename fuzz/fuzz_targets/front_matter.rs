//! Any bytes as a markdown file with `+++` front matter: parsing and rendering it the way a
//! data site does must never panic, and raw HTML must come out escaped.
#![no_main]
use gongsi::config::{InsertAnchor, MarkdownConfig, SlugifyStrategy};
use gongsi::content::markdown::{render, FileContext, Hooks, Settings};
use gongsi::content::shortcodes::ShortcodeKind;
use gongsi::load::content::parse_markdown_text;
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;
use std::path::Path;

struct NoHooks;
impl Hooks for NoHooks {
    fn shortcode_kind(&self, _: &str) -> Option<ShortcodeKind> {
        None
    }
    fn shortcode(
        &self,
        name: &str,
        _: serde_json::Map<String, serde_json::Value>,
        _: Option<&str>,
        _: usize,
    ) -> Result<String, String> {
        Err(format!("no shortcode {name}"))
    }
    fn anchor_link(&self, id: &str, _: u32, _: &str) -> Result<String, String> {
        Ok(format!("<a href=\"#{id}\"></a>"))
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse_markdown_text(Path::new("page.md"), text) {
        Ok(md) => {
            let mut settings = Settings::new(&MarkdownConfig::default(), SlugifyStrategy::On, "https://x.example", false);
            settings.house_ids = true;
            let permalinks = HashMap::new();
            let f = FileContext { permalink: "https://x.example/page/", insert_anchor: InsertAnchor::Right, permalinks: &permalinks };
            if let Ok(r) = render(&md.body, &settings, &f, &NoHooks) {
                assert!(!r.content.contains("<script"), "raw HTML got through: {}", r.content);
            }
        }
        Err(d) => {
            let _ = d.to_string();
        }
    }
});
