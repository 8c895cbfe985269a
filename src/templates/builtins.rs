//! Zola-compatible template filters and functions that do not need the content library.
//!
//! Everything here mirrors Zola 0.22 (`components/templates/src/filters.rs` and
//! `components/templates/src/global_fns/{files,load_data,images,helpers}.rs`) in argument names,
//! defaults and output shape. The code is written independently.
//!
//! Filters: `markdown`, `base64_encode`, `base64_decode`, `regex_replace`, `num_format`, and `date`
//! (replaces Tera's own `date` with one that also understands `locale`, which is what Zola gets by
//! building Tera with its `date-locale` feature).
//!
//! Functions: `load_data`, `get_hash`, `get_image_metadata`, and `resize_image` (the work is
//! queued on [`BuiltinEnv::images`] and done by the site after rendering, see `images.rs`).
//!
//! # File searching (Zola's "File searching logic")
//! `load_data(path=…)`, `get_hash(path=…)`, `get_image_metadata(path=…)` and [`file_hash`] resolve a
//! path like this: `@/x` becomes `content/x`, other leading `/` are dropped, then the first existing
//! file among `root/x`, `root/static/x`, `root/content/x`, `theme_dir/static/x` wins. Zola also looks in
//! the output directory (between `content` and the theme); gongsi does not, since the output is never
//! an input here. A path found directly under the root must canonicalize to inside the root (as
//! Zola); a path found under one of the other folders must not climb out of the root or that folder
//! with `..` (checked lexically, so symlinked `static/` folders keep working).
//!
//! # Markdown
//! The `markdown` callback in [`BuiltinEnv`] must render a whole document (block HTML, paragraphs
//! wrapped in `<p>…</p>\n`). It is told whether `inline=true` was asked for, but must not strip
//! anything itself: this module strips the leading `<p>` and trailing `</p>\n` like Zola does.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use regex::Regex;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256, Sha384, Sha512};
use tera::{from_value, to_value, try_get_value, Error, Filter, Function, Map, Tera, Value};

/// The `markdown` callback's type: `(text, inline) -> HTML` (see [`BuiltinEnv::markdown`]).
pub type MarkdownFn = dyn Fn(&str, bool) -> Result<String, String> + Send + Sync;

/// What the builtins need to know about the site.
pub struct BuiltinEnv {
    /// The site folder (load_data paths, get_hash paths resolve as Zola does: relative to the site root, also trying content/, static/ and the theme's static/ where Zola does).
    pub root: std::path::PathBuf,
    /// The theme's folder if any (themes/<name>), for static lookups.
    pub theme_dir: Option<std::path::PathBuf>,
    /// config.base_url without a trailing slash.
    pub base_url: String,
    /// Files the build generates before pages render (compiled Sass), by output path
    /// without the leading `/`: `get_url(cachebust=true)` and `get_hash` find them.
    pub generated: std::collections::HashMap<String, Vec<u8>>,
    /// Colocated assets by their output path (no leading `/`) → the file: Zola finds them
    /// in its output folder, where it copies them before a page renders.
    pub assets: std::collections::HashMap<String, PathBuf>,
    /// Renders markdown to HTML with the site's markdown settings; the bool is `inline`.
    /// The callback returns the full block HTML; the `<p>` stripping for `inline=true` is done by
    /// the `markdown` filter in this module (see the module docs).
    pub markdown: std::sync::Arc<MarkdownFn>,
    /// The images `resize_image` was asked for in this build.
    pub images: Arc<super::images::ImageQueue>,
    /// The site's default language code, for `date`'s / `num_format`'s default locale where Zola uses one.
    /// (Only `num_format` uses it: Zola's `date` defaults to the POSIX locale.)
    pub default_language: String,
}

/// Registers all filters and functions of this module on `tera`, replacing Tera's `date` filter.
/// Call it after `Tera::extend` and the like, so these win over anything registered before.
pub fn register(tera: &mut Tera, env: std::sync::Arc<BuiltinEnv>) {
    tera.register_filter("markdown", MarkdownFilter { env: Arc::clone(&env) });
    tera.register_filter("base64_encode", base64_encode);
    tera.register_filter("base64_decode", base64_decode);
    tera.register_filter("regex_replace", RegexReplace::default());
    tera.register_filter("num_format", NumFormat { env: Arc::clone(&env) });
    tera.register_filter("date", date);
    tera.register_function("load_data", LoadData { env: Arc::clone(&env), cache: Mutex::default() });
    tera.register_function("get_hash", GetHash { env: Arc::clone(&env) });
    tera.register_function("get_image_metadata", GetImageMetadata { env: Arc::clone(&env), cache: Mutex::default() });
    tera.register_function("resize_image", ResizeImage { env: Arc::clone(&env) });
}

/// The hash get_hash/cachebust use for a file: `sha_type` 256|384|512, `base64` per Zola's defaults. Used by get_url(cachebust=true) elsewhere.
///
/// Zola's defaults: `get_hash` uses 384 + base64; `get_url(cachebust=true)` uses 256 + hex and keeps
/// the first 20 hex digits (`?h=<20 hex>`). Hex is lowercase; base64 is standard with padding.
/// `path` is resolved with the file searching logic described in the module docs. Errors are plain
/// messages without a function-name prefix.
pub fn file_hash(env: &BuiltinEnv, path: &str, sha_type: u16, base64: bool) -> Result<String, String> {
    let Some((file, _)) = search_for_file(env, path)? else {
        // Last, like Zola's look into its output folder: what the build generates (Sass).
        return match env.generated.get(path.trim_start_matches('/')) {
            Some(bytes) => hash_bytes(bytes, sha_type, base64),
            None => Err(format!("Cannot find file: {path}")),
        };
    };
    let data = fs::read(&file).map_err(|e| format!("File {path} could not be read: {e}"))?;
    hash_bytes(&data, sha_type, base64)
}

