//! The URL ledger: every page URL the site has published, kept in `urls/<edition>.txt`
//! beside the content and committed with it. A build fails when a published URL would
//! disappear without a redirect (an `aliases` entry), so links from councils and news
//! stories never break. A successful build adds its new URLs to the current edition's file.

use crate::diagnostics::Diagnostic;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub const DIR: &str = "urls";

fn edition_file(root: &Path, edition: &str) -> PathBuf {
    root.join(DIR).join(format!("{edition}.txt"))
}

/// Every URL path in every edition's ledger, with the file that promised it.
fn published(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join(DIR)) else { return out };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    for f in files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "txt")) {
        let name = format!("{DIR}/{}", f.file_name().unwrap().to_string_lossy());
        for line in std::fs::read_to_string(&f).unwrap_or_default().lines() {
            let line = line.trim();
            if line.starts_with('/') {
                out.push((line.to_string(), name.clone()));
            }
        }
    }
    out
}

/// Errors for published URLs that this build would no longer serve.
pub fn check(root: &Path, served: &BTreeSet<String>) -> Vec<Diagnostic> {
    published(root)
        .into_iter()
        .filter(|(url, _)| !served.contains(url))
        .map(|(url, file)| {
            Diagnostic::error(
                &file,
                format!(
                    "{url} was published and would disappear: add it to the `aliases` of the page that replaces it, so it redirects"
                ),
            )
        })
        .collect()
}

/// Adds this build's URLs to the current edition's ledger (sorted, one per line).
pub fn record(root: &Path, edition: &str, served: &BTreeSet<String>) -> std::io::Result<()> {
    let file = edition_file(root, edition);
    let mut all: BTreeSet<String> = std::fs::read_to_string(&file)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with('/'))
        .map(str::to_string)
        .collect();
    let before = all.len();
    all.extend(served.iter().cloned());
    if all.len() == before && file.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(file.parent().unwrap())?;
    let mut text = format!(
        "# Every URL path edition {edition} of this site has published. Commit this file: gongsi refuses to\n# build when one of these would disappear without a redirect.\n"
    );
    for u in all {
        text.push_str(&u);
        text.push('\n');
    }
    std::fs::write(file, text)
}
