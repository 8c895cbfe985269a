//! The figures of a program, as written in its `program.toml`, and what is computed from them.
//!
//! Everything here is language-neutral: both the Korean and the English page render from
//! the same values. Rates are computed once, here, with exact integer arithmetic, and the
//! rate the source printed is kept beside the computed one.

use super::decimal::Decimal;
use crate::lang::Text;
use serde::{Deserialize, Serialize};

/// A printed rate differing from the computed one by more than this many percentage
/// points is a mismatch.
pub const RATE_TOLERANCE: f64 = 0.5;

/// The money units a Korean public document prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MoneyUnit {
    #[serde(rename = "원")]
    Won,
    #[serde(rename = "천원")]
    ThousandWon,
    #[serde(rename = "만원")]
    TenThousandWon,
    #[serde(rename = "백만원")]
    MillionWon,
    #[serde(rename = "억원")]
    HundredMillionWon,
}

impl MoneyUnit {
    pub fn parse(s: &str) -> Option<MoneyUnit> {
        let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        Some(match t.as_str() {
            "원" => MoneyUnit::Won,
            "천원" => MoneyUnit::ThousandWon,
            "만원" => MoneyUnit::TenThousandWon,
            "백만원" => MoneyUnit::MillionWon,
            "억원" => MoneyUnit::HundredMillionWon,
            _ => return None,
        })
    }

    pub fn printed(self) -> &'static str {
        match self {
            MoneyUnit::Won => "원",
            MoneyUnit::ThousandWon => "천원",
            MoneyUnit::TenThousandWon => "만원",
            MoneyUnit::MillionWon => "백만원",
            MoneyUnit::HundredMillionWon => "억원",
        }
    }

    /// How many won one printed unit is.
    pub fn won_factor(self) -> i128 {
        match self {
            MoneyUnit::Won => 1,
            MoneyUnit::ThousandWon => 1_000,
            MoneyUnit::TenThousandWon => 10_000,
            MoneyUnit::MillionWon => 1_000_000,
            MoneyUnit::HundredMillionWon => 100_000_000,
        }
    }

    /// The printed amount in won, exactly (rounded to the won only if the source printed
    /// fractions of a won).
    pub fn to_won(self, amount: Decimal) -> Option<i128> {
        amount.times_rounded(self.won_factor())
    }
}

impl MoneyUnit {
    /// How an English unit names it: "KRW", "KRW thousand", "KRW 10,000", "KRW million",
    /// "KRW 100 million" (the unit of a table column, as in "Unit: KRW million").
    pub fn english(self) -> &'static str {
        match self {
            MoneyUnit::Won => "KRW",
            MoneyUnit::ThousandWon => "KRW thousand",
            MoneyUnit::TenThousandWon => "KRW 10,000",
            MoneyUnit::MillionWon => "KRW million",
            MoneyUnit::HundredMillionWon => "KRW 100 million",
        }
    }
}

/// A figure's unit that is an amount of money: its printed money unit and what follows
/// it in each language ("만원 이상" is 만원 and " 이상"; its English "KRW 10,000 or more"
/// gives " or more"). English pages write such a value as an amount ("KRW 1.2 million
/// or more"); Korean pages as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    pub unit: MoneyUnit,
    /// What the Korean unit says after the money unit (" 이상", "/kg"), trimmed.
    pub rest_ko: String,
    /// What the English unit says after its money unit ("or more", "per kg"), trimmed;
    /// `None` when the English unit does not start with [`MoneyUnit::english`].
    pub rest_en: Option<String>,
}

