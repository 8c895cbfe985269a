//! Locale number formatting, the same on every machine (no system locale is consulted).
//!
//! Korean amounts use the 만/억/조 grouping (`255억 8,700만 원`); English ones use
//! million/billion (`KRW 25.587 billion`). Both are exact unless `short` is asked for.

use crate::lang::Lang;

/// Groups an integer's digits in threes: 28800 → "28,800".
pub fn group_thousands(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A plain decimal text ("35.9", "28800") with thousands separators ("28,800").
pub fn group_decimal_text(text: &str) -> String {
    let (sign, t) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text),
    };
    let (int, frac) = t.split_once('.').map(|(i, f)| (i, Some(f))).unwrap_or((t, None));
    let grouped = match int.parse::<i128>() {
        Ok(n) => group_thousands(n),
        Err(_) => int.to_string(),
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// An amount of won in the reader's language.
pub fn won(amount: i128, lang: Lang, short: bool) -> String {
    match lang {
        Lang::Ko => won_ko(amount, short),
        Lang::En => won_en(amount, short),
    }
}

fn won_ko(amount: i128, short: bool) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    let mut n = amount.unsigned_abs();
    if short && n >= 100_000_000 {
        // Rounded to 억 with one decimal where it matters: 255.9억 원.
        let tenths = (n * 10 + 50_000_000) / 100_000_000;
        let (i, f) = (tenths / 10, tenths % 10);
        let int = group_thousands(i as i128);
        return if f == 0 { format!("{sign}{int}억 원") } else { format!("{sign}{int}.{f}억 원") };
    }
    if n == 0 {
        return "0원".into();
    }
    let units = [(1_000_000_000_000u128, "조"), (100_000_000, "억"), (10_000, "만")];
    let mut parts = Vec::new();
    for (size, name) in units {
        if n >= size {
            parts.push(format!("{}{name}", group_thousands((n / size) as i128)));
            n %= size;
        }
    }
    if n > 0 {
        parts.push(format!("{}원", group_thousands(n as i128)));
        format!("{sign}{}", parts.join(" "))
    } else {
        format!("{sign}{} 원", parts.join(" "))
    }
}

fn won_en(amount: i128, short: bool) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    let n = amount.unsigned_abs();
    let scales = [(1_000_000_000_000u128, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million")];
    for (size, name) in scales {
        if n >= size {
            let text = if short {
                let hundredths = (n * 100 + size / 2) / size;
                trim_decimal(hundredths / 100, hundredths % 100, 2)
            } else {
                // Exact: as many decimals as the amount needs.
                let int = n / size;
                let rem = n % size;
                let places = size.to_string().len() - 1;
                trim_decimal(int, rem, places)
            };
            return format!("KRW {sign}{text} {name}");
        }
    }
    format!("KRW {sign}{}", group_thousands(n as i128))
}

/// The English scale a chart of amounts writes its values in, from its largest amount:
/// (won per unit, the unit line's name): 28,800,000,000 → (1,000,000,000, "KRW billion").
pub fn english_scale(max_won: i128) -> (i128, &'static str) {
    match max_won.unsigned_abs() {
        n if n >= 1_000_000_000 => (1_000_000_000, "KRW billion"),
        n if n >= 1_000_000 => (1_000_000, "KRW million"),
        _ => (1, "KRW"),
    }
}

/// An amount in won at a scale, exactly: (19,544,000,000, 1,000,000,000) → "19.544".
pub fn at_scale(won: i128, scale: i128) -> String {
    let sign = if won < 0 { "-" } else { "" };
    let n = won.unsigned_abs();
    let scale = scale.unsigned_abs().max(1);
    let places = scale.to_string().len() - 1;
    format!("{sign}{}", trim_decimal(n / scale, n % scale, places))
}

fn trim_decimal(int: u128, frac: u128, places: usize) -> String {
    let int = group_thousands(int as i128);
    if frac == 0 {
        return int;
    }
    let f = format!("{frac:0places$}");
    format!("{int}.{}", f.trim_end_matches('0'))
}

/// A percentage with one decimal: "96.0%"; "—" when undefined.
pub fn rate(value: Option<f64>) -> String {
    match value {
        Some(v) => format!("{v:.1}%"),
        None => "—".into(),
    }
}

/// An ISO date ("2026-12-02") in the reader's language: "2026년 12월 2일", "2 December
/// 2026" (no locale is consulted); anything else is given back as it is.
pub fn date(iso: &str, lang: Lang) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<u32> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
    let [y, m, d] = parts[..] else { return iso.to_string() };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return iso.to_string();
    }
    match lang {
        Lang::Ko => format!("{y}년 {m}월 {d}일"),
        Lang::En => format!("{d} {} {y}", MONTHS[m as usize - 1]),
    }
}

