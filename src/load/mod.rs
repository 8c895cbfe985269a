//! Load: discover the files of a site folder and parse them, in parallel.
//!
//! Every problem becomes a [`Diagnostic`] naming the file and line; loading carries on so
//! that one run reports all of them. The result is a [`Site`] whose cross-references are
//! not yet checked (that is `validate`'s job).

pub mod content;
pub mod sheets;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Report};
use crate::model::{Category, Region, Site, Source};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::HashMap;
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

/// Keeps the first of records with the same slug; each later one is an error naming both
/// places (two workbooks, or a workbook and a `program.toml`).
fn dedupe<T>(
    items: &mut Vec<T>,
    slug: impl Fn(&T) -> &String,
    file: impl Fn(&T) -> &PathBuf,
    what: &str,
    report: &mut Report,
) {
    // Spreadsheet places sort after content files, so the TOML one is named first.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| file(&items[a]).cmp(file(&items[b])));
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut drop = std::collections::HashSet::new();
    for i in order {
        let s = slug(&items[i]).clone();
        match first.get(&s) {
            Some(&j) => {
                report.push(Diagnostic::error(
                    file(&items[i]),
                    format!("{what} \"{s}\" is defined twice: here and in {}", file(&items[j]).display()),
                ));
                drop.insert(i);
            }
            None => {
                first.insert(s, i);
            }
        }
    }
    let mut i = 0;
    items.retain(|_| {
        i += 1;
        !drop.contains(&(i - 1))
    });
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
    let book = sheets::load(root, report);
    let mut sources = load_list(root, "data/sources.toml", report, |f: SourcesFile| f.source);
    let mut regions = load_list(root, "data/regions.toml", report, |f: RegionsFile| f.region);
    let mut categories = load_list(root, "data/categories.toml", report, |f: CategoriesFile| f.category);
    // TOML and spreadsheets may be mixed; a record both define is an error naming both.
    let toml_place = |file: &str, needle: String| -> String {
        let line = std::fs::read_to_string(root.join(file))
            .ok()
            .and_then(|t| t.find(&needle).map(|at| t[..at].matches('\n').count() + 1));
        match line {
            Some(l) => format!("{file}:{l}"),
            None => file.to_string(),
        }
    };
    let mut twice = |what: &str, id: &str, first: String, second: &sheets::Place| {
        report.push(second.error(format!("{what} \"{id}\" is defined twice: here and in {first}")));
    };
    let mut seen: HashMap<String, String> =
        sources.iter().map(|s| (s.id.clone(), toml_place("data/sources.toml", format!("id = \"{}\"", s.id)))).collect();
    for (s, at) in book.sources {
        match seen.get(&s.id) {
            Some(first) => twice("source", &s.id, first.clone(), &at),
            None => {
                seen.insert(s.id.clone(), at.to_string());
                sources.push(s);
            }
        }
    }
    let mut seen: HashMap<String, String> = regions
        .iter()
        .map(|r| (r.slug.clone(), toml_place("data/regions.toml", format!("slug = \"{}\"", r.slug))))
        .collect();
    for (r, at) in book.regions {
        match seen.get(&r.slug) {
            Some(first) => twice("region", &r.slug, first.clone(), &at),
            None => {
                seen.insert(r.slug.clone(), at.to_string());
                regions.push(r);
            }
        }
    }
    let mut seen: HashMap<String, String> = categories
        .iter()
        .map(|k| (k.slug.clone(), toml_place("data/categories.toml", format!("slug = \"{}\"", k.slug))))
        .collect();
    for (k, at) in book.categories {
        match seen.get(&k.slug) {
            Some(first) => twice("category", &k.slug, first.clone(), &at),
            None => {
                seen.insert(k.slug.clone(), at.to_string());
                categories.push(k);
            }
        }
    }
    categories.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));

    // A record from a spreadsheet that names no source document cites the site's only one.
    let only_source = (sources.len() == 1).then(|| sources[0].id.clone());
    let mut cite = |doc: &mut String, at: &sheets::Place| {
        if doc.is_empty() {
            match &only_source {
                Some(id) => *doc = id.clone(),
                None => report.push(at.error("no source_document: name the source (the site has several, or none)")),
            }
        }
    };
    let mut sheet_records = content::SheetRecords::default();
    for (mut c, at) in book.cases {
        cite(&mut c.source.document, &at);
        sheet_records.cases.push((c, at.to_string()));
    }
    for (mut p, at) in book.programs {
        cite(&mut p.source.document, &at);
        sheet_records.programs.push((p, at.to_string()));
    }
    let content = content::load_content(root, report, sheet_records);

    let index = |slugs: Vec<&String>| {
        let mut m = HashMap::new();
        for (i, s) in slugs.into_iter().enumerate() {
            m.entry(s.clone()).or_insert(i);
        }
        m
    };
    let region_index = index(regions.iter().map(|r| &r.slug).collect());
    let category_index = index(categories.iter().map(|c| &c.slug).collect());
    let mut cases = content.cases;
    dedupe(&mut cases, |c| &c.data.slug, |c| &c.file, "case", report);
    cases.sort_by(|a, b| (a.data.order, &a.data.slug).cmp(&(b.data.order, &b.data.slug)));
    let case_index = index(cases.iter().map(|c| &c.data.slug).collect());
    let mut programs = content.programs;
    dedupe(&mut programs, |p| &p.data.slug, |p| &p.file, "program", report);
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
        programs: programs.into_iter().map(std::sync::Arc::new).collect(),
        pages,
        region_index,
        category_index,
        case_index,
    })
}