fn hash_bytes(data: &[u8], sha_type: u16, base64: bool) -> Result<String, String> {
    fn encode<D: Digest>(data: &[u8], base64: bool) -> String {
        let digest = D::digest(data);
        if base64 {
            BASE64.encode(digest)
        } else {
            digest.iter().fold(String::with_capacity(digest.len() * 2), |mut s, b| {
                let _ = write!(s, "{b:02x}");
                s
            })
        }
    }
    match sha_type {
        256 => Ok(encode::<Sha256>(data, base64)),
        384 => Ok(encode::<Sha384>(data, base64)),
        512 => Ok(encode::<Sha512>(data, base64)),
        _ => Err("Invalid sha value".to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// Argument helpers (Zola's `required_arg!` / `optional_arg!`: a wrong type gives the fixed message)

fn optional_arg<T: DeserializeOwned>(args: &HashMap<String, Value>, name: &str, err: &str) -> tera::Result<Option<T>> {
    match args.get(name) {
        Some(v) => from_value::<T>(v.clone()).map(Some).map_err(|_| Error::msg(err)),
        None => Ok(None),
    }
}

fn required_arg<T: DeserializeOwned>(args: &HashMap<String, Value>, name: &str, err: &str) -> tera::Result<T> {
    optional_arg(args, name, err)?.ok_or_else(|| Error::msg(err))
}

// ---------------------------------------------------------------------------------------------
// File searching

/// Lexically resolves `.` and `..` (no file system access).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn outside_root_error(path: &str, root: &Path) -> String {
    format!("{path:?} is not inside the base site directory {root:?}")
}

/// Zola's `search_for_file`: returns the file found and the unified (site-relative) path.
/// Zola's output folder, which comes between content/ and the theme's static/: the
/// colocated assets, by their output path (`a//b` and `./` as the file system reads them).
fn colocated(env: &BuiltinEnv, actual: &str) -> Option<(PathBuf, String)> {
    let key: Vec<&str> = actual.split('/').filter(|c| !c.is_empty() && *c != ".").collect();
    env.assets.get(&key.join("/")).map(|file| (file.clone(), actual.to_string()))
}

fn search_for_file(env: &BuiltinEnv, path: &str) -> Result<Option<(PathBuf, String)>, String> {
    let actual = match path.strip_prefix("@/") {
        Some(rest) => format!("content/{rest}"),
        None => path.trim_start_matches('/').to_string(),
    };
    let root = &env.root;

    let direct = root.join(&actual);
    if direct.exists() {
        let canon_file =
            direct.canonicalize().map_err(|e| format!("Failed to canonicalize {}: {e}", direct.display()))?;
        let canon_root = root.canonicalize().map_err(|e| format!("Failed to canonicalize {}: {e}", root.display()))?;
        if !canon_file.starts_with(&canon_root) {
            return Err(outside_root_error(path, root));
        }
        return Ok(Some((direct, actual)));
    }

    // Zola's order: static/, content/, the output folder (colocated assets), the theme's static/.
    let in_dir = |dir: &Path| -> Result<Option<(PathBuf, String)>, String> {
        let candidate = dir.join(&actual);
        if !candidate.exists() {
            return Ok(None);
        }
        let lexical = |p: &Path| normalize(&std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()));
        let found = lexical(&candidate);
        if !found.starts_with(lexical(root)) && !found.starts_with(lexical(dir)) {
            return Err(outside_root_error(path, root));
        }
        Ok(Some((candidate, actual.clone())))
    };
    for dir in [root.join("static"), root.join("content")] {
        if let Some(found) = in_dir(&dir)? {
            return Ok(Some(found));
        }
    }
    if let Some(found) = colocated(env, &actual) {
        return Ok(Some(found));
    }
    match &env.theme_dir {
        Some(theme) => in_dir(&theme.join("static")),
        None => Ok(None),
    }
}

fn modified(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// Reads a UTF-8 text file, dropping a UTF-8 BOM (as Zola's `read_file`).
fn read_text(path: &Path) -> std::io::Result<String> {
    let mut s = fs::read_to_string(path)?;
    if s.starts_with('\u{feff}') {
        s.drain(..3);
    }
    Ok(s)
}

// ---------------------------------------------------------------------------------------------
// Filters

struct MarkdownFilter {
    env: Arc<BuiltinEnv>,
}

impl Filter for MarkdownFilter {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let text = try_get_value!("markdown", "value", String, value);
        let inline = match args.get("inline") {
            Some(v) => try_get_value!("markdown", "inline", bool, v),
            None => false,
        };
        let mut html =
            (self.env.markdown)(&text, inline).map_err(|e| format!("Failed to render markdown filter: {e}"))?;
        if inline {
            html = html.trim_start_matches("<p>").trim_end_matches("</p>\n").to_string();
        }
        Ok(Value::String(html))
    }
}

fn base64_encode(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let s = try_get_value!("base64_encode", "value", String, value);
    Ok(Value::String(BASE64.encode(s.as_bytes())))
}

fn base64_decode(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let s = try_get_value!("base64_decode", "value", String, value);
    let bytes = BASE64.decode(s.as_bytes()).map_err(|e| format!("`base64_decode`: failed to decode: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| format!("`base64_decode`: invalid utf-8: {e}"))?;
    Ok(Value::String(text))
}

#[derive(Default)]
struct RegexReplace {
    cache: Mutex<HashMap<String, Regex>>,
}

impl Filter for RegexReplace {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let text = try_get_value!("regex_replace", "value", String, value);
        let pattern = match args.get("pattern") {
            Some(v) => try_get_value!("regex_replace", "pattern", String, v),
            None => return Err(Error::msg("Filter `regex_replace` expected an arg called `pattern`")),
        };
        let rep = match args.get("rep") {
            Some(v) => try_get_value!("regex_replace", "rep", String, v),
            None => return Err(Error::msg("Filter `regex_replace` expected an arg called `rep`")),
        };
        let re = {
            let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            match cache.get(&pattern) {
                Some(re) => re.clone(),
                None => {
                    let re =
                        Regex::new(&pattern).map_err(|e| format!("`regex_replace`: failed to compile regex: {e}"))?;
                    cache.insert(pattern, re.clone());
                    re
                }
            }
        };
        Ok(Value::String(re.replace_all(&text, rep.as_str()).into_owned()))
    }
}

struct NumFormat {
    env: Arc<BuiltinEnv>,
}

impl Filter for NumFormat {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        use num_format::{Locale, ToFormattedString};

        let num = try_get_value!("num_format", "value", i64, value);
        let name = match args.get("locale") {
            Some(v) => try_get_value!("num_format", "locale", String, v),
            None => self.env.default_language.clone(),
        };
        let locale = Locale::from_name(&name).map_err(|_| {
            Error::msg(format!("Filter `num_format` was called with an invalid `locale` argument: `{name}`."))
        })?;
        Ok(Value::String(num.to_formatted_string(&locale)))
    }
}

/// Tera's `date` filter as built with its `date-locale` feature (what Zola uses): `format`
/// (default `%Y-%m-%d`), `timezone` (an IANA name) and `locale` (e.g. `ko_KR`; default POSIX).
///
/// Kept on purpose from Tera, for identical output: an integer timestamp without `timezone` is
/// formatted in UTC *without* the locale; a string without offset (`2017-03-05T10:00:00` or
/// `2017-03-05`) is read as UTC and ignores `timezone`. Unlike Tera, a format that cannot be applied
/// (e.g. `%z` on a bare timestamp) is an error instead of a panic.
fn date(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    use chrono::format::{Item, StrftimeItems};
    use chrono::{DateTime, FixedOffset, Locale, NaiveDate, NaiveDateTime, TimeZone, Utc};
    use chrono_tz::Tz;

    let format = match args.get("format") {
        Some(v) => try_get_value!("date", "format", String, v),
        None => "%Y-%m-%d".to_string(),
    };
    if StrftimeItems::new(&format).any(|item| matches!(item, Item::Error)) {
        return Err(Error::msg(format!("Invalid date format `{format}`")));
    }
    let timezone = match args.get("timezone") {
        Some(v) => {
            let name = try_get_value!("date", "timezone", String, v);
            Some(name.parse::<Tz>().map_err(|_| Error::msg(format!("Error parsing `{name}` as a timezone")))?)
        }
        None => None,
    };
    let locale = match args.get("locale") {
        Some(v) => {
            let name = try_get_value!("date", "locale", String, v);
            Locale::try_from(name.as_str()).map_err(|_| Error::msg(format!("Error parsing `{name}` as a locale")))?
        }
        None => Locale::POSIX,
    };

    let mut out = String::new();
    let written = match value {
        Value::Number(n) => {
            let Some(secs) = n.as_i64() else {
                return Err(Error::msg(format!("Filter `date` was invoked on a float: {n}")));
            };
            let Some(utc) = DateTime::from_timestamp(secs, 0) else {
                return Err(Error::msg(format!("Filter `date`: timestamp {secs} is out of range")));
            };
            match timezone {
                Some(tz) => write!(out, "{}", utc.with_timezone(&tz).format_localized(&format, locale)),
                None => write!(out, "{}", utc.naive_utc().format(&format)),
            }
        }
        Value::String(s) if s.contains('T') => match s.parse::<DateTime<FixedOffset>>() {
            Ok(dt) => match timezone {
                Some(tz) => write!(out, "{}", dt.with_timezone(&tz).format_localized(&format, locale)),
                None => write!(out, "{}", dt.format_localized(&format, locale)),
            },
            Err(_) => match s.parse::<NaiveDateTime>() {
                Ok(naive) => write!(out, "{}", Utc.from_utc_datetime(&naive).format_localized(&format, locale)),
                Err(_) => {
                    return Err(Error::msg(format!("Error parsing `{s:?}` as rfc3339 date or naive datetime")));
                }
            },
        },
        Value::String(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(day) => {
                let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
                write!(out, "{}", Utc.from_utc_datetime(&midnight).format_localized(&format, locale))
            }
            Err(_) => return Err(Error::msg(format!("Error parsing `{s:?}` as YYYY-MM-DD date"))),
        },
        _ => {
            return Err(Error::msg(format!(
                "Filter `date` received an incorrect type for arg `value`: got `{value:?}` but expected i64|u64|String"
            )));
        }
    };
    written.map_err(|_| Error::msg(format!("Filter `date`: the format `{format}` cannot be applied to `{value}`")))?;
    Ok(Value::String(out))
}

// ---------------------------------------------------------------------------------------------
// load_data

const LOAD_DATA_ARGS_ERROR: &str = "`load_data`: requires EITHER a `path`, `url`, or `literal` argument";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum DataFormat {
    Toml,
    Json,
    Csv,
    Bibtex,
    Plain,
    Xml,
    Yaml,
}

impl DataFormat {
    fn parse(name: &str) -> Option<Self> {
        Some(match name.to_lowercase().as_str() {
            "toml" => Self::Toml,
            "json" => Self::Json,
            "csv" => Self::Csv,
            "bibtex" => Self::Bibtex,
            "plain" => Self::Plain,
            "xml" => Self::Xml,
            "yaml" | "yml" => Self::Yaml,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Self::Toml => "toml",
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Bibtex => "bibtex",
            Self::Plain => "plain",
            Self::Xml => "xml",
            Self::Yaml => "yaml",
        }
    }
}

enum DataSource {
    Path(PathBuf),
    Url(String),
    Literal(String),
}

type DataCache = HashMap<(PathBuf, DataFormat), ((SystemTime, u64), Value)>;

struct LoadData {
    env: Arc<BuiltinEnv>,
    /// Parsed files, keyed by file and format, valid while the file's mtime and size are unchanged.
    cache: Mutex<DataCache>,
}

impl LoadData {
    /// Zola's `DataSource::from_args`: `Ok(None)` when the path does not resolve to a file.
    fn source(
        &self,
        path: Option<String>,
        url: Option<String>,
        literal: Option<String>,
    ) -> tera::Result<Option<DataSource>> {
        let given = [path.is_some(), url.is_some(), literal.is_some()].iter().filter(|b| **b).count();
        if given != 1 {
            return Err(LOAD_DATA_ARGS_ERROR.into());
        }
        if let Some(path) = path {
            let found = search_for_file(&self.env, &path).map_err(|e| format!("`load_data`: {e}"))?;
            return Ok(found.map(|(file, _)| DataSource::Path(file)));
        }
        if let Some(url) = url {
            return Ok(Some(DataSource::Url(url)));
        }
        Ok(literal.map(DataSource::Literal))
    }
}

impl Function for LoadData {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path: Option<String> = optional_arg(args, "path", LOAD_DATA_ARGS_ERROR)?;
        let url: Option<String> = optional_arg(args, "url", LOAD_DATA_ARGS_ERROR)?;
        let literal: Option<String> = optional_arg(args, "literal", LOAD_DATA_ARGS_ERROR)?;
        let format: Option<String> = optional_arg(
            args,
            "format",
            "`load_data`: `format` needs to be an argument with a string value, being one of the supported `load_data` file types (csv, json, toml, bibtex, plain)",
        )?;
        let required = optional_arg(args, "required", "`load_data`: `required` must be a boolean (true or false)")?
            .unwrap_or(true);
        // Remote-only arguments: checked like Zola so templates fail the same way, otherwise unused.
        let _: Option<String> = optional_arg(args, "body", "`load_data` body must be a string, if set.")?;
        let _: Option<String> =
            optional_arg(args, "content_type", "`load_data` content_type must be a string, if set.")?;
        let method: Option<String> = optional_arg(args, "method", "`load_data` method must either be POST or GET.")?;
        if let Some(m) = &method {
            if !m.eq_ignore_ascii_case("get") && !m.eq_ignore_ascii_case("post") {
                return Err("`load_data` method must either be POST or GET.".into());
            }
        }
        let _: Option<Vec<String>> = optional_arg(
            args,
            "headers",
            "`load_data`: `headers` needs to be an argument with a list of strings of format <name>=<value>.",
        )?;

        let source = match (self.source(path.clone(), url, literal), required) {
            (Ok(Some(source)), _) => source,
            (Ok(None), false) | (Err(_), false) => return Ok(Value::Null),
            (Err(e), true) => return Err(e),
            (Ok(None), true) => {
                let shown = self.env.root.join(path.unwrap_or_default());
                return Err(format!("`load_data`: {} doesn't exist", shown.display()).into());
            }
        };

        let format = match format {
            Some(name) => DataFormat::parse(&name).ok_or_else(|| format!("Unknown output format {name}"))?,
            None => match &source {
                DataSource::Path(p) => {
                    p.extension().and_then(|e| e.to_str()).and_then(DataFormat::parse).unwrap_or(DataFormat::Plain)
                }
                _ => DataFormat::Plain,
            },
        };

        match source {
            DataSource::Url(url) => {
                if !required {
                    return Ok(Value::Null);
                }
                Err(format!(
                    "`load_data`: remote data is not fetched: gongsi builds offline, so `url` cannot be loaded ({url}); \
                     save the data in the site and use `path` instead"
                )
                .into())
            }
            DataSource::Literal(text) => parse_data(text, format, "literal"),
            DataSource::Path(file) => {
                let stamp = modified(&file);
                let key = (file.clone(), format);
                if let Some(stamp) = stamp {
                    let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
                    if let Some((cached_stamp, value)) = cache.get(&key) {
                        if *cached_stamp == stamp {
                            return Ok(value.clone());
                        }
                    }
                }
                let text = read_text(&file).map_err(|e| format!("`load_data`: error reading file {file:?}: {e}"))?;
                let value = parse_data(text, format, &file.display().to_string())?;
                if let Some(stamp) = stamp {
                    self.cache.lock().unwrap_or_else(|p| p.into_inner()).insert(key, (stamp, value.clone()));
                }
                Ok(value)
            }
        }
    }
}

fn parse_data(text: String, format: DataFormat, origin: &str) -> tera::Result<Value> {
    match format {
        DataFormat::Plain => Ok(Value::String(text)),
        DataFormat::Json => serde_json::from_str::<Value>(&text)
            .map_err(|e| format!("`load_data`: failed to parse {origin} as JSON: {e}").into()),
        DataFormat::Toml => {
            let table = toml::from_str::<toml::Table>(&text)
                .map_err(|e| format!("`load_data`: failed to parse {origin} as TOML: {e}"))?;
            Ok(toml_to_json(toml::Value::Table(table)))
        }
        DataFormat::Csv => load_csv(&text),
        DataFormat::Bibtex | DataFormat::Xml | DataFormat::Yaml => Err(format!(
            "`load_data`: the `{}` format is not supported by gongsi yet (supported: toml, json, csv, plain); \
             use format=\"plain\" to load {origin} as text",
            format.name()
        )
        .into()),
    }
}

/// TOML to JSON; datetimes become their TOML text (`1979-05-27T07:32:00Z`, `07:32:00`), as Zola's
/// `fix_toml_dates` does (here at any depth, also inside arrays).
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(table.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

/// `{headers: [..], records: [[..], ..]}`, all strings; the first line is the header; rows must all
/// have the header's length (csv's default, non-flexible reader, as Zola).
fn load_csv(text: &str) -> tera::Result<Value> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("'load_data': {e} - unable to read CSV header line (line 1) for CSV file"))?
        .iter()
        .map(|h| Value::String(h.to_string()))
        .collect::<Vec<_>>();
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Error::chain(String::from("Error encountered when parsing csv records"), e))?;
        records.push(Value::Array(record.iter().map(|f| Value::String(f.to_string())).collect()));
    }
    let mut map = Map::new();
    map.insert("headers".to_string(), Value::Array(headers));
    map.insert("records".to_string(), Value::Array(records));
    Ok(Value::Object(map))
}

