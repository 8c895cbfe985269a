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

#[test]
fn serve_rebuilds_on_change_and_signals_reload() {
    let site = Site::fixture("basic");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_gongsi"))
        .args(["--root", site.root().to_str().unwrap(), "serve", "--port", &port.to_string()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let _guard = Kill(child);
    assert!(
        wait_for(Duration::from_secs(20), || get(port, "/about/").is_some_and(|r| r.contains("소개 글."))),
        "serves the site"
    );
    let page = get(port, "/programs/alpha-care/").unwrap();
    assert!(page.contains("/__gongsi/version"), "reload script injected into served HTML");
    assert!(page.contains(&format!("http://127.0.0.1:{port}/en/programs/alpha-care/")), "links point at the preview");
    assert!(
        !std::fs::read_to_string(site.public().join("about/index.html")).unwrap().contains("__gongsi"),
        "built files stay clean"
    );
    let version = |r: String| r.rsplit("\r\n\r\n").next().unwrap_or("").to_string();
    let v1 = version(get(port, "/__gongsi/version").unwrap());
    site.write("content/about.md", "+++\ntitle = \"소개\"\n+++\n바뀐 글.\n");
    assert!(
        wait_for(Duration::from_secs(20), || get(port, "/about/").is_some_and(|r| r.contains("바뀐 글."))),
        "rebuilt after the change"
    );
    // The new site is in place a moment before the build returns and counts a version.
    assert!(
        wait_for(Duration::from_secs(5), || version(get(port, "/__gongsi/version").unwrap()) != v1),
        "the version the page polls changed, so it reloads"
    );
    assert!(get(port, "/no/such/page/").unwrap().starts_with("HTTP/1.1 404"));
}
