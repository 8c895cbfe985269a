//! Tera 1 as Zola sets it up: the built-in templates (sitemap, feeds, robots.txt, 404,
//! redirects, anchor links), then the theme's templates, then the site's, each overriding
//! the one before by name; Zola's functions over the Library (`get_page`, `get_section`,
//! `get_taxonomy*`, `get_url`, `trans`) and the file-level ones (`builtins`); and the
//! shortcode hooks the markdown layer calls.

pub mod builtins;
pub mod images;
pub mod recursion;

use crate::config::Config;
use crate::content::library::{Item, Library};
use crate::content::markdown::Hooks;
use crate::content::ser::Views;
use crate::content::shortcodes::ShortcodeKind;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, RwLock};
use tera::{Context, Tera};

const BUILTINS: &[(&str, &str)] = &[
    ("404.html", include_str!("builtin/404.html")),
    ("anchor-link.html", include_str!("builtin/anchor-link.html")),
    ("summary-cutoff.html", include_str!("builtin/summary-cutoff.html")),
    ("internal/alias.html", include_str!("builtin/internal/alias.html")),
    ("robots.txt", include_str!("builtin/robots.txt")),
    ("sitemap.xml", include_str!("builtin/sitemap.xml")),
    ("split_sitemap_index.xml", include_str!("builtin/split_sitemap_index.xml")),
    ("atom.xml", include_str!("builtin/atom.xml")),
    ("rss.xml", include_str!("builtin/rss.xml")),
];

