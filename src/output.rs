//! Writing the site without losing the last good one, and without rewriting what did
//! not change.
//!
//! Every file of a build is first compared, by hash and length, with the manifest of the
//! previous build (`.gongsi-manifest` in the output folder). Changed files are written
//! into a temporary folder beside the output. Only when the whole build has succeeded are
//! they moved into place, the files of the previous build that this one no longer makes
//! removed, and the new manifest written. A failed or interrupted build therefore leaves
//! the output as it was. Files in the output that gongsi did not write are never deleted
//! silently: the build refuses, unless forced.

use crate::model::hash_texts;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

pub const MANIFEST: &str = ".gongsi-manifest";

/// Where rendered files go: the output, or nowhere for `check`.
pub trait Sink: Sync {
    /// `path` is the site path ("/en/programs/x/", "/sitemap.xml").
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<FileRecord>;

    /// Declares a file of the previous build unchanged; `false` if it is not there as
    /// recorded (then the page must be rendered).
    fn keep(&self, _file: &FileRecord) -> bool {
        false
    }
}

/// One output file: its path below the output folder, and the hash and length of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    pub rel: String,
    pub hash: u64,
    pub len: u64,
}

impl FileRecord {
    pub fn of(rel: String, bytes: &[u8]) -> FileRecord {
        FileRecord { rel, hash: hash_texts([bytes]), len: bytes.len() as u64 }
    }
}

/// Maps a site path to a path below the output, refusing anything that would leave it.
pub fn relative_file(site_path: &str) -> io::Result<String> {
    let rel = crate::urls::output_file(site_path);
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains(['\\', '\0', ':']) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {site_path}"),
            ));
        }
    }
    if rel == MANIFEST {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{MANIFEST} is gongsi's own file")));
    }
    Ok(rel)
}

pub fn file_for(dir: &Path, site_path: &str) -> io::Result<PathBuf> {
    Ok(dir.join(relative_file(site_path)?))
}

pub struct Output {
    target: PathBuf,
    staging: PathBuf,
    previous: HashMap<String, (u64, u64)>,
    /// The files now in the output and their lengths, read once at the start.
    existing: HashMap<String, u64>,
    produced: Mutex<HashMap<String, (u64, u64)>>,
    written: AtomicUsize,
}

fn read_manifest(target: &Path) -> HashMap<String, (u64, u64)> {
    let Ok(text) = fs::read_to_string(target.join(MANIFEST)) else { return HashMap::new() };
    text.lines()
        .filter_map(|l| {
            let mut it = l.splitn(3, ' ');
            let hash = u64::from_str_radix(it.next()?, 16).ok()?;
            let len = it.next()?.parse().ok()?;
            Some((it.next()?.to_string(), (hash, len)))
        })
        .collect()
}

/// What a build did to the output folder.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    pub files: usize,
    pub changed: usize,
    pub removed: usize,
}

