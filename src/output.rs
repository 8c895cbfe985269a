//! Writing the site without losing the last good one, without mixing two builds, and
//! without rewriting what did not change.
//!
//! A build holds a lock beside the output (`.public.lock`) from start to end, so two
//! builds never write one output at once. Every file of the build is compared with the
//! file now in the output, by length and hash of its bytes (the file is trusted, not the
//! manifest). Changed files are written into a staging folder beside the output
//! (`.public.tmp-build-<pid>`); only when the whole build has succeeded does the output
//! change. A small change (at most [`JOURNAL_MAX`] files and a quarter of the site) is
//! moved in file by file under a journal ([`JOURNAL`], [`apply_journal`]) that the next
//! build completes if this one is killed: each file is replaced whole, and for the
//! milliseconds of the moves a reader may see some new pages beside old ones. For a
//! larger change the unchanged files are hard-linked into the staging folder beside the
//! new ones, so that it holds the complete new site, and then the staging folder and the
//! output swap places in one `rename` (`RENAME_EXCHANGE` on Linux; elsewhere two renames,
//! with the old output kept as `.public.old-build-<pid>` until the new one is in place):
//! a reader sees either the whole previous build or the whole new one. A build that
//! fails, or is killed, before its journal or swap leaves the output as it was; one
//! killed between the two renames leaves a complete build beside it, which the next
//! build puts back before anything else. Files in the output that gongsi did not write
//! are never deleted silently: the build refuses, unless forced. The output can never be the site folder or hold its
//! sources, whatever the flags (`check_target`).

use crate::model::hash_texts;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

pub const MANIFEST: &str = ".gongsi-manifest";

/// Folders of a site that hold its sources: an output may not be in them or hold them.
pub const SOURCE_DIRS: [&str; 8] = ["content", "data", "themes", "templates", "static", "sass", "urls", "charts"];

/// Where rendered files go: the output, or nowhere for `check`.
pub trait Sink: Sync {
    /// `path` is the site path ("/en/programs/x/", "/sitemap.xml").
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<FileRecord>;

    /// Declares a file of the previous build unchanged; `false` if it is not there as
    /// recorded (then the page must be rendered).
    fn keep(&self, _file: &FileRecord) -> bool {
        false
    }

    /// The bytes of a file this build kept from the previous one (`rel` below the output),
    /// for the link check to read a kept page's anchors.
    fn read_kept(&self, _rel: &str) -> Option<Vec<u8>> {
        None
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
        if part.is_empty()
            || part == "."
            || part == ".."
            || part.contains(['\\', '\0', ':'])
            || part.chars().any(char::is_control)
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {site_path:?}"),
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

/// A path made absolute, with `.` and `..` resolved and symbolic links of its existing
/// part followed, so that two spellings of one folder compare equal.
fn resolved(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    // Follow links in the longest part that exists.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut base = fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        base.push(name);
    }
    base
}

/// Refuses an output folder that is the site folder, lies in one of its source folders,
/// or holds the site: replacing it would delete the sources, so no flag allows it.
pub fn check_target(root: &Path, target: &Path) -> Result<(), String> {
    let (r, t) = (resolved(root), resolved(target));
    let instead = "build into public/ (the default) or another folder of its own with --output";
    if t == r {
        return Err(format!(
            "the output folder {} is the site folder itself: a build replaces its output, which would delete config.toml, content/ and the other sources; {instead}",
            target.display()
        ));
    }
    if r.starts_with(&t) {
        return Err(format!(
            "the output folder {} holds the site folder {}: a build replaces its output, which would delete the sources; {instead}",
            target.display(),
            root.display()
        ));
    }
    for dir in SOURCE_DIRS {
        if t.starts_with(r.join(dir)) {
            return Err(format!(
                "the output folder {} is inside the site's {dir}/ folder, whose files are sources; {instead}",
                target.display()
            ));
        }
    }
    Ok(())
}

/// Faults for the process tests (`GONGSI_TEST_FAULT`): `write:<n>` fails the n-th file
/// written, `before-swap` and `between-renames` kill the process there, `pause-before-swap`
/// sleeps there for two seconds (holding the lock).
fn fault(point: &str) -> bool {
    std::env::var("GONGSI_TEST_FAULT").is_ok_and(|f| f == point)
}

fn fail_write_at() -> Option<usize> {
    std::env::var("GONGSI_TEST_FAULT").ok()?.strip_prefix("write:")?.parse().ok()
}

pub struct Output {
    target: PathBuf,
    staging: PathBuf,
    /// `.{name}.old-build-<pid>`: where the old output goes when the swap takes two renames.
    old: PathBuf,
    /// The previous build's files: hash, length and, when it recorded them, where each
    /// file sat on disk and when it was last written ([`Stat`]).
    previous: HashMap<String, Recorded>,
    /// The files now in the output, their lengths and [`Stat`]s, read once at the start.
    existing: HashMap<String, OnDisk>,
    produced: Mutex<HashMap<String, Recorded>>,
    /// Produced files whose bytes are in the staging folder (the others are in the output).
    staged: Mutex<std::collections::HashSet<String>>,
    written: AtomicUsize,
    fail_at: Option<usize>,
    claims: Claims,
    /// A file could not be written (the build fails with exit 2; the output is untouched).
    failed: std::sync::atomic::AtomicBool,
    /// Held until the build ends: one build at a time per output.
    _lock: fs::File,
}

/// A file's identity on disk: its inode and the time it was last written, in nanoseconds.
/// A file whose length and `Stat` are what the manifest recorded holds the bytes it
/// recorded: writing a file changes its time, replacing it changes its inode. Only a
/// deliberate `touch` back to the old time could fool it, as it fools make and Cargo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    mtime_ns: i128,
    ino: u64,
}