// ---------------------------------------------------------------------------------------------
// get_hash

struct GetHash {
    env: Arc<BuiltinEnv>,
}

impl Function for GetHash {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        const NEED: &str = "`get_hash` requires either a `path` or a `literal` argument with a string value";
        let path: Option<String> = optional_arg(args, "path", NEED)?;
        let literal: Option<String> = optional_arg(args, "literal", NEED)?;
        let sha_type =
            optional_arg::<u16>(args, "sha_type", "`get_hash`: `sha_type` must be 256, 384 or 512")?.unwrap_or(384);
        let base64 =
            optional_arg::<bool>(args, "base64", "`get_hash`: `base64` must be true or false")?.unwrap_or(true);

        let hash = match (path, literal) {
            (Some(_), Some(_)) => return Err("`get_hash`: must have only one of `path` or `literal` argument".into()),
            (None, None) => return Err("`get_hash`: must have at least one of `path` or `literal` argument".into()),
            (Some(path), None) => file_hash(&self.env, &path, sha_type, base64),
            (None, Some(literal)) => hash_bytes(literal.as_bytes(), sha_type, base64),
        };
        hash.map(Value::String).map_err(|e| format!("`get_hash`: {e}").into())
    }
}

// ---------------------------------------------------------------------------------------------
// get_image_metadata / resize_image

type ImageCache = HashMap<PathBuf, (Option<(SystemTime, u64)>, Value)>;

struct GetImageMetadata {
    env: Arc<BuiltinEnv>,
    cache: Mutex<ImageCache>,
}

impl Function for GetImageMetadata {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path: String =
            required_arg(args, "path", "`get_image_metadata` requires a `path` argument with a string value")?;
        let allow_missing = optional_arg::<bool>(
            args,
            "allow_missing",
            "`get_image_metadata`: `allow_missing` must be a boolean (true or false)",
        )?
        .unwrap_or(false);

        let file = match search_for_file(&self.env, &path).map_err(|e| format!("`get_image_metadata`: {e}"))? {
            Some((file, _)) => file,
            None if allow_missing => return Ok(Value::Null),
            None => return Err(format!("`get_image_metadata`: Cannot find path: {path}").into()),
        };

        let stamp = modified(&file);
        {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((cached_stamp, value)) = cache.get(&file) {
                if *cached_stamp == stamp {
                    return Ok(value.clone());
                }
            }
        }
        let meta = read_image_metadata(&file)
            .map_err(|e| format!("`get_image_metadata`: Failed to read image: {}: {e}", file.display()))?;
        let value = to_value(meta)?;
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).insert(file, (stamp, value.clone()));
        Ok(value)
    }
}

/// Zola's `resize_image(path, width, height, op="fill", format="auto", quality)`.
struct ResizeImage {
    env: Arc<BuiltinEnv>,
}

impl Function for ResizeImage {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path: String = required_arg(args, "path", "`resize_image` requires a `path` argument with a string value")?;
        let width: Option<u32> = optional_arg(args, "width", "`resize_image`: `width` must be a non-negative integer")?;
        let height: Option<u32> =
            optional_arg(args, "height", "`resize_image`: `height` must be a non-negative integer")?;
        let op: String =
            optional_arg(args, "op", "`resize_image`: `op` must be a string")?.unwrap_or_else(|| "fill".into());
        let format: String =
            optional_arg(args, "format", "`resize_image`: `format` must be a string")?.unwrap_or_else(|| "auto".into());
        let quality: Option<u8> = optional_arg(args, "quality", "`resize_image`: `quality` must be a number")?;
        let _speed: Option<u8> = optional_arg(args, "speed", "`resize_image`: `speed` must be a number")?;
        let op = super::images::Op::from_args(&op, width, height).map_err(|e| format!("`resize_image`: {e}"))?;
        let (file, unified) = search_for_file(&self.env, &path)
            .map_err(|e| format!("`resize_image`: {e}"))?
            .ok_or_else(|| format!("`resize_image`: Cannot find file: {path}"))?;
        let response = self
            .env
            .images
            .enqueue(&self.env.base_url, op, &unified, &file, &format, quality)
            .map_err(|e| format!("`resize_image`: {e}"))?;
        Ok(to_value(response)?)
    }
}

