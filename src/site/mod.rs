//! The build of Zola's model: which outputs a Library has (pages, sections and their
//! pagers, taxonomies, feeds, aliases, sitemap, robots.txt, 404, search index, Sass,
//! static files and colocated assets), rendered in parallel and handed to a [`Sink`].
//!
//! Every output path is known and checked for collisions before anything renders, so
//! what is written never depends on thread timing.

mod minify;
mod search;

use crate::cache::PageCache;
use crate::config::Config;
use crate::content::library::{Item, Library};
use crate::content::markdown::{FileContext, Settings};
use crate::content::ser::Views;
use crate::diagnostics::Diagnostic;
use crate::output::{Discard, FileRecord, Sink};
use crate::templates::{self, base_context, describe, FileHooks, Shared, SharedRef};
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use tera::{Context, Tera};

pub struct Options<'a> {
    pub drafts: bool,
    /// Pages and sections made from data records (see [`crate::content::Adapter`]).
    pub adapter: Option<&'a dyn crate::content::Adapter>,
    /// Template functions and filters a data source adds.
    pub register: Option<&'a (dyn Fn(&mut Tera) + Sync)>,
    /// gongsi's markdown conventions for data sites: heading ids as gongsi has always
    /// published them, anchor links on headings unless the config sets them, and wide
    /// tables in a scroll region labelled in the page's language.
    pub house_markdown: bool,
}

/// Which output a data source is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Of {
    /// A page or section made from (or marked with) this record of the adapter.
    Record(usize),
    /// Any other output: a Zola page, a taxonomy, an alias.
    Other,
    /// The 404 page.
    NotFound,
}

/// What a source of data pages adds when the site is written (gongsi's programs, regions,
/// categories and cases). The Library already holds its pages; this gives them their
/// figures and the files that go with them.
pub trait DataPages: Sync {
    /// Adds the record's variables to the context of its page (before the template
    /// renders), hands the page's own files (charts, embeds, per-page downloads) to
    /// `sink`, and returns what the page shows as `page.data` / `section.data`.
    fn page(
        &self,
        of: Of,
        lang: &str,
        tera: &Tera,
        ctx: &mut Context,
        sink: &dyn Sink,
    ) -> Result<Option<Value>, String>;
    /// The files made from every record at once: whole-dataset downloads, feeds, indexes.
    fn site_wide(&self, sink: &dyn Sink) -> Result<usize, String>;
    /// A hash of everything the output `id` is made from, for the page cache.
    fn key(&self, of: Of, id: &str) -> u64;
}

/// How [`Site::write`] writes.
#[derive(Default)]
pub struct WriteOptions<'a> {
    pub data: Option<&'a dyn DataPages>,
    /// Outputs whose inputs did not change since the cached build are not rendered again.
    pub cache: Option<&'a PageCache>,
    /// hreflang alternates of every page in the sitemap (gongsi's data sites; for Zola
    /// sites `[extra] sitemap_alternates = true`).
    pub sitemap_alternates: bool,
    /// Called as each output is done.
    pub progress: Option<&'a (dyn Fn() + Sync)>,
}

/// A loaded, rendered-markdown site, ready to write.
pub struct Site {
    pub root: PathBuf,
    /// `sass/` compiled before pages render (templates may hash it), written with the site.
    sass: Vec<(String, Vec<u8>)>,
    pub shared: Arc<Shared>,
    /// What the Library template functions read (the same `Shared` once loaded).
    shared_ref: SharedRef,
    /// How markdown was rendered, to render one file again (the preview's quick edit).
    md: MarkdownState,
    pub tera: Tera,
    /// The templates that may read a section's, term's or taxonomy's page lists
    /// (`templates::reads_page_lists`): other list pages render without them.
    page_lists: std::collections::HashSet<String>,
    pub templates_hash: u64,
    /// What `resize_image` asked for while markdown and pages rendered.
    images: Arc<templates::images::ImageQueue>,
}

fn err(file: &str, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::error(PathBuf::from("content").join(file), msg)
}

/// A markdown error, at the line and column of the `@/…` link it names when it names one.
fn at_link(root: &Path, file: &str, msg: String) -> Diagnostic {
    let d = err(file, msg.clone());
    let Some(start) = msg.find("@/") else { return d };
    let link: String = msg[start..].chars().take_while(|c| !c.is_whitespace() && *c != ':' && *c != ')').collect();
    match std::fs::read_to_string(root.join("content").join(file)) {
        Ok(src) => d.at_text(&src, &link),
        Err(_) => d,
    }
}

/// Each language's `config` as templates see it.
fn config_views(config: &Config) -> HashMap<&str, Value> {
    config.language_codes().into_iter().map(|c| (c, config.view(c))).collect()
}

/// How a site's markdown is rendered: the same for every file.
struct MarkdownState {
    settings: Settings,
    default_anchor: crate::config::InsertAnchor,
    house_markdown: bool,
}

/// Renders one page's or section's markdown (`raw`, or the Library's text when `None`).
#[allow(clippy::too_many_arguments)]
fn render_markdown(
    lib: &Library,
    item: Item,
    raw: Option<&str>,
    tera: &Tera,
    config: &Config,
    config_views: &HashMap<&str, Value>,
    md: &MarkdownState,
    permalinks: &HashMap<String, String>,
    root: &Path,
) -> Result<crate::content::library::Rendered, Diagnostic> {
    let default_anchor = md.default_anchor;
    let section_anchor = |rel: &str| -> crate::config::InsertAnchor {
        match lib.get(rel) {
            Some(Item::Section(i)) => lib.sections[i].meta.insert_anchor_links.unwrap_or(default_anchor),
            _ => default_anchor,
        }
    };
    let (text, lang, permalink, rel, anchor) = match item {
        Item::Page(i) => {
            let p = &lib.pages[i];
            let anchor = p.ancestors.last().map(|a| section_anchor(a)).unwrap_or(default_anchor);
            (&p.raw, &p.lang, &p.permalink, &p.file.relative, anchor)
        }
        Item::Section(i) => {
            let s = &lib.sections[i];
            let anchor = s.meta.insert_anchor_links.unwrap_or(default_anchor);
            (&s.raw, &s.lang, &s.permalink, &s.file.relative, anchor)
        }
    };
    let raw = raw.unwrap_or(text);
    let hooks = FileHooks {
        tera,
        lang,
        config: &config_views[lang.as_str()],
        item: crate::content::ser::for_markdown(lib, item, config),
        permalink,
    };
    let f = FileContext { permalink, insert_anchor: anchor, permalinks };
    let mut r = crate::content::markdown::render(raw, &md.settings, &f, &hooks).map_err(|e| at_link(root, rel, e))?;
    // A data site that allows raw HTML still never publishes a script or a javascript: link.
    if md.house_markdown && config.markdown.unsafe_html == Some(true) {
        r.content = crate::content::markdown::sanitize(&r.content);
        r.summary = r.summary.as_deref().map(crate::content::markdown::sanitize);
    }
    if md.house_markdown {
        let label = crate::strings::built_in("table", lang).unwrap_or("Table");
        r.content = crate::content::markdown::wrap_tables(&r.content, label);
    }
    Ok(r)
}

