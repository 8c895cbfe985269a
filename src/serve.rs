//! `gongsi serve`: build into memory, serve it on 127.0.0.1, rebuild when a file of the
//! site changes, and reload the open page. Nothing is written to disk: not `public/`, not
//! the page cache, not the URL ledger, so a deploy after a preview never publishes
//! preview links. A build that fails keeps the last good site served, with its errors
//! shown on every page; the reload script and that notice are added as pages are served.

use crate::build;
use crate::memory::Memory;
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The reload script of a page served at version `v`: it asks for the version with the
/// one its page shows (`&v=`); the preview answers when a newer one is served (or after
/// 25 s), so the page reloads the moment an edit is served, even one served while the
/// page was loading.
fn reload_script(v: u64) -> String {
    format!(
        "<script>(function(){{var v=null;v='{v}';function poll(){{fetch('/__gongsi/version?page='+encodeURIComponent(location.pathname)+'&v='+v).then(function(r){{return r.text()}}).then(function(t){{if(t!==v){{location.reload();return}}setTimeout(poll,0)}}).catch(function(){{setTimeout(poll,500)}})}}poll()}})();</script>"
    )
}

/// The preview's state: the loaded site the quick edits work on.
#[derive(Default)]
struct State {
    resident: Option<build::Resident>,
}

/// Builds the whole site into memory and serves it, quick edits of saves that came in
/// meanwhile staying on top (a newer build follows them). Prints what it found.
fn rebuild(root: &Path, memory: &Arc<Memory>, base: &str, state: &Mutex<State>) -> bool {
    let seen = memory.edits();
    let opts = build::Options { base_url: Some(base.into()), ..build::Options::new(root.to_path_buf(), None) };
    let start = Instant::now();
    let outcome = build::run(&build::Options { memory: Some(memory.clone()), ..opts });
    let mut st = state.lock().unwrap();
    let superseded = memory.edits() != seen;
    let mut text = String::new();
    for d in &outcome.report.items {
        eprintln!("{d}\n");
        text.push_str(&format!("{d}\n\n"));
    }
    match outcome.memory {
        Some(done) if outcome.report.errors() == 0 => {
            memory.commit(done.build, done.cache, seen);
            // The loaded site of a build a newer save overtook lacks that save's quick edit.
            if !superseded || st.resident.is_none() {
                st.resident = Some(done.resident);
            }
            eprintln!("built {} pages in {:.0} ms", outcome.pages, start.elapsed().as_secs_f64() * 1000.0);
            true
        }
        // A newer build follows and reports for itself.
        _ if superseded => false,
        _ => {
            eprintln!("build failed; still serving the last good site");
            st.resident = None;
            memory.fail(text, seen);
            false
        }
    }
}

/// The quick edit: when the saved files are the texts or the record of one program, render
/// just that program's pages (with their charts and downloads) against the loaded site and
/// serve them at once; the whole build that follows brings lists, indexes and site-wide
/// files up to date. Returns false (and changes nothing) for any other edit, or one that
/// changes more than the program's own pages can show: a renamed slug, a new region, a
/// different front matter, a file that does not load or a check that fails.
pub fn quick_edit(root: &Path, resident: &mut build::Resident, changed: &[PathBuf], memory: &Memory) -> bool {
    let start = Instant::now();
    let timings = std::env::var_os("GONGSI_TIMINGS").is_some();
    let phase = |name: &str| {
        if timings {
            eprintln!("  [{:>8.1} ms] quick edit: {name}", start.elapsed().as_secs_f64() * 1000.0);
        }
    };
    let rels: Vec<PathBuf> =
        changed.iter().map(|p| p.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| p.clone())).collect();
    let Some(dir) = rels.first().and_then(|r| r.parent()).map(Path::to_path_buf) else { return false };
    let in_bundle = |r: &PathBuf| {
        let name = r.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        r.parent() == Some(dir.as_path()) && (name == "program.toml" || name.ends_with(".md")) && root.join(r).is_file()
    };
    if !dir.starts_with("content") || !rels.iter().all(in_bundle) || memory.errors().is_some() {
        return false;
    }
    let Some(data) = resident.data.as_ref() else { return false };
    let Some(Ok(program)) = crate::load::content::reload_program(root, &dir) else { return false };
    let Some(old) = data.site.programs.iter().find(|p| p.data.slug == program.data.slug) else { return false };
    // Front matter decides paths, titles and lists: a change there needs a whole build.
    let same_front = |a: &crate::model::Markdown, b: &crate::model::Markdown| {
        a.file == b.file && format!("{:?}", a.front) == format!("{:?}", b.front)
    };
    if !same_front(&old.text.ko, &program.text.ko) || !same_front(&old.text.en, &program.text.en) {
        return false;
    }
    let bodies = [(&program.text.ko, &old.text.ko), (&program.text.en, &old.text.en)];
    phase("reloaded");
    let Some(next) = data.with_program(program.clone()) else { return false };
    phase("model");
    let mut report = crate::diagnostics::Report::default();
    crate::validate::validate_program(&next.site, &program, &mut report);
    if report.errors() > 0 {
        return false;
    }
    phase("validated");
    let content = Path::new("content");
    let mut pages = Vec::new();
    let mut texts = Vec::new();
    for (new, old) in bodies {
        let rel = new.file.strip_prefix(content).unwrap_or(&new.file).to_string_lossy().replace('\\', "/");
        let Some(i) = resident.site.page_index(&rel) else { return false };
        pages.push(i);
        if new.hash != old.hash {
            // The page's text as Zola's loader reads it.
            let Ok(text) = std::fs::read_to_string(root.join(&new.file)) else { return false };
            let body = match crate::content::front::split(&text) {
                Some((_, _, body)) => body.to_string(),
                None => text.clone(),
            };
            texts.push((i, body));
        }
    }
    for (i, body) in texts {
        if resident.site.set_page_body(i, body).is_err() {
            return false;
        }
    }
    phase("markdown");
    next.register(&mut resident.site.tera);
    resident.data = Some(next);
    let build = memory.begin();
    let data = resident.data.as_ref().map(|d| d as &dyn crate::site::DataPages);
    let items: Vec<crate::content::library::Item> =
        pages.iter().map(|&i| crate::content::library::Item::Page(i)).collect();
    match resident.site.write_items(&items, &build, data) {
        Ok(_) => {
            memory.patch(build);
            eprintln!("updated {} in {:.0} ms", dir.display(), start.elapsed().as_secs_f64() * 1000.0);
            true
        }
        Err(_) => false,
    }
}

