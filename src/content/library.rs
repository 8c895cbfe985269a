//! The Library: every section, page and taxonomy of a site, with Zola's paths, order,
//! translations and ancestry. Built from files in one pass, then linked; it holds no
//! HTML until [`Library::set_rendered`] gives it each item's rendered markdown.

use super::front::{parse_date, PageFront, SectionFront, SortBy};
use super::slugs::slugify;
use crate::config::{Config, TaxonomyConfig};
use crate::diagnostics::Diagnostic;
use chrono::{Datelike, NaiveDateTime};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Where a content file sits.
#[derive(Debug, Clone, Default)]
pub struct FileInfo {
    /// Relative to `content/`, with `/`: `blog/post.en.md`, `blog/_index.md`.
    pub relative: String,
    /// The folder of a bundle (`blog/post/`) for `index.md` pages.
    pub colocated_path: Option<String>,
    /// Folder names from `content/` to the item (a bundle's own folder excluded).
    pub components: Vec<String>,
    /// The file name without extension and language: `post`, `_index`, `index`.
    pub name: String,
    /// The folder holding the file, relative to `content/` (a bundle: its parent).
    pub parent: String,
    /// What translations share: parent folder + name.
    pub canonical: String,
    /// The folder on disk with the file's assets (a bundle's folder, a section's folder).
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Default)]
pub struct Heading {
    pub level: u32,
    pub id: String,
    pub permalink: String,
    pub title: String,
    pub children: Vec<Heading>,
}

/// Rendered markdown of a page or section.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub content: String,
    pub summary: Option<String>,
    pub toc: Vec<Heading>,
    /// `@/file.md` targets with their anchors, for backlinks and the link check.
    pub internal_links: Vec<(String, Option<String>)>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub file: FileInfo,
    pub lang: String,
    pub meta: PageFront,
    pub raw: String,
    pub rendered: Rendered,
    pub slug: String,
    pub path: String,
    pub permalink: String,
    pub components: Vec<String>,
    pub datetime: Option<NaiveDateTime>,
    pub updated_datetime: Option<NaiveDateTime>,
    pub word_count: usize,
    pub reading_time: usize,
    /// Sections containing the page, outermost first (their relative paths).
    pub ancestors: Vec<String>,
    pub assets: Vec<PathBuf>,
    pub serialized_assets: Vec<String>,
    pub lower: Option<usize>,
    pub higher: Option<usize>,
    /// gongsi: the data record this page is made from, an index the data adapter gave it
    /// (its figures reach templates as `page.data` when the page renders).
    pub record: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub file: FileInfo,
    pub lang: String,
    pub meta: SectionFront,
    pub raw: String,
    pub rendered: Rendered,
    pub path: String,
    pub permalink: String,
    pub components: Vec<String>,
    pub word_count: usize,
    pub reading_time: usize,
    pub ancestors: Vec<String>,
    pub assets: Vec<PathBuf>,
    pub serialized_assets: Vec<String>,
    pub pages: Vec<usize>,
    pub ignored_pages: Vec<usize>,
    pub subsections: Vec<usize>,
    /// gongsi: the data record this section is made from (see [`Page::record`]).
    pub record: Option<usize>,
}

impl Section {
    pub fn is_index(&self) -> bool {
        self.file.components.is_empty()
    }

