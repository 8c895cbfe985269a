//! `zola.toml` (read first) or `config.toml`: every field Zola 0.22 reads, with Zola's
//! defaults and meanings, plus gongsi's own (`edition`, `markdown.unsafe_html`).
//!
//! A key neither Zola nor gongsi knows is a warning with a did-you-mean, never an error:
//! a Zola site must load unchanged. gongsi's own data files stay strict.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Config {
    pub base_url: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub default_language: String,
    pub theme: Option<String>,
    /// Languages other than the default one (Zola also accepts the default here).
    pub languages: BTreeMap<String, LanguageConfig>,
    /// Interface strings of the default language.
    pub translations: BTreeMap<String, String>,
    pub generate_feeds: bool,
    pub feed_limit: Option<usize>,
    pub feed_filenames: Vec<String>,
    pub hard_link_static: bool,
    pub taxonomies: Vec<TaxonomyConfig>,
    pub taxonomy_root: Option<String>,
    pub author: Option<String>,
    pub compile_sass: bool,
    pub minify_html: bool,
    pub build_search_index: bool,
    pub ignored_content: Vec<String>,
    pub ignored_static: Vec<String>,
    pub output_dir: String,
    pub preserve_dotfiles_in_output: bool,
    pub link_checker: LinkChecker,
    pub slugify: Slugify,
    pub search: Search,
    pub markdown: MarkdownConfig,
    pub generate_sitemap: bool,
    pub generate_robots_txt: bool,
    pub exclude_paginated_pages_in_sitemap: String,
    /// gongsi: the edition of the data (e.g. "2023"): names the frozen copies of embeds and feeds.
    pub edition: Option<String>,
    pub extra: toml::Table,
    /// The theme's own interface strings per language, from its `theme.toml`.
    #[serde(skip)]
    pub theme_translations: BTreeMap<String, BTreeMap<String, String>>,
    /// The theme's `[extra]`, under the site's (Zola merges them, the site winning).
    #[serde(skip)]
    pub theme_extra: toml::Table,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            base_url: String::new(),
            title: None,
            description: None,
            default_language: "en".into(),
            theme: None,
            languages: BTreeMap::new(),
            translations: BTreeMap::new(),
            generate_feeds: false,
            feed_limit: None,
            feed_filenames: vec!["atom.xml".into()],
            hard_link_static: false,
            taxonomies: Vec::new(),
            taxonomy_root: None,
            author: None,
            compile_sass: false,
            minify_html: false,
            build_search_index: false,
            ignored_content: Vec::new(),
            ignored_static: Vec::new(),
            output_dir: "public".into(),
            preserve_dotfiles_in_output: false,
            link_checker: LinkChecker::default(),
            slugify: Slugify::default(),
            search: Search::default(),
            markdown: MarkdownConfig::default(),
            generate_sitemap: true,
            generate_robots_txt: true,
            exclude_paginated_pages_in_sitemap: "none".into(),
            edition: None,
            extra: toml::Table::new(),
            theme_translations: BTreeMap::new(),
            theme_extra: toml::Table::new(),
        }
    }
}

/// `themes/<name>/theme.toml`. gongsi uses its translations and `[extra]`.
#[allow(dead_code)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ThemeConfig {
    pub name: String,
    pub description: Option<String>,
    pub license: Option<String>,
    pub min_version: Option<String>,
    /// Interface strings per language code, used where the site config has none.
    pub translations: BTreeMap<String, BTreeMap<String, String>>,
    pub extra: toml::Table,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct LanguageConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    pub generate_feeds: Option<bool>,
    pub feed_filenames: Option<Vec<String>>,
    pub taxonomies: Option<Vec<TaxonomyConfig>>,
    pub build_search_index: Option<bool>,
    pub search: Option<Search>,
    pub translations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct TaxonomyConfig {
    pub name: String,
    /// The URL segment; Zola computes it from the name with the `slugify.taxonomies` rule.
    #[serde(skip_deserializing)]
    pub slug: String,
    pub paginate_by: Option<usize>,
    pub paginate_path: Option<String>,
    #[serde(default = "yes")]
    pub render: bool,
    pub feed: bool,
    /// The language this taxonomy belongs to (filled in per language).
    #[serde(skip_deserializing)]
    pub lang: String,
}