impl Stat {
    #[cfg(unix)]
    fn of(m: &fs::Metadata) -> Option<Stat> {
        use std::os::unix::fs::MetadataExt;
        Some(Stat { mtime_ns: m.mtime() as i128 * 1_000_000_000 + m.mtime_nsec() as i128, ino: m.ino() })
    }

    #[cfg(not(unix))]
    fn of(_m: &fs::Metadata) -> Option<Stat> {
        None
    }
}

/// A file in the output now: its length and [`Stat`].
type OnDisk = (u64, Option<Stat>);

/// A file as the last build recorded it: hash, length and, when known, its [`Stat`].
type Recorded = (u64, u64, Option<Stat>);

/// Where a build keeps what it knows of an output beside it: `.gongsi-cache/<name>/`.
pub fn cache_dir(output: &Path) -> PathBuf {
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    parent.join(".gongsi-cache").join(name)
}

/// The manifest (hash, length and path of every file, in the output itself, the same
/// bytes on every machine) and, from the cache folder, the [`Stat`] each file had when
/// the last build recorded it (`stats`: machine-specific, so never in the output).
fn read_manifest(target: &Path) -> HashMap<String, Recorded> {
    let Ok(text) = fs::read_to_string(target.join(MANIFEST)) else { return HashMap::default() };
    let mut files: HashMap<String, Recorded> = HashMap::with_capacity_and_hasher(text.len() / 64, Default::default());
    files.extend(text.lines().filter_map(|l| {
        let mut it = l.splitn(3, ' ');
        let hash = u64::from_str_radix(it.next()?, 16).ok()?;
        let len = it.next()?.parse().ok()?;
        Some((it.next()?.to_string(), (hash, len, None)))
    }));
    let stats = fs::read_to_string(cache_dir(target).join("stats")).unwrap_or_default();
    for l in stats.lines() {
        let mut it = l.splitn(4, ' ');
        let (Some(hash), Some(len), Some(stat), Some(rel)) = (it.next(), it.next(), it.next(), it.next()) else {
            continue;
        };
        let (Ok(hash), Ok(len)) = (u64::from_str_radix(hash, 16), len.parse::<u64>()) else { continue };
        let Some(stat) =
            stat.split_once('.').and_then(|(t, i)| Some(Stat { mtime_ns: t.parse().ok()?, ino: i.parse().ok()? }))
        else {
            continue;
        };
        if let Some(rec) = files.get_mut(rel).filter(|r| r.0 == hash && r.1 == len) {
            rec.2 = Some(stat);
        }
    }
    files
}

