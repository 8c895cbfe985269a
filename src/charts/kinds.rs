//! The chart kinds: model data → bar rows, in the reader's language.

use super::{draw, Bar, Chart, ChartStyle, Row, Spec, Table};
use crate::config::Config;
use crate::format;
use crate::lang::Lang;
use crate::model::figures::Tenths;
use crate::model::{Program, Site, Totals};
use crate::strings::t;

/// Strings and formatting for one language.
pub struct Ctx<'a> {
    pub config: &'a Config,
    pub style: &'a ChartStyle,
    pub lang: Lang,
}

impl Ctx<'_> {
    fn t(&self, key: &str) -> String {
        t(self.config, key, self.lang)
    }
    fn rate(&self, r: Option<Tenths>) -> String {
        format::rate(r.map(Tenths::as_f64))
    }
}

fn percent_ticks(max: f64) -> Vec<(f64, String)> {
    let top = ((max / 50.0).ceil() * 50.0).max(100.0);
    let step = if top > 300.0 { 100.0 } else { 50.0 };
    let mut v = 0.0;
    let mut out = Vec::new();
    while v <= top + 0.001 {
        out.push((v, format!("{v:.0}%")));
        v += step;
    }
    out
}

/// One bar for a rate (over 100 % in its own colour), or, when the rate is undefined, the
/// row's `note` written where the bar would be.
fn rate_row(ctx: &Ctx, label: String, rate: Option<Tenths>, name_key: &str, note: impl FnOnce() -> String) -> Row {
    match rate {
        Some(r) => Row {
            label,
            bars: vec![Bar {
                value: r.as_f64(),
                color: rate_color(ctx, r),
                text: ctx.rate(Some(r)),
                name: ctx.t(name_key),
            }],
            note: None,
        },
        None => Row { label, bars: Vec::new(), note: Some(note()) },
    }
}

fn rate_color(ctx: &Ctx, r: Tenths) -> String {
    if r.0 > 1000 {
        ctx.style.colors.over.clone()
    } else {
        ctx.style.colors.rate.clone()
    }
}

/// Program: budget (A) against executed (B) for each fiscal year, with the rate.
pub fn budget(ctx: &Ctx, p: &Program) -> Option<Chart> {
    if !ctx.style.kinds.budget || p.budgets.is_empty() {
        return None;
    }
    let c = &ctx.style.colors;
    let rows = p
        .budgets
        .iter()
        .map(|b| Row {
            label: format!("{} ({} {})", b.row.year, ctx.t("execution_rate"), ctx.rate(b.rate)),
            bars: vec![
                Bar {
                    value: b.budget_won as f64,
                    color: c.budget.clone(),
                    text: format::won(b.budget_won, ctx.lang, true),
                    name: ctx.t("budget"),
                },
                Bar {
                    value: b.executed_won as f64,
                    color: c.executed.clone(),
                    text: format::won(b.executed_won, ctx.lang, true),
                    name: ctx.t("executed"),
                },
            ],
            note: None,
        })
        .collect();
    let table = Table {
        columns: vec![ctx.t("year"), ctx.t("budget"), ctx.t("executed"), ctx.t("execution_rate")],
        rows: p
            .budgets
            .iter()
            .map(|b| {
                vec![
                    b.row.year.to_string(),
                    format::won(b.budget_won, ctx.lang, false),
                    format::won(b.executed_won, ctx.lang, false),
                    ctx.rate(b.rate),
                ]
            })
            .collect(),
    };
    Some(draw(
        Spec {
            id: "budget".into(),
            kind: "budget",
            title: ctx.t("chart_budget_title"),
            rows,
            reference: None,
            ticks: Vec::new(),
            legend: vec![(ctx.t("budget"), c.budget.clone()), (ctx.t("executed"), c.executed.clone())],
            table,
        },
        ctx.style,
    ))
}

/// Achievement rows for indicators; qualitative ones are written out, never drawn as 100 %.
fn kpi_rows<'p>(
    ctx: &Ctx,
    items: impl Iterator<Item = (String, &'p crate::model::figures::Kpi)>,
) -> (Vec<Row>, Vec<Vec<String>>) {
    let mut rows = Vec::new();
    let mut table = Vec::new();
    for (label, k) in items {
        let value_text = |v: &crate::model::figures::Value| match v {
            crate::model::figures::Value::Number(d) => format::group_decimal_text(&d.to_string()),
            crate::model::figures::Value::Text(t) => t.get(ctx.lang).to_string(),
        };
        let (target, actual) = (value_text(&k.row.target), value_text(&k.row.actual));
        table.push(vec![label.clone(), k.row.year.to_string(), target.clone(), actual.clone(), ctx.rate(k.rate)]);
        rows.push(rate_row(ctx, label, k.rate, "achievement_rate", || {
            let why = if k.is_qualitative() { ctx.t("qualitative") } else { ctx.t("undefined_rate") };
            format!("{why}: {target} / {actual}")
        }));
    }
    (rows, table)
}