    pub fn template(&self) -> &str {
        match &self.meta.template {
            Some(t) => t,
            None if self.is_index() => "index.html",
            None => "section.html",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub permalink: String,
    pub pages: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub kind: TaxonomyConfig,
    pub lang: String,
    pub path: String,
    pub permalink: String,
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Page(usize),
    Section(usize),
}

#[derive(Debug, Default)]
pub struct Library {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub taxonomies: Vec<Taxonomy>,
    /// `blog/post.md` → the item.
    pub by_relative: HashMap<String, Item>,
    /// canonical → every language version.
    pub translations: HashMap<String, Vec<Item>>,
    /// relative path → items linking to it.
    pub backlinks: HashMap<String, Vec<Item>>,
}

/// `2024-01-05-title` or `2024-01-05_title`: the date and the rest.
fn dated_name(name: &str) -> Option<(&str, Option<&str>)> {
    let b = name.as_bytes();
    let is_date = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    if !is_date {
        return None;
    }
    let date = &name[..10];
    parse_date(date)?;
    let rest = name[10..].trim_start_matches(' ');
    let slug = rest.strip_prefix(['-', '_']).filter(|s| !s.is_empty());
    Some((date, slug))
}

/// Word count and reading time as Zola counts them: code fences skipped, 200 words a minute.
pub fn reading_analytics(raw: &str) -> (usize, usize) {
    use unicode_segmentation::UnicodeSegmentation;
    let words: usize = raw.split("```").step_by(2).map(|s| s.unicode_words().count()).sum();
    (words, words.div_ceil(200))
}

/// Splits `name.lang` into the name and the language, if `lang` is a site language.
fn find_language<'a>(stem: &'a str, config: &Config) -> Result<(&'a str, String), String> {
    match stem.rsplit_once('.') {
        Some((name, code)) if config.is_multilingual() || code.len() == 2 => {
            if config.language_codes().contains(&code) {
                Ok((name, code.to_string()))
            } else {
                Err(format!("the file name has the language \"{code}\", which is not in the config's [languages]"))
            }
        }
        _ => Ok((stem, config.default_language.clone())),
    }
}

fn file_info(relative: &str, content_dir: &Path, config: &Config) -> Result<(FileInfo, String), String> {
    let (dir, filename) = relative.rsplit_once('/').unwrap_or(("", relative));
    let stem = filename.strip_suffix(".md").unwrap_or(filename);
    let (name, lang) = find_language(stem, config)?;
    let mut components: Vec<String> = dir.split('/').filter(|c| !c.is_empty()).map(String::from).collect();
    let mut parent = dir.to_string();
    let mut colocated_path = None;
    if name == "index" && !components.is_empty() {
        colocated_path = Some(format!("{dir}/"));
        components.pop();
        parent = components.join("/");
    }
    let canonical = if dir.is_empty() { name.to_string() } else { format!("{dir}/{name}") };
    let info = FileInfo {
        relative: relative.to_string(),
        colocated_path,
        components,
        name: name.to_string(),
        parent,
        canonical,
        dir: content_dir.join(dir),
    };
    Ok((info, lang))
}

/// Every non-markdown file beside a bundle (recursively) or a section (its folder only).
/// Links are followed as long as they stay inside the content folder.
fn related_assets(dir: &Path, content_dir: &Path, recursive: bool) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = super::walk_inside(dir, content_dir, if recursive { None } else { Some(1) })
        .into_iter()
        .filter(|e| e.depth() > 0)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_none_or(|x| x != "md"))
        .filter(|e| !e.file_name().to_string_lossy().ends_with('~'))
        .map(|e| e.into_path())
        .collect();
    v.sort_by_key(|p| p.to_string_lossy().to_ascii_lowercase());
    v
}

fn lang_prefix(lang: &str, config: &Config) -> String {
    if lang == config.default_language {
        String::new()
    } else {
        format!("/{lang}")
    }
}

