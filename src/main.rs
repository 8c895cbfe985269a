//! gongsi: a static site generator for bilingual (Korean/English) transparency reports on
//! public programs. See ARCHITECTURE.md for the pipeline.

use clap::{Parser, Subcommand};
use gongsi::{build, scaffold, serve};

/// Rendering is allocation-heavy (templates, SVG text); mimalloc is markedly faster than
/// the system allocator for it and does not change any output byte.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gongsi",
    version,
    about = "Builds a bilingual (Korean/English) transparency-report website from program data"
)]
struct Cli {
    /// The site folder (holding config.toml or zola.toml).
    #[arg(long, short, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        /// Where to write the site.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Use this base URL instead of the config's.
        #[arg(long)]
        base_url: Option<String>,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Delete files in the output folder that gongsi did not write.
        #[arg(long)]
        force: bool,
    },
    /// Check everything a build checks, without writing anything.
    Check {
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Make a new bilingual site in DIR: one region, one program, its workbook
    /// (data/site.xlsx) and the default theme.
    New {
        /// The folder to make (new, or empty).
        dir: PathBuf,
    },
    /// Build, serve on 127.0.0.1, rebuild on change and reload the open page.
    Serve {
        #[arg(long, default_value_t = 1111)]
        port: u16,
    },
}

/// Exit codes: 0 success, 1 content errors, 2 usage or I/O errors (clap uses 2 too).
fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root;
    if let Command::New { dir } = &cli.command {
        return match scaffold::new_site(dir) {
            Ok(files) => {
                eprintln!(
                    "made a new site in {} ({} files): edit data/site.xlsx, then run gongsi --root {} serve",
                    dir.display(),
                    files.len(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    if !root.is_dir() {
        eprintln!("error: site folder {} does not exist", root.display());
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Build { output, base_url, strict, force } => {
            let output = output.unwrap_or_else(|| build::default_output(&root));
            let opts = build::Options {
                base_url,
                strict,
                progress: true,
                force,
                ..build::Options::new(root, Some(output.clone()))
            };
            let outcome = build::run(&opts);
            let w = outcome.written;
            let summary = format!(
                "built {} pages into {}: {} files, {} changed, {} removed",
                outcome.pages,
                output.display(),
                w.files,
                w.changed,
                w.removed
            );
            report(&outcome, strict, &summary)
        }
        Command::Check { strict } => {
            let opts = build::Options { strict, progress: true, ..build::Options::new(root, None) };
            let outcome = build::run(&opts);
            report(&outcome, strict, &format!("checked {} pages", outcome.pages))
        }
        Command::New { .. } => unreachable!("handled above"),
        Command::Serve { port } => match serve::serve(&root, port) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}

fn report(outcome: &build::Outcome, strict: bool, success: &str) -> ExitCode {
    // A broken template can fail every page: show the first ones, then count the rest.
    const SHOWN: usize = 50;
    for d in outcome.report.items.iter().take(SHOWN) {
        eprintln!("{d}\n");
    }
    if outcome.report.items.len() > SHOWN {
        eprintln!("… and {} more\n", outcome.report.items.len() - SHOWN);
    }
    let (e, w) = (outcome.report.errors(), outcome.report.warnings());
    if outcome.ok(strict) {
        eprintln!(
            "{success} in {:.2}s{}",
            outcome.seconds,
            if w > 0 { format!(" ({w} warnings)") } else { String::new() }
        );
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "failed: {e} errors, {w} warnings{}; the output was not changed",
            if strict && w > 0 { " (--strict)" } else { "" }
        );
        ExitCode::from(if outcome.report.io_error { 2 } else { 1 })
    }
}
