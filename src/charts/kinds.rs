//! The chart kinds: model data → bar rows, in the reader's language.

use super::{draw, draw_columns, Bar, Chart, ChartStyle, Row, Spec, Table};
use crate::config::Config;
use crate::format;
use crate::lang::Lang;
use crate::model::figures::{money, SeriesFigures, Tenths, Value};
use crate::model::{Program, Site, Totals};
use crate::strings::t;

/// Chart ids a page draws of its own; a series (whose chart id is its own id) may not
/// take one of them.
pub const RESERVED_IDS: [&str; 7] =
    ["budget", "kpi", "execution", "achievement", "budget-amounts", "execution-by-region", "budget-by-region"];

/// Strings and formatting for one language.
pub struct Ctx<'a> {
    pub site: &'a Site,
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
    let mut spec = Spec::new("budget", "budget", ctx.t("chart_budget_title"), rows, table);
    spec.legend = vec![(ctx.t("budget"), c.budget.clone()), (ctx.t("executed"), c.executed.clone())];
    Some(draw(spec, ctx.style))
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
    notes: Vec<String>,
) -> Chart {
    let max = rows.iter().flat_map(|r| r.bars.iter().map(|b| b.value)).fold(100.0, f64::max);
    let table = Table {
        columns: vec![ctx.t("indicator"), ctx.t("year"), ctx.t("target"), ctx.t("actual"), ctx.t("achievement_rate")],
        rows: table_rows,
    };
    let mut spec = Spec::new(id, kind, title, rows, table);
    spec.reference = Some((100.0, ctx.t("target_line")));
    spec.ticks = percent_ticks(max);
    spec.notes = notes;
    draw(spec, ctx.style)
}

/// Program: each indicator's achievement against the 100 % line.
pub fn kpi(ctx: &Ctx, p: &Program) -> Option<Chart> {
    if !ctx.style.kinds.kpi || p.kpis.is_empty() {
        return None;
    }
    let (rows, table) = kpi_rows(ctx, p.kpis.iter().map(|k| (k.row.indicator.get(ctx.lang).to_string(), k)));
    Some(achievement_chart(ctx, "kpi", "kpi", ctx.t("chart_kpi_title"), rows, table, Vec::new()))
}

/// Region or category: execution rate of each program with a budget.
pub fn execution(ctx: &Ctx, programs: &[&Program]) -> Option<Chart> {
    let with_budget: Vec<_> = programs.iter().filter_map(|p| Some((p, p.latest_budget()?))).collect();
    if !ctx.style.kinds.execution || with_budget.is_empty() {
        return None;
    }
    let notes = coverage(ctx, programs, |p| !p.budgets.is_empty(), "with_budget_figures");
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
            [ctx.t("execution_rate"), ctx.t("programs")],
            &counts,
            notes,
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
    let table = Table {
        columns: vec![ctx.t("program"), ctx.t("year"), ctx.t("budget"), ctx.t("executed"), ctx.t("execution_rate")],
        rows: table,
    };
    let mut spec = Spec::new("execution", "execution", ctx.t("chart_execution_title"), rows, table);
    spec.reference = Some((100.0, "100%".into()));
    spec.ticks = percent_ticks(max);
    spec.notes = notes;
    Some(draw(spec, ctx.style))
}

/// A row of an amounts chart: label, fiscal year, budget and executed in won, rate.
type AmountRow = (String, Option<i32>, i128, i128, Option<Tenths>);