pub fn new_page(
    relative: &str,
    content_dir: &Path,
    front: PageFront,
    raw: String,
    config: &Config,
) -> Result<Page, String> {
    let (file, lang) = file_info(relative, content_dir, config)?;
    let mut meta = front;
    let slug_source = if file.name == "index" {
        file.colocated_path.as_deref().map(|p| p.trim_end_matches('/').rsplit('/').next().unwrap_or("index"))
    } else {
        None
    }
    .unwrap_or(&file.name)
    .to_string();
    let mut slug_from_name = None;
    if let Some((date, slug)) = dated_name(&slug_source) {
        if !config.slugify.paths_keep_dates {
            slug_from_name = slug.map(String::from);
        }
        if meta.date.is_none() {
            meta.date = Some(date.to_string());
        }
    }
    let slug = match (&meta.slug, slug_from_name) {
        (Some(s), _) => slugify(s, config.slugify.paths),
        (None, Some(s)) => slugify(&s, config.slugify.paths),
        (None, None) => slugify(&slug_source, config.slugify.paths),
    };
    let mut path = match &meta.path {
        Some(p) => {
            let p = p.trim();
            if p.starts_with('/') {
                p.to_string()
            } else {
                format!("/{p}")
            }
        }
        None => {
            let below = if file.components.is_empty() {
                if file.name == "index" && file.colocated_path.is_none() {
                    String::new()
                } else {
                    slug.clone()
                }
            } else {
                format!("{}/{}", file.components.join("/"), slug)
            };
            format!("{}/{below}", lang_prefix(&lang, config))
        }
    };
    if !path.ends_with('/') {
        path.push('/');
    }
    let components = path.split('/').filter(|c| !c.is_empty()).map(String::from).collect();
    let permalink = config.permalink(&path);
    let datetime = meta.date.as_deref().and_then(parse_date);
    let updated_datetime = meta.updated.as_deref().and_then(parse_date);
    let (word_count, reading_time) = reading_analytics(&raw);
    let assets = if file.name == "index" && file.colocated_path.is_some() {
        related_assets(&file.dir, content_dir, true)
    } else {
        Vec::new()
    };
    let serialized_assets = assets
        .iter()
        .filter_map(|a| a.strip_prefix(content_dir).ok())
        .map(|a| format!("/{}", a.to_string_lossy().replace('\\', "/")))
        .collect();
    Ok(Page {
        file,
        lang,
        meta,
        raw,
        rendered: Rendered::default(),
        slug,
        path,
        permalink,
        components,
        datetime,
        updated_datetime,
        word_count,
        reading_time,
        ancestors: Vec::new(),
        assets,
        serialized_assets,
        lower: None,
        higher: None,
        record: None,
    })
}

pub fn new_section(
    relative: &str,
    content_dir: &Path,
    front: SectionFront,
    raw: String,
    config: &Config,
) -> Result<Section, String> {
    let (file, lang) = file_info(relative, content_dir, config)?;
    let below = file.components.join("/");
    let prefix = lang_prefix(&lang, config);
    let path = if below.is_empty() { format!("{prefix}/") } else { format!("{prefix}/{below}/") };
    let components = path.split('/').filter(|c| !c.is_empty()).map(String::from).collect();
    let permalink = config.permalink(&path);
    let (word_count, reading_time) = reading_analytics(&raw);
    let assets = related_assets(&file.dir, content_dir, false);
    let serialized_assets =
        assets.iter().filter_map(|a| a.file_name()).map(|f| format!("{path}{}", f.to_string_lossy())).collect();
    Ok(Section {
        file,
        lang,
        meta: front,
        raw,
        rendered: Rendered::default(),
        path,
        permalink,
        components,
        word_count,
        reading_time,
        ancestors: Vec::new(),
        assets,
        serialized_assets,
        pages: Vec::new(),
        ignored_pages: Vec::new(),
        subsections: Vec::new(),
        record: None,
    })
}

/// Natural order (`a2` before `a10`), case-insensitive, as Zola sorts titles and slugs.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let key = |s: &str| -> Vec<(u8, String, u128)> {
        let mut out = Vec::new();
        let mut chars = s.chars().peekable();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_digit() {
                let mut n = String::new();
                while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    n.push(d);
                    chars.next();
                }
                out.push((0, String::new(), n.parse().unwrap_or(u128::MAX)));
            } else {
                out.push((1, c.to_lowercase().collect(), 0));
                chars.next();
            }
        }
        out
    };
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
}