impl Site {
    /// Loads the content, checks paths, renders every file's markdown.
    pub fn load(root: &Path, config: Config, opts: &Options) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
        let t0 = std::time::Instant::now();
        let timings = std::env::var_os("GONGSI_TIMINGS").is_some();
        let phase = |name: &str| {
            if timings {
                eprintln!(
                    "  [{:>8.3}s] site: {name} ({} MiB resident)",
                    t0.elapsed().as_secs_f64(),
                    crate::build::resident_mib()
                );
            }
        };
        let load_opts = crate::content::LoadOptions { drafts: opts.drafts, adapter: opts.adapter };
        let (mut lib, mut diags) = crate::content::load(root, &config, &load_opts);
        phase("content loaded");
        diags.extend(lib.path_collisions(&[]));
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }
        let mut permalinks = HashMap::new();
        for p in &lib.pages {
            permalinks.insert(p.file.relative.clone(), p.permalink.clone());
        }
        for s in &lib.sections {
            permalinks.insert(s.file.relative.clone(), s.permalink.clone());
        }
        // While markdown renders, the Library functions see an empty Library.
        let shared: SharedRef = Arc::new(RwLock::new(Arc::new(Shared {
            lib: Library::default(),
            views: Views::new(&config),
            config: config.clone(),
            permalinks: permalinks.clone(),
        })));
        let sass = if config.compile_sass { sass(root, &config)? } else { Vec::new() };
        let generated = sass.iter().map(|(p, b)| (p.trim_start_matches('/').to_string(), b.clone())).collect();
        let images = Arc::new(templates::images::ImageQueue::default());
        let (mut tera, templates_hash) =
            templates::load(root, &config, shared.clone(), generated, asset_outputs(&lib), Arc::clone(&images))
                .map_err(|e| vec![templates_error(root, e)])?;
        if let Some(register) = opts.register {
            register(&mut tera);
        }
        // Raw HTML in markdown: Zola's default is on; a data site's is off (editors' text
        // is shown as written, never run).
        let mut settings = Settings::new(&config.markdown, config.slugify.anchors, config.base(), !opts.house_markdown);
        settings.house_ids = opts.house_markdown;
        settings.single_tilde_strikes = !opts.house_markdown;
        let default_anchor = match config.markdown.insert_anchor_links {
            crate::config::InsertAnchor::None if opts.house_markdown => crate::config::InsertAnchor::Right,
            a => a,
        };
        settings.check().map_err(|e| vec![Diagnostic::error("config", e)])?;
        phase("templates loaded");
        let lib_arc = Arc::new(std::mem::take(&mut lib));
        let config_views = config_views(&config);
        let items: Vec<Item> =
            (0..lib_arc.pages.len()).map(Item::Page).chain((0..lib_arc.sections.len()).map(Item::Section)).collect();
        let md = MarkdownState { settings, default_anchor, house_markdown: opts.house_markdown };
        let rendered: Vec<Result<(Item, crate::content::library::Rendered), Diagnostic>> = items
            .par_iter()
            .map(|&item| {
                render_markdown(&lib_arc, item, None, &tera, &config, &config_views, &md, &permalinks, root)
                    .map(|r| (item, r))
            })
            .collect();
        phase("markdown rendered");
        let mut lib = Arc::try_unwrap(lib_arc).unwrap_or_else(|_| unreachable!("no other owner"));
        let mut errors = Vec::new();
        for r in rendered {
            match r {
                Ok((item, r)) => lib.set_rendered(item, r),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            diags.extend(errors);
            return Err(diags);
        }
        // Anchors of `@/file.md#anchor` links must exist.
        for (item, links) in lib
            .pages
            .iter()
            .map(|p| (&p.file.relative, &p.rendered.internal_links))
            .chain(lib.sections.iter().map(|s| (&s.file.relative, &s.rendered.internal_links)))
        {
            for (target, anchor) in links {
                let Some(a) = anchor else { continue };
                let toc = match lib.get(target) {
                    // A data page's anchors are its figures too: the rendered-link check judges those.
                    Some(Item::Page(i)) if lib.pages[i].record.is_some() => continue,
                    Some(Item::Page(i)) => &lib.pages[i].rendered.toc,
                    Some(Item::Section(i)) => &lib.sections[i].rendered.toc,
                    None => continue,
                };
                fn has(t: &[crate::content::library::Heading], a: &str) -> bool {
                    t.iter().any(|h| h.id == a || has(&h.children, a))
                }
                if !has(toc, a) {
                    diags
                        .push(err(item, format!("link to @/{target}#{a}: that page has no heading with the id `{a}`")));
                }
            }
        }
        // A template named in front matter must exist: the error is the line that names it.
        fn missing<'t>(tera: &Tera, t: &'t Option<String>) -> Option<&'t String> {
            t.as_ref().filter(|t| !tera.get_template_names().any(|n| n == t.as_str()))
        }
        for s in &lib.sections {
            for (t, key) in [(&s.meta.template, "template"), (&s.meta.page_template, "page_template")] {
                if let Some(t) = missing(&tera, t) {
                    diags.push(front_key_error(root, &s.file.relative, key, t));
                }
            }
        }
        for p in &lib.pages {
            if let Some(t) = missing(&tera, &p.meta.template) {
                let own = front_key_line(root, &p.file.relative, "template").is_some();
                let section = p.ancestors.last().filter(|_| !own);
                let (file, key) = match section {
                    Some(sec) => (sec, "page_template"),
                    None => (&p.file.relative, "template"),
                };
                diags.push(front_key_error(root, file, key, t));
            }
        }
        diags.dedup_by(|a, b| a.to_string() == b.to_string());
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }
        phase("links checked");
        let views = Views::new(&config);
        phase("views made");
        let final_shared = Arc::new(Shared { lib, views, config, permalinks });
        *shared.write().unwrap() = final_shared.clone();
        Ok((
            Site {
                root: root.to_path_buf(),
                sass,
                shared: final_shared,
                shared_ref: shared,
                md,
                page_lists: templates::page_list_readers(&tera),
                tera,
                templates_hash,
                images,
            },
            diags,
        ))
    }

    /// The index of the page made from the content file `rel` ("programs/x/index.md").
    pub fn page_index(&self, rel: &str) -> Option<usize> {
        match self.shared.lib.get(rel) {
            Some(Item::Page(i)) => Some(i),
            _ => None,
        }
    }

    /// The preview's quick edit: page `i` gets the markdown `body` (its front matter is
    /// unchanged), rendered as a build renders it. Pages that list it see its new text when
    /// they render (views are made on demand); links into it are checked by the next whole build.
    pub fn set_page_body(&mut self, i: usize, body: String) -> Result<(), Diagnostic> {
        let config = &self.shared.config;
        let cv = config_views(config);
        let r = render_markdown(
            &self.shared.lib,
            Item::Page(i),
            Some(&body),
            &self.tera,
            config,
            &cv,
            &self.md,
            &self.shared.permalinks,
            &self.root,
        )?;
        // Own the Library for a moment: the template functions see an empty one meanwhile.
        let empty = Arc::new(Shared {
            lib: Library::default(),
            views: Views::new(config),
            config: self.shared.config.clone(),
            permalinks: HashMap::new(),
        });
        *self.shared_ref.write().unwrap() = empty.clone();
        let mut shared = std::mem::replace(&mut self.shared, empty);
        let Some(s) = Arc::get_mut(&mut shared) else {
            *self.shared_ref.write().unwrap() = shared.clone();
            self.shared = shared;
            return Err(Diagnostic::error("content", "the site is in use by another render"));
        };
        let (words, minutes) = crate::content::library::reading_analytics(&body);
        let page = &mut s.lib.pages[i];
        page.raw = body;
        page.word_count = words;
        page.reading_time = minutes;
        s.lib.set_rendered(Item::Page(i), r);
        *self.shared_ref.write().unwrap() = shared.clone();
        self.shared = shared;
        Ok(())
    }

    /// Reads the templates again (the preview's quick edit of a template): `register` adds
    /// the data source's functions, as at load. On an error the old templates stay.
    pub fn reload_templates(&mut self, register: Option<&dyn Fn(&mut Tera)>) -> Result<(), Diagnostic> {
        let generated = self.sass.iter().map(|(p, b)| (p.trim_start_matches('/').to_string(), b.clone())).collect();
        let (mut tera, hash) = templates::load(
            &self.root,
            &self.shared.config,
            self.shared_ref.clone(),
            generated,
            asset_outputs(&self.shared.lib),
            Arc::clone(&self.images),
        )
        .map_err(|e| templates_error(&self.root, e))?;
        if let Some(register) = register {
            register(&mut tera);
        }
        self.page_lists = templates::page_list_readers(&tera);
        self.tera = tera;
        self.templates_hash = hash;
        Ok(())
    }

    /// The pages and sections served at these site paths ("/programs/x/"), as jobs.
    pub fn items_at(&self, paths: &[String]) -> Vec<Item> {
        let lib = &self.shared.lib;
        let mut out = Vec::new();
        for (i, p) in lib.pages.iter().enumerate() {
            if p.meta.render && paths.contains(&p.path) {
                out.push(Item::Page(i));
            }
        }
        for (i, s) in lib.sections.iter().enumerate() {
            if s.meta.render && paths.contains(&s.path) {
                out.push(Item::Section(i));
            }
        }
        out
    }

    /// Renders these pages and sections (with their charts, embeds and downloads) into `sink`, whatever a cache
    /// knows: the preview's quick edit. Returns the site paths of the pages written.
    pub fn write_items(
        &self,
        items: &[Item],
        sink: &dyn Sink,
        data: Option<&dyn DataPages>,
    ) -> Result<Vec<String>, Diagnostic> {
        let config = &self.shared.config;
        let cv = config_views(config);
        let opts = WriteOptions { data, ..WriteOptions::default() };
        let jobs: Vec<Job> = items
            .iter()
            .map(|&it| match it {
                Item::Page(i) => Job::Page(i),
                Item::Section(i) => Job::Section(i),
            })
            .collect();
        let results: Vec<Result<Vec<String>, Diagnostic>> =
            jobs.par_iter().map(|job| self.run_cached(job, &cv, &opts, sink)).collect();
        let mut out = Vec::new();
        for r in results {
            out.extend(r?);
        }
        Ok(out)
    }

    fn render(&self, name: &str, ctx: &Context) -> Result<String, String> {
        self.tera.render(name, ctx).map_err(|e| format!("template {name}: {}", describe(&e)))
    }

    fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    /// The first of `names` the templates have.
    fn pick<'a>(&self, names: &[&'a str]) -> Option<&'a str> {
        names.iter().copied().find(|n| self.has_template(n))
    }

    /// Renders every output and hands it to `sink`; returns the site paths written as pages.
    pub fn write(&self, sink: &dyn Sink, opts: &WriteOptions) -> Result<Vec<String>, Vec<Diagnostic>> {
        let s = &*self.shared;
        let lib = &s.lib;
        let config = &s.config;
        let cv = config_views(config);
        let jobs = self.jobs();
        let results: Vec<Result<Vec<String>, Diagnostic>> = jobs
            .par_iter()
            .map(|job| {
                let r = self.run_cached(job, &cv, opts, sink);
                if let Some(tick) = opts.progress {
                    tick();
                }
                r
            })
            .collect();
        let mut errors = Vec::new();
        let mut pages = Vec::new();
        let mut sitemap: Vec<(String, Option<String>, String)> = Vec::new();
        for (job, r) in jobs.iter().zip(results) {
            match r {
                Ok(mut written) => {
                    pages.append(&mut written);
                    if let Some(entry) = self.sitemap_entry(job) {
                        sitemap.push(entry);
                    }
                    if config.exclude_paginated_pages_in_sitemap != "all" {
                        sitemap.extend(self.pager_entries(job));
                    }
                }
                Err(d) => errors.push(d),
            }
        }
        // Zola's sitemap lists every rendered taxonomy, even one without terms (whose list
        // page it does not write).
        for t in self.shared.lib.taxonomies.iter().filter(|t| t.kind.render && t.terms.is_empty()) {
            sitemap.push((t.permalink.clone(), None, String::new()));
        }
        if let Some(data) = opts.data {
            if let Err(e) = cached(opts.cache, data.key(Of::Other, SITE_FILES), SITE_FILES, sink, |rec| {
                data.site_wide(rec).map(|_| ())
            }) {
                errors.push(Diagnostic::error("public", e));
            }
        }
        // The images `resize_image` queued, now that every page has rendered.
        for made in self.images.process() {
            match made
                .and_then(|(path, bytes)| sink.put(&path, &bytes).map_err(|e| format!("cannot write {path}: {e}")))
            {
                Ok(_) => {}
                Err(e) => errors.push(Diagnostic::error("templates", format!("`resize_image`: {e}"))),
            }
        }
        // Site-wide files.
        let site_wide = self.site_wide(&cv, sitemap, opts.sitemap_alternates);
        match site_wide {
            Ok(files) => {
                for (path, bytes) in files {
                    if let Err(e) = sink.put(&path, &bytes) {
                        errors.push(Diagnostic::error("public", format!("cannot write {path}: {e}")));
                    }
                }
            }
            Err(mut d) => errors.append(&mut d),
        }
        let theme_static = config.theme.as_ref().map(|t| self.root.join("themes").join(t).join("static"));
        for dir in theme_static.iter().cloned().chain([self.root.join("static")]) {
            if let Err(e) = crate::output::copy_static(&dir, sink) {
                errors.push(Diagnostic::error(&dir, format!("cannot copy: {e}")));
            }
        }
        // Class-based highlighting stylesheets: the site's static file of that name wins, a theme's does not.
        for (name, css) in crate::content::highlight::theme_css(&config.markdown) {
            if !self.root.join("static").join(name).exists() {
                errors.extend(
                    sink.put(&format!("/{name}"), css.as_bytes())
                        .err()
                        .map(|e| Diagnostic::error("public", e.to_string())),
                );
            }
        }
        // Colocated assets.
        for (assets, path, dir) in lib
            .pages
            .iter()
            .filter(|p| p.meta.render)
            .map(|p| (&p.assets, &p.path, &p.file.dir))
            .chain(lib.sections.iter().filter(|s| s.meta.render).map(|s| (&s.assets, &s.path, &s.file.dir)))
        {
            for a in assets {
                // Subfolders of a bundle keep their place below the page.
                let Ok(rel) = a.strip_prefix(dir) else { continue };
                let rel = rel.to_string_lossy().replace('\\', "/");
                match std::fs::read(a) {
                    Ok(bytes) => {
                        if let Err(e) = sink.put(&format!("{path}{rel}"), &bytes) {
                            errors.push(Diagnostic::error(a, format!("cannot copy: {e}")));
                        }
                    }
                    Err(e) => errors.push(Diagnostic::error(a, format!("cannot read: {e}"))),
                }
            }
        }
        if errors.is_empty() {
            pages.sort();
            Ok(pages)
        } else {
            Err(errors)
        }
    }

    /// How many outputs [`Site::write`] renders (for a progress bar).
    pub fn job_count(&self) -> usize {
        self.jobs().len()
    }

    /// One job, unless the cache knows its files are already in the output as they would
    /// be made now. Returns the site paths of the pages it wrote.
    fn run_cached(
        &self,
        job: &Job,
        cv: &HashMap<&str, Value>,
        opts: &WriteOptions,
        sink: &dyn Sink,
    ) -> Result<Vec<String>, Diagnostic> {
        let of = self.of(job);
        let id = self.job_id(job);
        let key = opts.data.map(|d| d.key(of, &id)).unwrap_or(0);
        let cache = opts.cache.filter(|_| opts.data.is_some());
        let side_id = format!("{id} +files");
        if let Some(c) = cache {
            if let (Some(main), Some(side)) = (c.lookup(&id, key), c.lookup(&side_id, key)) {
                if main.iter().chain(side).all(|f| sink.keep(f)) {
                    c.record(&id, key, main.to_vec());
                    c.record(&side_id, key, side.to_vec());
                    return Ok(main.iter().filter_map(|f| page_path(&f.rel)).collect());
                }
            }
        }
        let side = Recorder::new(sink);
        let files = self.run(job, cv, opts.data, &side)?;
        let main = Recorder::new(sink);
        let mut pages = Vec::new();
        let minify = self.shared.config.minify_html;
        for (path, bytes) in files {
            if let Err(e) = main.put(&path, &minify::output(minify, &path, bytes)) {
                return Err(Diagnostic::error("public", format!("cannot write {path}: {e}")));
            }
            if path.ends_with('/') {
                pages.push(path);
            }
        }
        if let Some(c) = cache {
            c.record(&id, key, main.into_files());
            c.record(&side_id, key, side.into_files());
        }
        Ok(pages)
    }

    /// What a job is to a data source.
    fn of(&self, job: &Job) -> Of {
        let lib = &self.shared.lib;
        match job {
            Job::Page(i) => lib.pages[*i].record.map_or(Of::Other, Of::Record),
            Job::Section(i) => lib.sections[*i].record.map_or(Of::Other, Of::Record),
            Job::NotFound => Of::NotFound,
            _ => Of::Other,
        }
    }

    /// A job's name in the page cache: the path of its first output.
    fn job_id(&self, job: &Job) -> String {
        let lib = &self.shared.lib;
        match job {
            Job::Page(i) => lib.pages[*i].path.clone(),
            Job::Section(i) => lib.sections[*i].path.clone(),
            Job::Alias(a, _) => format!("alias {a}"),
            Job::TaxonomyList(i) => lib.taxonomies[*i].path.clone(),
            Job::Term(i, j) => lib.taxonomies[*i].terms[*j].path.clone(),
            Job::NotFound => "/404.html".into(),
        }
    }

    fn jobs(&self) -> Vec<Job> {
        let lib = &self.shared.lib;
        let mut jobs = Vec::new();
        for (i, p) in lib.pages.iter().enumerate() {
            if p.meta.render {
                jobs.push(Job::Page(i));
            }
            for a in &p.meta.aliases {
                jobs.push(Job::Alias(a.clone(), p.permalink.clone()));
            }
        }
        for (i, s) in lib.sections.iter().enumerate() {
            if s.meta.render {
                jobs.push(Job::Section(i));
            }
            for a in &s.meta.aliases {
                jobs.push(Job::Alias(a.clone(), s.permalink.clone()));
            }
        }
        for (i, t) in lib.taxonomies.iter().enumerate() {
            // Zola writes nothing for a taxonomy without terms.
            if !t.kind.render || t.terms.is_empty() {
                continue;
            }
            jobs.push(Job::TaxonomyList(i));
            for j in 0..t.terms.len() {
                jobs.push(Job::Term(i, j));
            }
        }
        jobs.push(Job::NotFound);
        jobs
    }

    fn sitemap_entry(&self, job: &Job) -> Option<(String, Option<String>, String)> {
        let lib = &self.shared.lib;
        match job {
            Job::Page(i) => {
                let p = &lib.pages[*i];
                Some((p.permalink.clone(), p.meta.updated.clone().or(p.meta.date.clone()), p.file.canonical.clone()))
            }
            Job::Section(i) => {
                let s = &lib.sections[*i];
                Some((s.permalink.clone(), None, format!("{}/_index", s.file.canonical)))
            }
            Job::TaxonomyList(i) => Some((lib.taxonomies[*i].permalink.clone(), None, String::new())),
            Job::Term(i, j) => Some((lib.taxonomies[*i].terms[*j].permalink.clone(), None, String::new())),
            _ => None,
        }
    }

    /// Every pager of a paginated section or term, `<paginate_path>/1/` included, as Zola lists them.
    fn pager_entries(&self, job: &Job) -> Vec<(String, Option<String>, String)> {
        let lib = &self.shared.lib;
        let (permalink, count, by, pp) = match job {
            Job::Section(i) => {
                let s = &lib.sections[*i];
                match s.meta.paginate_by.filter(|&n| n > 0) {
                    Some(by) if s.meta.redirect_to.is_none() => {
                        (&s.permalink, s.pages.len(), by, s.meta.paginate_path.clone())
                    }
                    _ => return Vec::new(),
                }
            }
            Job::Term(i, j) => {
                let t = &lib.taxonomies[*i];
                match t.kind.paginate_by.filter(|&n| n > 0) {
                    Some(by) => {
                        (&t.terms[*j].permalink, t.terms[*j].pages.len(), by, t.kind.paginate_path().to_string())
                    }
                    None => return Vec::new(),
                }
            }
            _ => return Vec::new(),
        };
        let n = count.div_ceil(by).max(1);
        (1..=n)
            .map(|k| {
                let below = if pp.is_empty() { format!("{k}/") } else { format!("{pp}/{k}/") };
                (format!("{permalink}{below}"), None, String::new())
            })
            .collect()
    }

    fn run(
        &self,
        job: &Job,
        cv: &HashMap<&str, Value>,
        data: Option<&dyn DataPages>,
        side: &dyn Sink,
    ) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
        let s = &*self.shared;
        let lib = &s.lib;
        let of = self.of(job);
        // The data source's variables, and what it shows as `page.data`.
        let hook = |lang: &str, ctx: &mut Context, side: &dyn Sink| -> Result<Option<Value>, String> {
            match data {
                Some(d) => d.page(of, lang, &self.tera, ctx, side),
                None => Ok(None),
            }
        };
        match job {
            Job::Page(i) => {
                let p = &lib.pages[*i];
                let mut ctx = base_context(&cv[p.lang.as_str()], &p.lang, &p.permalink, &p.path);
                let mut view = s.views.page(lib, *i);
                if let Some(d) = hook(&p.lang, &mut ctx, side).map_err(|e| err(&p.file.relative, e))? {
                    view["data"] = d;
                }
                crate::templates::insert_owned(&mut ctx, "page", view);
                let tpl = p.meta.template.as_deref().unwrap_or("page.html");
                let html = self.render(tpl, &ctx).map_err(|e| err(&p.file.relative, e))?;
                Ok(vec![(p.path.clone(), html.into_bytes())])
            }
            Job::Section(i) => self.section(*i, cv, &hook, side).map_err(|e| err(&lib.sections[*i].file.relative, e)),
            Job::Alias(alias, url) => {
                let mut ctx = Context::new();
                ctx.insert("url", url);
                let html = self.render("internal/alias.html", &ctx).map_err(|e| Diagnostic::error("templates", e))?;
                let a = alias.trim().trim_start_matches('/');
                let path = if a.ends_with(".html") || a.ends_with('/') { format!("/{a}") } else { format!("/{a}/") };
                Ok(vec![(path, html.into_bytes())])
            }
            Job::TaxonomyList(i) => {
                let t = &lib.taxonomies[*i];
                let specific = format!("{}/list.html", t.kind.name);
                let tpl = self.pick(&[&specific, "taxonomy_list.html"]).ok_or_else(|| {
                    Diagnostic::error(
                        "templates",
                        format!("no template for the taxonomy `{}`: add taxonomy_list.html or {specific}", t.kind.name),
                    )
                })?;
                let mut ctx = base_context(&cv[t.lang.as_str()], &t.lang, &t.permalink, &t.path);
                hook(&t.lang, &mut ctx, side).map_err(|e| Diagnostic::error("templates", e))?;
                ctx.insert("taxonomy", &t.kind);
                let reads = self.page_lists.contains(tpl);
                let terms: Vec<Value> = t.terms.iter().map(|term| s.views.term(lib, term, reads)).collect();
                ctx.insert("terms", &terms);
                let html = self.render(tpl, &ctx).map_err(|e| Diagnostic::error("templates", e))?;
                Ok(vec![(t.path.clone(), html.into_bytes())])
            }
            Job::Term(i, j) => self.term(*i, *j, cv, &hook, side),
            Job::NotFound => {
                let lang = &s.config.default_language;
                // Zola gives the 404 page only `config` and `lang` (no `current_url` or
                // `current_path`); a data site's hook adds what its theme needs.
                let mut ctx = Context::new();
                ctx.insert("config", &cv[lang.as_str()]);
                ctx.insert("lang", lang);
                ctx.insert("zola_version", "0.22.1");
                hook(lang, &mut ctx, side).map_err(|e| Diagnostic::error("templates", e))?;
                let html = self.render("404.html", &ctx).map_err(|e| Diagnostic::error("templates", e))?;
                Ok(vec![("/404.html".into(), html.into_bytes())])
            }
        }
    }

    fn section(&self, i: usize, cv: &HashMap<&str, Value>, hook: &Hook, side: &dyn Sink) -> Result<Files, String> {
        let s = &*self.shared;
        let lib = &s.lib;
        let sec = &lib.sections[i];
        if let Some(to) = &sec.meta.redirect_to {
            // Zola: an external link as it is, anything else through `make_permalink`
            // (so `redirect_to = "chapter1"` leads to `/chapter1/`).
            let url = if to.starts_with("http:") || to.starts_with("https:") {
                to.clone()
            } else {
                s.config.make_permalink(to)
            };
            let mut ctx = Context::new();
            ctx.insert("url", &url);
            return Ok(vec![(sec.path.clone(), self.render("internal/alias.html", &ctx)?.into_bytes())]);
        }
        let tpl = sec.template();
        let mut out = Vec::new();
        let config_view = &cv[sec.lang.as_str()];
        match sec.meta.paginate_by.filter(|&n| n > 0) {
            None => {
                let mut ctx = base_context(config_view, &sec.lang, &sec.permalink, &sec.path);
                let mut view = s.views.section(lib, i, self.page_lists.contains(tpl));
                if let Some(d) = hook(&sec.lang, &mut ctx, side)? {
                    view["data"] = d;
                }
                crate::templates::insert_owned(&mut ctx, "section", view);
                out.push((sec.path.clone(), self.render(tpl, &ctx)?.into_bytes()));
            }
            Some(by) => {
                let mut pages = sec.pages.clone();
                if sec.meta.paginate_reversed {
                    pages.reverse();
                }
                let mut meta = s.views.section(lib, i, false);
                let pagers = paginate(&pages, by, &sec.permalink, &sec.path, &sec.meta.paginate_path);
                for (k, pager) in pagers.iter().enumerate() {
                    let mut ctx = base_context(config_view, &sec.lang, &pager.permalink, &pager.path);
                    // The section's own files are written once, with its first pager.
                    if let Some(d) = hook(&sec.lang, &mut ctx, if k == 0 { side } else { &Discard })? {
                        meta["data"] = d;
                    }
                    ctx.insert("section", &meta);
                    let pager_pages = self.page_lists.contains(tpl).then_some(s);
                    ctx.insert(
                        "paginator",
                        &paginator(&pagers, k, by, &sec.permalink, &sec.meta.paginate_path, pager_pages),
                    );
                    out.push((pager.path.clone(), self.render(tpl, &ctx)?.into_bytes()));
                }
                // Zola's page 1 under the pager path redirects to the section.
                let mut ctx = Context::new();
                ctx.insert("url", &sec.permalink);
                let first = format!("{}{}/1/", sec.path, sec.meta.paginate_path.trim_matches('/'));
                let first = if sec.meta.paginate_path.is_empty() { format!("{}1/", sec.path) } else { first };
                out.push((first, self.render("internal/alias.html", &ctx)?.into_bytes()));
            }
        }
        Ok(out)
    }

    fn term(
        &self,
        i: usize,
        j: usize,
        cv: &HashMap<&str, Value>,
        hook: &Hook,
        side: &dyn Sink,
    ) -> Result<Files, Diagnostic> {
        let s = &*self.shared;
        let t = &s.lib.taxonomies[i];
        let term = &t.terms[j];
        let specific = format!("{}/single.html", t.kind.name);
        let tpl = self.pick(&[&specific, "taxonomy_single.html"]).ok_or_else(|| {
            Diagnostic::error(
                "templates",
                format!("no template for terms of `{}`: add taxonomy_single.html or {specific}", t.kind.name),
            )
        })?;
        let config_view = &cv[t.lang.as_str()];
        let mut out = Vec::new();
        let e = |e: String| Diagnostic::error("templates", e);
        match t.kind.paginate_by.filter(|&n| n > 0) {
            None => {
                let mut ctx = base_context(config_view, &t.lang, &term.permalink, &term.path);
                hook(&t.lang, &mut ctx, side).map_err(e)?;
                ctx.insert("taxonomy", &t.kind);
                ctx.insert("term", &s.views.term(&s.lib, term, self.page_lists.contains(tpl)));
                out.push((term.path.clone(), self.render(tpl, &ctx).map_err(e)?.into_bytes()));
            }
            Some(by) => {
                let pp = t.kind.paginate_path().to_string();
                let pagers = paginate(&term.pages, by, &term.permalink, &term.path, &pp);
                let reads = self.page_lists.contains(tpl);
                let tv = s.views.term(&s.lib, term, reads);
                for (k, pager) in pagers.iter().enumerate() {
                    let mut ctx = base_context(config_view, &t.lang, &pager.permalink, &pager.path);
                    hook(&t.lang, &mut ctx, if k == 0 { side } else { &Discard }).map_err(e)?;
                    ctx.insert("taxonomy", &t.kind);
                    ctx.insert("term", &tv);
                    ctx.insert("paginator", &paginator(&pagers, k, by, &term.permalink, &pp, reads.then_some(s)));
                    out.push((pager.path.clone(), self.render(tpl, &ctx).map_err(e)?.into_bytes()));
                }
                let mut ctx = Context::new();
                ctx.insert("url", &term.permalink);
                out.push((
                    format!("{}{}/1/", term.path, pp),
                    self.render("internal/alias.html", &ctx).map_err(e)?.into_bytes(),
                ));
            }
        }
        // Zola writes a term's feeds when its taxonomy says `feed = true`, whatever
        // `generate_feeds` says.
        if t.kind.feed {
            for name in s.config.feed_filenames_in(&t.lang) {
                let mut ctx = base_context(config_view, &t.lang, &term.permalink, &term.path);
                ctx.insert("term", &s.views.term(&s.lib, term, false));
                ctx.insert("taxonomy", &t.kind);
                let bytes = self.feed(name, &term.pages, &format!("{}{name}", term.permalink), ctx).map_err(e)?;
                out.push((format!("{}{name}", term.path), bytes));
            }
        }
        Ok(out)
    }

    /// A feed of `pages` (those with a date, newest first, at most `feed_limit`).
    fn feed(&self, name: &str, pages: &[usize], url: &str, mut ctx: Context) -> Result<Vec<u8>, String> {
        let s = &*self.shared;
        let mut dated: Vec<usize> = pages.iter().copied().filter(|&i| s.lib.pages[i].datetime.is_some()).collect();
        dated.sort_by(|&a, &b| {
            let (a, b) = (&s.lib.pages[a], &s.lib.pages[b]);
            b.datetime.cmp(&a.datetime).then_with(|| a.permalink.cmp(&b.permalink))
        });
        // Zola 0.22 writes a feed even when no page has a date (it then has no entries).
        let last_updated = dated
            .iter()
            .map(|&i| {
                let p = &s.lib.pages[i];
                (p.updated_datetime.max(p.datetime), p.meta.updated.clone().or(p.meta.date.clone()))
            })
            .max_by(|a, b| a.0.cmp(&b.0))
            .and_then(|x| x.1);
        if let Some(limit) = s.config.feed_limit {
            dated.truncate(limit);
        }
        let views: Vec<Value> = dated.iter().map(|&i| s.views.base(&s.lib, i)).collect();
        ctx.insert("pages", &views);
        ctx.insert("feed_url", url);
        ctx.insert("last_updated", &last_updated);
        Ok(self.render(name, &ctx)?.into_bytes())
    }

    fn site_wide(
        &self,
        cv: &HashMap<&str, Value>,
        mut sitemap: Vec<(String, Option<String>, String)>,
        alternates: bool,
    ) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
        let s = &*self.shared;
        let config = &s.config;
        let lib = &s.lib;
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let d = |e: String| Diagnostic::error("templates", e);
        for lang in config.language_codes() {
            let prefix = if lang == config.default_language { String::new() } else { format!("{lang}/") };
            if config.generate_feeds_in(lang) {
                let pages: Vec<usize> =
                    (0..lib.pages.len()).filter(|&i| lib.pages[i].lang == lang && lib.pages[i].meta.render).collect();
                for name in config.feed_filenames_in(lang) {
                    let path = format!("/{prefix}{name}");
                    let ctx = base_context(&cv[lang], lang, &config.permalink(&path), &path);
                    match self.feed(name, &pages, &config.permalink(&path), ctx) {
                        Ok(b) => out.push((path, b)),
                        Err(e) => errors.push(d(e)),
                    }
                }
            }
            if config.build_search_index_in(lang) {
                out.push(search::index(lib, config, lang));
            }
        }
        for sec in lib.sections.iter().filter(|x| x.meta.generate_feeds && x.meta.render) {
            for name in config.feed_filenames_in(&sec.lang) {
                let i =
                    lib.get(&sec.file.relative).and_then(|it| if let Item::Section(i) = it { Some(i) } else { None });
                let mut ctx = base_context(&cv[sec.lang.as_str()], &sec.lang, &sec.permalink, &sec.path);
                if let Some(i) = i {
                    ctx.insert("section", &s.views.section(lib, i, false));
                }
                match self.feed(name, &sec.pages, &format!("{}{name}", sec.permalink), ctx) {
                    Ok(b) => out.push((format!("{}{name}", sec.path), b)),
                    Err(e) => errors.push(d(e)),
                }
            }
        }
        if config.generate_sitemap {
            sitemap.sort();
            sitemap.dedup_by(|a, b| a.0 == b.0);
            // hreflang alternates (every language version of the same file): gongsi's
            // addition, on when `[extra] sitemap_alternates = true`, as Zola has none.
            let alternates =
                alternates || config.extra.get("sitemap_alternates").and_then(toml::Value::as_bool) == Some(true);
            let mut by_canonical: HashMap<&str, Vec<(String, String)>> = HashMap::new();
            let section_keys: Vec<String> =
                lib.sections.iter().map(|s| format!("{}/_index", s.file.canonical)).collect();
            for p in lib.pages.iter().filter(|p| p.meta.render) {
                by_canonical.entry(p.file.canonical.as_str()).or_default().push((p.lang.clone(), p.permalink.clone()));
            }
            for (s, key) in lib.sections.iter().zip(&section_keys).filter(|(s, _)| s.meta.render) {
                by_canonical.entry(key.as_str()).or_default().push((s.lang.clone(), s.permalink.clone()));
            }
            // The default language first, then the others in the config's order.
            let order = config.language_codes();
            for v in by_canonical.values_mut() {
                v.sort_by_key(|(l, _)| order.iter().position(|c| c == l));
            }
            let entries: Vec<Value> = sitemap
                .iter()
                .map(|(permalink, updated, canonical)| {
                    let versions = by_canonical.get(canonical.as_str()).filter(|v| v.len() > 1 && alternates);
                    let alts: Vec<Value> = versions
                        .map(|v| v.iter().map(|(l, p)| json!({"lang": l, "permalink": p})).collect())
                        .unwrap_or_default();
                    let x_default = versions
                        .and_then(|v| v.iter().find(|(l, _)| *l == config.default_language))
                        .map(|(_, p)| p.clone());
                    json!({"permalink": permalink, "updated": updated, "alternates": alts, "x_default": x_default})
                })
                .collect();
            let lang = config.default_language.as_str();
            const MAX: usize = 30_000;
            if entries.len() <= MAX {
                let mut ctx = base_context(&cv[lang], lang, &config.permalink("sitemap.xml"), "/sitemap.xml");
                ctx.insert("entries", &entries);
                match self.render("sitemap.xml", &ctx) {
                    Ok(x) => out.push(("/sitemap.xml".into(), x.into_bytes())),
                    Err(e) => errors.push(d(e)),
                }
            } else {
                let mut names = Vec::new();
                for (k, chunk) in entries.chunks(MAX).enumerate() {
                    let name = format!("sitemap{}.xml", k + 1);
                    let mut ctx = base_context(&cv[lang], lang, &config.permalink(&name), &name);
                    ctx.insert("entries", chunk);
                    match self.render("sitemap.xml", &ctx) {
                        Ok(x) => out.push((format!("/{name}"), x.into_bytes())),
                        Err(e) => errors.push(d(e)),
                    }
                    names.push(config.permalink(&name));
                }
                let mut ctx = base_context(&cv[lang], lang, &config.permalink("sitemap.xml"), "/sitemap.xml");
                ctx.insert("sitemaps", &names);
                match self.render("split_sitemap_index.xml", &ctx) {
                    Ok(x) => out.push(("/sitemap.xml".into(), x.into_bytes())),
                    Err(e) => errors.push(d(e)),
                }
            }
        }
        if config.generate_robots_txt {
            let lang = config.default_language.as_str();
            let ctx = base_context(&cv[lang], lang, &config.permalink("robots.txt"), "/robots.txt");
            match self.render("robots.txt", &ctx) {
                Ok(x) => out.push(("/robots.txt".into(), x.into_bytes())),
                Err(e) => errors.push(d(e)),
            }
        }
        out.extend(self.sass.iter().cloned());
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