#[derive(serde::Serialize)]
struct ImageMeta {
    width: u32,
    height: u32,
    format: Option<&'static str>,
    mime: Option<&'static str>,
}

/// Zola's `read_image_metadata`: SVG by extension (width/height attributes, else the viewBox),
/// everything else by content; `format` is the format's usual extension and `mime` its MIME type,
/// both as the `image` crate names them. Sizes honour an EXIF orientation that swaps the axes
/// (JPEG, PNG and WebP EXIF are read).
fn read_image_metadata(path: &Path) -> Result<ImageMeta, String> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    if ext == "svg" {
        let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
        let (width, height) = svg_size(&text)?;
        // "text/svg+xml" (sic) is what Zola reports.
        return Ok(ImageMeta { width, height, format: Some("svg"), mime: Some("text/svg+xml") });
    }

    let file = fs::File::open(path).map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(file);
    let kind = imagesize::reader_type(&mut reader).map_err(|e| format!("{e:?}"))?;
    use imagesize::ImageType as T;
    let (format, mime) = match kind {
        T::Png => ("png", "image/png"),
        T::Jpeg => ("jpg", "image/jpeg"),
        T::Gif => ("gif", "image/gif"),
        T::Webp => ("webp", "image/webp"),
        T::Pnm => ("pbm", "image/x-portable-anymap"),
        T::Tiff => ("tiff", "image/tiff"),
        T::Tga => ("tga", "image/x-targa"),
        T::Bmp => ("bmp", "image/bmp"),
        T::Ico => ("ico", "image/x-icon"),
        T::Hdr => ("hdr", "image/vnd.radiance"),
        T::Exr => ("exr", "image/x-exr"),
        T::Farbfeld => ("ff", "application/octet-stream"),
        T::Qoi => ("qoi", "image/x-qoi"),
        T::Heif(imagesize::Compression::Av1) => ("avif", "image/avif"),
        other => return Err(format!("unsupported image format {other:?}")),
    };
    // Sizes are read from where `reader_type` stopped, as `imagesize::reader_size` does.
    let size = kind.reader_size(&mut reader).map_err(|e| format!("{e:?}"))?;
    let mut width = u32::try_from(size.width).unwrap_or(u32::MAX);
    let mut height = u32::try_from(size.height).unwrap_or(u32::MAX);

    let exif = match kind {
        T::Jpeg => jpeg_exif(&mut reader),
        T::Png => png_exif(&mut reader),
        T::Webp => webp_exif(&mut reader),
        _ => None,
    };
    if let Some(5..=8) = exif.as_deref().and_then(exif_orientation) {
        std::mem::swap(&mut width, &mut height);
    }
    Ok(ImageMeta { width, height, format: Some(format), mime: Some(mime) })
}

fn read_exact_at<R: Read + Seek>(r: &mut R, pos: u64, len: usize) -> Option<Vec<u8>> {
    r.seek(SeekFrom::Start(pos)).ok()?;
    let mut buf = vec![0; len];
    r.read_exact(&mut buf).ok()?;
    Some(buf)
}

/// The TIFF structure of the first `APP1 Exif` segment before the image data.
fn jpeg_exif<R: Read + Seek>(r: &mut R) -> Option<Vec<u8>> {
    let mut pos = 2u64; // after SOI
    loop {
        let head = read_exact_at(r, pos, 4)?;
        if head[0] != 0xFF {
            return None;
        }
        let marker = head[1];
        if marker == 0xFF {
            pos += 1; // fill byte
            continue;
        }
        if marker == 0xD9 || marker == 0xDA {
            return None; // end of image / start of scan: no EXIF before the data
        }
        let len = u16::from_be_bytes([head[2], head[3]]) as u64;
        if len < 2 {
            return None;
        }
        if marker == 0xE1 {
            let data = read_exact_at(r, pos + 4, (len - 2) as usize)?;
            if let Some(tiff) = data.strip_prefix(b"Exif\0\0") {
                return Some(tiff.to_vec());
            }
        }
        pos += 2 + len;
    }
}

/// The `eXIf` chunk, if it comes before the image data.
fn png_exif<R: Read + Seek>(r: &mut R) -> Option<Vec<u8>> {
    let mut pos = 8u64; // after the signature
    loop {
        let head = read_exact_at(r, pos, 8)?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as u64;
        match &head[4..8] {
            b"eXIf" => return read_exact_at(r, pos + 8, len as usize),
            b"IDAT" | b"IEND" => return None,
            _ => pos += 12 + len,
        }
    }
}

/// The `EXIF` chunk of an extended WebP file.
fn webp_exif<R: Read + Seek>(r: &mut R) -> Option<Vec<u8>> {
    let riff = read_exact_at(r, 0, 12)?;
    let end = 8 + u32::from_le_bytes([riff[4], riff[5], riff[6], riff[7]]) as u64;
    let mut pos = 12u64;
    while pos + 8 <= end {
        let head = read_exact_at(r, pos, 8)?;
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as u64;
        if &head[..4] == b"EXIF" {
            let data = read_exact_at(r, pos + 8, len as usize)?;
            return Some(match data.strip_prefix(b"Exif\0\0") {
                Some(tiff) => tiff.to_vec(),
                None => data,
            });
        }
        pos += 8 + len + (len & 1);
    }
    None
}

