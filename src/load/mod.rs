//! Load: discover the files of a site folder and parse them, in parallel.
//!
//! Every problem becomes a [`Diagnostic`] naming the file and line; loading carries on so
//! that one run reports all of them. The result is a [`Site`] whose cross-references are
//! not yet checked (that is `validate`'s job).

pub mod content;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Report};
use crate::model::{Category, Region, Site, Source};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Reads a text file, refusing huge files, invalid UTF-8 and a byte-order mark being a
/// problem: the BOM is dropped and CRLF line ends are normalised to LF.
pub fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let path = root.join(rel);
    let meta = std::fs::metadata(&path).map_err(|e| Diagnostic::error(rel, format!("cannot read: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            rel,
            format!("file is {} bytes, over the limit of {MAX_FILE_BYTES}", meta.len()),
        ));
    }
    let bytes = std::fs::read(&path).map_err(|e| Diagnostic::error(rel, format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let good = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
        Diagnostic::error(rel, "file is not valid UTF-8 (save it as UTF-8)").at_offset(&good, offset)
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') { text.replace("\r\n", "\n") } else { text.to_string() })
}

/// Parses TOML text into `T`, turning errors into diagnostics at their line.
pub fn parse_toml<T: DeserializeOwned>(rel: &Path, text: &str, base: usize, toml_text: &str) -> Result<T, Diagnostic> {
    toml::from_str(toml_text).map_err(|e| Diagnostic::from_toml(rel, text, base, &e))
}

fn load_toml_file<T: DeserializeOwned>(root: &Path, rel: &Path) -> Result<T, Diagnostic> {
    let text = read_text(root, rel)?;
    parse_toml(rel, &text, 0, &text)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    #[serde(default)]
    source: Vec<Source>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionsFile {
    #[serde(default)]
    region: Vec<Region>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoriesFile {
    #[serde(default)]
    category: Vec<Category>,
}

/// Finds the config file: `zola.toml` first, then `config.toml`.
pub fn config_path(root: &Path) -> Option<PathBuf> {
    ["zola.toml", "config.toml"].into_iter().map(PathBuf::from).find(|p| root.join(p).is_file())
}

pub fn load_config(root: &Path) -> Result<Config, Diagnostic> {
    load_config_with_warnings(root).map(|(c, _)| c)
}

/// The config, and a warning for every key neither Zola nor gongsi knows.
pub fn load_config_with_warnings(root: &Path) -> Result<(Config, Vec<Diagnostic>), Diagnostic> {
    let rel = config_path(root).ok_or_else(|| {
        Diagnostic::error(root, "no config.toml or zola.toml here: is this a site folder? (use --root DIR)")
    })?;
    let text = read_text(root, &rel)?;
    let (mut config, unknown) = Config::parse(&text).map_err(|e| Diagnostic::from_toml(&rel, &text, 0, &e))?;
    let warnings = unknown.into_iter().map(|(key, msg)| Diagnostic::warning(&rel, msg).at_text(&text, &key)).collect();
    if let Some(h) = &mut config.markdown.highlighting {
        h.root = root.to_path_buf();
    }
    if let Some(theme) = config.theme.clone() {
        let theme_file = PathBuf::from("themes").join(&theme).join("theme.toml");
        if !theme.contains(['/', '\\']) && !theme.starts_with('.') && root.join(&theme_file).is_file() {
            let t: crate::config::ThemeConfig = load_toml_file(root, &theme_file)?;
            config.theme_translations = t.translations;
            config.theme_extra = t.extra;
        }
    }
    Ok((config, warnings))
}

fn load_list<F: DeserializeOwned, T>(
    root: &Path,
    rel: &str,
    report: &mut Report,
    take: impl FnOnce(F) -> Vec<T>,
) -> Vec<T> {
    let rel = Path::new(rel);
    if !root.join(rel).exists() {
        return Vec::new();
    }
    match load_toml_file::<F>(root, rel) {
        Ok(f) => take(f),
        Err(d) => {
            report.push(d);
            Vec::new()
        }
    }
}

/// Loads the whole site folder. Returns `None` only when the config itself is unusable.
pub fn load_site(root: &Path, report: &mut Report) -> Option<Site> {
    let config = match load_config_with_warnings(root) {
        Ok((c, warnings)) => {
            report.extend(warnings);
            c
        }
        Err(d) => {
            report.push(d);
            return None;
        }
    };
    let sources = load_list(root, "data/sources.toml", report, |f: SourcesFile| f.source);
    let regions = load_list(root, "data/regions.toml", report, |f: RegionsFile| f.region);
    let mut categories = load_list(root, "data/categories.toml", report, |f: CategoriesFile| f.category);
    categories.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));

    let content = content::load_content(root, report);

    let index = |slugs: Vec<&String>| {
        let mut m = std::collections::HashMap::new();
        for (i, s) in slugs.into_iter().enumerate() {
            m.entry(s.clone()).or_insert(i);
        }
        m
    };
    let region_index = index(regions.iter().map(|r| &r.slug).collect());
    let category_index = index(categories.iter().map(|c| &c.slug).collect());
    let mut cases = content.cases;
    cases.sort_by(|a, b| (a.data.order, &a.data.slug).cmp(&(b.data.order, &b.data.slug)));
    let case_index = index(cases.iter().map(|c| &c.data.slug).collect());
    let mut programs = content.programs;
    let case_order =
        |slug: &Option<String>| slug.as_ref().and_then(|s| case_index.get(s)).copied().unwrap_or(usize::MAX);
    programs.sort_by(|a, b| {
        (case_order(&a.data.case), a.data.order.unwrap_or(i64::MAX), &a.data.slug).cmp(&(
            case_order(&b.data.case),
            b.data.order.unwrap_or(i64::MAX),
            &b.data.slug,
        ))
    });
    let mut pages = content.pages;
    pages.sort_by(|a, b| a.path.cmp(&b.path));

    Some(Site {
        root: root.to_path_buf(),
        config,
        sources,
        regions,
        categories,
        cases,
        programs,
        pages,
        region_index,
        category_index,
        case_index,
    })
}