/// Every colocated asset by its output path (no leading `/`) → its file.
fn asset_outputs(lib: &Library) -> HashMap<String, PathBuf> {
    let mut out = HashMap::new();
    let items = lib.pages.iter().filter(|p| p.meta.render).map(|p| (&p.assets, &p.path, &p.file.dir));
    let items = items.chain(lib.sections.iter().filter(|s| s.meta.render).map(|s| (&s.assets, &s.path, &s.file.dir)));
    for (assets, path, dir) in items {
        for a in assets {
            if let Ok(rel) = a.strip_prefix(dir) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(format!("{}{rel}", path.trim_start_matches('/')), a.clone());
            }
        }
    }
    out
}

/// Rendered files: site path and bytes.
type Files = Vec<(String, Vec<u8>)>;

/// A data source's hook for one output: its variables into the context, its files to the sink.
type Hook<'a> = dyn Fn(&str, &mut Context, &dyn Sink) -> Result<Option<Value>, String> + 'a;

/// The page-cache name of the data source's whole-dataset files.
const SITE_FILES: &str = "@site-files";

/// Runs `make` into a recorder unless the cache has `id` at `key` with its files in place.
fn cached(
    cache: Option<&PageCache>,
    key: u64,
    id: &str,
    sink: &dyn Sink,
    make: impl FnOnce(&dyn Sink) -> Result<(), String>,
) -> Result<(), String> {
    if let Some(c) = cache {
        if let Some(files) = c.lookup(id, key) {
            if files.iter().all(|f| sink.keep(f)) {
                c.record(id, key, files.to_vec());
                return Ok(());
            }
        }
    }
    let rec = Recorder::new(sink);
    make(&rec)?;
    if let Some(c) = cache {
        c.record(id, key, rec.into_files());
    }
    Ok(())
}