/// The Orientation tag (0x0112) of IFD0 of a TIFF-structured EXIF block.
fn exif_orientation(tiff: &[u8]) -> Option<u32> {
    let little = match tiff.get(..4)? {
        [b'I', b'I', 42, 0] => true,
        [b'M', b'M', 0, 42] => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = tiff.get(at..at + 2)?.try_into().ok()?;
        Some(if little { u16::from_le_bytes(b) } else { u16::from_be_bytes(b) })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = tiff.get(at..at + 4)?.try_into().ok()?;
        Some(if little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    };
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    for i in 0..count {
        let entry = ifd + 2 + i * 12;
        if u16_at(entry)? != 0x0112 {
            continue;
        }
        return match u16_at(entry + 2)? {
            1 => tiff.get(entry + 8).map(|b| u32::from(*b)), // BYTE
            3 => u16_at(entry + 8).map(u32::from),           // SHORT
            4 => u32_at(entry + 8),                          // LONG
            _ => None,
        };
    }
    None
}

/// Width and height of an SVG the way Zola (svg_metadata) reads them: the root element's `width`
/// and `height` when both parse (a `%` is taken of the viewBox), else the viewBox's size.
fn svg_size(text: &str) -> Result<(u32, u32), String> {
    static COMMENT: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").unwrap());
    static ROOT: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(r"<([A-Za-z_][-\w.:]*)((?:[^>'\x22]|'[^']*'|\x22[^\x22]*\x22)*)>").unwrap()
    });
    static ATTR: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(r#"([A-Za-z_:][-\w.:]*)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).unwrap());
    static DIMENSION: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(r"([\+|-]?\d+\.?\d*)(\D\D?)?").unwrap());
    static VIEWBOX_SEP: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| Regex::new(r",?\s+").unwrap());

    let text = COMMENT.replace_all(text, "");
    let root = ROOT.captures(&text).ok_or("no root element")?;
    let attrs: HashMap<&str, &str> = ATTR
        .captures_iter(root.get(2).map_or("", |m| m.as_str()))
        .filter_map(|c| Some((c.get(1)?.as_str(), c.get(2).or_else(|| c.get(3))?.as_str())))
        .collect();

    let dimension = |name: &str| -> Option<(f64, bool)> {
        let caps = DIMENSION.captures(attrs.get(name)?)?;
        let value = caps.get(1)?.as_str().parse::<f64>().ok()?;
        let unit = caps.get(2).map_or("em", |m| m.as_str()).to_lowercase();
        match unit.as_str() {
            "em" | "ex" | "px" | "pt" | "pc" | "cm" | "mm" | "in" => Some((value, false)),
            "%" => Some((value, true)),
            _ => None,
        }
    };
    let view_box = attrs.get("viewBox").and_then(|v| {
        let parts: Vec<&str> = VIEWBOX_SEP.split(v).collect();
        if parts.len() != 4 {
            return None;
        }
        let nums: Vec<f64> = parts.iter().map(|p| p.parse::<f64>().ok()).collect::<Option<_>>()?;
        Some((nums[2], nums[3]))
    });
    let resolve = |dim: Option<(f64, bool)>, of_view_box: Option<f64>| {
        dim.map(|(value, percent)| match (percent, of_view_box) {
            (true, Some(full)) => value / 100.0 * full,
            _ => value,
        })
    };
    let width = resolve(dimension("width"), view_box.map(|v| v.0));
    let height = resolve(dimension("height"), view_box.map(|v| v.1));
    match (width, height, view_box) {
        (Some(w), Some(h), _) => Ok((w as u32, h as u32)),
        (_, _, Some((w, h))) => Ok((w as u32, h as u32)),
        _ => Err("Invalid dimensions: SVG width/height and viewbox not set.".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use tempfile::TempDir;
    use tera::Context;

    fn env_at(root: &Path, theme: Option<PathBuf>) -> Arc<BuiltinEnv> {
        Arc::new(BuiltinEnv {
            root: root.to_path_buf(),
            theme_dir: theme,
            base_url: "https://example.org".to_string(),
            generated: [("gen.css".to_string(), b"b{}".to_vec())].into_iter().collect(),
            assets: Default::default(),
            // A stand-in renderer: one paragraph without the backticks. It always returns block HTML,
            // as the real callback must; the filter strips for inline=true.
            markdown: Arc::new(|md: &str, _inline: bool| {
                if md.contains("FAIL") {
                    return Err("boom".to_string());
                }
                Ok(format!("<p>{}</p>\n", md.trim().replace('`', "")))
            }),
            default_language: "ko".to_string(),
            images: Default::default(),
        })
    }

    fn render_with(env: Arc<BuiltinEnv>, src: &str) -> Result<String, String> {
        render_named(env, "t", src)
    }

    /// `name` decides autoescaping, as for site templates (`.html` escapes).
    fn render_named(env: Arc<BuiltinEnv>, name: &str, src: &str) -> Result<String, String> {
        let mut tera = Tera::default();
        register(&mut tera, env);
        tera.add_raw_template(name, src).map_err(|e| e.to_string())?;
        tera.render(name, &Context::new()).map_err(|e| {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                msg.push_str(" | ");
                msg.push_str(&s.to_string());
                source = s.source();
            }
            msg
        })
    }

    fn site() -> TempDir {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        for d in ["static/css", "content/blog", "data", "themes/t/static"] {
            fs::create_dir_all(p.join(d)).unwrap();
        }
        fs::write(p.join("static/css/app.css"), "// Hello world!").unwrap();
        fs::write(p.join("content/blog/notes.txt"), "\u{feff}from content\n").unwrap();
        fs::write(p.join("data/people.csv"), "Number,Title\n1,Gutenberg\n2,\"Printing, press\"\n").unwrap();
        fs::write(p.join("data/bad.csv"), "a,b\n1,2,3\n").unwrap();
        fs::write(p.join("data/info.json"), r#"{"name": "bob", "list": [1, 2.5, true, null], "nested": {"k": "v"}}"#)
            .unwrap();
        fs::write(
            p.join("data/conf.toml"),
            "title = \"x\"\nwhen = 1979-05-27T07:32:00Z\n[category]\nday = 1979-05-27\nlt = 07:32:00\nn = 3\n[[rows]]\nat = 2020-01-01T10:00:00+09:00\n",
        )
        .unwrap();
        fs::write(p.join("data/broken.json"), "{\"a\": ").unwrap();
        fs::write(p.join("data/thing.yaml"), "a: 1\n").unwrap();
        fs::write(p.join("data/unknown.ext"), "raw text").unwrap();
        fs::write(p.join("themes/t/static/theme.js"), "console.log(1)").unwrap();
        dir
    }

    fn render(dir: &TempDir, src: &str) -> Result<String, String> {
        render_with(env_at(dir.path(), Some(dir.path().join("themes/t"))), src)
    }

    // --- filters ----------------------------------------------------------------------------

    #[test]
    fn markdown_filter_block_and_inline() {
        let dir = site();
        assert_eq!(render(&dir, r#"{{ "Use `map`" | markdown | safe }}"#).unwrap(), "<p>Use map</p>\n");
        assert_eq!(render(&dir, r#"{{ "Use `map`" | markdown(inline=true) | safe }}"#).unwrap(), "Use map");
        // Not safe by itself, as in Zola: autoescaped unless `| safe`.
        let env = env_at(dir.path(), None);
        assert_eq!(render_named(env, "t.html", r#"{{ "a" | markdown }}"#).unwrap(), "&lt;p&gt;a&lt;&#x2F;p&gt;\n");
        let err = render(&dir, r#"{{ "FAIL" | markdown }}"#).unwrap_err();
        assert!(err.contains("Failed to render markdown filter: boom"), "{err}");
        let err = render(&dir, r#"{{ "x" | markdown(inline="yes") }}"#).unwrap_err();
        assert!(err.contains("Filter `markdown` received an incorrect type for arg `inline`"), "{err}");
    }

    #[test]
    fn base64_filters() {
        let dir = site();
        let cases =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy"), ("한글", "7ZWc6riA")];
        for (plain, encoded) in cases {
            assert_eq!(render(&dir, &format!("{{{{ '{plain}' | base64_encode }}}}")).unwrap(), encoded);
            assert_eq!(render(&dir, &format!("{{{{ '{encoded}' | base64_decode }}}}")).unwrap(), plain);
        }
        let err = render(&dir, "{{ 'Zg=' | base64_decode }}").unwrap_err();
        assert!(err.contains("`base64_decode`: failed to decode"), "{err}");
        let err = render(&dir, "{{ '/w==' | base64_decode }}").unwrap_err();
        assert!(err.contains("`base64_decode`: invalid utf-8"), "{err}");
    }

    #[test]
    fn regex_replace_filter() {
        let dir = site();
        let src = r#"{{ "Springsteen, Bruce" | regex_replace(pattern=`(?P<last>[^,\s]+),\s+(?P<first>\S+)`, rep=`$first $last`) }}"#;
        assert_eq!(render(&dir, src).unwrap(), "Bruce Springsteen");
        // Same pattern twice (cache hit) and replace-all semantics.
        let src = r##"{{ "a1b22" | regex_replace(pattern="[0-9]+", rep="#") }}{{ "9x9" | regex_replace(pattern="[0-9]+", rep="#") }}"##;
        assert_eq!(render(&dir, src).unwrap(), "a#b##x#");
        let err = render(&dir, r#"{{ "a" | regex_replace(pattern="(") }}"#).unwrap_err();
        assert!(err.contains("expected an arg called `rep`"), "{err}");
        let err = render(&dir, r#"{{ "a" | regex_replace(rep="b") }}"#).unwrap_err();
        assert!(err.contains("expected an arg called `pattern`"), "{err}");
        let err = render(&dir, r#"{{ "a" | regex_replace(pattern="(", rep="") }}"#).unwrap_err();
        assert!(err.contains("`regex_replace`: failed to compile regex"), "{err}");
    }

    #[test]
    fn num_format_filter() {
        let dir = site();
        // default_language "ko" is the default locale.
        assert_eq!(
            render(&dir, "{{ 1000000 | num_format }}|{{ 100 | num_format }}|{{ -1234 | num_format }}").unwrap(),
            "1,000,000|100|-1,234"
        );
        assert_eq!(render(&dir, r#"{{ 1000000 | num_format(locale="en-IN") }}"#).unwrap(), "10,00,000");
        assert_eq!(render(&dir, r#"{{ 1000000 | num_format(locale="fr") }}"#).unwrap(), "1\u{202f}000\u{202f}000");
        assert_eq!(render(&dir, r#"{{ 1234567 | num_format(locale="de") }}"#).unwrap(), "1.234.567");
        let err = render(&dir, r#"{{ 1 | num_format(locale="xx-YY") }}"#).unwrap_err();
        assert!(err.contains("Filter `num_format` was called with an invalid `locale` argument: `xx-YY`."), "{err}");
        let err = render(&dir, "{{ 1.5 | num_format }}").unwrap_err();
        assert!(err.contains("Filter `num_format` was called on an incorrect value"), "{err}");
        let mut env = env_at(dir.path(), None);
        Arc::get_mut(&mut env).unwrap().default_language = "nope".to_string();
        assert!(render_with(env, "{{ 1 | num_format }}").unwrap_err().contains("`nope`"));
    }

    #[test]
    fn date_filter_like_tera() {
        let dir = site();
        assert_eq!(render(&dir, "{{ 1482720453 | date }}").unwrap(), "2016-12-26");
        assert_eq!(render(&dir, r#"{{ 1482720453 | date(format="%Y-%m-%d %H:%M") }}"#).unwrap(), "2016-12-26 02:47");
        assert_eq!(
            render(&dir, r#"{{ "1996-12-19T16:39:57-08:00" | date(format="%Y-%m-%d %z") }}"#).unwrap(),
            "1996-12-19 -0800"
        );
        assert_eq!(
            render(&dir, r#"{{ "2017-03-05" | date(format="%a, %d %b %Y %H:%M:%S %z") }}"#).unwrap(),
            "Sun, 05 Mar 2017 00:00:00 +0000"
        );
        assert_eq!(
            render(&dir, r#"{{ "2017-03-05T00:00:00.602" | date(format="%a, %d %b %Y %H:%M:%S") }}"#).unwrap(),
            "Sun, 05 Mar 2017 00:00:00"
        );
        assert_eq!(
            render(&dir, r#"{{ "2019-09-19T01:48:44.581Z" | date(timezone="America/New_York") }}"#).unwrap(),
            "2019-09-18"
        );
        assert_eq!(render(&dir, r#"{{ 1648252203 | date(timezone="Europe/Berlin") }}"#).unwrap(), "2022-03-26");
        assert_eq!(
            render(&dir, r#"{{ 1659817310 | date(format="%A %-d %B", timezone="Europe/Paris", locale="fr_FR") }}"#)
                .unwrap(),
            "samedi 6 août"
        );
        assert_eq!(
            render(&dir, r#"{{ "2024-03-05" | date(format="%Y년 %B %-d일 (%A)", locale="ko_KR") }}"#).unwrap(),
            "2024년 3월 5일 (화요일)"
        );
        assert_eq!(
            render(&dir, r#"{{ "2024-03-05T23:30:00+00:00" | date(format="%F %H:%M", timezone="Asia/Seoul") }}"#)
                .unwrap(),
            "2024-03-06 08:30"
        );
        // Tera quirk kept: a timestamp without timezone ignores the locale.
        assert_eq!(render(&dir, r#"{{ 1659817310 | date(format="%B", locale="fr_FR") }}"#).unwrap(), "August");
        assert_eq!(
            render(&dir, r#"{{ "2017-01-01T00:00:00" | date(format="%+S") }}"#).unwrap(),
            "2017-01-01T00:00:00+00:00S"
        );
    }

    #[test]
    fn date_filter_errors() {
        let dir = site();
        let cases = [
            (r#"{{ 1 | date(format="%2f") }}"#, "Invalid date format `%2f`"),
            (r#"{{ "2019-09-19T01:48:44Z" | date(timezone="Narnia") }}"#, "Error parsing `Narnia` as a timezone"),
            (r#"{{ "2019-09-19T01:48:44Z" | date(locale="xx_XX") }}"#, "Error parsing `xx_XX` as a locale"),
            (r#"{{ "nope" | date }}"#, "Error parsing `\"nope\"` as YYYY-MM-DD date"),
            (r#"{{ "nopeT" | date }}"#, "Error parsing `\"nopeT\"` as rfc3339 date or naive datetime"),
            ("{{ 1.5 | date }}", "Filter `date` was invoked on a float: 1.5"),
            ("{{ true | date }}", "Filter `date` received an incorrect type for arg `value`"),
            (r#"{{ 1 | date(format="%z") }}"#, "cannot be applied"),
        ];
        for (src, want) in cases {
            let err = render(&dir, src).unwrap_err();
            assert!(err.contains(want), "{src}: {err}");
        }
    }

    // --- load_data ---------------------------------------------------------------------------

    #[test]
    fn load_data_csv() {
        let dir = site();
        let src = r#"{% set d = load_data(path="data/people.csv") %}{{ d.headers | join(sep="/") }}{% for r in d.records %};{{ r | join(sep="|") }}{% endfor %}"#;
        assert_eq!(render(&dir, src).unwrap(), "Number/Title;1|Gutenberg;2|Printing, press");
        let src = r#"{{ load_data(literal="a,b
1,2", format="csv") | json_encode | safe }}"#;
        assert_eq!(render(&dir, src).unwrap(), r#"{"headers":["a","b"],"records":[["1","2"]]}"#);
        // Uneven rows are an error even when not required (the data exists but is invalid).
        for src in
            [r#"{{ load_data(path="data/bad.csv") }}"#, r#"{{ load_data(path="data/bad.csv", required=false) }}"#]
        {
            let err = render(&dir, src).unwrap_err();
            assert!(err.contains("Error encountered when parsing csv records"), "{err}");
        }
    }

    #[test]
    fn load_data_json_toml_plain() {
        let dir = site();
        let src =
            r#"{% set d = load_data(path="data/info.json") %}{{ d.name }} {{ d.list | json_encode }} {{ d.nested.k }}"#;
        assert_eq!(render(&dir, src).unwrap(), "bob [1,2.5,true,null] v");
        let src = r#"{% set d = load_data(path="data/conf.toml") %}{{ d.title }} {{ d.when }} {{ d.category.day }} {{ d.category.lt }} {{ d.category.n + 1 }} {{ d.rows[0].at }}"#;
        assert_eq!(
            render(&dir, src).unwrap(),
            "x 1979-05-27T07:32:00Z 1979-05-27 07:32:00 4 2020-01-01T10:00:00+09:00"
        );
        // Unknown extension: plain text. An explicit format overrides the extension.
        assert_eq!(render(&dir, r#"{{ load_data(path="data/unknown.ext") }}"#).unwrap(), "raw text");
        assert_eq!(
            render(&dir, r#"{{ load_data(path="data/people.csv", format="plain") }}"#).unwrap(),
            "Number,Title\n1,Gutenberg\n2,\"Printing, press\"\n"
        );
        assert_eq!(render(&dir, r#"{{ load_data(path="data/unknown.ext", format="PLAIN") }}"#).unwrap(), "raw text");
        // Literal: plain unless a format is given.
        assert_eq!(render(&dir, r#"{{ load_data(literal='{"a": 1}') }}"#).unwrap(), r#"{"a": 1}"#);
        assert_eq!(
            render(&dir, r#"{% set d = load_data(literal='{"a": 1}', format="json") %}{{ d.a }}"#).unwrap(),
            "1"
        );
        assert_eq!(render(&dir, r#"{% set d = load_data(literal='k = "v"', format="toml") %}{{ d.k }}"#).unwrap(), "v");
        // Cached second call gives the same value.
        let src = r#"{% set a = load_data(path="data/info.json") %}{% set b = load_data(path="data/info.json") %}{{ a.name }}{{ b.name }}"#;
        assert_eq!(render(&dir, src).unwrap(), "bobbob");
    }

    #[test]
    fn load_data_path_resolution() {
        let dir = site();
        // root, then static/, content/, theme static/; `@/` is content/, leading `/` dropped; BOM dropped.
        let src = r#"{{ load_data(path="css/app.css") }}|{{ load_data(path="/static/css/app.css") }}|{{ load_data(path="blog/notes.txt") }}|{{ load_data(path="@/blog/notes.txt") }}|{{ load_data(path="content/blog/notes.txt") }}|{{ load_data(path="theme.js") }}"#;
        assert_eq!(
            render(&dir, src).unwrap(),
            "// Hello world!|// Hello world!|from content\n|from content\n|from content\n|console.log(1)"
        );
        // The site root wins over static/.
        fs::write(dir.path().join("app.css"), "root").unwrap();
        fs::create_dir_all(dir.path().join("css")).unwrap();
        fs::write(dir.path().join("css/app.css"), "root css").unwrap();
        assert_eq!(render(&dir, r#"{{ load_data(path="css/app.css") }}"#).unwrap(), "root css");
    }

    #[test]
    fn load_data_missing_and_errors() {
        let dir = site();
        let err = render(&dir, r#"{{ load_data(path="data/missing.toml") }}"#).unwrap_err();
        let shown = dir.path().join("data/missing.toml").display().to_string();
        assert!(err.contains(&format!("`load_data`: {shown} doesn't exist")), "{err}");
        let src = r#"{% set d = load_data(path="data/missing.toml", required=false) %}{% if d %}yes{% else %}none{% endif %}|{{ d | json_encode }}"#;
        assert_eq!(render(&dir, src).unwrap(), "none|null");

        let err = render(&dir, r#"{{ load_data(path="data/info.json", literal="x") }}"#).unwrap_err();
        assert!(err.contains("requires EITHER a `path`, `url`, or `literal` argument"), "{err}");
        let err = render(&dir, "{{ load_data() }}").unwrap_err();
        assert!(err.contains("requires EITHER"), "{err}");
        let err = render(&dir, r#"{{ load_data(path="data/info.json", format="nope") }}"#).unwrap_err();
        assert!(err.contains("Unknown output format nope"), "{err}");
        let err = render(&dir, r#"{{ load_data(path="data/broken.json") }}"#).unwrap_err();
        assert!(err.contains("as JSON"), "{err}");
        let err = render(&dir, r#"{{ load_data(path="data/info.json", required="no") }}"#).unwrap_err();
        assert!(err.contains("`load_data`: `required` must be a boolean (true or false)"), "{err}");
        let err = render(&dir, r#"{{ load_data(path="data/info.json", method="PUT") }}"#).unwrap_err();
        assert!(err.contains("method must either be POST or GET"), "{err}");
        let err = render(&dir, r#"{{ load_data(path="data/thing.yaml") }}"#).unwrap_err();
        assert!(err.contains("the `yaml` format is not supported by gongsi yet"), "{err}");
        assert_eq!(render(&dir, r#"{{ load_data(path="data/thing.yaml", format="plain") }}"#).unwrap(), "a: 1\n");
    }

    #[test]
    fn paths_outside_the_site_are_refused() {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("site");
        fs::create_dir_all(root.join("static")).unwrap();
        fs::write(outer.path().join("secret.txt"), "x").unwrap();
        let env = || env_at(&root, None);
        for src in [
            r#"{{ load_data(path="../secret.txt") }}"#,
            r#"{{ load_data(path="/../secret.txt") }}"#,
            r#"{{ get_hash(path="../secret.txt") }}"#,
            r#"{{ get_image_metadata(path="../secret.txt", allow_missing=true) }}"#,
        ] {
            let err = render_with(env(), src).unwrap_err();
            assert!(err.contains("is not inside the base site directory"), "{src}: {err}");
        }
        // Also when found through static/ (`static/../../secret.txt` is outside the root).
        fs::create_dir_all(root.join("static/a")).unwrap();
        let err = render_with(env(), r#"{{ load_data(path="a/../../../secret.txt") }}"#).unwrap_err();
        assert!(err.contains("is not inside the base site directory"), "{err}");
        // required=false hides it, as in Zola.
        let src = r#"{{ load_data(path="../secret.txt", required=false) | json_encode }}"#;
        assert_eq!(render_with(env(), src).unwrap(), "null");
        assert!(file_hash(&env_at(&root, None), "../secret.txt", 256, false).unwrap_err().contains("not inside"));
    }

    #[test]
    fn load_data_url_is_offline() {
        let dir = site();
        let err = render(&dir, r#"{{ load_data(url="https://example.com/x.json", format="json") }}"#).unwrap_err();
        assert!(err.contains("remote data is not fetched: gongsi builds offline"), "{err}");
        assert!(err.contains("https://example.com/x.json"), "{err}");
        let src = r#"{{ load_data(url="https://example.com/x.json", required=false) | json_encode }}"#;
        assert_eq!(render(&dir, src).unwrap(), "null");
    }

    #[test]
    fn load_data_cache_sees_changes() {
        let dir = site();
        let file = dir.path().join("data/live.txt");
        fs::write(&file, "one").unwrap();
        let env = env_at(dir.path(), None);
        let mut tera = Tera::default();
        register(&mut tera, env);
        tera.add_raw_template("t", r#"{{ load_data(path="data/live.txt") }}"#).unwrap();
        assert_eq!(tera.render("t", &Context::new()).unwrap(), "one");
        fs::write(&file, "second").unwrap(); // different size, so a different stamp
        assert_eq!(tera.render("t", &Context::new()).unwrap(), "second");
    }

    // --- get_hash / file_hash ---------------------------------------------------------------

    #[test]
    fn get_hash_literal_and_path() {
        let dir = site();
        let cases = [
            (r#"{{ get_hash(literal="Hello World") }}"#, "mVFDKRhrL2rkoTKefubGEKcpY2M1F0rGt0D5AoOW/MgD0Ok4Y6fD2Q+Gvu54L08/"),
            (r#"{{ get_hash(literal="Hello World", sha_type=256, base64=false) }}"#, "a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e"),
            (r#"{{ get_hash(literal="Hello World", sha_type=256) }}"#, "pZGm1Av0IEBKARczz7exkNYsZb8LzaMrV7J32a2fFG4="),
            (r#"{{ get_hash(literal="Hello World", sha_type=512, base64=false) }}"#, "2c74fd17edafd80e8447b0d46741ee243b7eb74dd2149a0ab1b9246fb30382f27e853d8585719e0e67cbda0daa8f51671064615d645ae27acb15bfb1447f459b"),
            (r#"{{ get_hash(path="css/app.css", sha_type=256, base64=false) }}"#, "572e691dc68c3fcd653ae463261bdb38f35dc6f01715d9ce68799319dd158840"),
            (r#"{{ get_hash(path="static/css/app.css", sha_type=256, base64=false) }}"#, "572e691dc68c3fcd653ae463261bdb38f35dc6f01715d9ce68799319dd158840"),
        ];
        for (src, want) in cases {
            assert_eq!(render(&dir, src).unwrap(), want, "{src}");
        }
        // The 20-digit cachebust prefix Zola's own test expects for this file.
        let env = env_at(dir.path(), None);
        assert!(file_hash(&env, "css/app.css", 256, false).unwrap().starts_with("572e691dc68c3fcd653a"));
        assert_eq!(file_hash(&env, "nope.css", 256, false).unwrap_err(), "Cannot find file: nope.css");
        // A file the build generates (compiled Sass) is found last, as Zola finds it in its output.
        assert_eq!(
            file_hash(&env, "/gen.css", 256, false).unwrap(),
            "ef2a875407aca2dd75a7a1dccc3b202918a9bc8e543e0b3def3f34ccd5e56a7b"
        );
        assert_eq!(file_hash(&env, "css/app.css", 1, false).unwrap_err(), "Invalid sha value");
    }

    #[test]
    fn colocated_assets_are_found_by_their_output_path_with_or_without_a_theme() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content/archive")).unwrap();
        let file = dir.path().join("content/archive/ca.jpg");
        fs::write(&file, b"jpg").unwrap();
        for theme in [None, Some(dir.path().join("themes/t"))] {
            let mut env = Arc::try_unwrap(env_at(dir.path(), theme)).ok().unwrap();
            env.assets = [("ca/archive/ca.jpg".to_string(), file.clone())].into_iter().collect();
            // A section path joined with a file name, as themes build it ("/ca/archive/" ~ "/" ~ name).
            let found = search_for_file(&env, "/ca/archive//ca.jpg").unwrap().map(|(f, _)| f);
            assert_eq!(found.as_deref(), Some(file.as_path()));
            assert!(search_for_file(&env, "ca/other/ca.jpg").unwrap().is_none());
        }
    }

    #[test]
    fn get_hash_errors() {
        let dir = site();
        let cases = [
            (r#"{{ get_hash(path="missing.js") }}"#, "`get_hash`: Cannot find file: missing.js"),
            ("{{ get_hash() }}", "`get_hash`: must have at least one of `path` or `literal` argument"),
            (
                r#"{{ get_hash(path="a", literal="b") }}"#,
                "`get_hash`: must have only one of `path` or `literal` argument",
            ),
            (r#"{{ get_hash(literal="a", sha_type=1) }}"#, "`get_hash`: Invalid sha value"),
            (r#"{{ get_hash(literal="a", sha_type="256") }}"#, "`get_hash`: `sha_type` must be 256, 384 or 512"),
            (r#"{{ get_hash(literal="a", base64=1) }}"#, "`get_hash`: `base64` must be true or false"),
            (
                "{{ get_hash(literal=1) }}",
                "`get_hash` requires either a `path` or a `literal` argument with a string value",
            ),
        ];
        for (src, want) in cases {
            let err = render(&dir, src).unwrap_err();
            assert!(err.contains(want), "{src}: {err}");
        }
    }

    // --- images ------------------------------------------------------------------------------

    fn png(width: u32, height: u32, exif: Option<&[u8]>) -> Vec<u8> {
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut chunk = |kind: &[u8], data: &[u8]| {
            out.extend((data.len() as u32).to_be_bytes());
            out.extend(kind);
            out.extend(data);
            out.extend([0u8; 4]); // CRC (not checked)
        };
        let mut ihdr = Vec::new();
        ihdr.extend(width.to_be_bytes());
        ihdr.extend(height.to_be_bytes());
        ihdr.extend([8, 6, 0, 0, 0]);
        chunk(b"IHDR", &ihdr);
        if let Some(exif) = exif {
            chunk(b"eXIf", exif);
        }
        chunk(b"IDAT", &[]);
        chunk(b"IEND", &[]);
        out
    }

    /// A TIFF block with one IFD0 entry: Orientation (SHORT).
    fn exif_block(orientation: u16, little: bool) -> Vec<u8> {
        let w16 = |v: u16| if little { v.to_le_bytes() } else { v.to_be_bytes() };
        let w32 = |v: u32| if little { v.to_le_bytes() } else { v.to_be_bytes() };
        let mut t = if little { b"II*\0".to_vec() } else { b"MM\0*".to_vec() };
        t.extend(w32(8));
        t.extend(w16(1));
        t.extend(w16(0x0112));
        t.extend(w16(3));
        t.extend(w32(1));
        t.extend(w16(orientation));
        t.extend([0, 0]);
        t.extend(w32(0));
        t
    }

    fn jpeg(width: u16, height: u16, exif: Option<&[u8]>) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8];
        if let Some(exif) = exif {
            let mut data = b"Exif\0\0".to_vec();
            data.extend(exif);
            out.extend([0xFF, 0xE1]);
            out.extend(((data.len() + 2) as u16).to_be_bytes());
            out.extend(data);
        }
        out.extend([0xFF, 0xC0, 0, 11, 8]);
        out.extend(height.to_be_bytes());
        out.extend(width.to_be_bytes());
        out.extend([1, 1, 0x11, 0]);
        out.extend([0xFF, 0xD9]);
        out
    }

    #[test]
    fn image_metadata_formats() {
        let dir = site();
        let p = dir.path();
        fs::write(p.join("static/a.png"), png(300, 380, None)).unwrap();
        fs::write(p.join("static/rot.png"), png(300, 380, Some(&exif_block(6, false)))).unwrap();
        fs::write(p.join("content/blog/photo.jpg"), jpeg(640, 480, None)).unwrap();
        fs::write(p.join("content/blog/rot.jpeg"), jpeg(640, 480, Some(&exif_block(8, true)))).unwrap();
        fs::write(p.join("content/blog/flip.jpg"), jpeg(640, 480, Some(&exif_block(3, true)))).unwrap();
        let mut gif = b"GIF89a".to_vec();
        gif.extend(12u16.to_le_bytes());
        gif.extend(34u16.to_le_bytes());
        gif.extend([0; 8]);
        fs::write(p.join("static/x.gif"), gif).unwrap();

        let show =
            r#"{% set m = get_image_metadata(path=P) %}{{ m.width }}x{{ m.height }} {{ m.format }} {{ m.mime }}"#;
        let cases = [
            ("a.png", "300x380 png image/png"),
            ("/static/a.png", "300x380 png image/png"),
            ("rot.png", "380x300 png image/png"),
            ("@/blog/photo.jpg", "640x480 jpg image/jpeg"),
            ("blog/rot.jpeg", "480x640 jpg image/jpeg"),
            ("blog/flip.jpg", "640x480 jpg image/jpeg"),
            ("x.gif", "12x34 gif image/gif"),
        ];
        for (path, want) in cases {
            let src = show.replace('P', &format!("{path:?}"));
            assert_eq!(render(&dir, &src).unwrap(), want, "{path}");
        }
        let all = render(&dir, r#"{{ get_image_metadata(path="a.png") | json_encode | safe }}"#).unwrap();
        let v: Value = serde_json::from_str(&all).unwrap();
        assert_eq!(v, serde_json::json!({"width": 300, "height": 380, "format": "png", "mime": "image/png"}));
    }

    fn webp(width: u32, height: u32, exif: &[u8]) -> Vec<u8> {
        let mut body = b"WEBP".to_vec();
        body.extend(b"VP8X");
        body.extend(10u32.to_le_bytes());
        body.extend([0x08, 0, 0, 0]); // EXIF flag
        body.extend(&(width - 1).to_le_bytes()[..3]);
        body.extend(&(height - 1).to_le_bytes()[..3]);
        body.extend(b"EXIF");
        body.extend((exif.len() as u32).to_le_bytes());
        body.extend(exif);
        if exif.len() % 2 == 1 {
            body.push(0);
        }
        let mut out = b"RIFF".to_vec();
        out.extend((body.len() as u32).to_le_bytes());
        out.extend(body);
        out
    }

    #[test]
    fn image_metadata_webp_exif() {
        let dir = site();
        fs::write(dir.path().join("static/plain.webp"), webp(200, 100, &exif_block(1, true))).unwrap();
        fs::write(dir.path().join("static/rot.webp"), webp(200, 100, &exif_block(6, true))).unwrap();
        let src = r#"{% set a = get_image_metadata(path="plain.webp") %}{% set b = get_image_metadata(path="rot.webp") %}{{ a.width }}x{{ a.height }} {{ b.width }}x{{ b.height }} {{ b.format }} {{ b.mime }}"#;
        assert_eq!(render(&dir, src).unwrap(), "200x100 100x200 webp image/webp");
    }

    #[test]
    fn image_metadata_svg() {
        let dir = site();
        let p = dir.path();
        let svgs = [
            (
                "wh.svg",
                r#"<?xml version="1.0"?><!-- <svg width="1" height="1"> --><svg xmlns="http://www.w3.org/2000/svg" width="120px" height='80.7' viewBox="0 0 10 10"></svg>"#,
                "120x80",
            ),
            ("vb.svg", r#"<!DOCTYPE svg><svg viewBox="0, 0, 96 105"><rect/></svg>"#, "96x105"),
            ("pct.svg", r#"<svg width="50%" height="100%" viewBox="0 0 200 100"></svg>"#, "100x100"),
            ("onlyw.svg", r#"<svg width="30" viewBox="0 0 200 100"></svg>"#, "200x100"),
        ];
        for (name, body, want) in svgs {
            fs::write(p.join("static").join(name), body).unwrap();
            let src = format!(
                r#"{{% set m = get_image_metadata(path="{name}") %}}{{{{ m.width }}}}x{{{{ m.height }}}} {{{{ m.format }}}} {{{{ m.mime }}}}"#
            );
            assert_eq!(render(&dir, &src).unwrap(), format!("{want} svg text/svg+xml"), "{name}");
        }
        fs::write(p.join("static/none.svg"), "<svg></svg>").unwrap();
        let err = render(&dir, r#"{{ get_image_metadata(path="none.svg") }}"#).unwrap_err();
        assert!(err.contains("Invalid dimensions: SVG width/height and viewbox not set."), "{err}");
    }

    #[test]
    fn image_metadata_errors() {
        let dir = site();
        let err = render(&dir, r#"{{ get_image_metadata(path="nope.png") }}"#).unwrap_err();
        assert!(err.contains("`get_image_metadata`: Cannot find path: nope.png"), "{err}");
        let src = r#"{{ get_image_metadata(path="nope.png", allow_missing=true) | json_encode }}"#;
        assert_eq!(render(&dir, src).unwrap(), "null");
        let err = render(&dir, "{{ get_image_metadata() }}").unwrap_err();
        assert!(err.contains("`get_image_metadata` requires a `path` argument with a string value"), "{err}");
        let err = render(&dir, r#"{{ get_image_metadata(path="css/app.css") }}"#).unwrap_err();
        assert!(err.contains("`get_image_metadata`: Failed to read image"), "{err}");
        let err = render(&dir, r#"{{ get_image_metadata(path="x", allow_missing="yes") }}"#).unwrap_err();
        assert!(err.contains("`allow_missing` must be a boolean"), "{err}");
    }

    #[test]
    fn resize_image_queues_and_makes_the_file() {
        let dir = site();
        let img = image::RgbImage::from_fn(30, 20, |x, y| image::Rgb([(x * 8) as u8, (y * 12) as u8, 90]));
        img.save(dir.path().join("static/photo.png")).unwrap();
        let env = env_at(dir.path(), None);
        let out = render_with(
            Arc::clone(&env),
            r#"{% set r = resize_image(path="/photo.png", width=10, op="fit_width") %}{{ r.width }}x{{ r.height }} of {{ r.orig_width }}x{{ r.orig_height }} {{ r.url }} {{ r.static_path }}"#,
        )
        .unwrap();
        let (dims, rest) = out.split_once(' ').unwrap();
        assert_eq!(dims, "10x6");
        assert!(rest.starts_with("of 30x20 https://example.org/processed_images/photo."), "{out}");
        assert!(rest.ends_with(".png") && rest.contains(" static/processed_images/photo."), "{out}");
        let files = env.images.process();
        assert_eq!(files.len(), 1);
        let (path, bytes) = files[0].as_ref().unwrap();
        assert!(out.contains(path.as_str()), "{path} is the file the URL names");
        let made = image::load_from_memory(bytes).unwrap();
        assert_eq!((made.width(), made.height()), (10, 6));
        // A lossless source gives PNG; asked for jpg it is a JPEG of the requested size.
        render_with(
            Arc::clone(&env),
            r#"{% set j = resize_image(path="photo.png", width=8, height=8, format="jpg", quality=90) %}{{ j.url }}"#,
        )
        .unwrap();
        let jpeg = env.images.process().into_iter().map(Result::unwrap).find(|(p, _)| p.ends_with(".jpg")).unwrap();
        assert_eq!(image::guess_format(&jpeg.1).unwrap(), image::ImageFormat::Jpeg);
        for (src, msg) in [
            (r#"{{ resize_image(path="nope.png", width=1, height=1) }}"#, "`resize_image`: Cannot find file: nope.png"),
            (r#"{{ resize_image(path="photo.png", width=1) }}"#, "op=fill requires a `width` and `height` argument"),
            (r#"{{ resize_image(path="photo.png", width=1, height=1, format="bmp") }}"#, "Invalid image format: bmp"),
            (r#"{{ resize_image(path="photo.png", width=-1, height=1) }}"#, "`width` must be a non-negative integer"),
        ] {
            let err = render_with(Arc::clone(&env), src).unwrap_err();
            assert!(err.contains(msg), "{src}: {err}");
        }
    }

    #[test]
    fn exif_orientation_parser() {
        assert_eq!(exif_orientation(&exif_block(6, true)), Some(6));
        assert_eq!(exif_orientation(&exif_block(8, false)), Some(8));
        assert_eq!(exif_orientation(b"II*\0"), None);
        assert_eq!(exif_orientation(b"garbage"), None);
    }

    #[test]
    fn normalize_paths() {
        assert_eq!(normalize(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
        assert_eq!(normalize(Path::new("a/../../b")), PathBuf::from("../b"));
        assert_eq!(normalize(Path::new("../../b")), PathBuf::from("../../b"));
        assert_eq!(normalize(Path::new("/../b")), PathBuf::from("/b"));
    }
}