/// The money unit a unit text starts with, if it does: `만원`, `만 원 이하`, `원/kg`, `억`
/// (a printed 96억 is 96 억원).
pub fn money(unit: &Text) -> Option<Money> {
    let ko = unit.get(crate::lang::Lang::Ko).trim();
    let prefixes = [
        ("백만원", MoneyUnit::MillionWon),
        ("백만 원", MoneyUnit::MillionWon),
        ("천원", MoneyUnit::ThousandWon),
        ("천 원", MoneyUnit::ThousandWon),
        ("만원", MoneyUnit::TenThousandWon),
        ("만 원", MoneyUnit::TenThousandWon),
        ("억원", MoneyUnit::HundredMillionWon),
        ("억 원", MoneyUnit::HundredMillionWon),
        ("억", MoneyUnit::HundredMillionWon),
        ("원", MoneyUnit::Won),
    ];
    let (unit_, rest_ko) = prefixes.iter().find_map(|(p, u)| ko.strip_prefix(p).map(|r| (*u, r)))?;
    // "원" must be the whole word: 원룸 is no money unit.
    if rest_ko.chars().next().is_some_and(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)) {
        return None;
    }
    let en = unit.get(crate::lang::Lang::En).trim();
    let rest_en =
        en.strip_prefix(unit_.english()).filter(|r| r.is_empty() || r.starts_with(' ')).map(|r| r.trim().to_string());
    Some(Money { unit: unit_, rest_ko: rest_ko.trim().to_string(), rest_en })
}

impl Money {
    /// A printed number of this unit in won, exactly (`None` on overflow).
    pub fn won(&self, printed: Decimal) -> Option<i128> {
        self.unit.to_won(printed)
    }
}

impl<'de> Deserialize<'de> for MoneyUnit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<MoneyUnit, D::Error> {
        let s = String::deserialize(d)?;
        MoneyUnit::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown money unit \"{s}\", expected one of 원, 천원, 만원, 백만원, 억원"
            ))
        })
    }
}

/// A percentage kept in tenths of a point (96.0 % is 960), so that rounding is exact and
/// the same on every machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Tenths(pub i64);

impl Tenths {
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 10.0
    }
}

/// `numerator / denominator × 100`, rounded half away from zero to one decimal.
/// `None` when the denominator is zero (the rate is undefined, shown as "—").
pub fn percent(numerator: Decimal, denominator: Decimal) -> Option<Tenths> {
    let scale = numerator.scale.max(denominator.scale);
    let n = numerator.mantissa.checked_mul(10i128.checked_pow(scale - numerator.scale)?)?;
    let d = denominator.mantissa.checked_mul(10i128.checked_pow(scale - denominator.scale)?)?;
    percent_int(n, d)
}

/// The same for two integers (amounts in won).
pub fn percent_int(n: i128, d: i128) -> Option<Tenths> {
    if d == 0 {
        return None;
    }
    let p = n.checked_mul(1000)?;
    let (q, r) = (p / d, p % d);
    let rounded = if (r.abs() * 2) >= d.abs() { q + (p.signum() * d.signum()) } else { q };
    i64::try_from(rounded).ok().map(Tenths)
}

/// Whether a printed rate disagrees with the computed one by more than the tolerance.
pub fn disagrees(computed: Option<Tenths>, printed: Option<Decimal>) -> bool {
    match (computed, printed) {
        (Some(c), Some(p)) => (c.as_f64() - p.to_f64()).abs() > RATE_TOLERANCE,
        (None, Some(_)) => true,
        _ => false,
    }
}

/// A number as printed, or a qualitative value such as 인증 (certified).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Number(Decimal),
    Text(Text),
}

/// Whether a string is meant as a number: digits (ASCII or full-width) with separators
/// and a sign, and nothing else. Such a string must then be a valid number; it never
/// silently becomes text.
fn looks_numeric(s: &str) -> bool {
    let t = s.trim();
    t.chars().any(|c| c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c))
        && t.chars().all(|c| {
            c.is_ascii_digit()
                || ('\u{FF10}'..='\u{FF19}').contains(&c)
                || matches!(c, ',' | '.' | '-' | '_' | '，' | '．')
        })
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number such as 28800 or 35.9, or a text such as { ko = \"인증\", en = \"Certified\" }")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
                Decimal::deserialize(serde::de::value::I64Deserializer::new(v)).map(Value::Number)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
                Decimal::deserialize(serde::de::value::U64Deserializer::new(v)).map(Value::Number)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
                Decimal::deserialize(serde::de::value::F64Deserializer::new(v)).map(Value::Number)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
                if looks_numeric(v) {
                    Decimal::parse_printed(v).map(Value::Number).map_err(E::custom)
                } else {
                    Ok(Value::Text(Text::Same(v.to_string())))
                }
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
                let both = crate::lang::BothLangs::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Value::Text(Text::Both(both)))
            }
        }
        d.deserialize_any(V)
    }
}

