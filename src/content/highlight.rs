//! Code blocks as Zola 0.22 writes them. The fence info string is read with giallo's
//! parser (the one Zola uses: language first, then `linenos`, `linenostart=n`,
//! `hl_lines=1-3 5`, `hide_lines=…`, and any `key=value` kept as a `data-key` attribute).
//! Without `[markdown.highlighting]` a block is `<pre><code data-lang="…">`; with it, giallo
//! highlights it with the configured theme(s), as inline styles or `z-` classes.

use crate::config::{HighlightStyle, HighlightTheme, Highlighting};
use giallo::{HighlightOptions, HtmlRenderer, ParsedFence, Registry, ThemeVariant};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// A registry (giallo's built-in grammars and themes plus the site's extra ones) with the
/// site's highlighting settings.
pub struct Highlighter {
    registry: Arc<Registry>,
    config: Highlighting,
}

type Key = (PathBuf, Vec<String>, Vec<String>);

/// Registries are costly to load (the built-in one is a compressed dump), so one is kept
/// per set of extra grammars and themes for the whole process (the preview server rebuilds).
fn registry(root: &Path, grammars: &[String], themes: &[String]) -> Result<Arc<Registry>, String> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<Registry>>>> = OnceLock::new();
    let key = (root.to_path_buf(), grammars.to_vec(), themes.to_vec());
    let cache = CACHE.get_or_init(Default::default);
    if let Some(r) = cache.lock().unwrap().get(&key) {
        return Ok(r.clone());
    }
    let mut r = Registry::builtin().map_err(|e| format!("cannot load the highlighting registry: {e}"))?;
    for g in grammars {
        r.add_grammar_from_path(root.join(g)).map_err(|e| format!("extra grammar {g}: {e}"))?;
    }
    for t in themes {
        r.add_theme_from_path(root.join(t)).map_err(|e| format!("extra theme {t}: {e}"))?;
    }
    r.link_grammars();
    let r = Arc::new(r);
    cache.lock().unwrap().insert(key, r.clone());
    Ok(r)
}

impl Highlighter {
    /// The highlighter of a site's `[markdown.highlighting]` (extra grammar and theme paths
    /// are relative to the site folder). Fails, as Zola does, on a theme giallo does not know.
    pub fn new(config: &Highlighting) -> Result<Highlighter, String> {
        let registry = registry(&config.root, &config.extra_grammars, &config.extra_themes)?;
        for name in config.theme.names() {
            if !registry.contains_theme(name) {
                return Err(format!("[markdown.highlighting]: theme `{name}` does not exist"));
            }
        }
        Ok(Highlighter { registry, config: config.clone() })
    }

    fn options<'a>(&'a self, lang: &'a str) -> HighlightOptions {
        let theme = match &self.config.theme {
            HighlightTheme::Single { theme } => ThemeVariant::Single(theme.as_str()),
            HighlightTheme::Dual { light_theme, dark_theme } => {
                ThemeVariant::Dual { light: light_theme.as_str(), dark: dark_theme.as_str() }
            }
        };
        HighlightOptions::new(lang, theme).fallback_to_plain(!self.config.error_on_missing_language)
    }

    /// The stylesheets Zola writes for `style = "class"` (none for inline styles):
    /// `giallo.css` for one theme, `giallo-light.css` and `giallo-dark.css` for two.
    pub fn theme_css(&self) -> Vec<(&'static str, String)> {
        if self.config.style == HighlightStyle::Inline {
            return Vec::new();
        }
        let css = |t: &str| self.registry.generate_css(t, "z-").unwrap_or_default();
        match &self.config.theme {
            HighlightTheme::Single { theme } => vec![("giallo.css", css(theme))],
            HighlightTheme::Dual { light_theme, dark_theme } => {
                vec![("giallo-light.css", css(light_theme)), ("giallo-dark.css", css(dark_theme))]
            }
        }
    }
}

/// The stylesheets of a site's class-based highlighting, as (file name at the site root, CSS).
pub fn theme_css(markdown: &crate::config::MarkdownConfig) -> Vec<(&'static str, String)> {
    markdown.highlighting.as_ref().and_then(|h| Highlighter::new(h).ok()).map(|h| h.theme_css()).unwrap_or_default()
}

/// One code block to HTML. `info` is the fence's info string, `None` for an indented block.
pub fn code_block(info: Option<&str>, code: &str, hl: Option<&Highlighter>) -> Result<String, String> {
    let fence = match info {
        Some(i) => giallo::parse_markdown_fence(i),
        None => ParsedFence::default(),
    };
    let Some(hl) = hl else {
        let lang = if fence.lang == giallo::PLAIN_GRAMMAR_NAME {
            String::new()
        } else {
            format!(" data-lang=\"{}\"", escape(&fence.lang))
        };
        return Ok(format!("<pre><code{lang}>{}</code></pre>\n", escape(code)));
    };
    if hl.config.error_on_missing_language && !hl.registry.contains_grammar(&fence.lang) {
        return Err(format!("Language `{}` not found for syntax highlighting", fence.lang));
    }
    let highlighted = hl.registry.highlight(code, &hl.options(&fence.lang)).map_err(|e| e.to_string())?;
    let renderer = HtmlRenderer {
        other_metadata: fence.rest,
        css_class_prefix: (hl.config.style == HighlightStyle::Class).then(|| "z-".to_string()),
    };
    Ok(renderer.render(&highlighted, &fence.options))
}

/// `&`, `<`, `>` and `"` as entities (what Zola's unhighlighted blocks escape).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}
