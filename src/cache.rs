//! The page cache: for every page of the last build, the hash of everything it was made
//! from and the files it produced. A page whose inputs have the same hash, and whose
//! files are still in the output as recorded, is not rendered again.
//!
//! It lives in `.gongsi-cache/<output folder name>/` beside the output and is safe to
//! delete: the next build just renders everything.

use crate::output::FileRecord;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub struct PageCache {
    /// Where it is saved; `None` for the preview's, which lives in memory.
    file: Option<PathBuf>,
    old: HashMap<String, (u64, Vec<FileRecord>)>,
    new: Mutex<Vec<(String, u64, Vec<FileRecord>)>>,
}

/// `.gongsi-cache/<output folder name>/` beside the output.
pub fn dir_for(output: &Path) -> PathBuf {
    crate::output::cache_dir(output)
}

/// What the last successful build into an output read and made: the fingerprint of every
/// input file (path, length, inode and time last written) and of the options, how many
/// pages it wrote and the warnings it gave. A build whose inputs have the same
/// fingerprint, into an output that still holds exactly the files the last build
/// recorded, has nothing to do: it gives the same warnings and stops.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct BuildState {
    pub inputs: u64,
    /// The URL ledger's fingerprint, taken after the build wrote it.
    pub ledger: u64,
    pub pages: usize,
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
}

impl BuildState {
    pub fn load(output: &Path) -> Option<BuildState> {
        serde_json::from_slice(&fs::read(dir_for(output).join("inputs.json")).ok()?).ok()
    }

    pub fn save(&self, output: &Path) -> std::io::Result<()> {
        let dir = dir_for(output);
        fs::create_dir_all(&dir)?;
        let tmp = dir.join("inputs.json.tmp");
        fs::write(&tmp, serde_json::to_vec(self).map_err(std::io::Error::other)?)?;
        fs::rename(tmp, dir.join("inputs.json"))
    }

    /// Forgets the state: the next build runs in full.
    pub fn clear(output: &Path) {
        let _ = fs::remove_file(dir_for(output).join("inputs.json"));
    }
}

impl PageCache {
    pub fn for_output(output: &Path) -> PageCache {
        let file = dir_for(output).join("pages");
        let old = fs::read_to_string(&file).map(|t| parse(&t)).unwrap_or_default();
        PageCache { file: Some(file), old, new: Mutex::new(Vec::new()) }
    }

    /// A cache that is never saved: the preview keeps its entries between builds.
    pub fn in_memory(old: HashMap<String, (u64, Vec<FileRecord>)>) -> PageCache {
        PageCache { file: None, old, new: Mutex::new(Vec::new()) }
    }

    /// This build's entries, for the next build of the preview.
    pub fn into_entries(self) -> HashMap<String, (u64, Vec<FileRecord>)> {
        self.new.into_inner().unwrap().into_iter().map(|(page, key, files)| (page, (key, files))).collect()
    }

    /// The files a page produced last time, if its inputs had this key.
    pub fn lookup(&self, page: &str, key: u64) -> Option<&[FileRecord]> {
        self.old.get(page).filter(|(k, _)| *k == key).map(|(_, f)| f.as_slice())
    }

    pub fn record(&self, page: &str, key: u64, files: Vec<FileRecord>) {
        self.new.lock().unwrap().push((page.to_string(), key, files));
    }

    /// Writes the cache of this build (sorted, so it is the same whatever the thread count).
    pub fn save(self) -> std::io::Result<()> {
        let Some(file) = self.file.clone() else { return Ok(()) };
        let mut entries = self.new.into_inner().unwrap();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut text = String::new();
        for (page, key, files) in entries {
            text.push_str(&format!("{key:016x}\t{page}"));
            for f in files {
                text.push_str(&format!("\t{:016x} {} {}", f.hash, f.len, f.rel));
            }
            text.push('\n');
        }
        if let Some(dir) = file.parent() {
            fs::create_dir_all(dir)?;
        }
        let tmp = file.with_extension("tmp");
        fs::write(&tmp, text)?;
        fs::rename(tmp, &file)
    }
}

fn parse(text: &str) -> HashMap<String, (u64, Vec<FileRecord>)> {
    let mut out = HashMap::new();
    for line in text.lines() {
        let mut cols = line.split('\t');
        let (Some(key), Some(page)) = (cols.next(), cols.next()) else { continue };
        let Ok(key) = u64::from_str_radix(key, 16) else { continue };
        let files: Option<Vec<FileRecord>> = cols
            .map(|c| {
                let mut it = c.splitn(3, ' ');
                Some(FileRecord {
                    hash: u64::from_str_radix(it.next()?, 16).ok()?,
                    len: it.next()?.parse().ok()?,
                    rel: it.next()?.to_string(),
                })
            })
            .collect();
        if let Some(files) = files {
            out.insert(page.to_string(), (key, files));
        }
    }
    out
}
