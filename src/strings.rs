//! Interface strings gongsi itself needs (chart labels, table headings), in both
//! languages. A site overrides any of them in its config's `[translations]` tables; the
//! templates reach them with `trans(key=…, lang=…)` just like the site's own strings.

use crate::config::Config;
use crate::lang::Lang;

/// (key, Korean, English)
pub const BUILT_IN: &[(&str, &str, &str)] = &[
    ("budget", "예산(A)", "Budget (A)"),
    ("executed", "집행(B)", "Executed (B)"),
    ("execution_rate", "집행률(B/A)", "Execution rate (B/A)"),
    ("achievement_rate", "달성률(B/A)", "Achievement (B/A)"),
    ("target", "목표치(A)", "Target (A)"),
    ("actual", "실적(B)", "Actual (B)"),
    ("printed_rate", "원문 표기", "As printed"),
    ("rate_mismatch", "원문 표기와 계산값이 다름", "printed rate differs from the computed one"),
    ("year", "연도", "Year"),
    ("page", "쪽", "Page"),
    ("program", "사업", "Program"),
    ("programs", "사업", "Programs"),
    ("region", "지역", "Region"),
    ("regions", "지역", "Regions"),
    ("category", "분야", "Category"),
    ("categories", "분야", "Categories"),
    ("case", "사례", "Case"),
    ("cases", "사례", "Cases"),
    ("indicator", "성과지표", "Indicator"),
    ("indicators", "지표 수", "Indicators"),
    ("qualitative", "정성 지표", "qualitative"),
    ("undefined_rate", "산정 불가", "not computable"),
    ("target_line", "목표 100%", "Target 100%"),
    ("no_budget", "예산 자료 없음", "no budget figures"),
    ("chart_budget_title", "예산 대비 집행", "Budget and spending"),
    ("chart_kpi_title", "성과지표 달성률", "Performance indicator achievement"),
    ("chart_execution_title", "사업별 집행률", "Execution rate by program"),
    ("chart_achievement_title", "지표별 달성률", "Achievement by indicator"),
    ("chart_regions_title", "지역별 집행률", "Execution rate by region"),
    ("chart_execution_distribution_title", "집행률 분포(사업 수)", "How programs spent their budgets"),
    ("chart_distribution_title", "성과지표 달성률 분포", "How indicators did against their targets"),
    ("band_under_80", "80% 미만", "under 80%"),
    ("band_80_100", "80% 이상 100% 미만", "80% to under 100%"),
    ("band_100", "100%", "exactly 100%"),
    ("band_100_120", "100% 초과 120% 이하", "over 100% to 120%"),
    ("band_over_120", "120% 초과", "over 120%"),
    ("band_none", "정성 지표·산정 불가", "qualitative or not computable"),
    ("count_suffix", "개", ""),
    ("language_name", "한국어", "English"),
    ("table", "표", "Table"),
    ("heading_link", "제목 링크", "Link to heading"),
    ("chart_amounts_title", "사업별 예산과 집행", "Budget and spending by program"),
    ("chart_region_amounts_title", "지역별 예산과 집행", "Budget and spending by region"),
    ("with_budget_figures", "예산 수치가 있는", "that have budget figures"),
    ("with_indicators", "성과지표가 있는", "that have performance indicators"),
    ("item", "항목", "Item"),
    ("value", "값", "Value"),
    ("unit", "단위", "Unit"),
    ("note_label", "주", "Note"),
    ("data_updated", "자료 최종 변경", "Data last changed"),
    ("download_chart", "그래프 내려받기", "Download this chart"),
];

/// Looks up an interface string: the site's config first, then gongsi's built-in one.
pub fn trans<'a>(config: &'a Config, key: &str, lang: Lang) -> Option<&'a str> {
    config.trans(key, lang).or_else(|| built_in(key, lang.code()))
}

/// gongsi's own string for `key` in the language `code` (Korean and English only).
pub fn built_in(key: &str, code: &str) -> Option<&'static str> {
    let lang = Lang::from_code(code)?;
    BUILT_IN.iter().find(|(k, _, _)| *k == key).map(|(_, ko, en)| match lang {
        Lang::Ko => *ko,
        Lang::En => *en,
    })
}

/// The same, for code that needs a string: an unknown key gives the key itself
/// (validation reports unknown keys used by templates).
pub fn t(config: &Config, key: &str, lang: Lang) -> String {
    trans(config, key, lang).unwrap_or(key).to_string()
}

/// Drops the bidirectional embedding, override and isolate controls (U+202A–202E,
/// U+2066–2069) from UTF-8 output, as `templates::escape_html` does for HTML: in a chart,
/// a search index or a JSON file they could reorder what a reader sees. Their encodings
/// (E2 80 AA–AE, E2 81 A6–A9) never occur inside another character.
pub fn drop_bidi(mut bytes: Vec<u8>) -> Vec<u8> {
    let is_bidi = |w: &[u8]| {
        w[0] == 0xE2
            && ((w[1] == 0x80 && (0xAA..=0xAE).contains(&w[2])) || (w[1] == 0x81 && (0xA6..=0xA9).contains(&w[2])))
    };
    if !bytes.windows(3).any(is_bidi) {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if i + 3 <= bytes.len() && is_bidi(&bytes[i..i + 3]) {
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    bytes.clear();
    out
}

/// A JSON value with every object's keys in sorted order. Templates' objects keep their
/// insertion order (Tera's `preserve_order`, as Zola builds it); gongsi's own JSON files
/// (`datapackage.json`, JSON-LD) sort their keys, so their bytes do not follow the order
/// code happens to build them in.
pub fn sort_keys(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(m) => {
            let mut entries: Vec<_> = m.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k, sort_keys(v))).collect())
        }
        serde_json::Value::Array(a) => serde_json::Value::Array(a.into_iter().map(sort_keys).collect()),
        v => v,
    }
}

/// The same for a string.
pub fn drop_bidi_str(s: String) -> String {
    String::from_utf8(drop_bidi(s.into_bytes())).unwrap_or_default()
}

#[cfg(test)]
mod bidi_tests {
    #[test]
    fn bidi_controls_are_dropped_and_nothing_else() {
        let s = "a\u{202E}b\u{2066}c\u{2069}d\u{202A}e 가’…".to_string();
        assert_eq!(super::drop_bidi_str(s), "abcde 가’…");
    }
}