/// The quick edit of a template: when every saved file is a template (the site's or its
/// theme's), read the templates again and render the pages open in a browser with them at
/// once; the whole build that follows renders the rest. Returns false (and changes
/// nothing) for any other edit, or templates that do not load.
pub fn quick_template_edit(root: &Path, resident: &mut build::Resident, changed: &[PathBuf], memory: &Memory) -> bool {
    let start = Instant::now();
    let is_template = |p: &PathBuf| {
        let rel = p.strip_prefix(root).unwrap_or(p);
        let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
        let first = parts.next().unwrap_or_default();
        let in_templates = match first.as_str() {
            "templates" => true,
            "themes" => parts.nth(1).is_some_and(|d| d == "templates"),
            _ => false,
        };
        in_templates && rel.extension().is_some_and(|e| e == "html" || e == "xml" || e == "md" || e == "txt")
    };
    if changed.is_empty() || !changed.iter().all(is_template) || memory.errors().is_some() {
        return false;
    }
    let data = resident.data.as_ref();
    let register = |tera: &mut tera::Tera| {
        if let Some(d) = data {
            d.register(tera)
        }
    };
    if resident.site.reload_templates(Some(&register)).is_err() {
        return false;
    }
    let items = resident.site.items_at(&memory.open_pages());
    let build = memory.begin();
    match resident.site.write_items(&items, &build, data.map(|d| d as &dyn crate::site::DataPages)) {
        Ok(_) => {
            memory.patch(build);
            eprintln!(
                "rendered {} open page(s) with the changed templates in {:.0} ms",
                items.len(),
                start.elapsed().as_secs_f64() * 1000.0
            );
            true
        }
        Err(_) => false,
    }
}

