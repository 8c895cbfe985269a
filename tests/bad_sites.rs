//! A folder of bad sites, each with the message it must produce.
//!
//! `tests/bad-sites/<name>/case.json` describes how the site differs from
//! `tests/fixtures/basic`: `edit` ([file, from, to] replacements), `files` (text files to
//! add), `raw` (files as hex bytes), `delete`, and optionally `args` (default `["check"]`)
//! and `exit` (default 1). Every line of `expected.txt` must appear in what gongsi prints.

mod common;
use common::Site;

#[test]
fn every_bad_site_gives_its_expected_message() {
    let dir = common::repo().join("tests/bad-sites");
    let mut names: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert!(names.len() >= 20, "{names:?}");
    let mut failures = Vec::new();
    for name in &names {
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(name).join("case.json")).unwrap()).unwrap();
        let site = Site::fixture("basic");
        for e in case["edit"].as_array().into_iter().flatten() {
            let (file, from, to) = (e[0].as_str().unwrap(), e[1].as_str().unwrap(), e[2].as_str().unwrap());
            let text = std::fs::read_to_string(site.root().join(file)).unwrap();
            assert!(text.contains(from), "{name}: {file} has no {from:?}");
            site.write(file, &text.replacen(from, to, 1));
        }
        for (file, text) in case["files"].as_object().into_iter().flatten() {
            site.write(file, text.as_str().unwrap());
        }
        for (file, hex) in case["raw"].as_object().into_iter().flatten() {
            let hex = hex.as_str().unwrap();
            let bytes: Vec<u8> =
                (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
            std::fs::write(site.root().join(file), bytes).unwrap();
        }
        for file in case["delete"].as_array().into_iter().flatten() {
            std::fs::remove_file(site.root().join(file.as_str().unwrap())).unwrap();
        }
        let args: Vec<String> = match case["args"].as_array() {
            Some(a) => a.iter().map(|v| v.as_str().unwrap().to_string()).collect(),
            None => vec!["check".into()],
        };
        let out = site.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let stderr = String::from_utf8_lossy(&out.stderr);
        let want_exit = case["exit"].as_i64().unwrap_or(1) as i32;
        if out.status.code() != Some(want_exit) {
            failures.push(format!("{name}: exit {:?}, expected {want_exit}\n{stderr}", out.status.code()));
        }
        for line in
            std::fs::read_to_string(dir.join(name).join("expected.txt")).unwrap().lines().filter(|l| !l.is_empty())
        {
            if !stderr.contains(line) {
                failures.push(format!("{name}: missing {line:?} in:\n{stderr}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