/// Budget (A) and executed (B) amounts of each row, on one won scale, with the rate in
/// the label: so a 1,100만 원 program and a 288억 원 one never look alike.
fn amounts_chart(
    ctx: &Ctx,
    id: &str,
    kind: &'static str,
    title: String,
    items: Vec<AmountRow>,
    first_column: String,
    notes: Vec<String>,
) -> Chart {
    let c = &ctx.style.colors;
    let rows = items
        .iter()
        .map(|(label, _, budget, executed, rate)| Row {
            label: format!("{label} ({} {})", ctx.t("execution_rate"), ctx.rate(*rate)),
            bars: vec![
                Bar {
                    value: *budget as f64,
                    color: c.budget.clone(),
                    text: format::won(*budget, ctx.lang, true),
                    name: ctx.t("budget"),
                },
                Bar {
                    value: *executed as f64,
                    color: c.executed.clone(),
                    text: format::won(*executed, ctx.lang, true),
                    name: ctx.t("executed"),
                },
            ],
            note: None,
        })
        .collect();
    let table = Table {
        columns: vec![first_column, ctx.t("year"), ctx.t("budget"), ctx.t("executed"), ctx.t("execution_rate")],
        rows: items
            .iter()
            .map(|(label, year, budget, executed, rate)| {
                vec![
                    label.clone(),
                    year.map(|y| y.to_string()).unwrap_or_default(),
                    format::won(*budget, ctx.lang, false),
                    format::won(*executed, ctx.lang, false),
                    ctx.rate(*rate),
                ]
            })
            .collect(),
    };
    let mut spec = Spec::new(id, kind, title, rows, table);
    spec.legend = vec![(ctx.t("budget"), c.budget.clone()), (ctx.t("executed"), c.executed.clone())];
    spec.notes = notes;
    draw(spec, ctx.style)
}

/// Region, category or case: the budget and executed amounts of each program with a
/// budget (its latest year).
pub fn amounts(ctx: &Ctx, programs: &[&Program]) -> Option<Chart> {
    let items: Vec<_> = programs
        .iter()
        .filter_map(|p| {
            let b = p.latest_budget()?;
            Some((p.data.name.get(ctx.lang).to_string(), Some(b.row.year), b.budget_won, b.executed_won, b.rate))
        })
        .collect();
    if !ctx.style.kinds.amounts || items.is_empty() || items.len() > ctx.style.max_rows {
        return None;
    }
    let notes = coverage(ctx, programs, |p| !p.budgets.is_empty(), "with_budget_figures");
    Some(amounts_chart(ctx, "budget-amounts", "amounts", ctx.t("chart_amounts_title"), items, ctx.t("program"), notes))
}

/// What a region, category or case chart covers: how many of the page's programs have
/// the figures it draws, and, when they lie in fewer regions than the page's programs,
/// in which ("부산광역시" holds six programs; its budget figures are all 수영구's).
pub fn coverage(ctx: &Ctx, programs: &[&Program], covered: impl Fn(&Program) -> bool, what: &str) -> Vec<String> {
    let total = programs.len();
    let shown: Vec<&&Program> = programs.iter().filter(|p| covered(p)).collect();
    let n = shown.len();
    if n == 0 {
        return Vec::new();
    }
    let what = ctx.t(what);
    let mut by_region: Vec<(&str, usize)> = Vec::new();
    for p in &shown {
        match by_region.iter_mut().find(|(r, _)| *r == p.data.region) {
            Some((_, k)) => *k += 1,
            None => by_region.push((&p.data.region, 1)),
        }
    }
    let all_regions: std::collections::BTreeSet<&str> = programs.iter().map(|p| p.data.region.as_str()).collect();
    let name = |slug: &str| ctx.site.region(slug).map(|r| r.name.get(ctx.lang).to_string()).unwrap_or(slug.into());
    let regions = if by_region.len() < all_regions.len() {
        if by_region.len() == 1 {
            let r = name(by_region[0].0);
            match ctx.lang {
                Lang::Ko => format!(" 모두 {r} 사업입니다."),
                Lang::En => format!(", all in {r}."),
            }
        } else {
            let list: Vec<String> = by_region
                .iter()
                .map(|(r, k)| match ctx.lang {
                    Lang::Ko => format!("{} {k}개", name(r)),
                    Lang::En => format!("{k} in {}", name(r)),
                })
                .collect();
            format!(": {}.", list.join(", "))
        }
    } else {
        ".".to_string()
    };
    let sentence = match (ctx.lang, n == total) {
        (Lang::Ko, true) => format!("사업 {total}개 모두 나타냅니다."),
        (Lang::En, true) if total == 1 => "Covers its one program.".to_string(),
        (Lang::En, true) => format!("Covers all {total} programs."),
        (Lang::Ko, false) => {
            let regions = regions.strip_prefix('.').unwrap_or(&regions);
            format!("사업 {total}개 중 {what} {n}개만 나타냅니다.{regions}").replace(".:", ":")
        }
        (Lang::En, false) => format!("Covers the {n} of {total} programs {what}{regions}"),
    };
    vec![sentence]
}