fn achievement_chart(
    ctx: &Ctx,
    id: &str,
    kind: &'static str,
    title: String,
    rows: Vec<Row>,
    table_rows: Vec<Vec<String>>,
) -> Chart {
    let max = rows.iter().flat_map(|r| r.bars.iter().map(|b| b.value)).fold(100.0, f64::max);
    draw(
        Spec {
            id: id.into(),
            kind,
            title,
            rows,
            reference: Some((100.0, ctx.t("target_line"))),
            ticks: percent_ticks(max),
            legend: Vec::new(),
            table: Table {
                columns: vec![
                    ctx.t("indicator"),
                    ctx.t("year"),
                    ctx.t("target"),
                    ctx.t("actual"),
                    ctx.t("achievement_rate"),
                ],
                rows: table_rows,
            },
        },
        ctx.style,
    )
}

/// Program: each indicator's achievement against the 100 % line.
pub fn kpi(ctx: &Ctx, p: &Program) -> Option<Chart> {
    if !ctx.style.kinds.kpi || p.kpis.is_empty() {
        return None;
    }
    let (rows, table) = kpi_rows(ctx, p.kpis.iter().map(|k| (k.row.indicator.get(ctx.lang).to_string(), k)));
    Some(achievement_chart(ctx, "kpi", "kpi", ctx.t("chart_kpi_title"), rows, table))
}

/// Region or category: execution rate of each program with a budget.
pub fn execution(ctx: &Ctx, programs: &[&Program]) -> Option<Chart> {
    let with_budget: Vec<_> = programs.iter().filter_map(|p| Some((p, p.latest_budget()?))).collect();
    if !ctx.style.kinds.execution || with_budget.is_empty() {
        return None;
    }
    if with_budget.len() > ctx.style.max_rows {
        // Hundreds of bars inform nobody: draw how many programs fall in each band; the
        // page's table still lists every program.
        let counts = band_counts(with_budget.iter().map(|(_, b)| b.rate));
        let title = ctx.t("chart_execution_distribution_title");
        return distribution_chart(
            ctx,
            "execution",
            "execution",
            title,
            ctx.t("execution_rate"),
            ctx.t("programs"),
            &counts,
        );
    }
    let mut rows = Vec::new();
    let mut table = Vec::new();
    for (p, b) in &with_budget {
        let name = p.data.name.get(ctx.lang).to_string();
        table.push(vec![
            name.clone(),
            b.row.year.to_string(),
            format::won(b.budget_won, ctx.lang, false),
            format::won(b.executed_won, ctx.lang, false),
            ctx.rate(b.rate),
        ]);
        rows.push(rate_row(ctx, name, b.rate, "execution_rate", || ctx.t("undefined_rate")));
    }
    let max = rows.iter().flat_map(|r| r.bars.iter().map(|b| b.value)).fold(100.0, f64::max);
    Some(draw(
        Spec {
            id: "execution".into(),
            kind: "execution",
            title: ctx.t("chart_execution_title"),
            rows,
            reference: Some((100.0, "100%".into())),
            ticks: percent_ticks(max),
            legend: Vec::new(),
            table: Table {
                columns: vec![
                    ctx.t("program"),
                    ctx.t("year"),
                    ctx.t("budget"),
                    ctx.t("executed"),
                    ctx.t("execution_rate"),
                ],
                rows: table,
            },
        },
        ctx.style,
    ))
}

/// Region or category: every indicator of its programs.
pub fn achievement(ctx: &Ctx, programs: &[&Program]) -> Option<Chart> {
    if !ctx.style.kinds.achievement || programs.iter().all(|p| p.kpis.is_empty()) {
        return None;
    }
    let count: usize = programs.iter().map(|p| p.kpis.len()).sum();
    if count > ctx.style.max_rows {
        let counts = band_counts(programs.iter().flat_map(|p| p.kpis.iter().map(|k| k.rate)));
        let title = ctx.t("chart_distribution_title");
        return distribution_chart(
            ctx,
            "achievement",
            "achievement",
            title,
            ctx.t("achievement_rate"),
            ctx.t("indicators"),
            &counts,
        );
    }
    let items = programs.iter().flat_map(|p| {
        p.kpis.iter().map(move |k| (format!("{} · {}", p.data.name.get(ctx.lang), k.row.indicator.get(ctx.lang)), k))
    });
    let (rows, table) = kpi_rows(ctx, items);
    Some(achievement_chart(ctx, "achievement", "achievement", ctx.t("chart_achievement_title"), rows, table))
}