/// Every file below `target` with its length and [`Stat`] (a symbolic link: length
/// `u64::MAX`, never one of gongsi's files). Each file is looked at through its folder's
/// listing (`fstatat` on the open folder, not a walk of its whole path), and the folders
/// are walked in parallel: an output of a quarter of a million files takes a second and a
/// half to list with `find` on one core here.
fn scan(target: &Path) -> HashMap<String, OnDisk> {
    use rayon::prelude::*;
    fn walk(dir: &Path, rel: &str, out: &mut Vec<(String, OnDisk)>, subdirs: &mut Vec<(PathBuf, String)>) {
        let Ok(read) = fs::read_dir(dir) else { return };
        for e in read.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            let name = e.file_name();
            let name = name.to_string_lossy();
            let child = if rel.is_empty() { name.into_owned() } else { format!("{rel}/{name}") };
            if ft.is_dir() {
                subdirs.push((e.path(), child));
            } else if ft.is_file() {
                let rec = match e.metadata() {
                    Ok(m) => (m.len(), Stat::of(&m)),
                    Err(_) => (u64::MAX, None),
                };
                out.push((child, rec));
            } else if ft.is_symlink() {
                out.push((child, (u64::MAX, None)));
            }
        }
    }
    // The first two levels in one thread, to find enough folders to share out.
    let mut found = Vec::new();
    let mut level = vec![(target.to_path_buf(), String::new())];
    for _ in 0..2 {
        let mut next = Vec::new();
        for (dir, rel) in &level {
            walk(dir, rel, &mut found, &mut next);
        }
        level = next;
    }
    let below: Vec<Vec<(String, OnDisk)>> = level
        .into_par_iter()
        .map(|(dir, rel)| {
            let (mut out, mut stack) = (Vec::new(), vec![(dir, rel)]);
            while let Some((dir, rel)) = stack.pop() {
                walk(&dir, &rel, &mut out, &mut stack);
            }
            out
        })
        .collect();
    let mut map =
        HashMap::with_capacity_and_hasher(found.len() + below.iter().map(Vec::len).sum::<usize>(), Default::default());
    map.extend(found);
    for part in below {
        map.extend(part);
    }
    map
}

/// Deletes a folder and everything in it, the folders below its first level in parallel
/// (a replaced output holds as many files as the site).
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    if let Ok(read) = fs::read_dir(dir) {
        let subdirs: Vec<PathBuf> =
            read.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_dir())).map(|e| e.path()).collect();
        subdirs.par_iter().for_each(|d| {
            let _ = fs::remove_dir_all(d);
        });
    }
    let _ = fs::remove_dir_all(dir);
}

/// In a staging folder, the list of moves that put a small change into the output
/// ([`apply_journal`]): once it is there, the change is decided and the next build
/// finishes whatever a killed one left undone.
pub const JOURNAL: &str = ".gongsi-journal";

/// At most this many changed or removed files (and at most a quarter of the site) are
/// moved into the output one by one under a journal; more, and the staging folder
/// becomes the whole new site and is swapped in.
const JOURNAL_MAX: usize = 1_000;

/// Carries out a journal: each staged file is renamed into the output (one already moved
/// is skipped), each removed file is deleted (with its folders once empty), and the new
/// manifest goes in last. Every step can be repeated, so a journal left by a killed build
/// is carried out again from its start.
fn apply_journal(staging: &Path, target: &Path) -> io::Result<()> {
    let journal = fs::read_to_string(staging.join(JOURNAL))?;
    let (mut puts, mut dels) = (Vec::new(), Vec::new());
    for line in journal.lines() {
        match line.split_once(' ') {
            Some(("put", rel)) => puts.push(rel),
            Some(("del", rel)) => dels.push(rel),
            _ => {}
        }
    }
    for rel in &dels {
        let path = target.join(rel);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != target) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    for (i, rel) in puts.iter().enumerate() {
        if i == puts.len() / 2 && fault("journal-midway") {
            std::process::abort();
        }
        let from = staging.join(rel);
        if !from.exists() {
            continue;
        }
        let to = target.join(rel);
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::rename(&from, &to)?;
    }
    let manifest = staging.join(MANIFEST);
    if manifest.exists() {
        fs::rename(&manifest, target.join(MANIFEST))?;
    }
    Ok(())
}