/// Region or category: every indicator of its programs.
pub fn achievement(ctx: &Ctx, programs: &[&Program]) -> Option<Chart> {
    if !ctx.style.kinds.achievement || programs.iter().all(|p| p.kpis.is_empty()) {
        return None;
    }
    let count: usize = programs.iter().map(|p| p.kpis.len()).sum();
    let notes = coverage(ctx, programs, |p| !p.kpis.is_empty(), "with_indicators");
    if count > ctx.style.max_rows {
        let counts = band_counts(programs.iter().flat_map(|p| p.kpis.iter().map(|k| k.rate)));
        let title = ctx.t("chart_distribution_title");
        return distribution_chart(
            ctx,
            "achievement",
            "achievement",
            title,
            [ctx.t("achievement_rate"), ctx.t("indicators")],
            &counts,
            notes,
        );
    }
    let items = programs.iter().flat_map(|p| {
        p.kpis.iter().map(move |k| (format!("{} · {}", p.data.name.get(ctx.lang), k.row.indicator.get(ctx.lang)), k))
    });
    let (rows, table) = kpi_rows(ctx, items);
    Some(achievement_chart(ctx, "achievement", "achievement", ctx.t("chart_achievement_title"), rows, table, notes))
}

/// What the home charts cover: how many of the top regions have budget figures, which,
/// and how many programs.
fn region_coverage(ctx: &Ctx, totals: &[(String, Totals)]) -> Vec<String> {
    let with: Vec<&str> = totals.iter().filter(|(_, t)| t.programs_with_budget > 0).map(|(n, _)| n.as_str()).collect();
    let (n, total) = (with.len(), totals.len());
    let programs: usize = totals.iter().map(|(_, t)| t.programs).sum();
    let with_budget: usize = totals.iter().map(|(_, t)| t.programs_with_budget).sum();
    let sentence = match ctx.lang {
        Lang::Ko if n == total => format!(
            "시·도 {total}곳 모두 예산 수치가 있습니다. 예산 수치가 있는 사업은 {programs}개 중 {with_budget}개입니다."
        ),
        Lang::Ko => format!(
            "시·도 {total}곳 중 예산 수치가 있는 {n}곳만 나타냅니다: {}. 예산 수치가 있는 사업은 {programs}개 중 {with_budget}개입니다.",
            with.join(", ")
        ),
        Lang::En if n == total => {
            format!("All {total} regions have budget figures; {with_budget} of the {programs} programs do.")
        }
        Lang::En => format!(
            "Covers the {n} of {total} regions that have budget figures: {}. {with_budget} of the {programs} programs have budget figures.",
            with.join(", ")
        ),
    };
    vec![sentence]
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
    let table = Table {
        columns: vec![ctx.t("region"), ctx.t("programs"), ctx.t("budget"), ctx.t("executed"), ctx.t("execution_rate")],
        rows: table,
    };
    let mut spec = Spec::new("execution-by-region", "regions", ctx.t("chart_regions_title"), rows, table);
    spec.reference = Some((100.0, "100%".into()));
    spec.ticks = percent_ticks(max);
    spec.notes = region_coverage(ctx, totals);
    Some(draw(spec, ctx.style))
}

