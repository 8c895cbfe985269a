//! gongsi's own template function `get_figure_checks` and number filters `won`, `rate`
//! and `num`, beside Zola's (`crate::templates`).

use crate::format;
use crate::lang::Lang;
use crate::model::Site;
use crate::urls;
use std::collections::HashMap;
use std::sync::Arc;
use tera::{from_value, to_value, Error, Function, Result, Value};

fn lang_arg(args: &HashMap<String, Value>, name: &str) -> Result<Option<Lang>> {
    match args.get("lang") {
        None | Some(Value::Null) => Ok(None),
        Some(v) => {
            let code: String = from_value(v.clone())?;
            Lang::from_code(&code)
                .map(Some)
                .ok_or_else(|| Error::msg(format!("{name}: unknown lang \"{code}\" (ko or en)")))
        }
    }
}

fn lang_kwarg(args: &HashMap<String, Value>) -> Result<Lang> {
    Ok(lang_arg(args, "filter")?.unwrap_or(Lang::Ko))
}

/// `{{ amount | won(lang=lang) }}`, `short=true` for headlines.
pub fn won_filter(value: &Value, args: &HashMap<String, Value>) -> Result<Value> {
    if value.is_null() {
        return Ok(Value::String("—".into()));
    }
    let n = value
        .as_i64()
        .map(i128::from)
        .or_else(|| value.as_u64().map(i128::from))
        .or_else(|| value.as_f64().map(|f| f.round() as i128))
        .ok_or_else(|| Error::msg(format!("won: expected an amount in won, got {value}")))?;
    let short = args.get("short").and_then(Value::as_bool).unwrap_or(false);
    Ok(Value::String(format::won(n, lang_kwarg(args)?, short)))
}

/// `{{ rate | rate }}` → "96.0%", or "—" when undefined.
pub fn rate_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(Value::String(format::rate(value.as_f64())))
}

/// `{{ 28800 | num }}` → "28,800"; numbers given as decimal text keep their decimals.
pub fn num_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    let text = match value {
        Value::Null => return Ok(Value::String("—".into())),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => return Err(Error::msg(format!("num: expected a number, got {other}"))),
    };
    Ok(Value::String(format::group_decimal_text(&text)))
}

/// `get_figure_checks(lang=lang)`: every figure whose printed rate or total disagrees
/// with the one recomputed from its parts, for a methodology page.
pub struct GetFigureChecks {
    pub site: Arc<Site>,
}

/// Adds gongsi's functions and filters to a Tera set up as Zola's.
pub fn register(tera: &mut tera::Tera, site: Arc<Site>) {
    tera.register_function("get_figure_checks", GetFigureChecks { site });
    tera.register_filter("won", won_filter);
    tera.register_filter("rate", rate_filter);
    tera.register_filter("num", num_filter);
}

#[derive(serde::Serialize)]
struct Check {
    page_title: String,
    permalink: String,
    figure: String,
    year: Option<i32>,
    printed: String,
    computed: String,
    note: Option<String>,
    source_page: Option<u32>,
    /// The page was estimated between printed page markers.
    page_estimated: bool,
    /// What kind of inconsistency: `rate`, `total`, `derived`.
    kind: &'static str,
    /// How the computed value was reached, with its numbers.
    formula: Option<String>,
}

