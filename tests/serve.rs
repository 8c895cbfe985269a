//! `gongsi serve`: serves the site, rebuilds when a file changes, and tells the open page
//! to reload.

mod common;
use common::Site;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf).into_owned())
}

fn wait_for(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

struct Kill(std::process::Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Status and body of a GET.
fn get_bytes(port: u16, path: &str) -> Option<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let body = &buf[split + 4..];
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    Some((status, if chunked { dechunk(body)? } else { body.to_vec() }))
}

/// A chunked HTTP/1.1 body (large files are sent so) as its bytes.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = String::from_utf8_lossy(&rest[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn serve(site: &Site, port: u16) -> Kill {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_gongsi"))
        .args(["--root", site.root().to_str().unwrap(), "serve", "--port", &port.to_string()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let guard = Kill(child);
    assert!(
        wait_for(Duration::from_secs(30), || get(port, "/__gongsi/version").is_some_and(|r| r.ends_with('1'))),
        "serves the site"
    );
    guard
}

/// The reload script the preview adds to every HTML page it serves.
fn without_reload_script(html: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(html);
    let start = s.find("<script>(function(){var v=null;").expect("reload script injected");
    let end = start + s[start..].find("</script>").unwrap() + "</script>".len();
    format!("{}{}", &s[..start], &s[end..]).into_bytes()
}

#[test]
fn serve_rebuilds_on_change_and_signals_reload() {
    let site = Site::fixture("basic");
    let port = free_port();
    let _guard = serve(&site, port);
    assert!(get(port, "/about/").unwrap().contains("소개 글."));
    let page = get(port, "/programs/alpha-care/").unwrap();
    assert!(page.contains("/__gongsi/version"), "reload script injected into served HTML");
    assert!(page.contains(&format!("http://127.0.0.1:{port}/en/programs/alpha-care/")), "links point at the preview");
    let version = |r: String| r.rsplit("\r\n\r\n").next().unwrap_or("").to_string();
    let v1 = version(get(port, "/__gongsi/version").unwrap());
    site.write("content/about.md", "+++\ntitle = \"소개\"\n+++\n바뀐 글.\n");
    assert!(
        wait_for(Duration::from_secs(20), || get(port, "/about/").is_some_and(|r| r.contains("바뀐 글."))),
        "rebuilt after the change"
    );
    // The new site is in place a moment before the build counts a version.
    assert!(
        wait_for(Duration::from_secs(5), || version(get(port, "/__gongsi/version").unwrap()) != v1),
        "the version the page polls changed, so it reloads"
    );
    let (status, body) = get_bytes(port, "/no/such/page/").unwrap();
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("<html"), "the site's 404 page");
}

#[test]
fn serve_writes_nothing_and_serves_what_a_cold_build_with_its_base_url_writes() {
    let site = Site::fixture("basic");
    let ledger_before = site.files_under("urls");
    let port = free_port();
    let guard = serve(&site, port);
    // Edit once, so the served site is an incremental build, not only the first one.
    let about =
        std::fs::read_to_string(site.root().join("content/about.md")).unwrap().replace("소개 글.", "소개 글, 고친 것.");
    site.write("content/about.md", &about);
    assert!(wait_for(Duration::from_secs(20), || get(port, "/about/").is_some_and(|r| r.contains("고친 것"))));
    assert!(!site.public().exists(), "serve never writes public/");
    assert!(!site.root().join(".gongsi-cache").exists(), "nor the page cache");
    assert_eq!(site.files_under("urls"), ledger_before, "nor the URL ledger");
    // A cold build with the preview's base URL gives the same files, byte for byte.
    let out = site.root().join("cold");
    let base = format!("http://127.0.0.1:{port}");
    let run = site.run(&["build", "--output", out.to_str().unwrap(), "--base-url", &base]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let mut n = 0;
    for entry in walkdir::WalkDir::new(&out).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let rel = entry.path().strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/");
        if rel.starts_with('.') {
            continue;
        }
        let want = std::fs::read(entry.path()).unwrap();
        let url = format!("/{}", rel.strip_suffix("index.html").unwrap_or(&rel));
        let (status, got) = get_bytes(port, &url).unwrap_or_else(|| panic!("GET {url}"));
        assert_eq!(status, 200, "{url}");
        let got = if rel.ends_with(".html") { without_reload_script(&got) } else { got };
        assert!(
            got == want,
            "{url}: served bytes differ from the cold build ({} bytes served, {} built; served begins {:?})",
            got.len(),
            want.len(),
            String::from_utf8_lossy(&got[..got.len().min(120)])
        );
        n += 1;
    }
    assert!(n > 50, "{n} files compared");
    drop(guard);
}

#[test]
fn a_failed_rebuild_shows_its_errors_on_the_last_good_pages() {
    let site = Site::fixture("basic");
    let port = free_port();
    let _guard = serve(&site, port);
    let good = get(port, "/about/").unwrap();
    assert!(good.contains("소개 글.") && !good.contains("gongsi-build-errors"));
    // A broken front matter: the build fails.
    site.write("content/about.md", "+++\ntitle = \n+++\n망가진 글.\n");
    assert!(
        wait_for(Duration::from_secs(20), || get(port, "/about/").is_some_and(|r| r.contains("gongsi-build-errors"))),
        "the failed build's errors appear on the page"
    );
    let page = get(port, "/about/").unwrap();
    assert!(page.contains("소개 글.") && !page.contains("망가진 글."), "the last good version stays served");
    assert!(page.contains("content/about.md"), "the notice names the file");
    // Fixed again: the notice goes away.
    site.write("content/about.md", "+++\ntitle = \"소개\"\n+++\n다시 고친 글.\n");
    assert!(wait_for(Duration::from_secs(20), || get(port, "/about/")
        .is_some_and(|r| r.contains("다시 고친 글.") && !r.contains("gongsi-build-errors"))));
}

/// Builds `site` into memory as the preview does and serves it; returns the loaded site.
fn preview_build(site: &Site, memory: &std::sync::Arc<gongsi::memory::Memory>, base: &str) -> gongsi::build::Resident {
    let mut opts = gongsi::build::Options::new(site.root().to_path_buf(), None);
    opts.base_url = Some(base.into());
    opts.memory = Some(memory.clone());
    let outcome = gongsi::build::run(&opts);
    let done = outcome.memory.unwrap_or_else(|| panic!("builds: {:?}", outcome.report.items));
    memory.commit(done.build, done.cache, memory.edits());
    done.resident
}

#[test]
fn a_quick_edit_serves_the_programs_pages_as_a_cold_build_makes_them() {
    use gongsi::serve::quick_edit;
    let src = |site: &Site, rel: &str| std::fs::read_to_string(site.root().join(rel)).unwrap();
    let site = Site::fixture("basic");
    let base = "http://127.0.0.1:9";
    let memory = std::sync::Arc::new(gongsi::memory::Memory::default());
    let mut resident = preview_build(&site, &memory, base);
    let before = memory.get("programs/alpha-care/index.html").unwrap();
    let list_before = memory.get("programs/index.html").unwrap();
    let v = memory.version();
    // A new sentence in the Korean text and a new executed amount in the record.
    let md =
        src(&site, "content/programs/alpha-care/index.md").replace("알파 돌봄 사업입니다.", "알파 돌봄 사업, 새 문장.");
    site.write("content/programs/alpha-care/index.md", &md);
    let rec = src(&site, "content/programs/alpha-care/program.toml").replace("executed = 25587", "executed = 25000");
    site.write("content/programs/alpha-care/program.toml", &rec);
    let root = site.root();
    let changed =
        [root.join("content/programs/alpha-care/index.md"), root.join("content/programs/alpha-care/program.toml")];
    assert!(quick_edit(root, &mut resident, &changed, &memory), "a program's text and figures are a quick edit");
    assert!(memory.version() > v, "the open page is told to reload");
    let after = memory.get("programs/alpha-care/index.html").unwrap();
    assert_ne!(after, before);
    // Its pages, charts and downloads are what a cold build of the edited site writes.
    let out = root.join("cold");
    let run = site.run(&["build", "--output", out.to_str().unwrap(), "--base-url", base]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let mut compared = 0;
    for prefix in ["programs/alpha-care/", "en/programs/alpha-care/", "data/programs/alpha-care"] {
        for entry in walkdir::WalkDir::new(&out).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file())
        {
            let rel = entry.path().strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/");
            if !rel.starts_with(prefix) {
                continue;
            }
            let got = memory.get(&rel).unwrap_or_else(|| panic!("{rel} served"));
            assert!(
                *got == *std::fs::read(entry.path()).unwrap(),
                "{rel}: the quick edit's bytes are the cold build's"
            );
            compared += 1;
        }
    }
    assert!(compared >= 10, "{compared} files compared");
    let text = String::from_utf8_lossy(&after);
    assert!(text.contains("새 문장") && text.contains("25,000"), "the page shows the new text and figure");
    // Lists wait for the whole build that follows.
    assert_eq!(memory.get("programs/index.html").unwrap(), list_before);

    // A changed title (front matter) is not a quick edit: the whole build handles it.
    let md =
        src(&site, "content/programs/alpha-care/index.md").replace("description = \"알파\"", "description = \"베타\"");
    site.write("content/programs/alpha-care/index.md", &md);
    let v = memory.version();
    assert!(!quick_edit(root, &mut resident, &changed[..1], &memory));
    assert_eq!(memory.version(), v, "nothing changed");
    // Nor is a file outside a program, or a program that no longer loads.
    assert!(!quick_edit(root, &mut resident, &[root.join("content/about.md")], &memory));
    let md =
        src(&site, "content/programs/alpha-care/index.md").replace("description = \"베타\"", "description = \"알파\"");
    site.write("content/programs/alpha-care/index.md", &md);
    site.write("content/programs/alpha-care/program.toml", &rec.replace("executed = 25000", "executed = \"x\""));
    assert!(!quick_edit(root, &mut resident, &changed[1..], &memory));
}

#[test]
fn a_saved_template_renders_the_open_pages_at_once_as_a_cold_build_does() {
    use gongsi::serve::quick_template_edit;
    let site = Site::fixture("basic");
    let base = "http://127.0.0.1:9";
    let memory = std::sync::Arc::new(gongsi::memory::Memory::default());
    let mut resident = preview_build(&site, &memory, base);
    // The reload script of an open page polls with its path.
    let _ = gongsi::serve::respond(&memory, "/__gongsi/version?page=%2Fen%2Fprograms%2Falpha-care%2F");
    assert_eq!(memory.open_pages(), ["/en/programs/alpha-care/"]);
    let file = site.root().join("themes/gongsi/templates/program.html");
    let tpl = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, tpl.replacen("{% block content %}", "{% block content %}<p class=\"marker\">새 틀</p>", 1))
        .unwrap();
    let v = memory.version();
    assert!(quick_template_edit(site.root(), &mut resident, std::slice::from_ref(&file), &memory));
    assert!(memory.version() > v, "the open page is told to reload");
    let open = memory.get("en/programs/alpha-care/index.html").unwrap();
    assert!(String::from_utf8_lossy(&open).contains("<p class=\"marker\">새 틀</p>"));
    // A page no browser has open waits for the whole build that follows.
    assert!(!String::from_utf8_lossy(&memory.get("programs/alpha-care/index.html").unwrap()).contains("marker"));
    let out = site.root().join("cold");
    let run = site.run(&["build", "--output", out.to_str().unwrap(), "--base-url", base]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(*open == *std::fs::read(out.join("en/programs/alpha-care/index.html")).unwrap(), "the cold build's bytes");
    // A template that does not parse is no quick edit: the whole build reports it.
    std::fs::write(&file, "{% block content %}{% if %}").unwrap();
    assert!(!quick_template_edit(site.root(), &mut resident, std::slice::from_ref(&file), &memory));
    // Nor is a content file.
    assert!(!quick_template_edit(site.root(), &mut resident, &[site.root().join("content/about.md")], &memory));
}
