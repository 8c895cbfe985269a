//! The pipeline, start to end: load → validate → library → render → write.

use crate::cache::PageCache;
use crate::charts::ChartStyle;
use crate::datapages::DataSite;
use crate::diagnostics::{Diagnostic, Report};
use crate::links::LinkCheck;
use crate::model::hash_texts;
use crate::output::{Output, Written};
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
    /// Build into memory instead of `output` (the preview): nothing is written to disk,
    /// not the output, the page cache or the URL ledger.
    pub memory: Option<Arc<crate::memory::Memory>>,
}

impl Options {
    /// Options for building `root` into `output` (`None`: check only).
    pub fn new(root: PathBuf, output: Option<PathBuf>) -> Options {
        Options { root, output, base_url: None, strict: false, progress: false, force: false, memory: None }
    }
}

pub struct Outcome {
    pub report: Report,
    pub written: Written,
    pub pages: usize,
    pub seconds: f64,
    /// A build into memory that succeeded: what it made, for the caller to serve, and the
    /// loaded site, for the preview's quick edits.
    pub memory: Option<MemoryOutcome>,
}

/// What a successful build into memory leaves: its files and page cache, not yet served
/// (the preview serves them with [`crate::memory::Memory::commit`] unless a newer edit
/// came in meanwhile), and the loaded site.
pub struct MemoryOutcome {
    pub build: crate::memory::MemoryBuild,
    pub cache: Option<std::collections::HashMap<String, (u64, Vec<crate::output::FileRecord>)>>,
    pub resident: Resident,
}

/// A loaded site kept between builds by the preview.
pub struct Resident {
    pub site: crate::site::Site,
    pub data: Option<DataSite>,
}

impl Outcome {
    pub fn ok(&self, strict: bool) -> bool {
        self.report.errors() == 0 && (!strict || self.report.warnings() == 0)
    }
}

/// gongsi itself, as an input: a new binary may render differently.
fn exe_id() -> String {
    let exe = std::env::current_exe().ok().and_then(|e| std::fs::metadata(e).ok());
    exe.map(|m| format!("{:?}{}", m.modified().ok(), m.len())).unwrap_or_default()
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
    for rel in crate::load::sheets::sheet_files(root) {
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
    parts.push(format!("{}{}", env!("CARGO_PKG_VERSION"), exe_id()).into_bytes());
    hash_texts(parts.iter().map(Vec::as_slice))
}

/// The fingerprint of a build's inputs: every file below the site root (its path, length,
/// inode and time last written), except outputs (folders with a gongsi manifest), hidden
/// files, Cargo's `target/` and `node_modules/`; the options; and gongsi itself.
/// The URL ledger (`urls/`) has a fingerprint of its own ([`files_fingerprint`]): the build
/// writes it, and takes its fingerprint again when it did.
fn input_fingerprint(root: &Path, opts: &Options) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&files_fingerprint(root, |e| e.depth() == 1 && e.file_name() == crate::ledger::DIR).to_le_bytes());
    h.update(format!("{}|{:?}|{}|{}", exe_id(), opts.base_url, opts.strict, opts.force).as_bytes());
    h.digest()
}

/// The fingerprint of the files below `dir` (path, length, inode, time last written),
/// without outputs (folders with a gongsi manifest), hidden files, Cargo's `target/`,
/// `node_modules/` and what `skip` names.
fn files_fingerprint(dir: &Path, skip: impl Fn(&walkdir::DirEntry) -> bool) -> u64 {
    let root = dir;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let walk = walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name().into_iter();
    let walk = walk.filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0
            || !(name.starts_with('.')
                || skip(e)
                || (e.file_type().is_dir()
                    && (name == "target" || name == "node_modules" || e.path().join(crate::output::MANIFEST).exists())))
    });
    for entry in walk {
        let Ok(entry) = entry else {
            h.update(b"unreadable");
            continue;
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        h.update(rel.as_os_str().as_encoded_bytes());
        h.update(&[0]);
        if let Ok(m) = entry.metadata() {
            h.update(&m.len().to_le_bytes());
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                h.update(&m.mtime().to_le_bytes());
                h.update(&m.mtime_nsec().to_le_bytes());
                h.update(&m.ino().to_le_bytes());
            }
            #[cfg(not(unix))]
            h.update(format!("{:?}", m.modified().ok()).as_bytes());
        }
    }
    h.digest()
}

/// This process's resident memory in MiB (Linux; 0 elsewhere), for `GONGSI_TIMINGS`.
pub fn resident_mib() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096 / (1 << 20))
}

/// Makes the output ready for a build into `out_dir` (lock, staging folder, what is there now).
fn prepare_output(root: &Path, out_dir: &Path) -> Result<Output, String> {
    crate::output::check_target(root, out_dir).and_then(|()| {
        Output::new(out_dir).map_err(|e| match e.kind() {
            std::io::ErrorKind::WouldBlock => e.to_string(),
            _ => format!("cannot prepare the output: {e}"),
        })
    })
}

