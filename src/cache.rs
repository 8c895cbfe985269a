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

impl PageCache {
    pub fn for_output(output: &Path) -> PageCache {
        let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let file = parent.join(".gongsi-cache").join(name).join("pages");
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