/// Escapes what HTML needs and no more (Tera's default also turns `/` into `&#x2F;`).
/// Bidirectional overrides are dropped: in content they could reorder what readers see.
pub fn escape_html(input: &str) -> String {
    // Most values (numbers, names) need nothing: copy them whole. The bidirectional
    // controls all start with the byte 0xE2 in UTF-8.
    if !input.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0xE2)) {
        return input.to_string();
    }
    let mut out = String::with_capacity(input.len() + 16);
    for c in input.chars() {
        match c {
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text for XML and HTML attributes: `&`, `<`, `>` and `"` escaped.
pub fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Tera hides the useful part of an error in its source chain.
pub fn describe(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

/// Every template text: built-ins, the theme's, the site's (later ones win), by name.
pub fn template_files(root: &Path, config: &Config) -> Result<BTreeMap<String, String>, String> {
    let mut files: BTreeMap<String, String> = BUILTINS.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    for (n, t) in BUILTINS {
        files.insert(format!("__zola_builtins/{n}"), t.to_string());
    }
    let mut dirs = Vec::new();
    if let Some(theme) = &config.theme {
        if theme.contains(['/', '\\']) || theme.starts_with('.') {
            return Err(format!("theme \"{theme}\" must be a folder name under themes/"));
        }
        let dir = root.join("themes").join(theme);
        if !dir.is_dir() {
            return Err(format!("theme \"{theme}\" not found: expected the folder themes/{theme}/"));
        }
        dirs.push(dir.join("templates"));
    }
    dirs.push(root.join("templates"));
    for dir in dirs {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
            let entry = entry.map_err(|e| e.to_string())?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
            let is_template = [".html", ".xml", ".txt", ".json", ".js", ".css"].iter().any(|e| name.ends_with(e))
                || (name.starts_with("shortcodes/") && name.ends_with(".md"));
            if !is_template {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).map_err(|e| format!("{}: {e}", entry.path().display()))?;
            files.insert(name, text);
        }
    }
    Ok(files)
}

/// The library a template function reads: replaced once markdown is rendered.
pub struct Shared {
    pub lib: Library,
    pub views: Views,
    pub config: Config,
    /// content-relative file → permalink.
    pub permalinks: HashMap<String, String>,
}

pub type SharedRef = Arc<RwLock<Arc<Shared>>>;

/// Tera with every template and function; `shared` is what the Library functions read,
/// `images` where `resize_image` queues its work.
pub fn load(
    root: &Path,
    config: &Config,
    shared: SharedRef,
    generated: HashMap<String, Vec<u8>>,
    assets: HashMap<String, std::path::PathBuf>,
    images: Arc<images::ImageQueue>,
) -> Result<(Tera, u64), String> {
    let files = template_files(root, config)?;
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect::<Vec<_>>())
        .map_err(|e| describe(&e))?;
    recursion::check(&tera)?;
    let hash = crate::model::hash_texts(files.iter().flat_map(|(n, t)| [n.as_bytes(), t.as_bytes()]));
    let theme_dir = config.theme.as_ref().map(|t| root.join("themes").join(t));
    let md_shared = shared.clone();
    let env = Arc::new(builtins::BuiltinEnv {
        root: root.to_path_buf(),
        theme_dir,
        base_url: config.base().to_string(),
        generated,
        assets,
        default_language: config.default_language.clone(),
        images,
        markdown: Arc::new(move |text: &str, _inline: bool| {
            let s = md_shared.read().unwrap().clone();
            let settings = crate::content::markdown::Settings::new(
                &s.config.markdown,
                s.config.slugify.anchors,
                s.config.base(),
                true,
            );
            let f = crate::content::markdown::FileContext {
                permalink: "",
                insert_anchor: crate::config::InsertAnchor::None,
                permalinks: &s.permalinks,
            };
            Ok(crate::content::markdown::render(text, &settings, &f, &NoShortcodes)?.content)
        }),
    });
    builtins::register(&mut tera, env.clone());
    tera.register_function("get_page", GetPage { shared: shared.clone() });
    tera.register_function("get_section", GetSection { shared: shared.clone() });
    tera.register_function("get_taxonomy", GetTaxonomy { shared: shared.clone() });
    tera.register_function("get_taxonomy_url", GetTaxonomyUrl { shared: shared.clone() });
    tera.register_function("get_taxonomy_term", GetTaxonomyTerm { shared: shared.clone() });
    tera.register_function("get_url", GetUrl { shared: shared.clone(), env });
    tera.register_function("trans", Trans { shared });
    Ok((tera, hash))
}

struct NoShortcodes;
impl Hooks for NoShortcodes {
    fn shortcode_kind(&self, _: &str) -> Option<ShortcodeKind> {
        None
    }
    fn shortcode(
        &self,
        name: &str,
        _: serde_json::Map<String, Value>,
        _: Option<&str>,
        _: usize,
    ) -> Result<String, String> {
        Err(format!("shortcode `{name}` inside the markdown filter"))
    }
    fn anchor_link(&self, _: &str, _: u32, _: &str) -> Result<String, String> {
        Ok(String::new())
    }
}

fn arg_str<'a>(args: &'a HashMap<String, Value>, name: &str, f: &str) -> tera::Result<Option<&'a str>> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(v) => Err(format!("`{f}`: argument `{name}` must be a string, found {v}").into()),
    }
}

fn arg_bool(args: &HashMap<String, Value>, name: &str, default: bool) -> bool {
    args.get(name).and_then(Value::as_bool).unwrap_or(default)
}

/// `@/` paths point at content files; with `lang`, at that language's version.
fn localized(path: &str, lang: Option<&str>, config: &Config) -> String {
    let path = path.trim_start_matches("@/").to_string();
    match lang {
        Some(l) if l != config.default_language => match path.rsplit_once(".md") {
            Some((stem, "")) => format!("{stem}.{l}.md"),
            _ => path,
        },
        _ => path,
    }
}

struct GetPage {
    shared: SharedRef,
}
impl tera::Function for GetPage {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let s = self.shared.read().unwrap().clone();
        let path = arg_str(args, "path", "get_page")?.ok_or("`get_page` requires a `path` argument")?;
        let rel = localized(path, arg_str(args, "lang", "get_page")?, &s.config);
        match s.lib.get(&rel) {
            Some(Item::Page(i)) => Ok(s.views.page(&s.lib, i)),
            _ => Err(format!("`get_page`: page `{rel}` not found").into()),
        }
    }
    fn is_safe(&self) -> bool {
        true
    }
}