/// Sorts pages by a section's `sort_by`; returns (sorted, pages the key is missing from).
pub fn sort_pages(pages: &[Page], idx: &[usize], by: SortBy) -> (Vec<usize>, Vec<usize>) {
    let has_key = |p: &Page| match by {
        SortBy::Date => p.datetime.is_some(),
        SortBy::UpdateDate => p.datetime.is_some() || p.updated_datetime.is_some(),
        SortBy::Title | SortBy::TitleBytes => p.meta.title.is_some(),
        SortBy::Weight => p.meta.weight.is_some(),
        SortBy::Slug | SortBy::Permalink | SortBy::None => true,
    };
    let (mut sorted, ignored): (Vec<usize>, Vec<usize>) = idx.iter().partition(|&&i| has_key(&pages[i]));
    sorted.sort_by(|&a, &b| {
        let (a, b) = (&pages[a], &pages[b]);
        let ord = match by {
            SortBy::Date => b.datetime.cmp(&a.datetime),
            SortBy::UpdateDate => b.datetime.max(b.updated_datetime).cmp(&a.datetime.max(a.updated_datetime)),
            SortBy::Title => natural_cmp(a.meta.title.as_deref().unwrap(), b.meta.title.as_deref().unwrap()),
            SortBy::TitleBytes => a.meta.title.cmp(&b.meta.title),
            SortBy::Weight => a.meta.weight.cmp(&b.meta.weight),
            SortBy::Slug => natural_cmp(&a.slug, &b.slug),
            SortBy::Permalink | SortBy::None => a.permalink.cmp(&b.permalink),
        };
        ord.then_with(|| a.permalink.cmp(&b.permalink))
    });
    (sorted, ignored)
}