fn yes() -> bool {
    true
}

impl TaxonomyConfig {
    pub fn paginate_path(&self) -> &str {
        self.paginate_path.as_deref().unwrap_or("page")
    }
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SlugifyStrategy {
    /// Lowercase ASCII, `-` between words (the `slug` crate).
    #[default]
    On,
    /// Only characters unsafe in paths are dropped.
    Safe,
    /// Used as written.
    Off,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Slugify {
    pub paths: SlugifyStrategy,
    pub paths_keep_dates: bool,
    pub taxonomies: SlugifyStrategy,
    pub anchors: SlugifyStrategy,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct Search {
    pub include_title: bool,
    pub include_content: bool,
    pub truncate_content_length: Option<usize>,
    pub include_description: bool,
    pub include_date: bool,
    pub include_path: bool,
    pub index_format: String,
}

impl Default for Search {
    fn default() -> Search {
        Search {
            include_title: true,
            include_content: true,
            truncate_content_length: None,
            include_description: false,
            include_date: false,
            include_path: false,
            index_format: "elasticlunr_javascript".into(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct LinkChecker {
    pub skip_prefixes: Vec<String>,
    pub skip_anchor_prefixes: Vec<String>,
    pub internal_level: Option<String>,
    pub external_level: Option<String>,
    pub ignored_files: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum InsertAnchor {
    Left,
    Right,
    Heading,
    #[default]
    None,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct MarkdownConfig {
    /// gongsi: let raw HTML in markdown through. Zola always does; gongsi's data sites
    /// escape it unless this is set.
    #[serde(skip_serializing)]
    pub unsafe_html: Option<bool>,
    /// `[markdown.highlighting]`: code blocks are highlighted (with giallo) only when present.
    pub highlighting: Option<Highlighting>,
    pub render_emoji: bool,
    pub external_links_class: Option<String>,
    pub external_links_target_blank: bool,
    pub external_links_no_follow: bool,
    pub external_links_no_referrer: bool,
    pub external_links_external: bool,
    pub smart_punctuation: bool,
    pub definition_list: bool,
    pub bottom_footnotes: bool,
    pub lazy_async_image: bool,
    pub insert_anchor_links: InsertAnchor,
    pub github_alerts: bool,
    /// Zola before 0.22 (`highlight_code`, `highlight_theme`, …): accepted and shown to templates.
    #[serde(flatten)]
    pub older: toml::Table,
}

impl Default for MarkdownConfig {
    /// Zola's defaults: everything off except `external_links_external` (`rel="external"`).
    fn default() -> MarkdownConfig {
        MarkdownConfig {
            unsafe_html: None,
            highlighting: None,
            render_emoji: false,
            external_links_class: None,
            external_links_target_blank: false,
            external_links_no_follow: false,
            external_links_no_referrer: false,
            external_links_external: true,
            smart_punctuation: false,
            definition_list: false,
            bottom_footnotes: false,
            lazy_async_image: false,
            insert_anchor_links: InsertAnchor::None,
            github_alerts: false,
            older: toml::Table::new(),
        }
    }
}

/// `[markdown.highlighting]` as Zola 0.22 reads it: `theme`, or `light_theme` and
/// `dark_theme`; `style` (`inline` colours in `style` attributes, `class` for `z-` classes
/// and a generated `giallo.css` / `giallo-light.css` + `giallo-dark.css`);
/// `error_on_missing_language`; `extra_grammars` and `extra_themes` (paths from the site root).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Highlighting {
    #[serde(default)]
    pub error_on_missing_language: bool,
    #[serde(default)]
    pub style: HighlightStyle,
    #[serde(flatten)]
    pub theme: HighlightTheme,
    #[serde(default)]
    pub extra_grammars: Vec<String>,
    #[serde(default)]
    pub extra_themes: Vec<String>,
    /// The site folder, which the extra paths are relative to (set when the config is loaded).
    #[serde(skip)]
    pub root: std::path::PathBuf,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum HighlightStyle {
    #[default]
    Inline,
    Class,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum HighlightTheme {
    Single { theme: String },
    Dual { light_theme: String, dark_theme: String },
}

impl HighlightTheme {
    /// Every theme name used.
    pub fn names(&self) -> Vec<&str> {
        match self {
            HighlightTheme::Single { theme } => vec![theme],
            HighlightTheme::Dual { light_theme, dark_theme } => vec![light_theme, dark_theme],
        }
    }
}

/// Every top-level key Zola 0.22 or gongsi reads.
const KNOWN_KEYS: &[&str] = &[
    "base_url",
    "title",
    "description",
    "default_language",
    "theme",
    "languages",
    "translations",
    "generate_feeds",
    "feed_limit",
    "feed_filenames",
    "hard_link_static",
    "taxonomies",
    "taxonomy_root",
    "author",
    "compile_sass",
    "minify_html",
    "build_search_index",
    "ignored_content",
    "ignored_static",
    "output_dir",
    "preserve_dotfiles_in_output",
    "link_checker",
    "slugify",
    "search",
    "markdown",
    "generate_sitemap",
    "generate_robots_txt",
    "exclude_paginated_pages_in_sitemap",
    "edition",
    "extra",
    "mode",
];

/// Older Zola names that still mean something.
const RENAMED: &[(&str, &str)] = &[("generate_feed", "generate_feeds"), ("feed_filename", "feed_filenames")];

impl Config {
    /// Parses config text, returning the config and warnings about keys it does not know.
    pub fn parse(text: &str) -> Result<(Config, Vec<(String, String)>), toml::de::Error> {
        let mut table: toml::Table = toml::from_str(text)?;
        let mut warnings = Vec::new();
        for (old, new) in RENAMED {
            if let Some(v) = table.remove(*old) {
                let v = if *old == "feed_filename" { toml::Value::Array(vec![v]) } else { v };
                table.entry(new.to_string()).or_insert(v);
            }
        }
        for key in table.keys() {
            if !KNOWN_KEYS.contains(&key.as_str()) {
                let best = KNOWN_KEYS
                    .iter()
                    .map(|k| (strsim::jaro_winkler(key, k), k))
                    .filter(|(s, _)| *s > 0.8)
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                let hint = best.map(|(_, k)| format!("; did you mean `{k}`?")).unwrap_or_default();
                warnings.push((key.clone(), format!("unknown config key `{key}` is ignored{hint}")));
            }
        }
        let mut config: Config = toml::Value::Table(table).try_into()?;
        // Zola 0.22 refuses `[markdown]` keys it does not know; gongsi warns and goes on.
        for key in config.markdown.older.keys() {
            let hint = if key.starts_with("highlight") || key == "extra_syntaxes_and_themes" {
                "; Zola 0.22 highlights code from a [markdown.highlighting] table (`theme`, or `light_theme` and `dark_theme`, and `style`)"
            } else {
                ""
            };
            warnings.push((key.clone(), format!("`markdown.{key}` is not a Zola 0.22 key and does nothing{hint}")));
        }
        config.fill_in();
        Ok((config, warnings))
    }

    /// Zola's derived values: taxonomy slugs, per-language taxonomies.
    fn fill_in(&mut self) {
        let rule = self.slugify.taxonomies;
        let default = self.default_language.clone();
        for t in &mut self.taxonomies {
            t.slug = crate::content::slugs::slugify(&t.name, rule);
            t.lang = default.clone();
        }
        for (code, l) in &mut self.languages {
            if let Some(ts) = &mut l.taxonomies {
                for t in ts {
                    t.slug = crate::content::slugs::slugify(&t.name, rule);
                    t.lang = code.clone();
                }
            }
        }
    }

    /// The base URL without a trailing slash.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// Every language of the site, the default first.
    pub fn language_codes(&self) -> Vec<&str> {
        let mut v = vec![self.default_language.as_str()];
        v.extend(self.languages.keys().map(String::as_str).filter(|c| *c != self.default_language));
        v
    }

    pub fn is_multilingual(&self) -> bool {
        self.language_codes().len() > 1
    }

    fn language(&self, code: &str) -> Option<&LanguageConfig> {
        self.languages.get(code)
    }

    /// The site title in a language (Zola: the language's own, else the default one's).
    /// Another language's title, description, feed file names and search settings are its
    /// own, as in Zola: they fall back to Zola's defaults, not to the top-level ones (which
    /// are the default language's).
    pub fn title_in(&self, code: &str) -> Option<&str> {
        let own = self.language(code).and_then(|l| l.title.as_deref());
        if code == self.default_language {
            own.or(self.title.as_deref())
        } else {
            own
        }
    }

    pub fn description_in(&self, code: &str) -> Option<&str> {
        let own = self.language(code).and_then(|l| l.description.as_deref());
        if code == self.default_language {
            own.or(self.description.as_deref())
        } else {
            own
        }
    }

    pub fn title(&self, lang: Lang) -> &str {
        self.title_in(lang.code()).unwrap_or("")
    }

    pub fn description(&self, lang: Lang) -> &str {
        self.description_in(lang.code()).unwrap_or("")
    }

    pub fn translations_in(&self, code: &str) -> &BTreeMap<String, String> {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        if code == self.default_language {
            if self.translations.is_empty() {
                if let Some(l) = self.language(code) {
                    return &l.translations;
                }
            }
            return &self.translations;
        }
        self.language(code).map(|l| &l.translations).unwrap_or(&EMPTY)
    }

    pub fn translations(&self, lang: Lang) -> &BTreeMap<String, String> {
        self.translations_in(lang.code())
    }

    /// The interface string `key` in a language: the site's, else the theme's.
    pub fn trans_in(&self, key: &str, code: &str) -> Option<&str> {
        self.translations_in(code)
            .get(key)
            .or_else(|| self.theme_translations.get(code).and_then(|t| t.get(key)))
            .map(String::as_str)
    }

    pub fn trans(&self, key: &str, lang: Lang) -> Option<&str> {
        self.trans_in(key, lang.code())
    }

    /// Feeds of a language: the top-level switch for the default one; another language
    /// has feeds only when its own table says so (as in Zola).
    pub fn generate_feeds_in(&self, code: &str) -> bool {
        if code == self.default_language {
            return self.language(code).and_then(|l| l.generate_feeds).unwrap_or(self.generate_feeds);
        }
        self.language(code).and_then(|l| l.generate_feeds).unwrap_or(false)
    }

    pub fn feed_filenames_in(&self, code: &str) -> &[String] {
        static ATOM: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| vec!["atom.xml".to_string()]);
        match self.language(code).and_then(|l| l.feed_filenames.as_deref()) {
            Some(own) => own,
            None if code == self.default_language => &self.feed_filenames,
            None => &ATOM,
        }
    }

    /// A search index needs the top-level switch, and for another language its own too.
    pub fn build_search_index_in(&self, code: &str) -> bool {
        if code == self.default_language {
            return self.build_search_index;
        }
        self.build_search_index && self.language(code).and_then(|l| l.build_search_index).unwrap_or(false)
    }

    pub fn search_in(&self, code: &str) -> &Search {
        static DEFAULT: std::sync::LazyLock<Search> = std::sync::LazyLock::new(Search::default);
        match self.language(code).and_then(|l| l.search.as_ref()) {
            Some(own) => own,
            None if code == self.default_language => &self.search,
            None => &DEFAULT,
        }
    }

    /// The taxonomies of a language: its own, else (for the default language) the top-level ones.
    pub fn taxonomies_in(&self, code: &str) -> &[TaxonomyConfig] {
        match self.language(code).and_then(|l| l.taxonomies.as_deref()) {
            Some(t) if code != self.default_language || self.taxonomies.is_empty() => t,
            _ if code == self.default_language => &self.taxonomies,
            _ => &[],
        }
    }

    /// A full URL for a site path.
    pub fn permalink(&self, path: &str) -> String {
        let base = self.base();
        let path = path.trim_start_matches('/');
        if path.is_empty() {
            format!("{base}/")
        } else {
            format!("{base}/{path}")
        }
    }

    /// Zola's `make_permalink`: the base URL and the path, with a trailing slash unless the
    /// path is empty, has one, names a feed or carries an anchor.
    pub fn make_permalink(&self, path: &str) -> String {
        let trailing = if path.ends_with('/')
            || self.feed_filenames.iter().any(|f| path.ends_with(f.as_str()))
            || path.is_empty()
            || path.contains('#')
        {
            ""
        } else {
            "/"
        };
        let base = self.base();
        if path == "/" {
            format!("{base}/")
        } else {
            format!("{base}/{}{trailing}", path.trim_start_matches('/'))
        }
    }

    /// What templates see as `config`, in one language (Zola's serialised config).
    /// As in Zola, `config.languages` holds every language but the one being rendered.
    pub fn view(&self, code: &str) -> serde_json::Value {
        let mut languages = serde_json::Map::new();
        // Sorted by code (Zola's order is a HashMap's, random).
        let mut codes = self.language_codes();
        codes.sort_unstable();
        for c in codes.into_iter().filter(|c| *c != code) {
            let l = self.language(c).cloned().unwrap_or_default();
            languages.insert(
                c.to_string(),
                serde_json::json!({
                    "title": self.title_in(c),
                    "description": self.description_in(c),
                    "generate_feeds": self.generate_feeds_in(c),
                    "feed_filenames": self.feed_filenames_in(c),
                    "taxonomies": self.taxonomies_in(c),
                    "build_search_index": self.build_search_index_in(c),
                    "search": self.search_in(c),
                    "translations": l.translations,
                }),
            );
        }
        let mut extra = toml_to_json(&toml::Value::Table(self.theme_extra.clone()));
        if let (serde_json::Value::Object(m), serde_json::Value::Object(site)) =
            (&mut extra, toml_to_json(&toml::Value::Table(self.extra.clone())))
        {
            m.extend(site);
        }
        serde_json::json!({
            "base_url": self.base_url,
            "mode": "build",
            "title": self.title_in(code),
            "description": self.description_in(code),
            "languages": languages,
            "default_language": self.default_language,
            "generate_feed": self.generate_feeds_in(code),
            "generate_feeds": self.generate_feeds_in(code),
            "feed_filenames": self.feed_filenames_in(code),
            "taxonomies": self.taxonomies_in(code),
            "author": self.author,
            "build_search_index": self.build_search_index_in(code),
            "extra": extra,
            "markdown": self.markdown,
            // Zola shows the top-level `[search]` as `config.search` in every language, and
            // only its `index_format`; a language's own settings are in `config.languages`.
            "search": { "index_format": self.search.index_format },
            "generate_sitemap": self.generate_sitemap,
            "generate_robots_txt": self.generate_robots_txt,
            "exclude_paginated_pages_in_sitemap": self.exclude_paginated_pages_in_sitemap,
            "edition": self.edition,
        })
    }
}

/// TOML as JSON, dates as their text (as Zola gives them to templates).
pub fn toml_to_json(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => (*i).into(),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map(Into::into).unwrap_or(serde_json::Value::Null),
        toml::Value::Boolean(b) => (*b).into(),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(a) => a.iter().map(toml_to_json).collect(),
        toml::Value::Table(t) => t.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zola_keys_load_with_zola_defaults_and_unknown_keys_warn() {
        let (c, w) = Config::parse(
            "base_url = \"https://x.org/\"\ncompile_sass = true\nbuild_search_index = true\ngenerate_feeds = true\n\
             author = \"A\"\ntaxonomies = [{name = \"tags\", feed = true}]\ntitel = \"oops\"\n\
             [languages.fr]\ntitle = \"Fr\"\ntaxonomies = [{name = \"Étiquettes\"}]\n[markdown]\nsmart_punctuation = true\n",
        )
        .unwrap();
        assert!(c.compile_sass && c.build_search_index && c.generate_feeds);
        assert_eq!(c.default_language, "en");
        assert_eq!(c.feed_filenames, ["atom.xml"]);
        assert!(c.generate_sitemap && c.generate_robots_txt);
        assert_eq!(c.taxonomies_in("en")[0].slug, "tags");
        assert_eq!(c.taxonomies_in("fr")[0].slug, "etiquettes");
        assert_eq!(c.title_in("fr"), Some("Fr"));
        assert_eq!(c.title_in("en"), None);
        assert_eq!(w.len(), 1);
        assert!(w[0].1.contains("did you mean `title`?"), "{w:?}");
        assert_eq!(c.view("fr")["title"], "Fr");
        // Another language keeps its own settings, with Zola's defaults, and its `config`
        // lists every language but itself.
        let (c, _) = Config::parse(
            "base_url = \"https://x.org\"\ntitle = \"Top\"\nfeed_filenames = [\"rss.xml\"]\n[search]\ninclude_content = false\n\
             [languages.fr]\ngenerate_feeds = true\n[languages.de]\ntitle = \"De\"\nfeed_filenames = [\"de.xml\"]\n",
        )
        .unwrap();
        assert_eq!((c.title_in("en"), c.title_in("fr"), c.title_in("de")), (Some("Top"), None, Some("De")));
        assert_eq!(
            (c.feed_filenames_in("en"), c.feed_filenames_in("fr")),
            (&["rss.xml".to_string()][..], &["atom.xml".to_string()][..])
        );
        assert_eq!(c.feed_filenames_in("de"), ["de.xml"]);
        assert!(!c.search_in("en").include_content && c.search_in("fr").include_content);
        let langs: Vec<String> = c.view("fr")["languages"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(langs, ["de", "en"]);
        // `config.search` is the top-level table (its index format only) in every language.
        assert_eq!(c.view("fr")["search"], serde_json::json!({ "index_format": "elasticlunr_javascript" }));
        assert_eq!(c.view("fr")["languages"]["en"]["search"]["include_content"], false);
    }

    #[test]
    fn zola_022_highlighting_table_and_older_keys_warn() {
        let (c, w) = Config::parse(
            "base_url = \"https://x.org\"\n[markdown]\nhighlight_code = true\n\
             [markdown.highlighting]\nlight_theme = \"github-light\"\ndark_theme = \"github-dark\"\nstyle = \"class\"\n",
        )
        .unwrap();
        let h = c.markdown.highlighting.as_ref().unwrap();
        assert_eq!(h.style, HighlightStyle::Class);
        assert_eq!(h.theme.names(), ["github-light", "github-dark"]);
        assert!(!h.error_on_missing_language && h.extra_grammars.is_empty());
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].1.contains("[markdown.highlighting]"), "{w:?}");
        assert_eq!(c.view("en")["markdown"]["highlighting"]["light_theme"], "github-light");
        assert_eq!(c.view("en")["markdown"]["highlighting"]["style"], "class");
        // Zola's defaults: inline styles; rel="external" on external links.
        let (c, _) =
            Config::parse("base_url = \"https://x.org\"\n[markdown.highlighting]\ntheme = \"nord\"\n").unwrap();
        assert_eq!(c.markdown.highlighting.unwrap().style, HighlightStyle::Inline);
        assert!(c.markdown.external_links_external);
        // Neither `theme` nor both of `light_theme` and `dark_theme`: an error, as in Zola.
        assert!(Config::parse("base_url = \"x\"\n[markdown.highlighting]\nlight_theme = \"nord\"\n").is_err());
    }
}
