//! The pipeline, start to end: load → validate → render → write.

use crate::cache::PageCache;
use crate::charts::ChartStyle;
use crate::diagnostics::{Diagnostic, Report};
use crate::links::LinkCheck;
use crate::model::hash_texts;
use crate::output::{self, Discard, Output, Written};
use crate::render::{self, Renderer};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

pub struct Options {
    pub root: PathBuf,
    /// `None` for `check`: render everything, write nothing.
    pub output: Option<PathBuf>,
    /// Replace `config.base_url` (the preview server uses its own address).
    pub base_url: Option<String>,
    pub strict: bool,
    pub progress: bool,
    /// Delete files in the output that gongsi did not write.
    pub force: bool,
}

pub struct Outcome {
    pub report: Report,
    pub written: Written,
    pub pages: usize,
    pub seconds: f64,
}

impl Outcome {
    pub fn ok(&self, strict: bool) -> bool {
        self.report.errors() == 0 && (!strict || self.report.warnings() == 0)
    }
}

/// The site-wide inputs of every page: the config, the theme's strings, the data files,
/// the chart style, the templates, every case, the list of content files, and gongsi
/// itself (a new binary may render differently).
fn global_inputs(root: &Path, site: &crate::model::Site, templates: u64) -> u64 {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    for rel in [
        "zola.toml",
        "config.toml",
        "data/sources.toml",
        "data/regions.toml",
        "data/categories.toml",
        "charts/style.toml",
    ] {
        parts.push(std::fs::read(root.join(rel)).unwrap_or_default());
    }
    if let Some(theme) = &site.config.theme {
        parts.push(std::fs::read(root.join("themes").join(theme).join("theme.toml")).unwrap_or_default());
    }
    parts.push(site.config.base_url.as_bytes().to_vec());
    parts.push(templates.to_le_bytes().to_vec());
    for c in &site.cases {
        parts.push(c.hash.to_le_bytes().to_vec());
    }
    for p in &site.programs {
        parts.push(p.data.slug.as_bytes().to_vec());
    }
    for p in &site.pages {
        parts.push(p.relative.as_bytes().to_vec());
    }
    let exe = std::env::current_exe().ok().and_then(|e| std::fs::metadata(e).ok());
    let exe_id = exe.map(|m| format!("{:?}{}", m.modified().ok(), m.len())).unwrap_or_default();
    parts.push(format!("{}{exe_id}", env!("CARGO_PKG_VERSION")).into_bytes());
    hash_texts(parts.iter().map(Vec::as_slice))
}