/// What a build did to the output folder.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    pub files: usize,
    pub changed: usize,
    pub removed: usize,
}

/// Why a build's files were not put in place.
#[derive(Debug)]
pub enum CommitError {
    /// The output holds files gongsi did not write (a content problem: exit 1).
    Foreign(String),
    /// The file system refused (exit 2); the message says what state the output is in.
    Io(String),
}

/// Swaps two folders in one step where the system can.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: two valid NUL-terminated paths; renameat2 only reads them.
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "no atomic exchange"))
}

impl Output {
    pub fn new(target: &Path) -> io::Result<Output> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        if target.exists() && !target.is_dir() {
            return Err(io::Error::other(format!("{} is a file, not a folder", target.display())));
        }
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = fs::OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "another gongsi build is writing {} (it holds {}); wait until it has finished, or build into another folder with --output",
                        target.display(),
                        lock_path.display()
                    ),
                ))
            }
            Err(fs::TryLockError::Error(e)) => return Err(e),
        }
        let staging_prefix = format!(".{name}.tmp-build-");
        let old_prefix = format!(".{name}.old-build-");
        // A build killed between the two renames of a swap left no output: put back the
        // complete new build (it has its manifest), else the old one.
        let leftovers: Vec<PathBuf> = fs::read_dir(parent)?
            .flatten()
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.starts_with(&staging_prefix) || n.starts_with(&old_prefix)
            })
            .map(|e| e.path())
            .collect();
        // A killed build that had written its journal had decided its change: carry it out.
        if target.is_dir() {
            for p in leftovers.iter().filter(|p| p.join(JOURNAL).is_file()) {
                apply_journal(p, target)?;
            }
        }
        if !target.exists() {
            let complete = leftovers.iter().find(|p| {
                p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&staging_prefix))
                    && p.join(MANIFEST).is_file()
                    && !p.join(JOURNAL).exists()
            });
            let old =
                leftovers.iter().find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&old_prefix)));
            if let Some(back) = complete.or(old) {
                fs::rename(back, target)?;
            }
        }
        // Whatever else a killed build left behind is not the output: clear it.
        for p in leftovers.iter().filter(|p| p.exists()) {
            let _ = fs::remove_dir_all(p);
        }
        let staging = parent.join(format!("{staging_prefix}{}", std::process::id()));
        let old = parent.join(format!("{old_prefix}{}", std::process::id()));
        fs::create_dir_all(&staging)?;
        // The output as it is and as the last build recorded it, read side by side.
        let (existing, previous) =
            rayon::join(|| if target.is_dir() { scan(target) } else { HashMap::default() }, || read_manifest(target));
        Ok(Output {
            target: target.to_path_buf(),
            staging,
            old,
            existing,
            previous,
            produced: Mutex::new(HashMap::default()),
            staged: Mutex::new(Default::default()),
            written: AtomicUsize::new(0),
            fail_at: fail_write_at(),
            claims: Claims::default(),
            failed: Default::default(),
            _lock: lock,
        })
    }

    /// Whether the output holds exactly the files the last build recorded, each with the
    /// length and [`Stat`] it had then, and nothing else: a build with unchanged inputs
    /// then has nothing to do.
    pub fn is_as_recorded(&self) -> bool {
        !self.previous.is_empty()
            && self.existing.len() == self.previous.len() + 1
            && self.existing.contains_key(MANIFEST)
            && self.previous.iter().all(|(rel, (hash, len, stat))| {
                self.existing.get(rel).is_some_and(|(l, s)| {
                    l == len
                        && match stat {
                            Some(_) => s == stat,
                            None => fs::read(self.target.join(rel)).is_ok_and(|b| hash_texts([&b[..]]) == *hash),
                        }
                })
            })
    }

    /// How many files the last build recorded.
    pub fn recorded_files(&self) -> usize {
        self.previous.len()
    }

    /// Whether writing a file into the staging folder failed.
    pub fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }

    /// Files now in the output that neither the previous build nor this one wrote.
    fn foreign_files(&self, produced: &HashMap<String, Recorded>) -> Vec<String> {
        let mut out: Vec<String> = self
            .existing
            .keys()
            .filter(|rel| *rel != MANIFEST && !self.previous.contains_key(*rel) && !produced.contains_key(*rel))
            .cloned()
            .collect();
        out.sort();
        out
    }

    /// Whether the output holds exactly these bytes at `rec.rel`, and the file's [`Stat`].
    /// A file the last build wrote with these bytes, still with the length and `Stat` it
    /// recorded, is not read; any other is read and hashed, so a file a killed build, an
    /// editor or a disk changed is written again.
    fn unchanged(&self, rec: &FileRecord) -> Option<Option<Stat>> {
        let &(len, stat) = self.existing.get(&rec.rel)?;
        if len != rec.len {
            return None;
        }
        if let (Some(now), Some(&(hash, plen, Some(then)))) = (stat, self.previous.get(&rec.rel)) {
            if now == then && hash == rec.hash && plen == rec.len {
                return Some(stat);
            }
        }
        fs::read(self.target.join(&rec.rel))
            .is_ok_and(|b| b.len() as u64 == rec.len && hash_texts([&b[..]]) == rec.hash)
            .then_some(stat)
    }

    /// Puts the build in place. Without `force`, refuses when the output holds files
    /// gongsi did not write (they would otherwise linger or be lost).
    pub fn commit(self, force: bool) -> Result<Written, CommitError> {
        let produced = std::mem::take(&mut *self.produced.lock().unwrap());
        let staged = std::mem::take(&mut *self.staged.lock().unwrap());
        let foreign = self.foreign_files(&produced);
        if !foreign.is_empty() && !force {
            let shown: Vec<_> = foreign.iter().take(5).map(String::as_str).collect();
            return Err(CommitError::Foreign(format!(
                "{} holds {} file(s) gongsi did not write ({}{}): move them to static/ to publish them, or build with --force to delete them",
                self.target.display(),
                foreign.len(),
                shown.join(", "),
                if foreign.len() > 5 { ", …" } else { "" }
            )));
        }
        let unchanged_output = |e: io::Error| {
            CommitError::Io(format!(
                "{e}; the output was not changed (the new files were in {})",
                self.staging.display()
            ))
        };
        let sorted: BTreeMap<_, _> = produced.iter().collect();
        // A file written in the last seconds could still change within the file system's
        // clock tick without its time moving: its Stat is not recorded (it is read and
        // hashed next time), as Git treats "racy" files.
        let now_ns = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as i128)
            .unwrap_or(i128::MAX);
        let settled = |s: &Stat| s.mtime_ns < now_ns - 2_000_000_000;
        let mut manifest = String::new();
        let mut stats = String::new();
        for (rel, (hash, len, stat)) in &sorted {
            manifest.push_str(&format!("{hash:016x} {len} {rel}\n"));
            if let Some(s) = stat.filter(settled) {
                stats.push_str(&format!("{hash:016x} {len} {}.{} {rel}\n", s.mtime_ns, s.ino));
            }
        }
        // Written once the output is in place (a stale file only costs reading files again).
        let save_stats = || {
            let dir = cache_dir(&self.target);
            let tmp = dir.join("stats.tmp");
            let _ = fs::create_dir_all(&dir)
                .and_then(|()| fs::write(&tmp, &stats))
                .and_then(|()| fs::rename(&tmp, dir.join("stats")));
        };
        // What this build removes: the last build's files it no longer makes, and with
        // `--force` the files gongsi did not write.
        let mut gone: Vec<&String> =
            self.previous.keys().filter(|k| !produced.contains_key(*k) && self.existing.contains_key(*k)).collect();
        if force {
            gone.extend(foreign.iter());
        }
        gone.sort();
        let removed = gone.len();
        // Nothing to change: every file is in the output with these bytes (each was read
        // and compared), none is to go, and the manifest says so already. The output
        // stays as it is, untouched; there is nothing to swap.
        if staged.is_empty()
            && removed == 0
            && foreign.is_empty()
            && fs::read_to_string(self.target.join(MANIFEST)).is_ok_and(|m| m == manifest)
        {
            save_stats();
            return Ok(Written { files: produced.len(), changed: 0, removed: 0 });
        }
        if fault("pause-before-swap") {
            std::thread::sleep(std::time::Duration::from_secs(2));
        }
        // A small change into an output that is there: its files are moved in one by one
        // under a journal, the rest stays where it is.
        let changes = staged.len() + removed;
        if self.target.is_dir() && changes <= JOURNAL_MAX && changes * 4 <= produced.len() && !fault("between-renames")
        {
            // A staged file whose place is a folder now, or under what is a file now, needs the swap.
            let fits = |rel: &String| {
                let to = self.target.join(rel);
                !to.is_dir()
                    && to.ancestors().skip(1).take_while(|a| *a != self.target).all(|a| !a.exists() || a.is_dir())
            };
            let mut puts: Vec<&String> = staged.iter().collect();
            puts.sort();
            if puts.iter().all(|r| fits(r)) {
                let mut journal = String::from("gongsi journal 1\n");
                for rel in &gone {
                    journal.push_str(&format!("del {rel}\n"));
                }
                for rel in &puts {
                    journal.push_str(&format!("put {rel}\n"));
                }
                fs::write(self.staging.join(MANIFEST), &manifest).map_err(unchanged_output)?;
                if fault("before-swap") {
                    std::process::abort();
                }
                // Written under another name and renamed: the journal is there whole or not at all.
                let tmp = self.staging.join(format!("{JOURNAL}.tmp"));
                fs::write(&tmp, journal)
                    .and_then(|()| fs::rename(&tmp, self.staging.join(JOURNAL)))
                    .map_err(unchanged_output)?;
                apply_journal(&self.staging, &self.target).map_err(|e| {
                    CommitError::Io(format!(
                        "{e}; the output is partly updated, and the next build completes the change (its list is in {})",
                        self.staging.join(JOURNAL).display()
                    ))
                })?;
                let _ = fs::remove_dir_all(&self.staging);
                save_stats();
                return Ok(Written { files: produced.len(), changed: self.written.load(Ordering::Relaxed), removed });
            }
        }
        // The staging folder becomes the whole new site: the unchanged files join it,
        // linked in parallel (their folders made first, once each).
        let mut rels: Vec<&String> = produced.keys().filter(|r| !staged.contains(*r)).collect();
        rels.sort();
        let dirs: std::collections::BTreeSet<&Path> =
            rels.iter().filter_map(|r| Path::new(r.as_str()).parent()).collect();
        for d in dirs {
            fs::create_dir_all(self.staging.join(d)).map_err(unchanged_output)?;
        }
        {
            use rayon::prelude::*;
            rels.par_iter().try_for_each(|rel| {
                let (from, to) = (self.target.join(rel), self.staging.join(rel));
                if fs::hard_link(&from, &to).is_err() {
                    fs::copy(&from, &to)
                        .map_err(|e| unchanged_output(io::Error::new(e.kind(), format!("{}: {e}", from.display()))))?;
                }
                Ok(())
            })?;
        }
        // The manifest goes in last: a staging folder with one is a complete build.
        fs::write(self.staging.join(MANIFEST), manifest).map_err(unchanged_output)?;
        if fault("before-swap") {
            std::process::abort();
        }
        if !self.target.exists() {
            fs::rename(&self.staging, &self.target).map_err(unchanged_output)?;
        } else if !fault("between-renames") && exchange(&self.staging, &self.target).is_ok() {
            // The staging folder now holds the previous build; Drop removes it.
        } else {
            fs::rename(&self.target, &self.old).map_err(unchanged_output)?;
            if fault("between-renames") {
                std::process::abort();
            }
            if let Err(e) = fs::rename(&self.staging, &self.target) {
                return Err(match fs::rename(&self.old, &self.target) {
                    Ok(()) => unchanged_output(e),
                    Err(e2) => CommitError::Io(format!(
                        "{e}; then putting the previous output back failed ({e2}): it is in {}, the new build in {}, and the next build restores one of them",
                        self.old.display(),
                        self.staging.display()
                    )),
                });
            }
            remove_tree(&self.old);
        }
        save_stats();
        Ok(Written { files: produced.len(), changed: self.written.load(Ordering::Relaxed), removed })
    }
}