impl Value {
    pub fn number(&self) -> Option<Decimal> {
        match self {
            Value::Number(d) => Some(*d),
            Value::Text(_) => None,
        }
    }
}

/// One fiscal year's budget table: 예산 (A), 집행 (B), 집행률 (B/A).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetRow {
    pub year: i32,
    pub unit: MoneyUnit,
    pub budget: Decimal,
    pub executed: Decimal,
    pub rate_printed: Option<Decimal>,
    pub page: Option<u32>,
    pub note: Option<Text>,
}

/// One performance-indicator row: 목표치 (A), 실적 (B), 달성률 (B/A).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiRow {
    pub id: String,
    pub year: i32,
    pub indicator: Text,
    pub unit: Option<Text>,
    pub target: Value,
    pub actual: Value,
    pub rate_printed: Option<Decimal>,
    pub formula: Option<Text>,
    pub data_source: Option<Text>,
    pub collection: Option<Text>,
    pub page: Option<u32>,
    pub note: Option<Text>,
}

/// A series the source prints: yearly counts, a breakdown with its total.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    pub id: String,
    pub title: Text,
    pub unit: Option<Text>,
    pub year: Option<i32>,
    pub page: Option<u32>,
    pub total_printed: Option<Decimal>,
    /// The whole the points are shares of (100 for percentages of all answers), though
    /// the source prints no total.
    pub whole: Option<Decimal>,
    pub points: Vec<Point>,
    pub note: Option<Text>,
    /// Ids this series was published under before: their anchors, chart files and embed
    /// pages keep working (the files as copies, the embed pages as redirects).
    #[serde(default)]
    pub former_ids: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub label: Text,
    pub value: Value,
    /// How the printed value follows from other printed numbers, when it does.
    pub derived: Option<Derived>,
}

/// The year a point's label starts with ("2022", "2023(8월말 현재)"), if it starts with
/// a four-digit year from 1900 to 2099 and nothing else numeric follows at once.
pub fn label_year(label: &str) -> Option<i32> {
    let digits: String = label.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() != 4 {
        return None;
    }
    let year: i32 = digits.parse().ok()?;
    (1900..2100).contains(&year).then_some(year)
}

/// How a printed figure follows from other printed numbers, so that the model can
/// recompute it: `derived = { formula = "ratio", of = [187, 204] }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Formula {
    /// `a ÷ b × 100`
    Ratio,
    /// `(a − b) ÷ b × 100`
    Increase,
    /// `a + b + …`
    Sum,
    /// `(a + b + …) ÷ n`
    Mean,
    /// how many items are listed
    Count,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    pub formula: Formula,
    /// The printed numbers it is computed from, in the formula's order.
    pub of: Vec<Decimal>,
}

/// `n ÷ d` as a decimal with `scale` digits, rounded half away from zero.
fn div_rounded(n: i128, d: i128, scale: u32) -> Option<Decimal> {
    if d == 0 {
        return None;
    }
    let p = n.checked_mul(10i128.checked_pow(scale)?)?;
    let (q, r) = (p / d, p % d);
    let m = if r.abs() * 2 >= d.abs() { q + p.signum() * d.signum() } else { q };
    Some(Decimal { mantissa: m, scale })
}

/// Two decimals as integers at a common scale.
fn common(a: Decimal, b: Decimal) -> Option<(i128, i128)> {
    let s = a.scale.max(b.scale);
    Some((
        a.mantissa.checked_mul(10i128.checked_pow(s - a.scale)?)?,
        b.mantissa.checked_mul(10i128.checked_pow(s - b.scale)?)?,
    ))
}

impl Derived {
    /// The value recomputed with as many decimals as `printed` has, so that the two
    /// compare as the source would have rounded (`None` when the numbers do not fit the
    /// formula: a ratio needs two, the divisor non-zero).
    pub fn compute(&self, printed: Decimal) -> Option<Decimal> {
        let scale = printed.scale;
        let sum = || self.of.iter().try_fold(Decimal::from_i64(0), |acc, d| acc.checked_add(*d));
        let v = match (self.formula, self.of.as_slice()) {
            (Formula::Ratio, [a, b]) => {
                let (a, b) = common(*a, *b)?;
                div_rounded(a.checked_mul(100)?, b, scale)?
            }
            (Formula::Increase, [a, b]) => {
                let (a, b) = common(*a, *b)?;
                div_rounded((a - b).checked_mul(100)?, b, scale)?
            }
            (Formula::Sum, [_, ..]) => sum()?,
            (Formula::Mean, [_, ..]) => {
                let t = sum()?;
                div_rounded(t.mantissa, (self.of.len() as i128).checked_mul(10i128.checked_pow(t.scale)?)?, scale)?
            }
            (Formula::Count, _) => Decimal::from_i64(self.of.len() as i64),
            _ => return None,
        };
        Decimal::parse(&v.to_string())
    }