/// Runs the whole pipeline. Content problems come back in the report; the output is
/// changed only if there are none.
pub fn run(opts: &Options) -> Outcome {
    let start = Instant::now();
    let timings = std::env::var_os("GONGSI_TIMINGS").is_some();
    let phase = |name: &str| {
        if timings {
            eprintln!("[{:>8.3}s] {name}", start.elapsed().as_secs_f64());
        }
    };
    let mut report = Report::default();
    let done = |mut report: Report, written, pages| {
        report.sorted();
        Outcome { report, written, pages, seconds: start.elapsed().as_secs_f64() }
    };
    if !is_data_site(&opts.root) {
        let (report, written, pages) = run_zola(opts);
        return done(report, written, pages);
    }
    let Some(mut site) = crate::load::load_site(&opts.root, &mut report) else {
        return done(report, Written::default(), 0);
    };
    if let Some(base) = &opts.base_url {
        site.config.base_url = base.clone();
    }
    phase("loaded");
    crate::validate::validate(&site, &mut report);
    phase("validated");
    let style = ChartStyle::load(&opts.root).map_err(|d| report.push(d)).ok();
    let tera = render::load_templates(&opts.root, &site.config)
        .map_err(|e| report.push(Diagnostic::error("templates", e)))
        .ok();
    let (Some(style), Some((tera, templates_hash))) = (style, tera) else {
        return done(report, Written::default(), 0);
    };
    if report.errors() > 0 || (opts.strict && report.warnings() > 0) {
        return done(report, Written::default(), 0);
    }
    let global = global_inputs(&opts.root, &site, templates_hash);
    let theme_static = site.config.theme.as_ref().map(|t| opts.root.join("themes").join(t).join("static"));
    let renderer = Renderer::new(Arc::new(site), tera, style, global);
    for (file, link) in renderer.broken_links() {
        let src = std::fs::read_to_string(opts.root.join(&file)).unwrap_or_default();
        report.push(
            Diagnostic::error(&file, format!("link to @/{link}: no such content file"))
                .at_text(&src, &format!("@/{link}")),
        );
    }
    let served = renderer.served_paths();
    report.extend(crate::ledger::check(&opts.root, &served));
    if report.errors() > 0 {
        return done(report, Written::default(), 0);
    }
    phase("renderer ready");
    let pages = renderer.page_count();
    let bar = progress_bar(opts.progress, pages as u64);
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1)
        }
    };
    let base = renderer.site.config.base().to_string();
    let Some(out_dir) = &opts.output else {
        let links = LinkCheck::new(&Discard, &base);
        let result = renderer.render_all(&links, None, &tick);
        for dir in theme_static.iter().map(PathBuf::as_path).chain([opts.root.join("static").as_path()]) {
            if let Err(e) = output::copy_static(dir, &links) {
                report.push(Diagnostic::error(dir, format!("cannot read: {e}")));
            }
        }
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        if let Err(errors) = result {
            report.extend(errors.into_iter().map(|e| Diagnostic::error("templates", e)));
        }
        report.extend(links.broken().into_iter().map(|e| Diagnostic::error("links", e)));
        return done(report, Written::default(), pages);
    };
    let out = match Output::new(out_dir) {
        Ok(o) => o,
        Err(e) => {
            report.push(Diagnostic::error(out_dir, format!("cannot create a folder beside the output: {e}")));
            return done(report, Written::default(), pages);
        }
    };
    let cache = PageCache::for_output(out_dir);
    let links = LinkCheck::new(&out, &base);
    let result = renderer.render_all(&links, Some(&cache), &tick);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    phase("rendered");
    if let Err(errors) = result {
        report.extend(errors.into_iter().map(|e| Diagnostic::error("templates", e)));
        return done(report, Written::default(), pages);
    }
    let statics = theme_static
        .iter()
        .map(PathBuf::as_path)
        .chain([opts.root.join("static").as_path()])
        .try_for_each(|dir| output::copy_static(dir, &links).map(|_| ()));
    let broken = links.broken();
    if !broken.is_empty() {
        report.extend(broken.into_iter().map(|e| Diagnostic::error("links", e)));
        return done(report, Written::default(), pages);
    }
    match statics.and_then(|()| out.commit(opts.force)) {
        Ok(written) => {
            phase("written");
            let edition = renderer.site.config.edition.clone().unwrap_or_else(|| "current".into());
            if let Err(e) = crate::ledger::record(&opts.root, &edition, &served) {
                report.push(Diagnostic::warning(crate::ledger::DIR, format!("cannot update the URL ledger: {e}")));
            }
            if let Err(e) = cache.save() {
                report.push(Diagnostic::warning(out_dir, format!("cannot save the page cache: {e}")));
            }
            done(report, written, pages)
        }
        Err(e) => {
            report.push(Diagnostic::error(out_dir, format!("nothing was written: {e}")));
            done(report, Written::default(), pages)
        }
    }
}

/// Whether the site has gongsi's data (regions, categories, sources, program or case
/// bundles). A site without is a plain Zola site and builds through Zola's model alone.
pub fn is_data_site(root: &Path) -> bool {
    ["data/regions.toml", "data/categories.toml", "data/sources.toml"].iter().any(|f| root.join(f).is_file())
        || walkdir::WalkDir::new(root.join("content"))
            .into_iter()
            .filter_map(Result::ok)
            .any(|e| e.file_name() == "program.toml" || e.file_name() == "case.toml")
}

