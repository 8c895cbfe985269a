//! Discovery and parsing of `content/`: program and case bundles, pages and sections.

use super::{parse_toml, read_text};
use crate::diagnostics::{Diagnostic, Report};
use crate::lang::Lang;
use crate::model::figures::{Budget, Kpi, SeriesFigures};
use crate::model::{Case, CaseData, ContentPage, FrontMatter, Markdown, PerLang, Program, ProgramData};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

pub struct Content {
    pub programs: Vec<Program>,
    pub cases: Vec<Case>,
    pub pages: Vec<ContentPage>,
}

/// What a folder under `content/` holds, found by the walk.
#[derive(Default)]
struct Folder {
    data_file: Option<PathBuf>,
    markdown: Vec<PathBuf>,
    /// Data-like files (`.toml`, `.json`, `.yaml`, `.txt`) that no loader reads.
    unread: Vec<PathBuf>,
}

/// A markdown file's base name and language: `about.en.md` → ("about", En).
fn split_lang(file_name: &str) -> Result<(&str, Lang), String> {
    let stem = file_name.strip_suffix(".md").ok_or("not a markdown file")?;
    match stem.rsplit_once('.') {
        Some((base, code)) => match Lang::from_code(code) {
            Some(Lang::Ko) => {
                Err(format!("the Korean version is the file without a language suffix: rename it to {base}.md"))
            }
            Some(lang) => Ok((base, lang)),
            None => Err(format!("unknown language \"{code}\" in the file name (the site has ko and en)")),
        },
        None => Ok((stem, Lang::Ko)),
    }
}

/// Splits `+++` front matter from the body and parses it.
pub fn parse_markdown(root: &Path, rel: &Path) -> Result<Markdown, Diagnostic> {
    parse_markdown_text(rel, &read_text(root, rel)?)
}

/// The same, for text already read (and fuzzed).
pub fn parse_markdown_text(rel: &Path, text: &str) -> Result<Markdown, Diagnostic> {
    let text = text.to_string();
    let hash = crate::model::hash_texts([text.as_bytes()]);
    let (front, body) = match text.strip_prefix("+++\n") {
        Some(rest) => {
            // The closing `+++` is the first line that is exactly `+++`.
            let mut offset = 0;
            let mut close = None;
            for line in rest.split_inclusive('\n') {
                if line.trim_end_matches('\n') == "+++" {
                    close = Some((offset, offset + line.len()));
                    break;
                }
                offset += line.len();
            }
            let (end, body_start) = close.ok_or_else(|| {
                Diagnostic::error(rel, "front matter opened with +++ is never closed").at_offset(&text, 0)
            })?;
            let front: FrontMatter = parse_toml(rel, &text, 4, &rest[..end])?;
            (front, rest[body_start..].to_string())
        }
        None if text.starts_with("---") => {
            return Err(Diagnostic::error(rel, "front matter must be TOML between +++ lines, not YAML between ---")
                .at_offset(&text, 0))
        }
        None => (FrontMatter::default(), text),
    };
    Ok(Markdown { file: rel.to_path_buf(), front, body, hash })
}

/// Records a spreadsheet defines, each with where: their bundles in `content/` hold only
/// their texts (`content/programs/<slug>/index.md`, `index.en.md`).
#[derive(Default)]
pub struct SheetRecords {
    pub programs: Vec<(ProgramData, String)>,
    pub cases: Vec<(CaseData, String)>,
}

