//! The preview's output: the whole site in memory, never on disk.
//!
//! `gongsi serve` builds into a [`Memory`]: each build goes into a fresh [`MemoryBuild`]
//! and replaces what is served only when it succeeded, so a failed build leaves the last
//! good site served (and its errors shown on it). Nothing here touches `public/`, the
//! page cache folder or the URL ledger. The page cache lives here too, so an edit renders
//! only the pages whose inputs changed; an unchanged page's files are carried over from
//! the last good build by their hashes.

use crate::output::{relative_file, FileRecord, Sink};
use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex, RwLock};

/// Files by their path below the output ("en/programs/x/index.html").
pub type Files = HashMap<String, (FileRecord, Arc<[u8]>)>;

/// Files of quick edits by path, each with the number of the save it shows.
type Overlay = HashMap<String, (FileRecord, Arc<[u8]>, u64)>;

/// What the preview serves, and the build problems to show on it.
#[derive(Default)]
pub struct Memory {
    files: RwLock<Arc<Files>>,
    /// Pages the preview's quick edit rendered since the last whole build, served first;
    /// the next whole build replaces them.
    overlay: RwLock<Overlay>,
    /// Saves seen so far: each quick edit's files carry the number of the save they show.
    edits: std::sync::atomic::AtomicU64,
    cache: Mutex<HashMap<String, (u64, Vec<FileRecord>)>>,
    /// The diagnostics of the latest build when it failed (the site served is the last good one).
    errors: RwLock<Option<String>>,
    /// The pages open in a browser: the path each reload script last polled from, and when.
    open: Mutex<HashMap<String, std::time::Instant>>,
    /// Bumped by every successful build or change of `errors`: the open page polls it.
    version: std::sync::atomic::AtomicU64,
    /// Woken at every new version: the reload scripts waiting for one.
    changed: (Mutex<()>, std::sync::Condvar),
}

impl Memory {
    /// Starts a build whose unchanged files come from the last good one.
    pub fn begin(&self) -> MemoryBuild {
        MemoryBuild { prev: self.files.read().unwrap().clone(), next: Mutex::new(HashMap::new()) }
    }

    /// The page cache of the last good build, for the next one.
    pub fn cache_entries(&self) -> HashMap<String, (u64, Vec<FileRecord>)> {
        self.cache.lock().unwrap().clone()
    }

    /// Counts a save; returns its number.
    pub fn note_edit(&self) -> u64 {
        self.edits.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
    }