impl Output {
    pub fn new(target: &Path) -> io::Result<Output> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        // A build that was killed leaves its staging folder behind: clear any.
        let prefix = format!(".{name}.tmp-build-");
        for entry in fs::read_dir(parent)?.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
        let staging = parent.join(format!("{prefix}{}", std::process::id()));
        fs::create_dir_all(&staging)?;
        let mut existing = HashMap::new();
        if target.is_dir() {
            for entry in walkdir::WalkDir::new(target).follow_links(false) {
                let Ok(entry) = entry else { continue };
                if entry.file_type().is_file() {
                    let rel = entry.path().strip_prefix(target).unwrap().to_string_lossy().replace('\\', "/");
                    existing.insert(rel, entry.metadata().map(|m| m.len()).unwrap_or(u64::MAX));
                }
            }
        }
        Ok(Output {
            target: target.to_path_buf(),
            staging,
            existing,
            previous: read_manifest(target),
            produced: Mutex::new(HashMap::new()),
            written: AtomicUsize::new(0),
        })
    }

    /// Files now in the output that neither the previous build nor this one wrote.
    fn foreign_files(&self, produced: &HashMap<String, (u64, u64)>) -> Vec<String> {
        let mut out: Vec<String> = self
            .existing
            .keys()
            .filter(|rel| *rel != MANIFEST && !self.previous.contains_key(*rel) && !produced.contains_key(*rel))
            .cloned()
            .collect();
        out.sort();
        out
    }

    /// Whether `rec` is in the output as the previous build wrote it.
    fn unchanged(&self, rec: &FileRecord) -> bool {
        self.previous.get(&rec.rel) == Some(&(rec.hash, rec.len)) && self.existing.get(&rec.rel) == Some(&rec.len)
    }

    /// Puts the build in place. Without `force`, refuses when the output holds files
    /// gongsi did not write (they would otherwise linger or be lost).
    pub fn commit(self, force: bool) -> io::Result<Written> {
        let produced = std::mem::take(&mut *self.produced.lock().unwrap());
        let foreign = self.foreign_files(&produced);
        if !foreign.is_empty() && !force {
            let shown: Vec<_> = foreign.iter().take(5).map(String::as_str).collect();
            return Err(io::Error::other(format!(
                "{} holds {} file(s) gongsi did not write ({}{}): move them to static/ to publish them, or build with --force to delete them",
                self.target.display(),
                foreign.len(),
                shown.join(", "),
                if foreign.len() > 5 { ", …" } else { "" }
            )));
        }
        let empty_target = fs::read_dir(&self.target).map(|mut d| d.next().is_none()).unwrap_or(true);
        if empty_target {
            // Nothing to merge with: the staged folder becomes the output in one rename.
            let _ = fs::remove_dir(&self.target);
            fs::rename(&self.staging, &self.target)?;
        } else {
            // Move changed files into place.
            for entry in walkdir::WalkDir::new(&self.staging).sort_by_file_name() {
                let entry = entry.map_err(io::Error::other)?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let dest = self.target.join(entry.path().strip_prefix(&self.staging).unwrap());
                if let Some(p) = dest.parent() {
                    fs::create_dir_all(p)?;
                }
                if dest.is_dir() {
                    fs::remove_dir_all(&dest)?;
                }
                fs::rename(entry.path(), &dest)?;
            }
        }
        // Remove what the previous build wrote and this one does not, and foreign files when forced.
        let mut removed = 0;
        let stale = self.previous.keys().filter(|k| !produced.contains_key(*k)).cloned();
        for rel in stale.chain(if force { foreign } else { Vec::new() }) {
            let p = self.target.join(&rel);
            if p.is_file() {
                fs::remove_file(&p)?;
                removed += 1;
                let mut dir = p.parent();
                while let Some(d) = dir.filter(|d| *d != self.target) {
                    if fs::remove_dir(d).is_err() {
                        break;
                    }
                    dir = d.parent();
                }
            }
        }
        let sorted: BTreeMap<_, _> = produced.iter().collect();
        let mut manifest = String::new();
        for (rel, (hash, len)) in &sorted {
            manifest.push_str(&format!("{hash:016x} {len} {rel}\n"));
        }
        let tmp = self.target.join(format!("{MANIFEST}.tmp"));
        fs::write(&tmp, manifest)?;
        fs::rename(&tmp, self.target.join(MANIFEST))?;
        Ok(Written { files: produced.len(), changed: self.written.load(Ordering::Relaxed), removed })
    }
}

impl Drop for Output {
    /// An abandoned build leaves nothing behind.
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}

impl Sink for Output {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<FileRecord> {
        let rel = relative_file(path)?;
        let rec = FileRecord::of(rel, bytes);
        if !self.unchanged(&rec) {
            let file = self.staging.join(&rec.rel);
            if let Some(parent) = file.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(file, bytes)?;
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        self.produced.lock().unwrap().insert(rec.rel.clone(), (rec.hash, rec.len));
        Ok(rec)
    }

    fn keep(&self, file: &FileRecord) -> bool {
        let ok = self.unchanged(file);
        if ok {
            self.produced.lock().unwrap().insert(file.rel.clone(), (file.hash, file.len));
        }
        ok
    }
}

/// A sink that writes nothing: `gongsi check` renders everything to find errors.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<FileRecord> {
        Ok(FileRecord::of(relative_file(path)?, bytes))
    }
}

/// Publishes a folder's files as they are (theme `static/`, then the site's, which wins).
pub fn copy_static(from: &Path, sink: &dyn Sink) -> io::Result<usize> {
    if !from.is_dir() {
        return Ok(0);
    }
    let mut n = 0;
    for entry in walkdir::WalkDir::new(from).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(from).unwrap().to_string_lossy().replace('\\', "/");
        sink.put(&format!("/{rel}"), &fs::read(entry.path())?)?;
        n += 1;
    }
    Ok(n)
}