    /// Whether the printed value is not what its formula gives.
    pub fn disagrees(&self, printed: Decimal) -> bool {
        self.compute(printed) != Some(printed)
    }

    /// The formula with its numbers, for readers: "187 ÷ 204 × 100".
    pub fn text(&self, lang: crate::lang::Lang) -> String {
        let n: Vec<String> = self.of.iter().map(|d| crate::format::group_decimal_text(&d.to_string())).collect();
        match (self.formula, n.as_slice()) {
            (Formula::Ratio, [a, b]) => format!("{a} ÷ {b} × 100"),
            (Formula::Increase, [a, b]) => format!("({a} − {b}) ÷ {b} × 100"),
            (Formula::Sum, _) => n.join(" + "),
            (Formula::Mean, _) => format!("({}) ÷ {}", n.join(" + "), n.len()),
            (Formula::Count, _) => match lang {
                crate::lang::Lang::Ko => format!("항목 수({})", n.join(", ")),
                crate::lang::Lang::En => format!("number of items ({})", n.join(", ")),
            },
            _ => n.join(", "),
        }
    }
}

/// A single figure the source states: beneficiaries, a count, a score.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub id: String,
    pub label: Text,
    pub value: Value,
    pub unit: Option<Text>,
    pub year: Option<i32>,
    pub page: Option<u32>,
    pub note: Option<Text>,
    /// How the printed value follows from other printed numbers, when it does.
    pub derived: Option<Derived>,
    /// Ids this figure was published under before: the page keeps their anchors.
    #[serde(default)]
    pub former_ids: Vec<String>,
}

/// A budget row with its amounts in won and its computed rate.
#[derive(Debug, Clone)]
pub struct Budget {
    pub row: BudgetRow,
    pub budget_won: i128,
    pub executed_won: i128,
    pub rate: Option<Tenths>,
    pub rate_mismatch: bool,
}

impl Budget {
    /// `None` when an amount overflows (checked and reported by validation).
    pub fn compute(row: BudgetRow) -> Option<Budget> {
        let budget_won = row.unit.to_won(row.budget)?;
        let executed_won = row.unit.to_won(row.executed)?;
        let rate = percent_int(executed_won, budget_won);
        let rate_mismatch = disagrees(rate, row.rate_printed);
        Some(Budget { row, budget_won, executed_won, rate, rate_mismatch })
    }

    pub fn anchor(&self) -> String {
        format!("budget-{}", self.row.year)
    }
}

/// A KPI row with its computed achievement rate.
#[derive(Debug, Clone)]
pub struct Kpi {
    pub row: KpiRow,
    pub rate: Option<Tenths>,
    pub rate_mismatch: bool,
}

impl Kpi {
    pub fn compute(row: KpiRow) -> Kpi {
        let rate = match (row.actual.number(), row.target.number()) {
            (Some(b), Some(a)) => percent(b, a),
            _ => None,
        };
        let qualitative = row.target.number().is_none() || row.actual.number().is_none();
        // A qualitative KPI (인증/인증) has no computable rate; its printed rate is kept
        // but is not a mismatch.
        let rate_mismatch = !qualitative && disagrees(rate, row.rate_printed);
        Kpi { row, rate, rate_mismatch }
    }

    pub fn is_qualitative(&self) -> bool {
        self.row.target.number().is_none() || self.row.actual.number().is_none()
    }

    pub fn anchor(&self) -> String {
        format!("kpi-{}", self.row.id)
    }
}

/// A series with its recomputed total.
#[derive(Debug, Clone)]
pub struct SeriesFigures {
    pub series: Series,
    pub total: Option<Decimal>,
    pub total_mismatch: bool,
}

