//! Any bytes as a site's templates (`index.html`, which may include, extend or call macros of
//! `page.html`, the second half): loading and checking them, recursion included, must never
//! panic, overflow the stack or hang; a bad template is a diagnostic naming it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (index, page) = text.split_once('\u{0}').unwrap_or((text, "{{ page.title }}"));
    let dir = std::env::temp_dir().join(format!("gongsi-fuzz-templates-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["templates", "content"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    std::fs::write(dir.join("config.toml"), "base_url = \"https://fuzz.example\"\ntitle = \"fuzz\"\n").unwrap();
    std::fs::write(dir.join("content/_index.md"), "+++\n+++\n").unwrap();
    std::fs::write(dir.join("content/a.md"), "+++\ntitle = \"a\"\n+++\nA.\n").unwrap();
    std::fs::write(dir.join("templates/index.html"), index).unwrap();
    std::fs::write(dir.join("templates/page.html"), page).unwrap();
    let outcome = gongsi::build::run(&gongsi::build::Options::new(dir.clone(), None));
    for d in &outcome.report.items {
        let _ = d.to_string();
    }
});
