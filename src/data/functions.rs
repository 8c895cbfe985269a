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
}

impl Function for GetFigureChecks {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        let lang = lang_arg(args, "get_figure_checks")?.unwrap_or(Lang::Ko);
        let site = &*self.site;
        let base = site.config.base();
        let rate = |t: Option<crate::model::figures::Tenths>| format::rate(t.map(|t| t.as_f64()));
        let note = |n: &Option<crate::lang::Text>| n.as_ref().map(|n| n.get(lang).to_string());
        let mut out = Vec::new();
        let series_checks =
            |out: &mut Vec<Check>, title: String, path: String, series: &[crate::model::figures::SeriesFigures]| {
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
                            .map(|d| format::group_decimal_text(&d.to_string()))
                            .unwrap_or_default(),
                        computed: s.total.map(|d| format::group_decimal_text(&d.to_string())).unwrap_or_default(),
                        note: note(&s.series.note),
                        source_page: s.series.page,
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
                });
            }
            series_checks(&mut out, title, path, &p.series);
        }
        for c in &site.cases {
            series_checks(&mut out, c.data.title.get(lang).to_string(), urls::case(&c.data.slug), &c.series);
        }
        to_value(out).map_err(Error::from)
    }
}