/// The site path of a page file below the output: `a/b/index.html` → `/a/b/`.
fn page_path(rel: &str) -> Option<String> {
    if rel == "index.html" {
        return Some("/".into());
    }
    rel.strip_suffix("/index.html").map(|d| format!("/{d}/"))
}

/// A sink that notes what passes through it, for the cache.
struct Recorder<'a> {
    inner: &'a dyn Sink,
    files: std::sync::Mutex<Vec<FileRecord>>,
}

impl<'a> Recorder<'a> {
    fn new(inner: &'a dyn Sink) -> Recorder<'a> {
        Recorder { inner, files: std::sync::Mutex::new(Vec::new()) }
    }

    /// What passed, sorted, so the cache is the same whatever the thread count.
    fn into_files(self) -> Vec<FileRecord> {
        let mut f = self.files.into_inner().unwrap();
        f.sort_by(|a, b| a.rel.cmp(&b.rel));
        f
    }
}

impl Sink for Recorder<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<FileRecord> {
        let rec = self.inner.put(path, bytes)?;
        self.files.lock().unwrap().push(rec.clone());
        Ok(rec)
    }

    fn keep(&self, file: &FileRecord) -> bool {
        self.inner.keep(file)
    }
}

enum Job {
    Page(usize),
    Section(usize),
    Alias(String, String),
    TaxonomyList(usize),
    Term(usize, usize),
    NotFound,
}