/// Runs the whole pipeline. Content problems come back in the report; the output is
/// changed only if there are none.
///
/// Every site goes through Zola's model. A site with gongsi's data (regions, categories,
/// sources, program or case bundles) also loads and checks its records, which become
/// pages of the Library (`datapages`) with their charts and downloads.
pub fn run(opts: &Options) -> Outcome {
    let start = Instant::now();
    let timings = std::env::var_os("GONGSI_TIMINGS").is_some();
    let phase = |name: &str| {
        if timings {
            eprintln!("[{:>8.3}s] {name} ({} MiB resident)", start.elapsed().as_secs_f64(), resident_mib());
        }
    };
    let mut report = Report::default();
    let done = |mut report: Report, written, pages| {
        report.sorted();
        Outcome { report, written, pages, seconds: start.elapsed().as_secs_f64(), memory: None }
    };
    let root = &opts.root;
    // A build into a folder whose inputs are as the last one found them, into an output
    // that is as it left it, has nothing to do: it stops here, touching nothing.
    let fingerprint = match (&opts.output, &opts.memory) {
        (Some(_), None) if std::env::var_os("GONGSI_TEST_FAULT").is_none() => {
            Some(|| (input_fingerprint(root, opts), files_fingerprint(&root.join(crate::ledger::DIR), |_| false)))
        }
        _ => None,
    };
    let mut fingerprint_done = None;
    let mut prepared = None;
    if let (Some(fp), Some(out_dir)) = (fingerprint, &opts.output) {
        if let Some(state) = crate::cache::BuildState::load(out_dir) {
            // The output is listed (its lock taken) while the inputs' fingerprint is made.
            let (fp, out) = rayon::join(fp, || prepare_output(root, out_dir));
            fingerprint_done = Some(fp);
            match out {
                Ok(out) if (state.inputs, state.ledger) == fp && out.is_as_recorded() => {
                    phase("nothing changed");
                    report.extend(state.warnings);
                    let files = out.recorded_files();
                    return done(report, Written { files, changed: 0, removed: 0 }, state.pages);
                }
                Ok(out) => prepared = Some(out),
                Err(e) => {
                    report.push(Diagnostic::error(out_dir, e));
                    report.io_error = true;
                    return done(report, Written::default(), 0);
                }
            }
        } else {
            fingerprint_done = Some(fp());
        }
    }
    let fingerprint = fingerprint_done;
    // The records, checked, when the site has any; else just the config.
    let mut data = None;
    let config = if is_data_site(root) {
        let Some(mut model) = crate::load::load_site(root, &mut report) else {
            return done(report, Written::default(), 0);
        };
        if let Some(base) = &opts.base_url {
            model.config.base_url = base.clone();
        }
        phase("loaded");
        crate::validate::validate(&model, &mut report);
        phase("validated");
        let Ok(style) = ChartStyle::load(root).map_err(|d| report.push(d)) else {
            return done(report, Written::default(), 0);
        };
        let config = model.config.clone();
        data = Some(DataSite::new(Arc::new(model), style));
        config
    } else {
        match crate::load::load_config_with_warnings(root) {
            Ok((mut config, warnings)) => {
                report.extend(warnings);
                if let Some(base) = &opts.base_url {
                    config.base_url = base.clone();
                }
                config
            }
            Err(d) => {
                report.push(d);
                return done(report, Written::default(), 0);
            }
        }
    };
    if report.errors() > 0 {
        return done(report, Written::default(), 0);
    }
    let register = |tera: &mut tera::Tera| {
        if let Some(d) = &data {
            d.register(tera)
        }
    };
    let site_opts = crate::site::Options {
        drafts: false,
        adapter: data.as_ref().map(|d| d as &dyn crate::content::Adapter),
        register: Some(&register),
        house_markdown: data.is_some(),
    };
    let site = match crate::site::Site::load(root, config, &site_opts) {
        Ok((site, diags)) => {
            report.extend(diags);
            site
        }
        Err(diags) => {
            report.extend(diags);
            return done(report, Written::default(), 0);
        }
    };
    if let Some(d) = &mut data {
        d.set_global(global_inputs(root, &d.site, site.templates_hash));
    }
    phase("library ready");
    if opts.strict && report.warnings() > 0 {
        return done(report, Written::default(), 0);
    }
    let config = &site.shared.config;
    let base = config.base().to_string();
    // Data sites check every rendered link; a Zola site follows its `[link_checker]`.
    let strict_links = data.is_some() || config.link_checker.internal_level.as_deref() == Some("error");
    let bar = progress_bar(opts.progress, site.job_count() as u64);
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1)
        }
    };
    let write_opts = |cache| crate::site::WriteOptions {
        data: data.as_ref().map(|d| d as &dyn crate::site::DataPages),
        cache,
        sitemap_alternates: data.is_some(),
        progress: Some(&tick),
    };
    if let Some(memory) = &opts.memory {
        // The preview: the same build, into memory, with the cache of its last good build.
        let build = memory.begin();
        let cache = data.as_ref().map(|_| PageCache::in_memory(memory.cache_entries()));
        let links = LinkCheck::new(&build, &base);
        let result = site.write(&links, &write_opts(cache.as_ref()));
        push_links(&mut report, links.broken(), strict_links);
        let pages = match result {
            Ok(p) => p,
            Err(errors) => {
                report.extend(errors);
                return done(report, Written::default(), 0);
            }
        };
        if data.is_some() || config.edition.is_some() {
            report.extend(crate::ledger::check(root, &pages.iter().cloned().collect()));
        }
        let n = pages.len();
        let mut outcome = done(report, Written::default(), n);
        if outcome.report.errors() == 0 {
            outcome.memory = Some(MemoryOutcome {
                build,
                cache: cache.map(PageCache::into_entries),
                resident: Resident { site, data },
            });
        }
        return outcome;
    }
    let Some(out_dir) = &opts.output else {
        let checked = crate::output::Checked::default();
        let links = LinkCheck::new(&checked, &base);
        let result = site.write(&links, &write_opts(None));
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        push_links(&mut report, links.broken(), strict_links);
        return match result {
            Ok(pages) => {
                let n = pages.len();
                if data.is_some() || config.edition.is_some() {
                    report.extend(crate::ledger::check(root, &pages.into_iter().collect()));
                }
                done(report, Written::default(), n)
            }
            Err(errors) => {
                report.extend(errors);
                done(report, Written::default(), 0)
            }
        };
    };
    let out = match prepared.map_or_else(|| prepare_output(root, out_dir), Ok) {
        Ok(o) => o,
        Err(e) => {
            report.push(Diagnostic::error(out_dir, e));
            report.io_error = true;
            return done(report, Written::default(), 0);
        }
    };
    let cache = data.as_ref().map(|_| PageCache::for_output(out_dir));
    let links = LinkCheck::new(&out, &base);
    let result = site.write(&links, &write_opts(cache.as_ref()));
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    phase("rendered");
    let pages = match result {
        Ok(p) => p,
        Err(errors) => {
            report.extend(errors);
            report.io_error = out.failed();
            return done(report, Written::default(), 0);
        }
    };
    push_links(&mut report, links.broken(), strict_links);
    let served: std::collections::BTreeSet<String> = pages.iter().cloned().collect();
    // The URL ledger: a data site always keeps one (edition "current" when unnamed).
    let edition = config.edition.clone().or_else(|| data.as_ref().map(|_| "current".to_string()));
    if edition.is_some() {
        report.extend(crate::ledger::check(root, &served));
    }
    if report.errors() > 0 || (opts.strict && report.warnings() > 0) {
        return done(report, Written::default(), pages.len());
    }
    match out.commit(opts.force) {
        Ok(written) => {
            phase("written");
            if let Some(edition) = &edition {
                if let Err(e) = crate::ledger::record(root, edition, &served) {
                    report.push(Diagnostic::warning(crate::ledger::DIR, format!("cannot update the URL ledger: {e}")));
                }
            }
            if let Some(cache) = cache {
                if let Err(e) = cache.save() {
                    report.push(Diagnostic::warning(out_dir, format!("cannot save the page cache: {e}")));
                }
            }
            // What the next build needs to know it has nothing to do, with the warnings it
            // must give again.
            match fingerprint.filter(|_| report.errors() == 0) {
                Some((inputs, _)) => {
                    let warnings = report.items.clone();
                    // The ledger as this build left it.
                    let ledger = files_fingerprint(&root.join(crate::ledger::DIR), |_| false);
                    let _ = crate::cache::BuildState { inputs, ledger, pages: pages.len(), warnings }.save(out_dir);
                }
                None => crate::cache::BuildState::clear(out_dir),
            }
            done(report, written, pages.len())
        }
        Err(crate::output::CommitError::Foreign(e)) => {
            report.push(Diagnostic::error(out_dir, format!("nothing was written: {e}")));
            done(report, Written::default(), pages.len())
        }
        Err(crate::output::CommitError::Io(e)) => {
            report.push(Diagnostic::error(out_dir, e));
            report.io_error = true;
            done(report, Written::default(), pages.len())
        }
    }
}

/// Whether the site has gongsi's data (regions, categories, sources, program or case
/// bundles, or spreadsheets of them in `data/`). A site without is a plain Zola site.
pub fn is_data_site(root: &Path) -> bool {
    ["data/regions.toml", "data/categories.toml", "data/sources.toml"].iter().any(|f| root.join(f).is_file())
        || !crate::load::sheets::sheet_files(root).is_empty()
        || walkdir::WalkDir::new(root.join("content"))
            .into_iter()
            .filter_map(Result::ok)
            .any(|e| e.file_name() == "program.toml" || e.file_name() == "case.toml")
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