    /// How many saves have been seen.
    pub fn edits(&self) -> u64 {
        self.edits.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Serves a whole successful build that read the site after save number `seen`, and
    /// remembers its page cache. Quick edits of later saves stay on top of it. The open
    /// page is told to reload only if what it is served changes.
    pub fn commit(&self, build: MemoryBuild, cache: Option<HashMap<String, (u64, Vec<FileRecord>)>>, seen: u64) {
        let next = build.next.into_inner().unwrap();
        let mut overlay = self.overlay.write().unwrap();
        let mut files = self.files.write().unwrap();
        overlay.retain(|_, (_, _, edit)| *edit > seen);
        let same = next.len() == files.len()
            && next.iter().all(|(rel, (rec, _))| files.get(rel).is_some_and(|(served, _)| served == rec));
        *files = Arc::new(next);
        *self.cache.lock().unwrap() = cache.unwrap_or_default();
        let had_errors = self.errors.write().unwrap().take().is_some();
        if !same || had_errors {
            self.bump();
        }
    }

    /// Serves the files of a quick edit (of the latest save) on top of the last whole
    /// build, and tells the open page to reload.
    pub fn patch(&self, build: MemoryBuild) {
        let edit = self.edits();
        let next = build.next.into_inner().unwrap();
        self.overlay.write().unwrap().extend(next.into_iter().map(|(rel, (rec, bytes))| (rel, (rec, bytes, edit))));
        self.bump();
    }

    /// Keeps serving the last good version, and shows why the build that read the site
    /// after save number `seen` failed. The quick edits of earlier saves stay on top: they
    /// were shown from input that was good then, and a fast next save can fail the one
    /// build that would have carried them. A quick edit of save `seen` itself came from
    /// the input that failed, and goes.
    pub fn fail(&self, errors: String, seen: u64) {
        self.overlay.write().unwrap().retain(|_, (_, _, edit)| *edit < seen);
        *self.errors.write().unwrap() = Some(errors);
        self.bump();
    }

    /// A browser has `path` open (its reload script just asked for the version).
    pub fn saw(&self, path: &str) {
        let mut open = self.open.lock().unwrap();
        if open.len() > 1000 {
            open.clear();
        }
        open.insert(path.to_string(), std::time::Instant::now());
    }

    /// The pages open in a browser in the last ten seconds, sorted.
    pub fn open_pages(&self) -> Vec<String> {
        let open = self.open.lock().unwrap();
        let mut v: Vec<String> = open
            .iter()
            .filter(|(_, t)| t.elapsed() < std::time::Duration::from_secs(10))
            .map(|(p, _)| p.clone())
            .collect();
        v.sort();
        v
    }

    fn bump(&self) {
        let _guard = self.changed.0.lock().unwrap();
        self.version.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.changed.1.notify_all();
    }

    /// Waits until the version is no longer `seen` (or `timeout` passed); returns it.
    pub fn wait_for_change(&self, seen: u64, timeout: std::time::Duration) -> u64 {
        let guard = self.changed.0.lock().unwrap();
        let _unused = self.changed.1.wait_timeout_while(guard, timeout, |_| self.version() == seen).unwrap();
        self.version()
    }

    pub fn version(&self) -> u64 {
        self.version.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn errors(&self) -> Option<String> {
        self.errors.read().unwrap().clone()
    }

    /// The bytes of a file of the served build, by its path below the output.
    pub fn get(&self, rel: &str) -> Option<Arc<[u8]>> {
        if let Some((_, b, _)) = self.overlay.read().unwrap().get(rel) {
            return Some(b.clone());
        }
        self.files.read().unwrap().get(rel).map(|(_, b)| b.clone())
    }

    /// Whether the served build has any file (false until the first good build).
    pub fn is_empty(&self) -> bool {
        self.files.read().unwrap().is_empty()
    }

    /// Every path of the served build.
    #[cfg(test)]
    fn paths(&self) -> Vec<String> {
        let mut v: Vec<String> = self.files.read().unwrap().keys().cloned().collect();
        v.sort();
        v
    }
}

/// One build into memory: what it wrote, and the last good build to carry unchanged pages from.
pub struct MemoryBuild {
    prev: Arc<Files>,
    next: Mutex<Files>,
}

impl Sink for MemoryBuild {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<FileRecord> {
        let rel = relative_file(path)?;
        let rec = FileRecord::of(rel.clone(), bytes);
        self.next.lock().unwrap().insert(rel, (rec.clone(), Arc::from(bytes)));
        Ok(rec)
    }

    fn read_kept(&self, rel: &str) -> Option<Vec<u8>> {
        self.prev.get(rel).map(|(_, b)| b.to_vec())
    }

    fn keep(&self, file: &FileRecord) -> bool {
        match self.prev.get(&file.rel) {
            Some((rec, bytes)) if rec == file => {
                self.next.lock().unwrap().insert(file.rel.clone(), (rec.clone(), bytes.clone()));
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waiting_reload_script_hears_of_the_next_version_at_once() {
        let mem = Arc::new(Memory::default());
        let v = mem.version();
        assert_eq!(mem.wait_for_change(v, std::time::Duration::from_millis(20)), v, "no change: it times out");
        let other = mem.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            other.patch(other.begin());
        });
        let start = std::time::Instant::now();
        assert_eq!(mem.wait_for_change(v, std::time::Duration::from_secs(10)), v + 1);
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "woken, not timed out");
        t.join().unwrap();
    }

    #[test]
    fn a_failed_build_keeps_the_last_good_files_and_keep_carries_unchanged_ones() {
        let mem = Memory::default();
        let b = mem.begin();
        let rec = b.put("/a/", b"one").unwrap();
        b.put("/b.css", b"two").unwrap();
        mem.commit(b, None, 0);
        assert_eq!(&*mem.get("a/index.html").unwrap(), b"one");
        let v = mem.version();
        // A build that fails is never served.
        let b = mem.begin();
        b.put("/a/", b"broken").unwrap();
        drop(b);
        mem.fail("content/a.md:1: oops".into(), mem.edits());
        assert_eq!(&*mem.get("a/index.html").unwrap(), b"one");
        assert!(mem.errors().unwrap().contains("oops") && mem.version() > v);
        // A quick edit of an earlier save stays on top when the next save fails the build
        // that would have carried it; one of the failing save goes.
        mem.note_edit();
        let q = mem.begin();
        q.put("/a/", b"quick").unwrap();
        mem.patch(q);
        let failing = mem.note_edit();
        let q = mem.begin();
        q.put("/b.css", b"from the failing save").unwrap();
        mem.patch(q);
        mem.fail("data/x.toml:1: oops".into(), failing);
        assert_eq!(&*mem.get("a/index.html").unwrap(), b"quick");
        assert_eq!(&*mem.get("b.css").unwrap(), b"two");
        // The next good build keeps what it declares unchanged and drops what it no longer makes.
        let b = mem.begin();
        assert!(b.keep(&rec));
        assert!(!b.keep(&FileRecord::of("a/index.html".into(), b"other")));
        mem.commit(b, None, 0);
        assert_eq!(mem.paths(), ["a/index.html"]);
        assert!(mem.errors().is_none());
    }
}