impl Drop for Output {
    /// An abandoned build leaves nothing behind, except a journal it could not finish
    /// (and the files it lists): the next build carries it out.
    fn drop(&mut self) {
        if !self.staging.join(JOURNAL).exists() {
            remove_tree(&self.staging);
        }
    }
}

impl Sink for Output {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<FileRecord> {
        let rel = relative_file(path)?;
        self.claims.claim(&rel, path)?;
        let rec = FileRecord::of(rel, bytes);
        let stat = match self.unchanged(&rec) {
            Some(stat) => {
                self.staged.lock().unwrap().remove(&rec.rel);
                stat
            }
            None => {
                let file = self.staging.join(&rec.rel);
                let n = self.written.fetch_add(1, Ordering::Relaxed) + 1;
                if self.fail_at == Some(n) {
                    self.failed.store(true, Ordering::Relaxed);
                    return Err(io::Error::new(io::ErrorKind::PermissionDenied, "injected fault"));
                }
                // Most files go into a folder an earlier file made: try first, make it if missing.
                let write = |file: &Path| -> io::Result<fs::Metadata> {
                    let mut f = fs::File::create(file)?;
                    io::Write::write_all(&mut f, bytes)?;
                    f.metadata()
                };
                let wrote = match write(&file) {
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        file.parent().map_or(Ok(()), fs::create_dir_all).and_then(|()| write(&file))
                    }
                    other => other,
                };
                let meta = match wrote {
                    Ok(meta) => meta,
                    Err(e) => {
                        self.failed.store(true, Ordering::Relaxed);
                        self.written.fetch_sub(1, Ordering::Relaxed);
                        return Err(e);
                    }
                };
                self.staged.lock().unwrap().insert(rec.rel.clone());
                // The staging folder becomes the output by renaming the folder: the file
                // keeps this inode and time (read from the open file, after its last write).
                Stat::of(&meta)
            }
        };
        self.produced.lock().unwrap().insert(rec.rel.clone(), (rec.hash, rec.len, stat));
        Ok(rec)
    }

    fn read_kept(&self, rel: &str) -> Option<Vec<u8>> {
        fs::read(self.target.join(rel)).ok()
    }

    fn keep(&self, file: &FileRecord) -> bool {
        match self.unchanged(file) {
            Some(stat) => {
                self.staged.lock().unwrap().remove(&file.rel);
                self.produced.lock().unwrap().insert(file.rel.clone(), (file.hash, file.len, stat));
                true
            }
            None => false,
        }
    }
}