pub fn load_content(root: &Path, report: &mut Report, sheets: SheetRecords) -> Content {
    let content_dir = root.join("content");
    let mut folders: BTreeMap<PathBuf, Folder> = BTreeMap::new();
    for entry in WalkDir::new(&content_dir).follow_links(false).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                report.push(Diagnostic::error("content", format!("cannot walk content/: {e}")));
                continue;
            }
        };
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        if entry.path_is_symlink() {
            report.push(Diagnostic::warning(rel, "symbolic link skipped: gongsi does not follow links"));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let dir = rel.parent().unwrap_or(Path::new("")).to_path_buf();
        let folder = folders.entry(dir).or_default();
        if name == "program.toml" || name == "case.toml" {
            // One record per folder: a program.toml beside a case.toml would hide one of them.
            if let Some(other) = &folder.data_file {
                report.push(Diagnostic::error(
                    &rel,
                    format!(
                        "a folder holds one record, but {} is here too: move one of them into a folder of its own",
                        other.display()
                    ),
                ));
                continue;
            }
            folder.data_file = Some(rel);
        } else if name.ends_with(".md") {
            folder.markdown.push(rel);
        } else if [".toml", ".json", ".yaml", ".yml", ".txt"].iter().any(|x| name.ends_with(x)) {
            folder.unread.push(rel);
        }
    }
    // In a record's folder, a data-like file is most likely a misnamed record: say it is not read.
    for folder in folders.values().filter(|f| f.data_file.is_some()) {
        for file in &folder.unread {
            report.push(Diagnostic::warning(
                file,
                "not read: a program or case folder holds program.toml or case.toml, index.md, index.en.md and the files its pages show",
            ));
        }
    }

    enum Item {
        Program(Program),
        Case(Case),
        Page(ContentPage),
    }
    // The bundles of records from spreadsheets: their folders hold only texts.
    let mut from_sheets: Vec<Result<Item, Vec<Diagnostic>>> = Vec::new();
    let bundle =
        |folders: &mut BTreeMap<PathBuf, Folder>, dir: PathBuf, slug: &str, what: &str, place: &str| match folders
            .get(&dir)
        {
            Some(Folder { data_file: Some(file), .. }) => {
                Err(vec![Diagnostic::error(file, format!("{what} \"{slug}\" is defined twice: here and in {place}"))])
            }
            _ => Ok(folders.remove(&dir).unwrap_or_default().markdown),
        };
    for (data, place) in sheets.programs {
        let dir = Path::new("content/programs").join(&data.slug);
        from_sheets.push(bundle(&mut folders, dir.clone(), &data.slug, "program", &place).and_then(|md| {
            let mut errors = Vec::new();
            let text = bundle_texts(root, &dir, &md, &mut errors).filter(|_| errors.is_empty()).ok_or(errors)?;
            let hash = crate::model::hash_texts([format!("{data:?}").as_bytes()]);
            finish_program(root, data, PathBuf::from(place), hash, text).map(Item::Program)
        }));
    }
    for (data, place) in sheets.cases {
        let dir = Path::new("content/cases").join(&data.slug);
        from_sheets.push(bundle(&mut folders, dir.clone(), &data.slug, "case", &place).and_then(|md| {
            let mut errors = Vec::new();
            let text = bundle_texts(root, &dir, &md, &mut errors).filter(|_| errors.is_empty()).ok_or(errors)?;
            let hash = crate::model::hash_texts([format!("{data:?}").as_bytes()]);
            Ok(Item::Case(finish_case(data, PathBuf::from(place), hash, text)))
        }));
    }
    let results: Vec<Result<Item, Vec<Diagnostic>>> = folders
        .into_par_iter()
        .flat_map_iter(|(dir, folder)| -> Vec<Result<Item, Vec<Diagnostic>>> {
            match &folder.data_file {
                Some(data) if data.ends_with("program.toml") => {
                    vec![load_program(root, &dir, data, &folder.markdown).map(Item::Program)]
                }
                Some(data) => vec![load_case(root, &dir, data, &folder.markdown).map(Item::Case)],
                None => load_pages(root, &folder.markdown).into_iter().map(|r| r.map(Item::Page)).collect(),
            }
        })
        .collect();

    let mut content = Content { programs: Vec::new(), cases: Vec::new(), pages: Vec::new() };
    for r in results.into_iter().chain(from_sheets) {
        match r {
            Ok(Item::Program(p)) => content.programs.push(p),
            Ok(Item::Case(c)) => content.cases.push(c),
            Ok(Item::Page(p)) => content.pages.push(p),
            Err(ds) => report.extend(ds),
        }
    }
    content
}

/// Front matter a record's text may not set, because the record decides it: its title and
/// slug come from the data, and a record page cannot be held back as a draft.
fn record_front_matter(root: &Path, m: &Markdown) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let text = || crate::load::read_text(root, &m.file).unwrap_or_default();
    let mut refuse = |key: &str, why: &str| {
        // Read again only on this error path: the line `key = …` of the front matter.
        let src = text();
        let mut offset = 0;
        let mut at = None;
        for line in src.split_inclusive('\n') {
            if line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('=')) {
                at = Some(offset);
                break;
            }
            offset += line.len();
        }
        let d = Diagnostic::error(&m.file, format!("`{key}` in a program or case text: {why}"));
        out.push(match at {
            Some(offset) => d.at_offset(&src, offset),
            None => d,
        });
    };
    if m.front.title.is_some() {
        refuse(
            "title",
            "the title is the record's name (`name` in program.toml, case.toml or the workbook); remove it here",
        );
    }
    if m.front.slug.is_some() {
        refuse(
            "slug",
            "the URL comes from the record's `slug`; remove it here (a renamed slug keeps its old URL as an alias)",
        );
    }
    if m.front.draft {
        refuse("draft", "a record's page is always published with its figures; to hold a program back, move its folder and its record out of the site");
    }
    out
}