struct GetSection {
    shared: SharedRef,
}
impl tera::Function for GetSection {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let s = self.shared.read().unwrap().clone();
        let path = arg_str(args, "path", "get_section")?.ok_or("`get_section` requires a `path` argument")?;
        let rel = localized(path, arg_str(args, "lang", "get_section")?, &s.config);
        let meta_only = arg_bool(args, "metadata_only", false);
        match s.lib.get(&rel) {
            Some(Item::Section(i)) => Ok(s.views.section(&s.lib, i, !meta_only)),
            _ => Err(format!("`get_section`: section `{rel}` not found").into()),
        }
    }
    fn is_safe(&self) -> bool {
        true
    }
}

fn find_taxonomy<'a>(s: &'a Shared, kind: &str, lang: &str) -> Option<&'a crate::content::library::Taxonomy> {
    s.lib.taxonomies.iter().find(|t| t.kind.name == kind && t.lang == lang)
}

struct GetTaxonomy {
    shared: SharedRef,
}
impl tera::Function for GetTaxonomy {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let s = self.shared.read().unwrap().clone();
        let kind = arg_str(args, "kind", "get_taxonomy")?.ok_or("`get_taxonomy` requires a `kind` argument")?;
        let lang = arg_str(args, "lang", "get_taxonomy")?.unwrap_or(&s.config.default_language);
        match find_taxonomy(&s, kind, lang) {
            Some(t) => Ok(s.views.taxonomy(&s.lib, t)),
            None if !arg_bool(args, "required", true) => Ok(Value::Null),
            None => Err(format!("`get_taxonomy`: no taxonomy `{kind}` in language \"{lang}\"").into()),
        }
    }
    fn is_safe(&self) -> bool {
        true
    }
}

struct GetTaxonomyUrl {
    shared: SharedRef,
}
impl tera::Function for GetTaxonomyUrl {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let s = self.shared.read().unwrap().clone();
        let kind = arg_str(args, "kind", "get_taxonomy_url")?.ok_or("`get_taxonomy_url` requires `kind`")?;
        let name = arg_str(args, "name", "get_taxonomy_url")?.ok_or("`get_taxonomy_url` requires `name`")?;
        let lang = arg_str(args, "lang", "get_taxonomy_url")?.unwrap_or(&s.config.default_language);
        let required = arg_bool(args, "required", true);
        let Some(t) = find_taxonomy(&s, kind, lang) else {
            return if required {
                Err(format!("`get_taxonomy_url`: no taxonomy `{kind}` in language \"{lang}\"").into())
            } else {
                Ok(Value::Null)
            };
        };
        let slug = crate::content::slugs::slugify(name, s.config.slugify.taxonomies);
        match t.terms.iter().find(|term| term.slug == slug) {
            Some(term) => Ok(Value::String(term.permalink.clone())),
            None if !required => Ok(Value::Null),
            None => Err(format!("`get_taxonomy_url`: `{name}` is not a term of `{kind}`").into()),
        }
    }
    fn is_safe(&self) -> bool {
        true
    }
}

struct GetTaxonomyTerm {
    shared: SharedRef,
}
impl tera::Function for GetTaxonomyTerm {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let s = self.shared.read().unwrap().clone();
        let kind = arg_str(args, "kind", "get_taxonomy_term")?.ok_or("`get_taxonomy_term` requires `kind`")?;
        let term = arg_str(args, "term", "get_taxonomy_term")?.ok_or("`get_taxonomy_term` requires `term`")?;
        let lang = arg_str(args, "lang", "get_taxonomy_term")?.unwrap_or(&s.config.default_language);
        let required = arg_bool(args, "required", true);
        let include = arg_bool(args, "include_pages", true);
        let slug = crate::content::slugs::slugify(term, s.config.slugify.taxonomies);
        let found = find_taxonomy(&s, kind, lang).and_then(|t| t.terms.iter().find(|x| x.slug == slug));
        match found {
            Some(t) => Ok(s.views.term(&s.lib, t, include)),
            None if !required => Ok(Value::Null),
            None => Err(format!("`get_taxonomy_term`: no term `{term}` in `{kind}` (\"{lang}\")").into()),
        }
    }
    fn is_safe(&self) -> bool {
        true
    }
}