impl SeriesFigures {
    pub fn compute(series: Series) -> SeriesFigures {
        let total = series.points.iter().try_fold(Decimal::from_i64(0), |acc, p| acc.checked_add(p.value.number()?));
        let expected = series.total_printed.or(series.whole);
        let total_mismatch = matches!((total, expected), (Some(t), Some(p)) if t != p);
        SeriesFigures { series, total, total_mismatch }
    }

    /// The years of a time series: every label starts with a year, and the years rise
    /// (`2020, 2021, 2022`). `None` for a breakdown (by group, before/after, by site).
    pub fn years(&self) -> Option<Vec<i32>> {
        let years: Vec<i32> =
            self.series.points.iter().map(|p| label_year(p.label.get(crate::lang::Lang::Ko))).collect::<Option<_>>()?;
        (years.len() >= 2 && years.windows(2).all(|w| w[0] < w[1])).then_some(years)
    }

    /// The year of each point: its label's year in a time series, else the series' year.
    pub fn point_years(&self) -> Vec<Option<i32>> {
        match self.years() {
            Some(ys) => ys.into_iter().map(Some).collect(),
            None => self.series.points.iter().map(|_| self.series.year).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn rates_round_half_away_from_zero_to_one_decimal() {
        assert_eq!(percent(d("25587"), d("26652")), Some(Tenths(960)));
        assert_eq!(percent(d("1"), d("8")), Some(Tenths(125)));
        assert_eq!(percent(d("1"), d("3")), Some(Tenths(333)));
        assert_eq!(percent(d("2"), d("3")), Some(Tenths(667)));
        assert_eq!(percent(d("1.5"), d("1")), Some(Tenths(1500)));
        assert_eq!(percent(d("5"), d("0")), None);
    }

    #[test]
    fn printed_rate_mismatch_beyond_half_a_point() {
        assert!(!disagrees(Some(Tenths(960)), Some(d("96"))));
        assert!(!disagrees(Some(Tenths(965)), Some(d("96"))));
        assert!(disagrees(Some(Tenths(966)), Some(d("96"))));
        assert!(disagrees(None, Some(d("100"))));
        assert!(!disagrees(Some(Tenths(1000)), None));
    }

    #[test]
    fn derived_figures_recompute_at_the_printed_decimals() {
        let of = |f: Formula, v: &[&str]| Derived { formula: f, of: v.iter().map(|x| d(x)).collect() };
        let ratio = of(Formula::Ratio, &["187", "204"]);
        assert_eq!(ratio.compute(d("91.6")), Some(d("91.7")), "91.67 rounds to 91.7");
        assert!(ratio.disagrees(d("91.6")) && !ratio.disagrees(d("91.7")));
        assert_eq!(of(Formula::Increase, &["1180", "524"]).compute(d("225.2")), Some(d("125.2")));
        assert_eq!(of(Formula::Ratio, &["1180", "524"]).compute(d("225.2")), Some(d("225.2")));
        assert_eq!(of(Formula::Mean, &["50", "100", "57", "67"]).compute(d("69")), Some(d("69")), "68.5 → 69");
        assert_eq!(of(Formula::Sum, &["180000", "80000"]).compute(d("240000")), Some(d("260000")));
        assert_eq!(of(Formula::Count, &["1", "3", "4", "5", "6"]).compute(d("6")), Some(d("5")));
        assert_eq!(of(Formula::Ratio, &["1", "0"]).compute(d("1")), None);
        assert_eq!(of(Formula::Ratio, &["1"]).compute(d("1")), None, "a ratio needs two numbers");
    }

    #[test]
    fn a_series_whose_labels_are_rising_years_is_a_time_series() {
        let series = |labels: &[&str]| {
            SeriesFigures::compute(Series {
                id: "s".into(),
                title: Text::Same("s".into()),
                unit: None,
                year: Some(2022),
                page: None,
                total_printed: None,
                whole: None,
                points: labels
                    .iter()
                    .map(|l| Point { label: Text::Same(l.to_string()), value: Value::Number(d("1")), derived: None })
                    .collect(),
                note: None,
                former_ids: Vec::new(),
            })
        };
        assert_eq!(series(&["2020", "2021", "2023(8월말 현재)"]).years(), Some(vec![2020, 2021, 2023]));
        assert_eq!(series(&["2021", "확대 후"]).years(), None);
        assert_eq!(series(&["2022", "2021"]).years(), None, "years must rise");
        assert_eq!(series(&["2022"]).years(), None, "one point is no time series");
        assert_eq!(series(&["20000명", "2021"]).years(), None);
        assert_eq!(series(&["확대 전", "확대 후"]).point_years(), vec![Some(2022), Some(2022)]);
    }

    #[test]
    fn a_money_unit_is_read_from_its_printed_korean_and_named_first_in_english() {
        let unit = |ko: &str, en: &str| money(&Text::Both(crate::lang::BothLangs { ko: ko.into(), en: en.into() }));
        let m = unit("만원 이하", "KRW 10,000 or less").unwrap();
        assert_eq!(
            (m.unit, m.rest_ko.as_str(), m.rest_en.as_deref()),
            (MoneyUnit::TenThousandWon, "이하", Some("or less"))
        );
        assert_eq!(m.won(d("120")), Some(1_200_000));
        assert_eq!(unit("원/kg", "KRW per kg").unwrap().rest_en.as_deref(), Some("per kg"));
        assert_eq!(unit("억", "KRW 100 million").unwrap().unit, MoneyUnit::HundredMillionWon);
        assert_eq!(unit("백만원", "million won").unwrap().rest_en, None, "English must name the unit first");
        assert_eq!(unit("원", "KRWs").unwrap().rest_en, None);
        assert!(unit("명", "people").is_none());
        assert!(unit("원룸", "studio flats").is_none(), "원 must be a word of its own");
    }

    #[test]
    fn units_normalise_to_won() {
        assert_eq!(MoneyUnit::parse("백만 원").unwrap().to_won(d("28800")), Some(28_800_000_000));
        assert_eq!(MoneyUnit::parse("천원").unwrap().to_won(d("56")), Some(56_000));
        assert_eq!(MoneyUnit::parse("억원").unwrap().to_won(d("0.5")), Some(50_000_000));
        assert!(MoneyUnit::parse("달러").is_none());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The rate is B/A × 100 rounded half away from zero to one decimal, and undefined only for A = 0.
        #[test]
        fn rates_match_exact_arithmetic(a in 0i64..10_000_000, b in 0i64..20_000_000) {
            let r = percent(Decimal::from_i64(b), Decimal::from_i64(a));
            if a == 0 {
                prop_assert!(r.is_none());
            } else {
                let tenths = r.unwrap().0 as i128;
                // |B×1000 − tenths×A| ≤ A/2: the rounded value is within half a tenth.
                let err = (b as i128 * 1000 - tenths * a as i128).abs();
                prop_assert!(err * 2 <= a as i128, "a={a} b={b} tenths={tenths}");
            }
        }

        /// Normalising to won multiplies exactly by the unit, whatever the printed decimals.
        #[test]
        fn units_normalise_exactly(int in 0i64..1_000_000, frac in 0u32..10, unit in 0usize..5) {
            let units = [MoneyUnit::Won, MoneyUnit::ThousandWon, MoneyUnit::TenThousandWon, MoneyUnit::MillionWon, MoneyUnit::HundredMillionWon];
            let d = Decimal::parse(&format!("{int}.{frac}")).unwrap();
            let won = units[unit].to_won(d).unwrap();
            let factor = units[unit].won_factor();
            let exact_tenths = (int as i128 * 10 + frac as i128) * factor;
            prop_assert_eq!(won, (exact_tenths + 5) / 10);
        }

        /// A printed number survives the round trip through its text.
        #[test]
        fn decimals_round_trip(m in -1_000_000_000i64..1_000_000_000, scale in 0u32..6) {
            let d = Decimal { mantissa: m as i128, scale };
            let back = Decimal::parse(&d.to_string()).unwrap();
            prop_assert_eq!(back.to_f64(), d.to_f64());
            prop_assert_eq!(back.to_string(), Decimal::parse(&back.to_string()).unwrap().to_string());
        }

        /// Slugs: accepted exactly when lower-case ASCII words joined by single hyphens.
        #[test]
        fn slug_rule(s in "[a-z0-9-]{0,12}|[A-Za-z_./가-힣]{1,6}") {
            let expected = !s.is_empty()
                && s.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
            prop_assert_eq!(crate::validate::is_slug(&s), expected);
        }
    }
}