/// A folder of `content/` that is a gongsi data bundle, not Zola content.
fn is_data_bundle(root: &Path, rel: &Path) -> bool {
    let dir = root.join("content").join(rel);
    dir.join("program.toml").is_file() || dir.join("case.toml").is_file()
}

/// Builds a site through Zola's model: content library, templates, staged output.
fn run_zola(opts: &Options) -> (Report, Written, usize) {
    let mut report = Report::default();
    let (mut config, warnings) = match crate::load::load_config_with_warnings(&opts.root) {
        Ok(x) => x,
        Err(d) => {
            report.push(d);
            return (report, Written::default(), 0);
        }
    };
    report.extend(warnings);
    if let Some(base) = &opts.base_url {
        config.base_url = base.clone();
    }
    let root = opts.root.clone();
    let skip = move |rel: &Path| is_data_bundle(&root, rel);
    let site_opts = crate::site::Options { drafts: false, skip_dir: &skip };
    let site = match crate::site::Site::load(&opts.root, config, &site_opts) {
        Ok((site, diags)) => {
            report.extend(diags);
            site
        }
        Err(diags) => {
            report.extend(diags);
            return (report, Written::default(), 0);
        }
    };
    if opts.strict && report.warnings() > 0 {
        return (report, Written::default(), 0);
    }
    let base = site.shared.config.base().to_string();
    let strict_links = site.shared.config.link_checker.internal_level.as_deref() == Some("error");
    let pages_of = |pages: &[String]| pages.len();
    let Some(out_dir) = &opts.output else {
        let links = LinkCheck::new(&Discard, &base);
        let result = site.write(&links);
        let broken = links.broken();
        push_links(&mut report, broken, strict_links);
        return match result {
            Ok(pages) => (report, Written::default(), pages_of(&pages)),
            Err(errors) => {
                report.extend(errors);
                (report, Written::default(), 0)
            }
        };
    };
    let out = match Output::new(out_dir) {
        Ok(o) => o,
        Err(e) => {
            report.push(Diagnostic::error(out_dir, format!("cannot create a folder beside the output: {e}")));
            return (report, Written::default(), 0);
        }
    };
    let links = LinkCheck::new(&out, &base);
    let pages = match site.write(&links) {
        Ok(p) => p,
        Err(errors) => {
            report.extend(errors);
            return (report, Written::default(), 0);
        }
    };
    push_links(&mut report, links.broken(), strict_links);
    let served: std::collections::BTreeSet<String> = pages.iter().cloned().collect();
    if site.shared.config.edition.is_some() {
        report.extend(crate::ledger::check(&opts.root, &served));
    }
    if report.errors() > 0 || (opts.strict && report.warnings() > 0) {
        return (report, Written::default(), 0);
    }
    match out.commit(opts.force) {
        Ok(written) => {
            if let Some(edition) = &site.shared.config.edition {
                if let Err(e) = crate::ledger::record(&opts.root, edition, &served) {
                    report.push(Diagnostic::warning(crate::ledger::DIR, format!("cannot update the URL ledger: {e}")));
                }
            }
            (report, written, pages.len())
        }
        Err(e) => {
            report.push(Diagnostic::error(out_dir, format!("nothing was written: {e}")));
            (report, Written::default(), 0)
        }
    }
}

/// Links in rendered pages that lead nowhere: errors when `link_checker.internal_level = "error"`.
fn push_links(report: &mut Report, broken: Vec<String>, strict: bool) {
    for b in broken {
        report.push(if strict { Diagnostic::error("links", b) } else { Diagnostic::warning("links", b) });
    }
}

fn progress_bar(enabled: bool, len: u64) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !enabled || !std::io::stderr().is_terminal() || len < 200 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar} {eta}").ok()?,
    );
    Some(bar)
}

/// The default output folder of a site.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}
