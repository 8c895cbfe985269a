//! Any bytes as a workbook in `data/` (as `.xlsx`, `.ods` or a sheet's `.csv`): reading it must
//! never panic or hang; a bad file is a diagnostic naming it, never a crash.
#![no_main]
use gongsi::diagnostics::Report;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("gongsi-fuzz-workbook-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data")).unwrap();
    // The first byte picks the format, the rest is the file.
    let (name, bytes) = match data.split_first() {
        Some((0, rest)) => ("data/fuzz.ods", rest),
        Some((1, rest)) => ("data/budgets.csv", rest),
        Some((_, rest)) => ("data/fuzz.xlsx", rest),
        None => return,
    };
    std::fs::write(dir.join(name), bytes).unwrap();
    let mut report = Report::default();
    let _ = gongsi::load::sheets::load(&dir, &mut report);
    for d in &report.items {
        let _ = d.to_string();
    }
});
