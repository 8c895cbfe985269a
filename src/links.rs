//! Internal links that lead nowhere: every link from a rendered page to this site (a
//! permalink, or `#anchor` on the same page) must name a file the build wrote and, when
//! it has an anchor, an `id` on that page. The check sits between the renderer and the
//! output as a sink, reading each page as it passes. It keeps little: a same-page anchor
//! is checked at once; for the rest it keeps each distinct target once, and the ids of
//! pages as hashes.

use crate::model::hash_texts;
use crate::output::{FileRecord, Sink};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

#[derive(Default)]
struct Seen {
    /// Site paths written, and whether the page was read (its ids are known).
    files: HashMap<String, bool>,
    /// Hashes of "path#id" for every id of every page read.
    ids: HashSet<u64>,
    /// Each distinct (target path, anchor), with the first page that links to it.
    targets: HashMap<(String, Option<String>), String>,
    /// Same-page anchors that do not exist.
    broken: Vec<String>,
}

pub struct LinkCheck<'a> {
    inner: &'a dyn Sink,
    base: String,
    seen: Mutex<Seen>,
}

/// The values of `attr="…"` in an HTML text.
fn attribute_values<'t>(html: &'t str, attr: &str) -> Vec<&'t str> {
    let pat = format!(" {attr}=\"");
    html.match_indices(&pat)
        .filter_map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

fn id_key(path: &str, id: &str) -> u64 {
    hash_texts([path.as_bytes(), id.as_bytes()])
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
            .keys()
            .filter(|(to, a)| a.is_some() && seen.files.get(to) == Some(&false))
            .map(|(to, _)| to.clone())
            .collect();
        kept_targets.sort();
        kept_targets.dedup();
        for to in kept_targets {
            let bytes = crate::output::relative_file(&to).ok().and_then(|rel| self.inner.read_kept(&rel));
            if let Some(bytes) = bytes {
                let html = String::from_utf8_lossy(&bytes);
                let ids: Vec<u64> = attribute_values(&html, "id").into_iter().map(|id| id_key(&to, id)).collect();
                seen.ids.extend(ids);
                seen.files.insert(to, true);
            }
        }
        let mut out = seen.broken;
        for ((to, anchor), from) in seen.targets {
            let ok = match (seen.files.get(&to), &anchor) {
                (None, _) => false,
                (Some(true), Some(a)) => seen.ids.contains(&id_key(&to, a)),
                (Some(_), _) => true,
            };
            if !ok {
                out.push(match anchor {
                    Some(a) => format!("{from} links to {to}#{a}, which does not exist"),
                    None => format!("{from} links to {to}, which does not exist"),
                });
            }
        }
        out.sort();
        out.dedup();
        out
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
        let html = String::from_utf8_lossy(bytes);
        let ids: HashSet<&str> = attribute_values(&html, "id").into_iter().collect();
        let mut broken = Vec::new();
        let mut targets = Vec::new();
        for href in attribute_values(&html, "href").into_iter().chain(attribute_values(&html, "src")) {
            let href = href.replace("&amp;", "&");
            if let Some(anchor) = href.strip_prefix('#') {
                if !anchor.is_empty() && !ids.contains(anchor) {
                    broken.push(format!("{key} links to {key}#{anchor}, which does not exist"));
                }
            } else if let Some(rest) = href
                .strip_prefix(&self.base)
                .filter(|r| r.starts_with('/'))
                // A root-relative link (`/x/`, not `//host/`) leads into this site too.
                .or_else(|| (href.starts_with('/') && !href.starts_with("//")).then_some(href.as_str()))
            {
                let rest = rest.split('?').next().unwrap_or(rest);
                let (to, anchor) = match rest.split_once('#') {
                    Some((p, a)) => (p.to_string(), Some(a.to_string()).filter(|a| !a.is_empty())),
                    None => (rest.to_string(), None),
                };
                targets.push((to, anchor));
            }
        }
        let mut seen = self.seen.lock().unwrap();
        seen.ids.extend(ids.iter().map(|id| id_key(&key, id)));
        seen.broken.extend(broken);
        for t in targets {
            seen.targets.entry(t).or_insert_with(|| key.clone());
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
}
