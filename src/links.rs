//! Internal links that lead nowhere: every link from a rendered page to this site (a
//! permalink, or `#anchor` on the same page) must name a file the build wrote and, when
//! it has an anchor, an `id` on that page. The check sits between the renderer and the
//! output as a sink, reading each page as it passes. It keeps little: a same-page anchor
//! is checked at once; for the rest it keeps each distinct target once, and the ids of
//! pages as hashes.

use crate::model::hash_texts;
use crate::output::{FileRecord, Sink};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;

#[derive(Default)]
struct Seen {
    /// Site paths written, and whether the page was read (its ids are known).
    files: HashMap<String, bool>,
    /// Hashes of "path#id" for every id of every page read.
    ids: FxHashSet<u64>,
    /// Each distinct (target path, anchor), by its hash, with the target and the first
    /// page by path that links to it (kept only the first time, so a link every page has, the
    /// menu's, costs a lookup and no copy).
    targets: FxHashMap<u64, Target>,
    /// Same-page anchors that do not exist.
    broken: Vec<String>,
}

struct Target {
    to: String,
    anchor: Option<String>,
    from: String,
}

pub struct LinkCheck<'a> {
    inner: &'a dyn Sink,
    base: String,
    seen: Mutex<Seen>,
}

/// The attributes the check reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attr {
    Id,
    Href,
    Src,
}

/// Every ` id="…"`, ` href="…"` and ` src="…"` of an HTML text, in one pass: each `="`
/// is found by a vectorised search, and the name before it decides.
fn attributes(html: &[u8]) -> impl Iterator<Item = (Attr, &str)> + '_ {
    memchr::memmem::find_iter(html, b"=\"").filter_map(move |at| {
        let before = &html[..at];
        let attr = if before.ends_with(b" id") {
            Attr::Id
        } else if before.ends_with(b" href") {
            Attr::Href
        } else if before.ends_with(b" src") {
            Attr::Src
        } else {
            return None;
        };
        let rest = &html[at + 2..];
        let end = memchr::memchr(b'"', rest)?;
        // A value ends at an ASCII quote, so it is whole UTF-8 when the text is.
        std::str::from_utf8(&rest[..end]).ok().map(|v| (attr, v))
    })
}

fn id_key(path: &str, id: &str) -> u64 {
    hash_texts([path.as_bytes(), id.as_bytes()])
}

fn target_key(to: &str, anchor: Option<&str>) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    to.hash(&mut h);
    anchor.hash(&mut h);
    h.finish()
}

/// "/x/index.html" and "/x/" name the same page.
fn page_key(path: &str) -> String {
    path.strip_suffix("index.html").unwrap_or(path).to_string()
}