/// A printed page in a citation: "43쪽", "p. 43"; one estimated between printed page
/// markers says so: "43쪽(추정)", "p. 43 (est.)".
pub fn page(page: u32, estimated: bool, lang: Lang) -> String {
    match (lang, estimated) {
        (Lang::Ko, false) => format!("{page}쪽"),
        (Lang::Ko, true) => format!("{page}쪽(추정)"),
        (Lang::En, false) => format!("p. {page}"),
        (Lang::En, true) => format!("p. {page} (est.)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_amounts() {
        assert_eq!(won(1_234_000_000, Lang::Ko, false), "12억 3,400만 원");
        assert_eq!(won(28_800_000_000, Lang::Ko, false), "288억 원");
        assert_eq!(won(25_587_000_000, Lang::Ko, false), "255억 8,700만 원");
        assert_eq!(won(1_304_900, Lang::Ko, false), "130만 4,900원");
        assert_eq!(won(0, Lang::Ko, false), "0원");
        assert_eq!(won(25_587_000_000, Lang::Ko, true), "255.9억 원");
    }

    #[test]
    fn english_amounts() {
        assert_eq!(won(1_234_000_000, Lang::En, false), "KRW 1.234 billion");
        assert_eq!(won(1_230_000_000, Lang::En, true), "KRW 1.23 billion");
        assert_eq!(won(354_000_000, Lang::En, false), "KRW 354 million");
        assert_eq!(won(1_304_900, Lang::En, false), "KRW 1.3049 million");
        assert_eq!(won(56_000, Lang::En, false), "KRW 56,000");
    }

    #[test]
    fn dates_in_each_language() {
        assert_eq!(date("2026-12-02", Lang::Ko), "2026년 12월 2일");
        assert_eq!(date("2026-12-02", Lang::En), "2 December 2026");
        assert_eq!(date("2023-01-01", Lang::En), "1 January 2023");
        assert_eq!(date("soon", Lang::En), "soon");
    }

    #[test]
    fn amounts_at_an_english_scale() {
        assert_eq!(english_scale(28_800_000_000), (1_000_000_000, "KRW billion"));
        assert_eq!(english_scale(6_000_000), (1_000_000, "KRW million"));
        assert_eq!(english_scale(350_000), (1, "KRW"));
        assert_eq!(at_scale(19_544_000_000, 1_000_000_000), "19.544");
        assert_eq!(at_scale(350_000, 1_000_000), "0.35");
        assert_eq!(at_scale(1_304_900, 1), "1,304,900");
        assert_eq!(at_scale(2_000_000_000, 1_000_000_000), "2");
    }

    #[test]
    fn rates_and_grouping() {
        assert_eq!(rate(Some(96.0)), "96.0%");
        assert_eq!(rate(None), "—");
        assert_eq!(group_decimal_text("28800"), "28,800");
        assert_eq!(group_decimal_text("35.9"), "35.9");
        assert_eq!(group_decimal_text("-1234567.25"), "-1,234,567.25");
    }
}
