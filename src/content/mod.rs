//! The content layer: Zola's model of sections, pages and taxonomies (`library`), read
//! from `content/` (this file), their markdown (`markdown`, `shortcodes`) and the one
//! serialisation every template, feed, sitemap and search index reads (`ser`).

pub mod front;
pub mod highlight;
pub mod library;
pub mod markdown;
pub mod ser;
pub mod shortcodes;
pub mod slugs;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use library::{Library, Page, Section};
use rayon::prelude::*;
use std::path::Path;

/// What to read.
pub struct LoadOptions<'a> {
    /// Build pages and sections marked `draft = true` too.
    pub drafts: bool,
    /// Another source's pages and sections (gongsi's data records), added before the
    /// Library links everything, so they are sorted, listed and translated like files.
    pub adapter: Option<&'a dyn Adapter>,
}

/// Another source of pages (gongsi's data records, like Hugo's content adapters).
pub trait Adapter: Sync {
    /// Adds generated pages and sections, or marks loaded ones, before the Library links
    /// them, so they are sorted, listed and translated like files.
    fn pages(&self, pages: &mut Vec<Page>, sections: &mut Vec<Section>) -> Vec<Diagnostic>;
    /// Taxonomies whose terms are the source's own pages, added once the Library is linked.
    fn taxonomies(&self, _lib: &Library) -> Vec<library::Taxonomy> {
        Vec::new()
    }
}

fn glob_match(pattern: &str, path: &str) -> bool {
    // `*` within a segment, `**` across segments, `?` one character.
    fn go(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) if p.get(1) == Some(&b'*') => {
                let rest = p[2..].strip_prefix(b"/").unwrap_or(&p[2..]);
                (0..=s.len()).any(|i| go(rest, &s[i..]))
            }
            (Some(b'*'), _) => (0..=s.len()).take_while(|&i| i == 0 || s[i - 1] != b'/').any(|i| go(&p[1..], &s[i..])),
            (Some(b'?'), Some(c)) if *c != b'/' => go(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &s[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), path.as_bytes())
        || path.rsplit('/').next().is_some_and(|f| go(pattern.as_bytes(), f.as_bytes()))
}

