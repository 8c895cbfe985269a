//! `config.toml` (or `zola.toml`, read first when both exist, as Zola 0.22 does).

use crate::lang::Lang;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub base_url: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub default_language: String,
    pub theme: Option<String>,
    #[serde(default)]
    pub languages: BTreeMap<String, LanguageConfig>,
    /// Interface strings of the default language.
    #[serde(default)]
    pub translations: BTreeMap<String, String>,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// The edition of the data (e.g. "2023"): names the frozen copies of embeds and feeds.
    pub edition: Option<String>,
    #[serde(default)]
    pub extra: toml::Table,
    /// The theme's own interface strings per language, from its `theme.toml`.
    #[serde(skip)]
    pub theme_translations: BTreeMap<String, BTreeMap<String, String>>,
}

/// `themes/<name>/theme.toml`. Every field is parsed, so a typo is reported; gongsi
/// itself uses only the translations.
#[allow(dead_code)]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    pub name: String,
    pub description: Option<String>,
    pub license: Option<String>,
    pub min_version: Option<String>,
    /// Interface strings per language code, used where the site config has none.
    #[serde(default)]
    pub translations: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    pub extra: toml::Table,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub translations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Let raw HTML in markdown through. Off by default: content cannot inject markup.
    #[serde(default)]
    pub unsafe_html: bool,
}

fn default_language() -> String {
    "ko".into()
}

impl Config {
    /// The base URL without a trailing slash.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.title,
            Lang::En => self.languages.get("en").and_then(|l| l.title.as_deref()).unwrap_or(&self.title),
        }
    }

    pub fn description(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.description,
            Lang::En => self.languages.get("en").and_then(|l| l.description.as_deref()).unwrap_or(&self.description),
        }
    }

    pub fn translations(&self, lang: Lang) -> &BTreeMap<String, String> {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        match lang {
            Lang::Ko => &self.translations,
            Lang::En => self.languages.get("en").map(|l| &l.translations).unwrap_or(&EMPTY),
        }
    }

    /// The interface string `key` in `lang`: the site's, else the theme's.
    pub fn trans(&self, key: &str, lang: Lang) -> Option<&str> {
        self.translations(lang)
            .get(key)
            .or_else(|| self.theme_translations.get(lang.code()).and_then(|t| t.get(key)))
            .map(String::as_str)
    }
}