impl<'a> LinkCheck<'a> {
    pub fn new(inner: &'a dyn Sink, base: &str) -> LinkCheck<'a> {
        LinkCheck { inner, base: base.trim_end_matches('/').to_string(), seen: Default::default() }
    }

    /// Every broken link, as "from links to to, which does not exist".
    pub fn broken(self) -> Vec<String> {
        let mut seen = self.seen.into_inner().unwrap();
        // A page kept from the last build was not read as it passed: read the ones that
        // anchored links lead into, so a rebuild judges anchors as a cold build does.
        let mut kept_targets: Vec<String> = seen
            .targets
            .values()
            .filter(|t| t.anchor.is_some() && seen.files.get(&t.to) == Some(&false))
            .map(|t| t.to.clone())
            .collect();
        kept_targets.sort();
        kept_targets.dedup();
        for to in kept_targets {
            let bytes = crate::output::relative_file(&to).ok().and_then(|rel| self.inner.read_kept(&rel));
            if let Some(bytes) = bytes {
                let ids: Vec<u64> =
                    attributes(&bytes).filter(|(a, _)| *a == Attr::Id).map(|(_, id)| id_key(&to, id)).collect();
                seen.ids.extend(ids);
                seen.files.insert(to, true);
            }
        }
        let mut out = seen.broken;
        for t in seen.targets.into_values() {
            let ok = match (seen.files.get(&t.to), &t.anchor) {
                (None, _) => false,
                (Some(true), Some(a)) => seen.ids.contains(&id_key(&t.to, a)),
                (Some(_), _) => true,
            };
            if !ok {
                out.push(match t.anchor {
                    Some(a) => format!("{} links to {}#{a}, which does not exist", t.from, t.to),
                    None => format!("{} links to {}, which does not exist", t.from, t.to),
                });
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The site path a link leads to, with its anchor, when it leads into this site: a
    /// permalink or a root-relative link (`/x/`, never a protocol-relative `//host/`, even
    /// when the base URL is `/` and so strips to nothing).
    fn internal<'h>(&self, href: &'h str) -> Option<(&'h str, Option<&'h str>)> {
        let rest = href
            .strip_prefix(self.base.as_str())
            .filter(|r| r.starts_with('/'))
            .or_else(|| href.starts_with('/').then_some(href))
            .filter(|r| !r.starts_with("//"))?;
        let rest = rest.split('?').next().unwrap_or(rest);
        Some(match rest.split_once('#') {
            Some((p, a)) => (p, Some(a).filter(|a| !a.is_empty())),
            None => (rest, None),
        })
    }
}

impl Sink for LinkCheck<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<FileRecord> {
        let rec = self.inner.put(path, bytes)?;
        let key = page_key(path);
        if !(path.ends_with('/') || path.ends_with(".html")) {
            self.seen.lock().unwrap().files.insert(key, false);
            return Ok(rec);
        }
        let mut ids: FxHashSet<&str> = FxHashSet::default();
        let mut links: Vec<std::borrow::Cow<str>> = Vec::new();
        for (attr, value) in attributes(bytes) {
            match attr {
                Attr::Id => {
                    ids.insert(value);
                }
                _ if value.contains("&amp;") => links.push(value.replace("&amp;", "&").into()),
                _ => links.push(value.into()),
            }
        }
        let mut broken = Vec::new();
        let mut targets: Vec<(u64, &str, Option<&str>)> = Vec::new();
        for href in &links {
            if let Some(anchor) = href.strip_prefix('#') {
                if !anchor.is_empty() && !ids.contains(anchor) {
                    broken.push(format!("{key} links to {key}#{anchor}, which does not exist"));
                }
            } else if let Some((to, anchor)) = self.internal(href) {
                targets.push((target_key(to, anchor), to, anchor));
            }
        }
        targets.sort_unstable_by_key(|t| t.0);
        targets.dedup_by_key(|t| t.0);
        let id_keys: Vec<u64> = ids.iter().map(|id| id_key(&key, id)).collect();
        let mut seen = self.seen.lock().unwrap();
        seen.ids.extend(id_keys);
        seen.broken.extend(broken);
        for (h, to, anchor) in targets {
            match seen.targets.entry(h) {
                // The first page by path, not by thread timing, is the one an error names.
                Entry::Occupied(mut e) => {
                    if key < e.get().from {
                        e.get_mut().from = key.clone();
                    }
                }
                Entry::Vacant(e) => {
                    e.insert(Target { to: to.to_string(), anchor: anchor.map(str::to_string), from: key.clone() });
                }
            }
        }
        seen.files.insert(key, true);
        Ok(rec)
    }

    fn keep(&self, file: &FileRecord) -> bool {
        let kept = self.inner.keep(file);
        if kept {
            // Known to exist but not read now: `broken` reads it if an anchored link leads into it.
            self.seen.lock().unwrap().files.entry(page_key(&format!("/{}", file.rel))).or_insert(false);
        }
        kept
    }

    fn read_kept(&self, rel: &str) -> Option<Vec<u8>> {
        self.inner.read_kept(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Discard;

    #[test]
    fn finds_missing_pages_and_anchors() {
        let check = LinkCheck::new(&Discard, "https://x.kr");
        check.put("/a/", br##"<p id="here"><a href="https://x.kr/b/#there">b</a> <a href="#here">self</a> <a href="#gone">gone</a> <a href="https://x.kr/c/">c</a> <a href="https://other.kr/">o</a></p>"##).unwrap();
        check.put("/b/", br##"<h1 id="there">b</h1><a href="https://x.kr/a/#nowhere">a</a>"##).unwrap();
        check
            .put(
                "/d/",
                br##"<a href="/a/#here">ok</a> <a href="/no-such-page/">x</a> <a href="//cdn.example/x.js">cdn</a>"##,
            )
            .unwrap();
        let broken = check.broken();
        assert_eq!(
            broken,
            vec![
                "/a/ links to /a/#gone, which does not exist",
                "/a/ links to /c/, which does not exist",
                "/b/ links to /a/#nowhere, which does not exist",
                "/d/ links to /no-such-page/, which does not exist"
            ]
        );
    }

    #[test]
    fn protocol_relative_links_are_external_with_a_root_base_url() {
        let check = LinkCheck::new(&Discard, "/");
        check
            .put(
                "/a/",
                br##"<iframe src="//video.example/embed/1"></iframe><a href="//x.example/">x</a><a href="/b/">b</a>"##,
            )
            .unwrap();
        assert_eq!(check.broken(), vec!["/a/ links to /b/, which does not exist"]);
    }
}
