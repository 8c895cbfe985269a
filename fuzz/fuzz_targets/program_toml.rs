//! Any bytes as a `program.toml`: parsing and computing the figures must never panic or
//! hang; a bad file is an error, never a crash.
#![no_main]
use gongsi::diagnostics::Diagnostic;
use gongsi::model::figures::{Budget, Kpi, SeriesFigures};
use gongsi::model::ProgramData;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match toml::from_str::<ProgramData>(text) {
        Ok(p) => {
            for b in p.budget {
                if let Some(b) = Budget::compute(b) {
                    let _ = gongsi::format::won(b.budget_won, gongsi::lang::Lang::Ko, false);
                    let _ = gongsi::format::won(b.executed_won, gongsi::lang::Lang::En, true);
                }
            }
            for k in p.kpi {
                let _ = Kpi::compute(k);
            }
            for s in p.series {
                let _ = SeriesFigures::compute(s);
            }
        }
        Err(e) => {
            // The diagnostic must point inside the text and render.
            let d = Diagnostic::from_toml(Path::new("program.toml"), text, 0, &e);
            let _ = d.to_string();
        }
    }
});