struct GetUrl {
    shared: SharedRef,
    env: Arc<builtins::BuiltinEnv>,
}
impl tera::Function for GetUrl {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let s = self.shared.read().unwrap().clone();
        let path = arg_str(args, "path", "get_url")?.ok_or("`get_url` requires a `path` argument")?;
        let lang = arg_str(args, "lang", "get_url")?;
        let trailing = arg_bool(args, "trailing_slash", false);
        let cachebust = arg_bool(args, "cachebust", false);
        if let Some(rest) = path.strip_prefix("@/") {
            let (file, anchor) = rest.split_once('#').map(|(a, b)| (a, Some(b))).unwrap_or((rest, None));
            let rel = localized(file, lang, &s.config);
            let p = s.permalinks.get(&rel).ok_or_else(|| format!("`get_url`: no content file `@/{rel}`"))?;
            return Ok(Value::String(match anchor {
                Some(a) => format!("{p}#{a}"),
                None => p.clone(),
            }));
        }
        if path.starts_with("http://") || path.starts_with("https://") {
            return Ok(Value::String(path.to_string()));
        }
        let lang = lang.unwrap_or(&s.config.default_language);
        // Zola joins the language and the path with a `/` as they are ("de" and "" give
        // "de/", "de" and "/" give "de//"), makes a permalink and pops one trailing slash
        // unless `trailing_slash`: so a language's home is `…/de` for "" and `…/de/` for "/".
        let with_lang = if lang != s.config.default_language && !path.get(1..).is_some_and(|p| p.starts_with(lang)) {
            format!("{lang}/{path}")
        } else {
            path.to_string()
        };
        let mut url = s.config.make_permalink(&with_lang);
        if !trailing && url.ends_with('/') {
            url.pop();
        }
        let trimmed = with_lang.trim_start_matches('/');
        if cachebust {
            let hash = builtins::file_hash(&self.env, trimmed, 256, false).map_err(tera::Error::msg)?;
            url = format!("{url}?h={}", &hash[..hash.len().min(20)]);
        }
        Ok(Value::String(url))
    }
    fn is_safe(&self) -> bool {
        true
    }
}

struct Trans {
    shared: SharedRef,
}
impl tera::Function for Trans {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let s = self.shared.read().unwrap().clone();
        let key = arg_str(args, "key", "trans")?.ok_or("`trans` requires a `key` argument")?;
        let lang = arg_str(args, "lang", "trans")?.unwrap_or(&s.config.default_language);
        // gongsi's own interface strings (chart labels, table headings) come last.
        match s.config.trans_in(key, lang).or_else(|| crate::strings::built_in(key, lang)) {
            Some(t) => Ok(Value::String(t.to_string())),
            None => Err(format!("`trans`: no translation of `{key}` for language \"{lang}\"").into()),
        }
    }
}

/// Shortcodes and anchor links for one file, rendered with Tera.
pub struct FileHooks<'a> {
    pub tera: &'a Tera,
    pub lang: &'a str,
    pub config: &'a Value,
    /// ("page" | "section", its markdown-time view).
    pub item: (&'static str, Value),
    pub permalink: &'a str,
}

