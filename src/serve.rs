//! `gongsi serve`: build, serve the output on 127.0.0.1, rebuild when a file of the site
//! changes, and reload the open page. The reload script is added to HTML as it is served,
//! never written into the built files.

use crate::build;
use notify::{RecursiveMode, Watcher};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

const RELOAD_SCRIPT: &str = "<script>(function(){var v=null;setInterval(function(){fetch('/__gongsi/version').then(function(r){return r.text()}).then(function(t){if(v===null){v=t}else if(t!==v){location.reload()}}).catch(function(){})},700)})();</script>";

fn rebuild(root: &Path, output: &Path, base: &str) -> bool {
    let opts = build::Options {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        base_url: Some(base.into()),
        strict: false,
        progress: false,
        force: false,
    };
    let outcome = build::run(&opts);
    for d in &outcome.report.items {
        eprintln!("{d}\n");
    }
    if outcome.ok(false) {
        eprintln!("built {} pages in {:.2}s", outcome.pages, outcome.seconds);
        true
    } else {
        eprintln!("build failed; still serving the last good site");
        false
    }
}

pub fn serve(root: &Path, output: &Path, port: u16) -> Result<(), String> {
    let addr = format!("127.0.0.1:{port}");
    let base = format!("http://{addr}");
    rebuild(root, output, &base);
    let version = Arc::new(AtomicU64::new(1));

    let (tx, rx) = std::sync::mpsc::channel();
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
    for dir in ["content", "data", "templates", "themes", "static", "charts"] {
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
    {
        let (root, output, base, version) = (root.to_path_buf(), output.to_path_buf(), base.clone(), version.clone());
        std::thread::spawn(move || {
            while rx.recv().is_ok() {
                // Let a burst of saves settle, then build once.
                while rx.recv_timeout(Duration::from_millis(120)).is_ok() {}
                if rebuild(&root, &output, &base) {
                    version.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
    }

    let server = tiny_http::Server::http(&addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    eprintln!("serving {} at {base}/ (Ctrl-C to stop)", output.display());
    for request in server.incoming_requests() {
        let response = respond(output, request.url(), &version);
        let _ = request.respond(response);
    }
    Ok(())
}

fn respond(output: &Path, url: &str, version: &AtomicU64) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    if path == "/__gongsi/version" {
        return tiny_http::Response::from_string(version.load(Ordering::SeqCst).to_string());
    }
    let decoded = percent_decode(path);
    let (status, file) = match crate::output::file_for(output, &decoded).ok().filter(|f| f.is_file()) {
        Some(f) => (200, f),
        None => (404, output.join("404.html")),
    };
    let mut bytes = std::fs::read(&file).unwrap_or_default();
    let ctype = content_type(&file);
    if ctype.starts_with("text/html") {
        let html = String::from_utf8_lossy(&bytes).replacen("</body>", &format!("{RELOAD_SCRIPT}</body>"), 1);
        bytes = html.into_bytes();
    }
    let header = tiny_http::Header::from_bytes(&b"Content-Type"[..], ctype.as_bytes()).expect("valid header");
    tiny_http::Response::from_data(bytes).with_status_code(status).with_header(header)
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