pub fn serve(root: &Path, port: u16) -> Result<(), String> {
    let addr = format!("127.0.0.1:{port}");
    let base = format!("http://{addr}");
    // Listen first, so the address is taken (or refused) before the first build.
    let server = tiny_http::Server::http(&addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let memory = Arc::new(Memory::default());
    let state = Arc::new(Mutex::new(State::default()));
    rebuild(root, &memory, &base, &state);

    let (tx, rx) = std::sync::mpsc::channel::<notify::Event>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        // Reading a file (as every build does) is no change: only writes, creations,
        // removals and renames start a build, or builds would start each other forever.
        match res {
            Ok(ev) if !matches!(ev.kind, notify::EventKind::Access(_)) => {
                let _ = tx.send(ev);
            }
            _ => {}
        }
    })
    .map_err(|e| e.to_string())?;
    for dir in ["content", "data", "templates", "themes", "static", "charts", "sass"] {
        let p = root.join(dir);
        if p.exists() {
            watcher.watch(&p, RecursiveMode::Recursive).map_err(|e| e.to_string())?;
        }
    }
    for file in ["config.toml", "zola.toml"] {
        let p = root.join(file);
        if p.exists() {
            watcher.watch(&p, RecursiveMode::NonRecursive).map_err(|e| e.to_string())?;
        }
    }
    // Whole builds run on their own thread, so a quick edit never waits for one; requests
    // that pile up while one runs become one build.
    let (build_tx, build_rx) = std::sync::mpsc::channel::<()>();
    {
        let (root, base, memory, state) = (root.to_path_buf(), base.clone(), memory.clone(), state.clone());
        std::thread::spawn(move || {
            while build_rx.recv().is_ok() {
                while build_rx.try_recv().is_ok() {}
                rebuild(&root, &memory, &base, &state);
            }
        });
    }
    {
        let (root, memory, state) = (root.to_path_buf(), memory.clone(), state.clone());
        std::thread::spawn(move || {
            while let Ok(first) = rx.recv() {
                // Let a burst of saves settle (an editor writes a file in several steps).
                let mut paths: Vec<PathBuf> = first.paths;
                while let Ok(ev) = rx.recv_timeout(Duration::from_millis(15)) {
                    paths.extend(ev.paths);
                }
                paths.sort();
                paths.dedup();
                // An editor's or `sed -i`'s temporary file is gone by now: the quick edits
                // look at the files that are there (the whole build sees everything).
                let present: Vec<PathBuf> = paths.iter().filter(|p| p.is_file()).cloned().collect();
                let mut st = state.lock().unwrap();
                memory.note_edit();
                if let Some(resident) = st.resident.as_mut().filter(|_| !present.is_empty()) {
                    let _ = quick_edit(&root, resident, &present, &memory)
                        || quick_template_edit(&root, resident, &present, &memory);
                }
                drop(st);
                let _ = build_tx.send(());
            }
        });
    }

    eprintln!("serving {} from memory at {base}/ (Ctrl-C to stop)", root.display());
    for request in server.incoming_requests() {
        // A reload script that has a version waits for the next one on a thread of its own.
        let seen = request
            .url()
            .strip_prefix("/__gongsi/version?")
            .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("v=")).and_then(|v| v.parse::<u64>().ok()));
        match seen {
            Some(seen) => {
                let memory = memory.clone();
                std::thread::spawn(move || {
                    memory.wait_for_change(seen, Duration::from_secs(25));
                    let response = respond(&memory, request.url());
                    let _ = request.respond(response);
                });
            }
            None => {
                let response = respond(&memory, request.url());
                let _ = request.respond(response);
            }
        }
    }
    Ok(())
}

/// What the preview answers for a URL: the built file from memory (HTML with the reload
/// script and, after a failed build, its errors), the 404 page, or the errors alone
/// while no build has succeeded yet.
pub fn respond(memory: &Memory, url: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    if path == "/__gongsi/version" {
        if let Some(page) = url.split_once("?page=").map(|(_, p)| percent_decode(p.split('&').next().unwrap_or(""))) {
            memory.saw(&page);
        }
        return tiny_http::Response::from_string(memory.version().to_string());
    }
    // The version first: a page that is newer than it only reloads once more.
    let version = memory.version();
    let errors = memory.errors();
    if memory.is_empty() {
        let body = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body>{}{}</body></html>",
            error_notice(errors.as_deref().unwrap_or("building…")),
            reload_script(version)
        );
        return tiny_http::Response::from_string(body).with_status_code(500).with_header(content_header("index.html"));
    }
    let decoded = percent_decode(path);
    let found = crate::output::relative_file(&decoded).ok().and_then(|rel| memory.get(&rel).map(|b| (rel, b)));
    let (status, rel, bytes) = match found {
        Some((rel, b)) => (200, rel, b),
        None => (404, "404.html".to_string(), memory.get("404.html").unwrap_or_else(|| Arc::from(&b"not found"[..]))),
    };
    let header = content_header(&rel);
    let mut bytes = bytes.to_vec();
    if rel.ends_with(".html") {
        let notice = errors.as_deref().map(error_notice).unwrap_or_default();
        let html = String::from_utf8_lossy(&bytes);
        let script = reload_script(version);
        let inject = format!("{notice}{script}</body>");
        bytes = match html.rfind("</body>") {
            Some(i) => format!("{}{inject}{}", &html[..i], &html[i + "</body>".len()..]),
            None => format!("{html}{notice}{script}"),
        }
        .into_bytes();
    }
    tiny_http::Response::from_data(bytes).with_status_code(status).with_header(header)
}

/// The notice a failed build puts on every served page, above everything else.
fn error_notice(errors: &str) -> String {
    format!(
        "<div id=\"gongsi-build-errors\" role=\"alert\" style=\"position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:1rem;background:#fff0f0;color:#5a0000;border-bottom:3px solid #b00020;font:14px/1.45 ui-monospace,monospace\"><strong>gongsi: the build failed; this is the last good version.</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">{}</pre></div>",
        crate::templates::escape_html(errors)
    )
}

fn content_header(rel: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(&b"Content-Type"[..], content_type(Path::new(rel)).as_bytes()).expect("valid header")
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