/// Reads every markdown file under `content/` into a [`Library`].
pub fn load(root: &Path, config: &Config, opts: &LoadOptions) -> (Library, Vec<Diagnostic>) {
    let content = root.join("content");
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for entry in walk_inside(&content, root, None) {
        let rel = entry.path().strip_prefix(&content).unwrap_or(entry.path()).to_path_buf();
        if entry.file_type().is_dir() {
            continue;
        }
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        if !entry.file_type().is_file() || !rel_s.ends_with(".md") {
            continue;
        }
        if config.ignored_content.iter().any(|g| glob_match(g, &rel_s)) {
            continue;
        }
        files.push(rel_s);
    }
    enum Loaded {
        Page(Box<Page>),
        Section(Box<Section>),
        Skipped,
    }
    let loaded: Vec<Result<Loaded, Diagnostic>> = files
        .par_iter()
        .map(|rel| {
            let file = Path::new("content").join(rel);
            let text = crate::load::read_text(root, &file)?;
            let (format, front, body) = match front::split(&text) {
                Some(x) => x,
                None if text.trim_start().starts_with("+++") || text.trim_start().starts_with("---") => {
                    return Err(Diagnostic::error(&file, "front matter opened with +++ or --- is never closed")
                        .at_offset(&text, 0))
                }
                None => (front::Format::Toml, "", text.as_str()),
            };
            // TOML errors point at their line (the front matter starts on line 2 at the
            // earliest); YAML errors name the file.
            fn meta<T: serde::de::DeserializeOwned>(
                file: &Path,
                text: &str,
                format: front::Format,
                front: &str,
            ) -> Result<T, Diagnostic> {
                match format {
                    front::Format::Toml => {
                        // `front` is a slice of `text`: its offset is where its lines start.
                        let base = (front.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
                        crate::load::parse_toml(file, text, base, front)
                    }
                    front::Format::Yaml => front::from_yaml(front).map_err(|e| Diagnostic::error(file, e)),
                }
            }
            let is_section = rel.rsplit('/').next().is_some_and(|f| f.starts_with("_index."));
            if is_section {
                let meta: front::SectionFront = meta(&file, &text, format, front)?;
                if meta.draft && !opts.drafts {
                    return Ok(Loaded::Skipped);
                }
                library::new_section(rel, &content, meta, body.to_string(), config)
                    .map(|s| Loaded::Section(Box::new(s)))
                    .map_err(|e| Diagnostic::error(&file, e))
            } else {
                let meta: front::PageFront = meta(&file, &text, format, front)?;
                if meta.draft && !opts.drafts {
                    return Ok(Loaded::Skipped);
                }
                library::new_page(rel, &content, meta, body.to_string(), config)
                    .map(|p| Loaded::Page(Box::new(p)))
                    .map_err(|e| Diagnostic::error(&file, e))
            }
        })
        .collect();
    let mut pages = Vec::new();
    let mut sections = Vec::new();
    for l in loaded {
        match l {
            Ok(Loaded::Page(p)) => pages.push(*p),
            Ok(Loaded::Section(s)) => sections.push(*s),
            Ok(Loaded::Skipped) => {}
            Err(d) => diags.push(d),
        }
    }
    for p in &pages {
        for name in p.meta.taxonomies.keys() {
            if !config.taxonomies_in(&p.lang).iter().any(|t| &t.name == name) {
                diags.push(Diagnostic::error(
                    Path::new("content").join(&p.file.relative),
                    format!("taxonomy `{name}` is not in the config's taxonomies for language \"{}\"", p.lang),
                ));
            }
        }
    }
    if let Some(adapter) = opts.adapter {
        diags.extend(adapter.pages(&mut pages, &mut sections));
    }
    // Zola makes a root section for every language without its `_index.md`, with the
    // default front matter and no assets, rendered with `index.html`.
    for lang in config.language_codes() {
        let rel = if lang == config.default_language { "_index.md".to_string() } else { format!("_index.{lang}.md") };
        if sections.iter().any(|s| s.file.relative == rel) {
            continue;
        }
        match library::new_section(&rel, &content, front::SectionFront::default(), String::new(), config) {
            Ok(mut s) => {
                s.assets.clear();
                s.serialized_assets.clear();
                sections.push(s);
            }
            Err(e) => diags.push(Diagnostic::error(Path::new("content").join(&rel), e)),
        }
    }
    let mut lib = Library::new(pages, sections, config);
    if let Some(adapter) = opts.adapter {
        let more = adapter.taxonomies(&lib);
        lib.taxonomies.extend(more);
    }
    (lib, diags)
}

/// Every entry below `dir`, sorted by name, following symbolic links as Zola does, but
/// only those that lead inside `boundary` (a link out of the site is skipped, and so is
/// a loop). `max_depth` as walkdir's.
pub(crate) fn walk_inside(dir: &Path, boundary: &Path, max_depth: Option<usize>) -> Vec<walkdir::DirEntry> {
    let canon = boundary.canonicalize().ok();
    let inside = |p: &Path| match (&canon, p.canonicalize()) {
        (Some(b), Ok(c)) => c.starts_with(b),
        _ => false,
    };
    let mut walk = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name();
    if let Some(d) = max_depth {
        walk = walk.max_depth(d);
    }
    let mut it = walk.into_iter();
    let mut out = Vec::new();
    while let Some(entry) = it.next() {
        let Ok(entry) = entry else { continue };
        if entry.path_is_symlink() && !inside(entry.path()) {
            if entry.file_type().is_dir() {
                it.skip_current_dir();
            }
            continue;
        }
        out.push(entry);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn globs() {
        assert!(super::glob_match("*.xls", "a/b.xls"));
        assert!(super::glob_match("drafts/**", "drafts/x/y.md"));
        assert!(!super::glob_match("drafts/*", "drafts/x/y.md"));
    }
}