impl Function for GetFigureChecks {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        let lang = lang_arg(args, "get_figure_checks")?.unwrap_or(Lang::Ko);
        let site = &*self.site;
        let base = site.config.base();
        let rate = |t: Option<crate::model::figures::Tenths>| format::rate(t.map(|t| t.as_f64()));
        let note = |n: &Option<crate::lang::Text>| n.as_ref().map(|n| n.get(lang).to_string());
        let mut out = Vec::new();
        let series_checks = |out: &mut Vec<Check>,
                             title: String,
                             path: String,
                             series: &[crate::model::figures::SeriesFigures]| {
            for s in series.iter().filter(|s| s.total_mismatch) {
                out.push(Check {
                    page_title: title.clone(),
                    permalink: format!(
                        "{}#series-{}",
                        urls::permalink(base, &urls::localized(&path, lang)),
                        s.series.id
                    ),
                    figure: s.series.title.get(lang).to_string(),
                    year: s.series.year,
                    printed: s
                        .series
                        .total_printed
                        .or(s.series.whole)
                        .map(|d| format::group_decimal_text(&d.to_string()))
                        .unwrap_or_default(),
                    computed: s.total.map(|d| format::group_decimal_text(&d.to_string())).unwrap_or_default(),
                    note: note(&s.series.note),
                    source_page: s.series.page,
                    page_estimated: false,
                    kind: "total",
                    formula: Some(
                        s.series
                            .points
                            .iter()
                            .filter_map(|p| p.value.number())
                            .map(|d| format::group_decimal_text(&d.to_string()))
                            .collect::<Vec<_>>()
                            .join(" + "),
                    ),
                });
            }
            for s in series {
                for p in &s.series.points {
                    let (Some(d), Some(v)) = (&p.derived, p.value.number()) else { continue };
                    if !d.disagrees(v) {
                        continue;
                    }
                    out.push(Check {
                        page_title: title.clone(),
                        permalink: format!(
                            "{}#series-{}",
                            urls::permalink(base, &urls::localized(&path, lang)),
                            s.series.id
                        ),
                        figure: format!("{}: {}", s.series.title.get(lang), p.label.get(lang)),
                        year: s.series.year,
                        printed: format::group_decimal_text(&v.to_string()),
                        computed: d.compute(v).map(|c| format::group_decimal_text(&c.to_string())).unwrap_or_default(),
                        note: note(&s.series.note),
                        source_page: s.series.page,
                        page_estimated: false,
                        kind: "derived",
                        formula: Some(d.text(lang)),
                    });
                }
            }
        };
        let figure_checks =
            |out: &mut Vec<Check>, title: &str, path: &str, figures: &[crate::model::figures::Figure]| {
                for f in figures {
                    let (Some(d), Some(v)) = (&f.derived, f.value.number()) else { continue };
                    if !d.disagrees(v) {
                        continue;
                    }
                    out.push(Check {
                        page_title: title.to_string(),
                        permalink: format!("{}#figure-{}", urls::permalink(base, &urls::localized(path, lang)), f.id),
                        figure: f.label.get(lang).to_string(),
                        year: f.year,
                        printed: format::group_decimal_text(&v.to_string()),
                        computed: d.compute(v).map(|c| format::group_decimal_text(&c.to_string())).unwrap_or_default(),
                        note: note(&f.note),
                        source_page: f.page,
                        page_estimated: false,
                        kind: "derived",
                        formula: Some(d.text(lang)),
                    });
                }
            };
        for p in &site.programs {
            let path = urls::program(p.slug());
            let title = p.data.name.get(lang).to_string();
            let link = |anchor: String| format!("{}#{anchor}", urls::permalink(base, &urls::localized(&path, lang)));
            for b in p.budgets.iter().filter(|b| b.rate_mismatch) {
                out.push(Check {
                    page_title: title.clone(),
                    permalink: link(b.anchor()),
                    figure: crate::strings::t(&site.config, "execution_rate", lang),
                    year: Some(b.row.year),
                    printed: b.row.rate_printed.map(|d| format!("{}%", d)).unwrap_or_default(),
                    computed: rate(b.rate),
                    note: note(&b.row.note),
                    source_page: b.row.page,
                    page_estimated: false,
                    kind: "rate",
                    formula: Some(format!(
                        "{} ÷ {} × 100",
                        format::group_decimal_text(&b.row.executed.to_string()),
                        format::group_decimal_text(&b.row.budget.to_string())
                    )),
                });
            }
            for k in p.kpis.iter().filter(|k| k.rate_mismatch) {
                out.push(Check {
                    page_title: title.clone(),
                    permalink: link(k.anchor()),
                    figure: k.row.indicator.get(lang).to_string(),
                    year: Some(k.row.year),
                    printed: k.row.rate_printed.map(|d| format!("{}%", d)).unwrap_or_default(),
                    computed: rate(k.rate),
                    note: note(&k.row.note),
                    source_page: k.row.page,
                    page_estimated: false,
                    kind: "rate",
                    formula: match (k.row.actual.number(), k.row.target.number()) {
                        (Some(b), Some(a)) => Some(format!(
                            "{} ÷ {} × 100",
                            format::group_decimal_text(&b.to_string()),
                            format::group_decimal_text(&a.to_string())
                        )),
                        _ => None,
                    },
                });
            }
            figure_checks(&mut out, &title, &path, &p.data.figure);
            series_checks(&mut out, title, path, &p.series);
        }
        for c in &site.cases {
            figure_checks(&mut out, c.data.title.get(lang), &urls::case(&c.data.slug), &c.data.figure);
            series_checks(&mut out, c.data.title.get(lang).to_string(), urls::case(&c.data.slug), &c.series);
        }
        // Every program and case here cites its own document; pages of one it does not
        // list as known were estimated.
        let docs: Vec<&str> = site.sources.iter().map(|s| s.id.as_str()).collect();
        for c in &mut out {
            if let Some(p) = c.source_page {
                c.page_estimated = docs.iter().any(|d| site.page_estimated(d, p));
            }
        }
        to_value(out).map_err(Error::from)
    }
}