impl Hooks for FileHooks<'_> {
    fn shortcode_kind(&self, name: &str) -> Option<ShortcodeKind> {
        let names: Vec<&str> = self.tera.get_template_names().collect();
        if names.contains(&format!("shortcodes/{name}.md").as_str()) {
            Some(ShortcodeKind::Markdown)
        } else if names.contains(&format!("shortcodes/{name}.html").as_str()) {
            Some(ShortcodeKind::Html)
        } else {
            None
        }
    }

    fn shortcode(
        &self,
        name: &str,
        args: serde_json::Map<String, Value>,
        body: Option<&str>,
        nth: usize,
    ) -> Result<String, String> {
        let kind = self.shortcode_kind(name).ok_or_else(|| format!("shortcode `{name}` not found"))?;
        let tpl = match kind {
            ShortcodeKind::Markdown => format!("shortcodes/{name}.md"),
            ShortcodeKind::Html => format!("shortcodes/{name}.html"),
        };
        let mut ctx = Context::new();
        for (k, v) in args {
            ctx.insert(k, &v);
        }
        ctx.insert("nth", &nth);
        ctx.insert("lang", self.lang);
        ctx.insert("config", self.config);
        ctx.insert(self.item.0, &self.item.1);
        ctx.insert("current_url", self.permalink);
        if let Some(b) = body {
            ctx.insert("body", b);
        }
        let out =
            self.tera.render(&tpl, &ctx).map_err(|e| format!("shortcode `{name}` (call {nth}): {}", describe(&e)))?;
        Ok(out)
    }

    fn anchor_link(&self, id: &str, level: u32, heading: &str) -> Result<String, String> {
        let mut ctx = Context::new();
        ctx.insert("id", id);
        ctx.insert("heading", heading);
        ctx.insert("level", &level);
        ctx.insert("lang", self.lang);
        self.tera.render("anchor-link.html", &ctx).map_err(|e| describe(&e))
    }

    fn summary_cutoff(&self) -> Result<String, String> {
        let mut ctx = Context::new();
        ctx.insert("lang", self.lang);
        self.tera.render("summary-cutoff.html", &ctx).map_err(|e| describe(&e))
    }
}

/// The context every Zola template starts from.
/// Puts a value the caller owns into a context without copying it (`Context::insert`
/// serialises, which for a JSON value is a deep copy: a page's view holds its content).
pub fn insert_owned(ctx: &mut Context, key: &str, value: Value) {
    let mut one = serde_json::Map::new();
    one.insert(key.to_string(), value);
    ctx.extend(Context::from_value(Value::Object(one)).expect("an object is a context"));
}

pub fn base_context(config_view: &Value, lang: &str, permalink: &str, path: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("config", config_view);
    ctx.insert("lang", lang);
    ctx.insert("current_url", permalink);
    ctx.insert("current_path", path);
    ctx.insert("zola_version", "0.22.1");
    ctx
}

/// The variables through which a list template reaches the Library's page lists:
/// `section.pages`, `term.pages`, each of `terms` (a taxonomy list) and `paginator.pages`.
const LISTS: [&str; 5] = ["section", "term", "terms", "taxonomy", "paginator"];

/// The templates that may read a page list (see [`reads_page_lists`]), by name.
pub fn page_list_readers(tera: &Tera) -> std::collections::HashSet<String> {
    tera.templates.keys().filter(|name| reads_page_lists(tera, name)).cloned().collect()
}

/// Whether rendering template `name` (with the templates it extends and the macro files it
/// imports) may read the pages of the section, term or taxonomy it is given. A page list
/// is every page's view, text and all, so a list page whose template never reads it is
/// rendered without it; the output is the same.
///
/// The answer errs towards yes: any mention of `pages` or of the whole context, any
/// include, and any list variable (or a loop or `set` variable made from one) handed on
/// whole, indexed by a variable or filtered as a whole counts as reading.
pub fn reads_page_lists(tera: &Tera, name: &str) -> bool {
    !understood() || analyse(tera, name)
}

/// Whether [`analyse`] still reads Tera's syntax tree as it was written for: it reads the
/// tree's `Debug` form (Tera has no visitor), which is no stable interface. Checked once,
/// on templates that do and do not read a list; a Tera whose form changed gets "yes"
/// for every template, never a wrong "no".
fn understood() -> bool {
    static UNDERSTOOD: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| {
        let probe = |text: &str| {
            let mut tera = Tera::default();
            tera.add_raw_template("probe", text).ok().map(|()| analyse(&tera, "probe"))
        };
        probe("{% set s = page | default(value=section) %}{% for t in terms %}{{ t | json_encode }}{% endfor %}")
            == Some(true)
            && probe("{% set s = section %}{{ s | json_encode }}") == Some(true)
            && probe("{% for t in terms %}{{ t.name }}{% endfor %}{{ section.title }}") == Some(false)
    });
    *UNDERSTOOD
}

