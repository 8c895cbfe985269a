//! The pipeline, start to end: load → validate → render → write.

use crate::charts::ChartStyle;
use crate::diagnostics::{Diagnostic, Report};
use crate::output::{self, Discard, Staging};
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
}

pub struct Outcome {
    pub report: Report,
    pub files: usize,
    pub pages: usize,
    pub seconds: f64,
}

impl Outcome {
    pub fn ok(&self, strict: bool) -> bool {
        self.report.errors() == 0 && (!strict || self.report.warnings() == 0)
    }
}

/// Runs the whole pipeline. Content problems come back in the report; the output is
/// replaced only if there are none.
pub fn run(opts: &Options) -> Outcome {
    let start = Instant::now();
    let timings = std::env::var_os("GONGSI_TIMINGS").is_some();
    let phase = |name: &str| {
        if timings {
            eprintln!("[{:>8.3}s] {name}", start.elapsed().as_secs_f64());
        }
    };
    let mut report = Report::default();
    let done = |mut report: Report, files, pages| {
        report.sorted();
        Outcome { report, files, pages, seconds: start.elapsed().as_secs_f64() }
    };
    let Some(mut site) = crate::load::load_site(&opts.root, &mut report) else {
        return done(report, 0, 0);
    };
    if let Some(base) = &opts.base_url {
        site.config.base_url = base.clone();
    }
    phase("loaded");
    crate::validate::validate(&site, &mut report);
    phase("validated");
    let style = match ChartStyle::load(&opts.root) {
        Ok(s) => Some(s),
        Err(d) => {
            report.push(d);
            None
        }
    };
    let tera = match render::load_templates(&opts.root, &site.config) {
        Ok(t) => Some(t),
        Err(e) => {
            report.push(Diagnostic::error("templates", e));
            None
        }
    };
    let (Some(style), Some(tera)) = (style, tera) else {
        return done(report, 0, 0);
    };
    if report.errors() > 0 || (opts.strict && report.warnings() > 0) {
        return done(report, 0, 0);
    }
    let theme_static = site.config.theme.as_ref().map(|t| opts.root.join("themes").join(t).join("static"));
    let renderer = Renderer::new(Arc::new(site), tera, style);
    phase("renderer ready");
    for (file, link) in renderer.broken_links() {
        let src = std::fs::read_to_string(opts.root.join(&file)).unwrap_or_default();
        report.push(
            Diagnostic::error(&file, format!("link to @/{link}: no such content file"))
                .at_text(&src, &format!("@/{link}")),
        );
    }
    if report.errors() > 0 {
        return done(report, 0, 0);
    }
    let pages = renderer.page_count();
    let bar = progress_bar(opts.progress, pages as u64);
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1)
        }
    };
    let result = match &opts.output {
        None => renderer.render_all(&Discard, &tick).map(|n| (n, None)),
        Some(out) => match Staging::new(out) {
            Ok(stage) => renderer.render_all(&stage, &tick).map(|n| (n, Some(stage))),
            Err(e) => Err(vec![format!("cannot create a folder beside {}: {e}", out.display())]),
        },
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    phase("rendered");
    match result {
        Err(errors) => {
            for e in errors {
                report.push(Diagnostic::error("templates", e));
            }
            done(report, 0, pages)
        }
        Ok((n, None)) => done(report, n, pages),
        Ok((mut n, Some(stage))) => {
            let copied = theme_static
                .iter()
                .map(|p| p.as_path())
                .chain([opts.root.join("static").as_path()])
                .try_fold(0, |acc, dir| output::copy_static(dir, &stage.dir).map(|k| acc + k));
            match copied.and_then(|k| {
                n += k;
                stage.commit()
            }) {
                Ok(()) => done(report, n, pages),
                Err(e) => {
                    report.push(Diagnostic::error(
                        opts.output.clone().unwrap_or_default(),
                        format!("cannot write the output: {e}"),
                    ));
                    done(report, 0, pages)
                }
            }
        }
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