/// The `index.md` / `index.en.md` pair of a bundle; other markdown in it is an error.
fn bundle_texts(
    root: &Path,
    dir: &Path,
    markdown: &[PathBuf],
    errors: &mut Vec<Diagnostic>,
) -> Option<PerLang<Markdown>> {
    let mut ko = None;
    let mut en = None;
    for md in markdown {
        let name = md.file_name().unwrap_or_default().to_string_lossy();
        let slot = match name.as_ref() {
            "index.md" => &mut ko,
            "index.en.md" => &mut en,
            _ => {
                errors.push(Diagnostic::error(
                    md,
                    "a program or case folder holds only index.md (Korean) and index.en.md (English)",
                ));
                continue;
            }
        };
        match parse_markdown(root, md) {
            Ok(m) => {
                errors.extend(record_front_matter(root, &m));
                *slot = Some(m)
            }
            Err(d) => errors.push(d),
        }
    }
    for (slot, name, lang) in [(&ko, "index.md", "Korean"), (&en, "index.en.md", "English")] {
        if slot.is_none() && !errors.iter().any(|d| d.file == dir.join(name)) {
            errors.push(Diagnostic::error(dir.join(name), format!("missing: the {lang} text of this page")));
        }
    }
    Some(PerLang { ko: ko?, en: en? })
}

/// A bundle's data file and its two texts, parsed, with the hash of all three.
struct Bundle<T> {
    data: T,
    text: PerLang<Markdown>,
    hash: u64,
}

fn load_bundle<T: serde::de::DeserializeOwned>(
    root: &Path,
    dir: &Path,
    data: &Path,
    markdown: &[PathBuf],
) -> Result<Bundle<T>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut data_hash = 0;
    let parsed = read_text(root, data)
        .and_then(|t| {
            data_hash = crate::model::hash_texts([t.as_bytes()]);
            parse_toml::<T>(data, &t, 0, &t)
        })
        .map_err(|d| errors.push(d))
        .ok();
    let text = bundle_texts(root, dir, markdown, &mut errors);
    let (Some(data), Some(text), true) = (parsed, text, errors.is_empty()) else { return Err(errors) };
    Ok(Bundle { data, text, hash: data_hash })
}

/// The hash of a record's data and its two texts, for incremental builds.
fn bundle_hash(data_hash: u64, text: &PerLang<Markdown>) -> u64 {
    crate::model::hash_texts([&data_hash.to_le_bytes()[..], &text.ko.hash.to_le_bytes(), &text.en.hash.to_le_bytes()])
}

/// One program bundle read again (the preview's quick edit): `dir` is its folder below the
/// site root, holding `program.toml`. `None` when the folder holds no `program.toml`.
pub fn reload_program(root: &Path, dir: &Path) -> Option<Result<Program, Vec<Diagnostic>>> {
    let data = dir.join("program.toml");
    if !root.join(&data).is_file() {
        return None;
    }
    let mut markdown: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()) && e.file_name().to_string_lossy().ends_with(".md"))
        .map(|e| dir.join(e.file_name()))
        .collect();
    markdown.sort();
    Some(load_program(root, dir, &data, &markdown))
}

fn load_program(root: &Path, dir: &Path, data: &Path, markdown: &[PathBuf]) -> Result<Program, Vec<Diagnostic>> {
    let Bundle { data: rec, text, hash } = load_bundle::<ProgramData>(root, dir, data, markdown)?;
    finish_program(root, rec, data.to_path_buf(), hash, text)
}