fn analyse(tera: &Tera, name: &str) -> bool {
    static IDENT: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r#"Ident\("([^"]*)"\)"#).expect("a valid pattern"));
    // `{% for v in x %}`, `{% for k, v in x %}`, `{% set v = x %}`: names bound to a list.
    static BIND: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(?:key: Some\("(\w+)"\), )?(?:value|key): "(\w+)", (?:container|value): Expr \{ val: Ident\("([^"]*)"\)"#,
        )
        .expect("a valid pattern")
    });
    // `{% set v = page | default(value=x) %}`, the way themes name "this page or section".
    static BIND_DEFAULT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(Set \{ key: "(\w+)", value: Expr \{ val: Ident\("[^"]*"\), negated: false, filters: \[FunctionCall \{ name: "default", args: \{"value": )Expr \{ val: Ident\("([^"]*)"\), negated: false, filters: \[\] \}(\} \}\] \})"#,
        )
        .expect("a valid pattern")
    });
    let root = |ident: &str| ident.split(['.', '[']).next().unwrap_or("").to_string();
    // The whole value, or an item of it (`terms.0`, `terms[i]`), rather than a field: no
    // field of a section, term or paginator but `pages` holds pages.
    let whole = |ident: &str| {
        ident.contains('[') || ident.split('.').nth(1).is_none_or(|field| field.chars().all(|c| c.is_ascii_digit()))
    };
    let mut todo = vec![name.to_string()];
    let mut seen = std::collections::HashSet::new();
    let (mut dump, mut macros) = (String::new(), String::new());
    while let Some(n) = todo.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        let Some(t) = tera.templates.get(&n) else { return true };
        // A macro sees only its arguments, and a list handed to one is seen at the call:
        // macro bodies count only for what they name.
        let outside: Vec<_> = t.ast.iter().filter(|n| !matches!(n, tera::ast::Node::MacroDefinition(..))).collect();
        dump.push_str(&format!("{outside:?}"));
        macros.push_str(&format!("{:?}", t.macros));
        todo.extend(t.parents.iter().cloned());
        todo.extend(t.imported_macro_files.iter().map(|(file, _)| file.clone()));
    }
    // Markup and comments say nothing about what is read.
    static PROSE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(?:Text|Comment\(WS \{[^}]*\},) ?\(?"(?:[^"\\]|\\.)*"\)"#).expect("a valid pattern")
    });
    let dump = PROSE.replace_all(&dump, "_");
    let macros = PROSE.replace_all(&macros, "_");
    if [&dump, &macros].iter().any(|d| d.contains("pages") || d.contains("__tera_context") || d.contains("Include(")) {
        return true;
    }
    let mut lists: std::collections::HashSet<String> = LISTS.iter().map(|s| s.to_string()).collect();
    loop {
        let before = lists.len();
        for c in BIND.captures_iter(&dump) {
            if lists.contains(&root(&c[3])) && whole(&c[3]) {
                lists.extend([c.get(1), c.get(2)].into_iter().flatten().map(|m| m.as_str().to_string()));
            }
        }
        for c in BIND_DEFAULT.captures_iter(&dump) {
            if lists.contains(&root(&c[3])) && whole(&c[3]) {
                lists.insert(c[2].to_string());
            }
        }
        if lists.len() == before {
            break;
        }
    }
    // Looping over a list or naming it again is not reading it: the names it binds are
    // followed instead.
    static BOUND: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(container|value): Expr \{ val: Ident\("[^"]*"\), negated: false, filters: \[\] \}"#)
            .expect("a valid pattern")
    });
    let dump = BOUND.replace_all(&dump, "$1: _");
    let dump = BIND_DEFAULT.replace_all(&dump, "${1}_$4");
    IDENT.captures_iter(&dump).any(|c| {
        let ident = &c[1];
        lists.contains(&root(ident)) && whole(ident)
    })
}