struct Pager {
    index: usize,
    permalink: String,
    path: String,
    pages: Vec<usize>,
}

/// Zola's pagers: the first at the list's own URL, then `<paginate_path>/<n>/` below it
/// (below `/en/` for another language's home, not below `/`).
fn paginate(pages: &[usize], by: usize, permalink: &str, path: &str, pp: &str) -> Vec<Pager> {
    let mut out: Vec<Pager> = pages
        .chunks(by)
        .enumerate()
        .map(|(k, chunk)| {
            if k == 0 {
                return Pager { index: 1, permalink: permalink.into(), path: path.into(), pages: chunk.to_vec() };
            }
            let below = if pp.is_empty() { format!("{}/", k + 1) } else { format!("{pp}/{}/", k + 1) };
            Pager {
                index: k + 1,
                permalink: format!("{permalink}{below}"),
                path: format!("{path}{below}"),
                pages: chunk.to_vec(),
            }
        })
        .collect();
    if out.is_empty() {
        out.push(Pager { index: 1, permalink: permalink.into(), path: path.into(), pages: Vec::new() });
    }
    out
}

/// Zola's `paginator`; its `pages` only when the template may read them (`views`).
fn paginator(pagers: &[Pager], k: usize, by: usize, permalink: &str, pp: &str, views: Option<&Shared>) -> Value {
    let p = &pagers[k];
    let total: usize = pagers.iter().map(|x| x.pages.len()).sum();
    let pages = match views {
        Some(s) => p.pages.iter().map(|&i| s.views.base(&s.lib, i)).collect(),
        None => Vec::new(),
    };
    json!({
        "paginate_by": by,
        "first": permalink,
        "last": pagers.last().map(|x| x.permalink.clone()),
        "previous": k.checked_sub(1).map(|j| pagers[j].permalink.clone()),
        "next": pagers.get(k + 1).map(|x| x.permalink.clone()),
        "number_pagers": pagers.len(),
        "base_url": if pp.is_empty() { permalink.to_string() } else { format!("{permalink}{pp}/") },
        "pages": pages,
        "current_index": p.index,
        "total_pages": total,
    })
}