/// A program's figures computed from its record; `file` says where the record is.
fn finish_program(
    root: &Path,
    mut data_rec: ProgramData,
    file: PathBuf,
    data_hash: u64,
    text: PerLang<Markdown>,
) -> Result<Program, Vec<Diagnostic>> {
    let hash = bundle_hash(data_hash, &text);
    let data = file.as_path();
    let mut errors = Vec::new();
    let mut budgets = Vec::new();
    for row in std::mem::take(&mut data_rec.budget) {
        let year = row.year;
        match Budget::compute(row) {
            Some(b) => budgets.push(b),
            None => {
                let d = Diagnostic::error(data, format!("budget {year}: an amount is too large to convert to won"));
                let src = std::fs::read_to_string(root.join(data)).unwrap_or_default();
                errors.push(d.at_text(&src, &format!("year = {year}")));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    budgets.sort_by_key(|b| b.row.year);
    let kpis = std::mem::take(&mut data_rec.kpi).into_iter().map(Kpi::compute).collect();
    let series = std::mem::take(&mut data_rec.series).into_iter().map(SeriesFigures::compute).collect();
    Ok(Program { hash, data: data_rec, budgets, kpis, series, file, text })
}

fn load_case(root: &Path, dir: &Path, data: &Path, markdown: &[PathBuf]) -> Result<Case, Vec<Diagnostic>> {
    let Bundle { data: data_rec, text, hash } = load_bundle::<CaseData>(root, dir, data, markdown)?;
    Ok(finish_case(data_rec, data.to_path_buf(), hash, text))
}

fn finish_case(mut data_rec: CaseData, file: PathBuf, data_hash: u64, text: PerLang<Markdown>) -> Case {
    let hash = bundle_hash(data_hash, &text);
    let series = std::mem::take(&mut data_rec.series).into_iter().map(SeriesFigures::compute).collect();
    Case { hash, data: data_rec, series, file, text }
}

/// The URL path of a page or section below the language prefix.
fn page_path(rel_in_content: &Path, base: &str, front: &FrontMatter) -> String {
    let parent = rel_in_content.parent().unwrap_or(Path::new(""));
    let mut parts: Vec<String> = parent.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if base != "_index" && base != "index" {
        parts.push(front.slug.clone().unwrap_or_else(|| base.to_string()));
    } else if base == "index" {
        if let (Some(slug), Some(last)) = (&front.slug, parts.last_mut()) {
            *last = slug.clone();
        }
    }
    if parts.is_empty() {
        "/".into()
    } else {
        format!("/{}/", parts.join("/"))
    }
}

/// Ordinary markdown in one folder, paired by language.
fn load_pages(root: &Path, markdown: &[PathBuf]) -> Vec<Result<ContentPage, Vec<Diagnostic>>> {
    let mut pairs: BTreeMap<String, (Option<PathBuf>, Option<PathBuf>)> = BTreeMap::new();
    let mut out = Vec::new();
    for md in markdown {
        let name = md.file_name().unwrap_or_default().to_string_lossy().into_owned();
        match split_lang(&name) {
            Ok((base, lang)) => {
                let e = pairs.entry(base.to_string()).or_default();
                match lang {
                    Lang::Ko => e.0 = Some(md.clone()),
                    Lang::En => e.1 = Some(md.clone()),
                }
            }
            Err(msg) => out.push(Err(vec![Diagnostic::error(md, msg)])),
        }
    }
    for (base, (ko, en)) in pairs {
        let mut errors = Vec::new();
        let (ko, en) = match (ko, en) {
            (Some(ko), Some(en)) => (ko, en),
            (Some(ko), None) => {
                let want = ko.with_file_name(format!("{base}.en.md"));
                out.push(Err(vec![Diagnostic::error(&ko, format!("no English version: add {}", want.display()))]));
                continue;
            }
            (None, Some(en)) => {
                let want = en.with_file_name(format!("{base}.md"));
                out.push(Err(vec![Diagnostic::error(&en, format!("no Korean version: add {}", want.display()))]));
                continue;
            }
            (None, None) => continue,
        };
        let parsed: Vec<Option<Markdown>> =
            [&ko, &en].iter().map(|p| parse_markdown(root, p).map_err(|d| errors.push(d)).ok()).collect();
        let [Some(ko_md), Some(en_md)] = <[Option<Markdown>; 2]>::try_from(parsed).unwrap() else {
            out.push(Err(errors));
            continue;
        };
        let rel_in_content = ko.strip_prefix("content").unwrap_or(&ko).to_path_buf();
        let path = page_path(&rel_in_content, &base, &ko_md.front);
        if ko_md.front.slug != en_md.front.slug {
            out.push(Err(vec![Diagnostic::error(
                &en,
                "slug differs from the Korean version's: both languages share one path",
            )]));
            continue;
        }
        let hash = crate::model::hash_texts([&ko_md.hash.to_le_bytes()[..], &en_md.hash.to_le_bytes()]);
        out.push(Ok(ContentPage {
            hash,
            path,
            relative: rel_in_content.to_string_lossy().replace('\\', "/"),
            is_section: base == "_index",
            text: PerLang { ko: ko_md, en: en_md },
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_file_name() {
        assert_eq!(split_lang("about.md").unwrap(), ("about", Lang::Ko));
        assert_eq!(split_lang("about.en.md").unwrap(), ("about", Lang::En));
        assert!(split_lang("about.fr.md").is_err());
    }

    #[test]
    fn paths_follow_zola() {
        let f = FrontMatter::default();
        assert_eq!(page_path(Path::new("_index.md"), "_index", &f), "/");
        assert_eq!(page_path(Path::new("about.md"), "about", &f), "/about/");
        assert_eq!(page_path(Path::new("guide/_index.md"), "_index", &f), "/guide/");
        assert_eq!(page_path(Path::new("guide/data.md"), "data", &f), "/guide/data/");
    }
}