impl Library {
    /// Links what was loaded: sections' pages and subsections, ancestors, inherited page
    /// templates, order and siblings, translations, taxonomies.
    pub fn new(mut pages: Vec<Page>, mut sections: Vec<Section>, config: &Config) -> Library {
        pages.sort_by(|a, b| a.file.relative.cmp(&b.file.relative));
        sections.sort_by(|a, b| a.file.relative.cmp(&b.file.relative));
        let mut lib = Library::default();
        for (i, s) in sections.iter().enumerate() {
            lib.by_relative.insert(s.file.relative.clone(), Item::Section(i));
        }
        for (i, p) in pages.iter().enumerate() {
            lib.by_relative.insert(p.file.relative.clone(), Item::Page(i));
        }
        // The `_index` file name of each language.
        let index_name = |lang: &str| {
            if lang == config.default_language {
                "_index.md".to_string()
            } else {
                format!("_index.{lang}.md")
            }
        };
        let section_at = |dir: &str, lang: &str| -> Option<usize> {
            let rel = if dir.is_empty() { index_name(lang) } else { format!("{dir}/{}", index_name(lang)) };
            match lib.by_relative.get(&rel) {
                Some(Item::Section(i)) => Some(*i),
                _ => None,
            }
        };
        // Section ancestry and subsections.
        let mut section_ancestors = Vec::with_capacity(sections.len());
        let mut subsections: Vec<Vec<usize>> = vec![Vec::new(); sections.len()];
        for (i, s) in sections.iter().enumerate() {
            let mut anc = Vec::new();
            if !s.is_index() {
                for depth in 0..s.file.components.len() {
                    let dir = s.file.components[..depth].join("/");
                    if let Some(a) = section_at(&dir, &s.lang) {
                        anc.push(sections[a].file.relative.clone());
                    }
                }
                let parent_dir = s.file.components[..s.file.components.len() - 1].join("/");
                if let Some(p) = section_at(&parent_dir, &s.lang) {
                    subsections[p].push(i);
                }
            }
            section_ancestors.push(anc);
        }
        for (i, s) in sections.iter_mut().enumerate() {
            s.ancestors = std::mem::take(&mut section_ancestors[i]);
        }
        for (i, subs) in subsections.into_iter().enumerate() {
            let mut subs = subs;
            subs.sort_by_key(|&j| (sections[j].meta.weight, sections[j].file.relative.clone()));
            sections[i].subsections = subs;
        }
        // Pages into sections (through transparent ones).
        for (pi, page) in pages.iter_mut().enumerate() {
            if !page.meta.render {
                continue;
            }
            let mut dir = page.file.parent.clone();
            while let Some(si) = section_at(&dir, &page.lang) {
                sections[si].pages.push(pi);
                let mut anc = sections[si].ancestors.clone();
                anc.push(sections[si].file.relative.clone());
                page.ancestors = anc;
                if !sections[si].meta.transparent || dir.is_empty() {
                    break;
                }
                dir = dir.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
            }
            if page.meta.template.is_none() {
                for a in page.ancestors.iter().rev() {
                    if let Some(Item::Section(si)) = lib.by_relative.get(a) {
                        if let Some(t) = &sections[*si].meta.page_template {
                            page.meta.template = Some(t.clone());
                            break;
                        }
                    }
                }
            }
        }
        // Order and siblings.
        #[allow(clippy::needless_range_loop)] // `sections[si]` is re-borrowed mutably below
        for si in 0..sections.len() {
            let by = sections[si].meta.sort_by;
            if by == SortBy::None {
                continue;
            }
            let (sorted, ignored) = sort_pages(&pages, &sections[si].pages, by);
            if !sections[si].meta.transparent {
                for (k, &pi) in sorted.iter().enumerate() {
                    pages[pi].lower = k.checked_sub(1).map(|j| sorted[j]);
                    pages[pi].higher = sorted.get(k + 1).copied();
                }
            }
            sections[si].pages = sorted;
            sections[si].ignored_pages = ignored;
        }
        // Translations.
        if config.is_multilingual() {
            for (i, s) in sections.iter().enumerate() {
                lib.translations.entry(s.file.canonical.clone()).or_default().push(Item::Section(i));
            }
            for (i, p) in pages.iter().enumerate() {
                if p.meta.render {
                    lib.translations.entry(p.file.canonical.clone()).or_default().push(Item::Page(i));
                }
            }
        }
        lib.pages = pages;
        lib.sections = sections;
        lib.taxonomies = lib.find_taxonomies(config);
        lib
    }

    fn find_taxonomies(&self, config: &Config) -> Vec<Taxonomy> {
        let mut out = Vec::new();
        for lang in config.language_codes() {
            let prefix = lang_prefix(lang, config);
            let root = config.taxonomy_root.as_deref().map(|r| format!("/{}", r.trim_matches('/'))).unwrap_or_default();
            for kind in config.taxonomies_in(lang) {
                let mut terms: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
                for (pi, p) in self.pages.iter().enumerate() {
                    if p.lang != lang || !p.meta.render {
                        continue;
                    }
                    for name in p.meta.taxonomies.get(&kind.name).into_iter().flatten() {
                        let slug = slugify(name, config.slugify.taxonomies);
                        terms.entry((slug, name.clone())).or_default().push(pi);
                    }
                }
                let path = format!("{prefix}{root}/{}/", kind.slug);
                let mut merged: Vec<Term> = Vec::new();
                for ((slug, name), pis) in terms {
                    if let Some(last) = merged.last_mut().filter(|t| t.slug == slug) {
                        last.pages.extend(pis);
                        continue;
                    }
                    let tpath = format!("{path}{slug}/");
                    merged.push(Term { name, permalink: config.permalink(&tpath), path: tpath, slug, pages: pis });
                }
                for t in &mut merged {
                    t.pages.sort();
                    t.pages.dedup();
                    let (mut sorted, ignored) = sort_pages(&self.pages, &t.pages, SortBy::Date);
                    sorted.extend(ignored);
                    t.pages = sorted;
                }
                out.push(Taxonomy {
                    kind: kind.clone(),
                    lang: lang.to_string(),
                    permalink: config.permalink(&path),
                    path,
                    terms: merged,
                });
            }
        }
        out
    }