/// The files of one build and the folders they make: a path may not be both (an alias
/// `/data/programs.csv` would need `data/programs.csv/` to be a folder).
#[derive(Default)]
struct Claims {
    inner: Mutex<(HashMap<String, String>, HashMap<String, String>)>,
}

impl Claims {
    fn claim(&self, rel: &str, site_path: &str) -> io::Result<()> {
        let mut guard = self.inner.lock().unwrap();
        let (files, dirs) = &mut *guard;
        let clash = |other: &str, name: &str| {
            let mut both = [site_path.to_string(), other.to_string()];
            both.sort();
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} and {} cannot both be published: {name} would have to be a file and a folder (an alias or page path may not be the name of a file)",
                    both[0], both[1]
                ),
            )
        };
        if let Some(other) = dirs.get(rel) {
            return Err(clash(other, rel));
        }
        let ancestors: Vec<&str> = rel.match_indices('/').map(|(i, _)| &rel[..i]).collect();
        if let Some((a, other)) = ancestors.iter().find_map(|a| files.get(*a).map(|o| (*a, o))) {
            return Err(clash(other, a));
        }
        for a in ancestors {
            dirs.entry(a.to_string()).or_insert_with(|| site_path.to_string());
        }
        files.entry(rel.to_string()).or_insert_with(|| site_path.to_string());
        Ok(())
    }
}

/// What `gongsi check` writes to: nothing, but the files must fit in one folder tree.
#[derive(Default)]
pub struct Checked {
    claims: Claims,
}

impl Sink for Checked {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<FileRecord> {
        let rel = relative_file(path)?;
        self.claims.claim(&rel, path)?;
        Ok(FileRecord::of(rel, bytes))
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
