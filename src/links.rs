//! Internal links that lead nowhere: every link from a rendered page to this site (a
//! permalink, or `#anchor` on the same page) must name a file the build wrote and, when
//! it has an anchor, an `id` on that page. The check sits between the renderer and the
//! output as a sink, reading each page as it passes.

use crate::output::{FileRecord, Sink};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

pub struct LinkCheck<'a> {
    inner: &'a dyn Sink,
    base: String,
    /// Site path → the ids of that page (None for files that are not HTML).
    files: Mutex<HashMap<String, Option<HashSet<String>>>>,
    /// (from page, to path, anchor)
    links: Mutex<Vec<(String, String, Option<String>)>>,
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

impl<'a> LinkCheck<'a> {
    pub fn new(inner: &'a dyn Sink, base: &str) -> LinkCheck<'a> {
        LinkCheck {
            inner,
            base: base.trim_end_matches('/').to_string(),
            files: Default::default(),
            links: Default::default(),
        }
    }

    /// Every broken link, as "from → to".
    pub fn broken(self) -> Vec<String> {
        let files = self.files.into_inner().unwrap();
        let mut out: Vec<String> = self
            .links
            .into_inner()
            .unwrap()
            .into_iter()
            .filter(|(_, to, anchor)| match files.get(to) {
                None => true,
                Some(Some(ids)) => anchor.as_ref().is_some_and(|a| !ids.contains(a)),
                Some(None) => false,
            })
            .map(|(from, to, anchor)| match anchor {
                Some(a) => format!("{from} links to {to}#{a}, which does not exist"),
                None => format!("{from} links to {to}, which does not exist"),
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

impl Sink for LinkCheck<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<FileRecord> {
        let rec = self.inner.put(path, bytes)?;
        let html = (path.ends_with('/') || path.ends_with(".html")).then(|| String::from_utf8_lossy(bytes));
        let key = if path.ends_with("index.html") {
            path.trim_end_matches("index.html").to_string()
        } else {
            path.to_string()
        };
        match html {
            Some(html) => {
                let ids: HashSet<String> = attribute_values(&html, "id").into_iter().map(str::to_string).collect();
                let mut links = Vec::new();
                for href in attribute_values(&html, "href").into_iter().chain(attribute_values(&html, "src")) {
                    let href = href.replace("&amp;", "&");
                    let target = if let Some(anchor) = href.strip_prefix('#') {
                        Some((key.clone(), Some(anchor.to_string())))
                    } else {
                        href.strip_prefix(&self.base).filter(|r| r.starts_with('/')).map(|rest| {
                            let rest = rest.split('?').next().unwrap_or(rest);
                            match rest.split_once('#') {
                                Some((p, a)) => (p.to_string(), Some(a.to_string())),
                                None => (rest.to_string(), None),
                            }
                        })
                    };
                    if let Some((to, anchor)) = target {
                        // Anchors a script would create (`#top`) and empty anchors are skipped.
                        let anchor = anchor.filter(|a| !a.is_empty());
                        links.push((key.clone(), to, anchor));
                    }
                }
                self.files.lock().unwrap().insert(key, Some(ids));
                self.links.lock().unwrap().extend(links);
            }
            None => {
                self.files.lock().unwrap().insert(key, None);
            }
        }
        Ok(rec)
    }

    fn keep(&self, file: &FileRecord) -> bool {
        let kept = self.inner.keep(file);
        if kept {
            // Known to exist, but not read: links into it are checked for the page only.
            let path = format!("/{}", file.rel);
            let key = if path.ends_with("index.html") { path.trim_end_matches("index.html").to_string() } else { path };
            self.files.lock().unwrap().entry(key).or_insert(None);
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Discard;

    #[test]
    fn finds_missing_pages_and_anchors() {
        let check = LinkCheck::new(&Discard, "https://x.kr");
        check.put("/a/", br##"<p id="here"><a href="https://x.kr/b/#there">b</a> <a href="#here">self</a> <a href="https://x.kr/c/">c</a> <a href="https://other.kr/">o</a></p>"##).unwrap();
        check.put("/b/", br##"<h1 id="there">b</h1><a href="https://x.kr/a/#nowhere">a</a>"##).unwrap();
        let broken = check.broken();
        assert_eq!(
            broken,
            vec!["/a/ links to /c/, which does not exist", "/b/ links to /a/#nowhere, which does not exist"]
        );
    }
}
