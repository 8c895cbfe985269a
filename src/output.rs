//! Writing the site: into a temporary folder beside the output, swapped into place only
//! when the whole build succeeded, so a failed build leaves the last good site untouched.

use crate::render::Sink;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
}

impl Staging {
    /// A fresh temporary folder next to `target` (same file system, so the swap is a rename).
    pub fn new(target: &Path) -> io::Result<Staging> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.tmp-build-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging { dir, target: target.to_path_buf() })
    }

    /// Puts the staged site in place of the old output.
    pub fn commit(self) -> io::Result<()> {
        let parent = self.dir.parent().unwrap_or(Path::new(".")).to_path_buf();
        let name = self.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if self.target.exists() {
            fs::rename(&self.target, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            // Put the previous site back before reporting.
            let _ = fs::rename(&old, &self.target);
            return Err(e);
        }
        if old.exists() {
            fs::remove_dir_all(&old)?;
        }
        std::mem::forget(self);
        Ok(())
    }
}

impl Drop for Staging {
    /// An abandoned build leaves nothing behind.
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Maps a site path to a file below `dir`, refusing anything that would leave it.
pub fn file_for(dir: &Path, site_path: &str) -> io::Result<PathBuf> {
    let rel = crate::urls::output_file(site_path);
    let mut out = dir.to_path_buf();
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\\') || part.contains('\0') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {site_path}"),
            ));
        }
        out.push(part);
    }
    Ok(out)
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let file = file_for(&self.dir, path)?;
        if let Some(parent) = file.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(file, bytes)
    }
}

/// A sink that writes nothing: `gongsi check` renders everything to find errors.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, path: &str, _: &[u8]) -> io::Result<()> {
        file_for(Path::new("."), path).map(|_| ())
    }
}

/// Copies a folder's files as they are (theme `static/`, then the site's, which wins).
pub fn copy_static(from: &Path, to: &Path) -> io::Result<usize> {
    if !from.is_dir() {
        return Ok(0);
    }
    let mut n = 0;
    for entry in walkdir::WalkDir::new(from).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if let Some(p) = dest.parent() {
            fs::create_dir_all(p)?;
        }
        fs::copy(entry.path(), dest)?;
        n += 1;
    }
    Ok(n)
}