#[cfg(test)]
mod list_tests {
    use super::reads_page_lists;

    fn reads(templates: &[(&str, &str)]) -> bool {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        reads_page_lists(&tera, templates.last().unwrap().0)
    }

    #[test]
    fn a_template_that_only_names_fields_of_the_section_reads_no_page_list() {
        assert!(!reads(&[("t", "<h1>{{ section.title }}</h1>{{ section.content | safe }}{{ paginator.next }}")]));
        assert!(!reads(&[(
            "t",
            "{% for t in terms %}<a href=\"{{ t.permalink }}\">{{ t.name }}</a> {{ t.page_count }}{% endfor %}"
        )]));
        assert!(!reads(&[("t", "{% set s = section %}{{ s.title }}{{ lang }}{{ config.title }}")]));
        assert!(!reads(&[("t", "{%- set p = page | default(value=section) -%}{{ p.title }}")]));
        assert!(!reads(&[("t", "{% for t in section.translations %}{{ t | json_encode }}{% endfor %}")]));
        assert!(!reads(&[("t", "{# not section.pages #}<p>All \"pages\" of {{ section.title }}</p>")]));
    }

    #[test]
    fn the_analysis_reads_this_teras_syntax_tree() {
        assert!(super::understood(), "Tera's syntax tree changed form: reads_page_lists now always says yes");
    }

    #[test]
    fn every_way_of_reaching_a_page_list_counts() {
        for t in [
            "{% for p in section.pages %}{{ p.title }}{% endfor %}",
            "{{ paginator.pages | length }}",
            "{% for t in terms %}{{ t.pages | length }}{% endfor %}",
            "{{ section | json_encode }}",
            "{% set s = section %}{{ s | json_encode }}",
            "{% for t in terms %}{{ t | json_encode }}{% endfor %}",
            "{% for k, v in term %}{{ v }}{% endfor %}",
            "{% set x = \"pages\" %}{{ section[x] }}",
            "{% set k = \"title\" %}{{ section[k] }}",
            "{{ __tera_context }}",
            "{% set t = terms.0 %}{{ t | json_encode }}",
            "{{ terms.0 | json_encode }}",
            "{%- set p = page | default(value=section) -%}{{ p | json_encode }}",
            "{{ page | default(value=section) | json_encode }}",
            "{%- set p = page | default(value=section) | json_encode -%}",
        ] {
            assert!(reads(&[("t", t)]), "{t}");
        }
        // Through what the template extends, imports or includes.
        assert!(reads(&[
            ("base", "{% for p in section.pages %}{% endfor %}{% block b %}{% endblock b %}"),
            ("t", "{% extends \"base\" %}{% block b %}{{ section.title }}{% endblock b %}")
        ]));
        assert!(reads(&[
            ("m", "{% macro list(s) %}{{ s.pages | length }}{% endmacro list %}"),
            ("t", "{% import \"m\" as m %}{{ m::list(s=section) }}")
        ]));
        assert!(reads(&[
            ("m", "{% macro list(s) %}{{ s.title }}{% endmacro list %}"),
            ("t", "{% import \"m\" as m %}{{ m::list(s=section) }}")
        ]));
        assert!(reads(&[
            ("m", "{% macro list(s) %}{{ s | json_encode }}{% endmacro list %}"),
            ("t", "{% import \"m\" as m %}{% set s = section %}{{ m::list(s=s) }}")
        ]));
        // A macro's own names are its own.
        assert!(!reads(&[
            ("m", "{% macro x(p) %}{{ p }}{% endmacro x %}"),
            (
                "t",
                "{% import \"m\" as m %}{% set p = page | default(value=section) %}{{ p.title }}{{ m::x(p=p.title) }}"
            )
        ]));
        assert!(reads(&[("i", "{{ section.title }}"), ("t", "{% include \"i\" %}")]));
    }
}