/// Home: the budget and executed amounts of each metropolitan region with budget figures.
pub fn region_amounts(ctx: &Ctx, totals: &[(String, Totals)]) -> Option<Chart> {
    let items: Vec<_> = totals
        .iter()
        .filter(|(_, t)| t.programs_with_budget > 0)
        .map(|(name, t)| (name.clone(), None, t.budget_won, t.executed_won, t.rate()))
        .collect();
    if !ctx.style.kinds.amounts || !ctx.style.kinds.regions || items.is_empty() {
        return None;
    }
    let mut chart = amounts_chart(
        ctx,
        "budget-by-region",
        "region-amounts",
        ctx.t("chart_region_amounts_title"),
        items,
        ctx.t("region"),
        region_coverage(ctx, totals),
    );
    // Regions add up several fiscal years' latest budgets: no one year to name.
    for row in &mut chart.table.rows {
        row.remove(1);
    }
    chart.table.columns.remove(1);
    Some(chart)
}

/// Program or case: one chart per series, columns for a time series (every label a
/// rising year) and horizontal bars for a breakdown; a value the source gives as text is
/// written where its bar would be. The chart's id is the series' id.
pub fn series(ctx: &Ctx, sf: &SeriesFigures) -> Option<Chart> {
    let s = &sf.series;
    if !ctx.style.kinds.series || s.points.is_empty() {
        return None;
    }
    // On an English page an amount of money is written in won at one English scale
    // ("Unit: KRW million", bars 19,544 → 19.544 billion is "19,544"): never as
    // "120 × 10,000 won".
    let money = s.unit.as_ref().and_then(money).filter(|m| ctx.lang == Lang::En && m.rest_en.is_some());
    let max_won = money
        .as_ref()
        .map(|m| s.points.iter().filter_map(|p| m.won(p.value.number()?)).map(i128::abs).max().unwrap_or(0));
    let scale = max_won.map(format::english_scale);
    let qualifier = money.as_ref().and_then(|m| m.rest_en.clone()).filter(|r| !r.is_empty());
    let unit = match (&scale, &s.unit) {
        (Some((_, name)), _) => Some(match &qualifier {
            Some(q) => format!("{name} {q}"),
            None => name.to_string(),
        }),
        (None, u) => u.as_ref().map(|u| u.get(ctx.lang).to_string()),
    };
    let percent = unit.as_deref().is_some_and(|u| u.trim_start().starts_with('%'));
    let number = |d: crate::model::decimal::Decimal| {
        if let (Some(m), Some((size, _))) = (&money, scale) {
            if let Some(w) = m.won(d) {
                return format::at_scale(w, size);
            }
        }
        let t = format::group_decimal_text(&d.to_string());
        if percent {
            format!("{t}%")
        } else {
            t
        }
    };
    // The table beside the chart writes each amount in full ("KRW 19.544 billion").
    let cell = |d: crate::model::decimal::Decimal| match money.as_ref().and_then(|m| m.won(d)) {
        Some(w) => match &qualifier {
            Some(q) => format!("{} {q}", format::won(w, ctx.lang, false)),
            None => format::won(w, ctx.lang, false),
        },
        None => number(d),
    };
    let color = ctx.style.colors.budget.clone();
    let mut rows = Vec::new();
    let mut table_rows = Vec::new();
    for p in &s.points {
        let label = p.label.get(ctx.lang).to_string();
        match &p.value {
            Value::Number(d) => {
                let text = number(*d);
                table_rows.push(vec![label.clone(), cell(*d)]);
                let value = money.as_ref().and_then(|m| m.won(*d)).map(|w| w as f64).unwrap_or_else(|| d.to_f64());
                rows.push(Row {
                    label,
                    bars: vec![Bar { value, color: color.clone(), text, name: String::new() }],
                    note: None,
                });
            }
            Value::Text(t) => {
                let text = t.get(ctx.lang).to_string();
                table_rows.push(vec![label.clone(), text.clone()]);
                rows.push(Row { label, bars: Vec::new(), note: Some(text) });
            }
        }
    }
    if let Some(printed) = s.total_printed {
        table_rows.push(vec![ctx.t("total_printed"), cell(printed)]);
    }
    let value_column = match &unit {
        Some(_) if money.is_some() => ctx.t("value"),
        Some(u) => format!("{} ({u})", ctx.t("value")),
        None => ctx.t("value"),
    };
    let table = Table { columns: vec![ctx.t("item"), value_column], rows: table_rows };
    let mut spec = Spec::new(s.id.clone(), "series", s.title.get(ctx.lang).to_string(), rows, table);
    let year = s.year.filter(|_| sf.years().is_none()).map(|y| match ctx.lang {
        Lang::Ko => format!("{y}년"),
        Lang::En => y.to_string(),
    });
    let unit_line = unit.as_ref().map(|u| format!("{}: {u}", ctx.t("unit")));
    spec.unit = match (year, unit_line) {
        (Some(y), Some(u)) => Some(format!("{y} · {u}")),
        (y, u) => y.or(u),
    };
    if let Some(note) = &s.note {
        spec.notes.push(format!("{}: {}", ctx.t("note_label"), note.get(ctx.lang)));
    }
    if sf.total_mismatch {
        if let (Some(p), Some(t)) = (s.total_printed, sf.total) {
            spec.notes.push(match ctx.lang {
                Lang::Ko => format!("원문 합계 {}, 항목의 합 {}.", number(p), number(t)),
                Lang::En => format!("The printed total is {}; the items add up to {}.", cell(p), cell(t)),
            });
        }
    }
    spec.page = s.page;
    let numeric = s.points.iter().all(|p| p.value.number().is_some());
    let mut chart = if sf.years().is_some() && numeric { draw_columns(spec, ctx.style) } else { draw(spec, ctx.style) };
    chart.former_ids = s.former_ids.clone();
    Some(chart)
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
    let programs: Vec<&Program> = ctx.site.programs.iter().map(|p| &**p).collect();
    let mut notes = coverage(ctx, &programs, |p| !p.kpis.is_empty(), "with_indicators");
    let indicators: usize = counts.iter().map(|(_, n)| n).sum();
    notes.push(match ctx.lang {
        Lang::Ko => format!("성과지표는 모두 {indicators}개입니다."),
        Lang::En => format!("{indicators} indicators in all."),
    });
    distribution_chart(
        ctx,
        "achievement-distribution",
        "distribution",
        title,
        [ctx.t("achievement_rate"), ctx.t("indicators")],
        counts,
        notes,
    )
}