    /// Every language version of an item (itself included), in a stable order.
    pub fn translations_of(&self, canonical: &str) -> &[Item] {
        self.translations.get(canonical).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn get(&self, relative: &str) -> Option<Item> {
        self.by_relative.get(relative).copied()
    }

    /// The item's rendered markdown is known: set it, with its links (for backlinks).
    pub fn set_rendered(&mut self, item: Item, r: Rendered) {
        for (target, _) in &r.internal_links {
            let v = self.backlinks.entry(target.clone()).or_default();
            if !v.contains(&item) {
                v.push(item);
            }
        }
        match item {
            Item::Page(i) => self.pages[i].rendered = r,
            Item::Section(i) => self.sections[i].rendered = r,
        }
    }

    /// Each output path and alias with the files that claim it: two claimants are an error,
    /// found before anything renders, so the output never depends on thread timing.
    pub fn path_collisions(&self, extra: &[(String, String)]) -> Vec<Diagnostic> {
        let mut claims: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let norm = |p: &str| {
            let p = p.trim();
            let p = if p.starts_with('/') { p.to_string() } else { format!("/{p}") };
            if p.ends_with('/') || p.rsplit('/').next().is_some_and(|l| l.contains('.')) {
                p
            } else {
                format!("{p}/")
            }
        };
        for s in self.sections.iter().filter(|s| s.meta.render) {
            claims.entry(s.path.clone()).or_default().push(format!("content/{}", s.file.relative));
            for a in &s.meta.aliases {
                claims.entry(norm(a)).or_default().push(format!("content/{} (alias)", s.file.relative));
            }
        }
        for p in self.pages.iter().filter(|p| p.meta.render) {
            claims.entry(p.path.clone()).or_default().push(format!("content/{}", p.file.relative));
            for a in &p.meta.aliases {
                claims.entry(norm(a)).or_default().push(format!("content/{} (alias)", p.file.relative));
            }
        }
        // A taxonomy that renders nothing (its terms are other pages) claims nothing.
        for t in self.taxonomies.iter().filter(|t| t.kind.render) {
            claims.entry(t.path.clone()).or_default().push(format!("taxonomy {}", t.kind.name));
            for term in &t.terms {
                claims
                    .entry(term.path.clone())
                    .or_default()
                    .push(format!("taxonomy {} term {}", t.kind.name, term.name));
            }
        }
        for (path, who) in extra {
            claims.entry(norm(path)).or_default().push(who.clone());
        }
        claims
            .into_iter()
            .filter(|(_, who)| who.len() > 1)
            .map(|(path, who)| {
                let first = who[0].split(' ').next().unwrap_or("content").to_string();
                Diagnostic::error(first, format!("the URL {path} is claimed more than once: {}", who.join(", ")))
            })
            .collect()
    }
}

/// Year, month and day of a date, as Zola gives them.
pub fn ymd(d: &Option<NaiveDateTime>) -> (Option<i32>, Option<u32>, Option<u32>) {
    match d {
        Some(d) => (Some(d.year()), Some(d.month()), Some(d.day())),
        None => (None, None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_file_names() {
        assert_eq!(dated_name("2024-01-05-hello"), Some(("2024-01-05", Some("hello"))));
        assert_eq!(dated_name("2024-01-05_hello"), Some(("2024-01-05", Some("hello"))));
        assert_eq!(dated_name("2024-13-05-hello"), None);
        assert_eq!(dated_name("hello"), None);
    }

    #[test]
    fn natural_order() {
        assert_eq!(natural_cmp("a2", "a10"), Ordering::Less);
        assert_eq!(natural_cmp("B", "a"), Ordering::Greater);
    }
}