/// `sass/` (the theme's, then the site's): every file not starting with `_`, to CSS at the same path.
fn sass(root: &Path, config: &Config) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    let mut dirs = Vec::new();
    if let Some(t) = &config.theme {
        dirs.push(root.join("themes").join(t).join("sass"));
    }
    dirs.push(root.join("sass"));
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
            let p = entry.path();
            let name = entry.file_name().to_string_lossy();
            let is_sass = p.extension().is_some_and(|e| e == "scss" || e == "sass");
            if !entry.file_type().is_file() || !is_sass || name.starts_with('_') {
                continue;
            }
            let rel = p.strip_prefix(dir).unwrap().with_extension("css");
            let opts = grass::Options::default().load_path(dir).style(grass::OutputStyle::Compressed);
            match grass::from_path(p, &opts) {
                Ok(css) => out.push((format!("/{}", rel.to_string_lossy().replace('\\', "/")), css.into_bytes())),
                Err(e) => errors.push(Diagnostic::error(p.strip_prefix(root).unwrap_or(p), format!("Sass: {e}"))),
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A template loading error: a missing or invalid theme is the config's `theme` line.
fn templates_error(root: &Path, e: String) -> Diagnostic {
    if e.starts_with("theme \"") {
        let file = crate::load::config_path(root).unwrap_or_else(|| "config.toml".into());
        let src = std::fs::read_to_string(root.join(&file)).unwrap_or_default();
        let mut offset = 0;
        for line in src.split_inclusive('\n') {
            let rest = line.trim_start();
            if rest.strip_prefix("theme").is_some_and(|r| r.trim_start().starts_with('=')) {
                return Diagnostic::error(&file, e).at_offset(&src, offset + line.len() - rest.len());
            }
            offset += line.len();
        }
        return Diagnostic::error(&file, e);
    }
    Diagnostic::error("templates", e)
}

/// The byte offset and text of the front-matter line `key = …` of a content file.
fn front_key_line(root: &Path, rel: &str, key: &str) -> Option<(usize, String)> {
    let src = std::fs::read_to_string(root.join("content").join(rel)).ok()?;
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let rest = line.trim_start();
        if rest.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')) {
            return Some((offset + line.len() - rest.len(), src));
        }
        offset += line.len();
    }
    None
}

fn front_key_error(root: &Path, rel: &str, key: &str, template: &str) -> Diagnostic {
    let d = err(rel, format!("{key} \"{template}\" is not a template of the site or its theme"));
    match front_key_line(root, rel, key) {
        Some((offset, src)) => d.at_offset(&src, offset),
        None => d,
    }
}