fn distribution_chart(
    ctx: &Ctx,
    id: &str,
    kind: &'static str,
    title: String,
    [band_column, count_column]: [String; 2],
    counts: &[(&'static str, usize)],
    notes: Vec<String>,
) -> Option<Chart> {
    if counts.iter().all(|(_, n)| *n == 0) {
        return None;
    }
    let suffix = ctx.t("count_suffix");
    // English counts take their noun: "1 indicator", "5 programs".
    let noun = if id == "execution" { "program" } else { "indicator" };
    let count = |n: usize| match ctx.lang {
        Lang::Ko => format!("{n}{suffix}"),
        Lang::En if n == 1 => format!("1 {noun}"),
        Lang::En => format!("{n} {noun}s"),
    };
    let rows = counts
        .iter()
        .map(|(key, n)| Row {
            label: ctx.t(key),
            bars: vec![Bar {
                value: *n as f64,
                color: ctx.style.colors.budget.clone(),
                text: count(*n),
                name: String::new(),
            }],
            note: None,
        })
        .collect();
    let table = Table {
        columns: vec![band_column, count_column],
        rows: counts.iter().map(|(k, n)| vec![ctx.t(k), n.to_string()]).collect(),
    };
    let mut spec = Spec::new(id, kind, title, rows, table);
    spec.notes = notes;
    Some(draw(spec, ctx.style))
}