/// Home: the execution rate of each metropolitan region, its cities and districts included.
pub fn regions(ctx: &Ctx, site: &Site, totals: &[(String, Totals)]) -> Option<Chart> {
    let _ = site;
    let rows_src: Vec<_> = totals.iter().filter(|(_, t)| t.programs_with_budget > 0).collect();
    if !ctx.style.kinds.regions || rows_src.is_empty() {
        return None;
    }
    let mut rows = Vec::new();
    let mut table = Vec::new();
    for (name, t) in rows_src {
        let r = t.rate();
        table.push(vec![
            name.clone(),
            t.programs_with_budget.to_string(),
            format::won(t.budget_won, ctx.lang, false),
            format::won(t.executed_won, ctx.lang, false),
            ctx.rate(r),
        ]);
        rows.push(rate_row(ctx, name.clone(), r, "execution_rate", || ctx.t("undefined_rate")));
    }
    let max = rows.iter().flat_map(|r| r.bars.iter().map(|b| b.value)).fold(100.0, f64::max);
    Some(draw(
        Spec {
            id: "execution-by-region".into(),
            kind: "regions",
            title: ctx.t("chart_regions_title"),
            rows,
            reference: Some((100.0, "100%".into())),
            ticks: percent_ticks(max),
            legend: Vec::new(),
            table: Table {
                columns: vec![
                    ctx.t("region"),
                    ctx.t("programs"),
                    ctx.t("budget"),
                    ctx.t("executed"),
                    ctx.t("execution_rate"),
                ],
                rows: table,
            },
        },
        ctx.style,
    ))
}

/// The achievement band of an indicator, as the key of its label.
pub fn band(rate: Option<Tenths>) -> &'static str {
    match rate {
        None => "band_none",
        Some(r) if r.0 < 800 => "band_under_80",
        Some(r) if r.0 < 1000 => "band_80_100",
        Some(r) if r.0 == 1000 => "band_100",
        Some(r) if r.0 <= 1200 => "band_100_120",
        Some(_) => "band_over_120",
    }
}

pub const BANDS: [&str; 6] = ["band_under_80", "band_80_100", "band_100", "band_100_120", "band_over_120", "band_none"];

/// How many rates fall in each band, in band order.
pub fn band_counts(rates: impl Iterator<Item = Option<Tenths>>) -> Vec<(&'static str, usize)> {
    let mut counts = [0usize; BANDS.len()];
    for r in rates {
        let b = band(r);
        counts[BANDS.iter().position(|k| *k == b).unwrap_or(BANDS.len() - 1)] += 1;
    }
    BANDS.iter().copied().zip(counts).collect()
}

/// Home: how many indicators fall in each achievement band.
pub fn distribution(ctx: &Ctx, counts: &[(&'static str, usize)]) -> Option<Chart> {
    if !ctx.style.kinds.distribution {
        return None;
    }
    let title = ctx.t("chart_distribution_title");
    distribution_chart(
        ctx,
        "achievement-distribution",
        "distribution",
        title,
        ctx.t("achievement_rate"),
        ctx.t("indicators"),
        counts,
    )
}

fn distribution_chart(
    ctx: &Ctx,
    id: &str,
    kind: &'static str,
    title: String,
    band_column: String,
    count_column: String,
    counts: &[(&'static str, usize)],
) -> Option<Chart> {
    if counts.iter().all(|(_, n)| *n == 0) {
        return None;
    }
    let suffix = ctx.t("count_suffix");
    let rows = counts
        .iter()
        .map(|(key, n)| Row {
            label: ctx.t(key),
            bars: vec![Bar {
                value: *n as f64,
                color: ctx.style.colors.budget.clone(),
                text: format!("{n}{suffix}"),
                name: String::new(),
            }],
            note: None,
        })
        .collect();
    Some(draw(
        Spec {
            id: id.into(),
            kind,
            title,
            rows,
            reference: None,
            ticks: Vec::new(),
            legend: Vec::new(),
            table: Table {
                columns: vec![band_column, count_column],
                rows: counts.iter().map(|(k, n)| vec![ctx.t(k), n.to_string()]).collect(),
            },
        },
        ctx.style,
    ))
}
