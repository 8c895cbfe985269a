//! Exact decimal numbers, as printed in the source.
//!
//! Figures are written in the data as TOML numbers ("35.9" for 35.9억원). A binary float
//! cannot hold 35.9 exactly, so every figure is turned back into its shortest decimal
//! text and kept as an integer mantissa and a scale: 35.9 → 359 × 10⁻¹. Unit
//! normalisation to won is then exact integer arithmetic.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The most significant digits a figure may have: an f64 (what templates and JSON get)
/// holds every 15-digit decimal exactly.
pub const MAX_DIGITS: usize = 15;
/// The most digits before the decimal point (numbers below 10¹⁸).
pub const MAX_INT_DIGITS: usize = 18;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decimal {
    /// The digits, sign included.
    pub mantissa: i128,
    /// Number of digits after the decimal point.
    pub scale: u32,
}

impl Decimal {
    pub fn from_i64(v: i64) -> Decimal {
        Decimal { mantissa: v as i128, scale: 0 }
    }

    /// Parses a plain decimal such as "28800", "35.9", "-1.25". Thousands separators are
    /// accepted ("28,800") since spreadsheets export them, but only where they group
    /// thousands: "35,9" or "2,87,00" are refused rather than read as 359 or 28700.
    pub fn parse(text: &str) -> Option<Decimal> {
        Decimal::parse_printed(text).ok()
    }

    /// The same, saying why a text is not a number gongsi can hold exactly.
    pub fn parse_printed(text: &str) -> Result<Decimal, String> {
        let not_a_number = || format!("\"{text}\" is not a number; write it as a TOML number such as 28800 or 35.9");
        let t = text.trim();
        if t.chars().any(|c| ('\u{FF10}'..='\u{FF19}').contains(&c)) {
            let ascii: String = t
                .chars()
                .map(|c| match c {
                    '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (c as u32 - 0xFF10) as u8),
                    c => c,
                })
                .collect();
            return Err(format!("\"{text}\" has full-width digits; write them as ASCII digits: {ascii}"));
        }
        let (neg, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        if frac.contains(',') {
            return Err(format!("\"{text}\": a comma after the decimal point; commas only group thousands (28,800)"));
        }
        if int.contains(',') {
            let mut groups = int.split(',');
            let first = groups.next().unwrap_or("");
            if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
                return Err(format!(
                    "\"{text}\": a comma must group thousands (28,800); write a decimal point as . (35.9)"
                ));
            }
        }
        let int = int.replace([',', '_'], "");
        let frac = frac.replace('_', "");
        if int.is_empty() && frac.is_empty() {
            return Err(not_a_number());
        }
        if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
            return Err(not_a_number());
        }
        let digits = format!("{int}{frac}");
        let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
        if significant > MAX_DIGITS {
            return Err(format!(
                "\"{text}\" has {significant} significant digits; gongsi keeps numbers of up to {MAX_DIGITS} digits exactly"
            ));
        }
        if int.trim_start_matches('0').len() > MAX_INT_DIGITS {
            return Err(format!(
                "{text} is too large: gongsi holds numbers of up to {MAX_INT_DIGITS} digits before the point"
            ));
        }
        if frac.trim_end_matches('0').len() > MAX_INT_DIGITS {
            return Err(format!("\"{text}\" has more than {MAX_INT_DIGITS} digits after the point"));
        }
        let mut mantissa: i128 = digits.trim_start_matches('0').parse().unwrap_or(0);
        if neg {
            mantissa = -mantissa;
        }
        // Trailing zeros after the point are removed, so the scale is bounded by the digits.
        let d = Decimal { mantissa, scale: frac.len() as u32 };
        Ok(if d.mantissa == 0 { Decimal { mantissa: 0, scale: 0 } } else { d.trimmed() })
    }

    pub fn from_f64(v: f64) -> Option<Decimal> {
        Decimal::from_toml_float(v).ok()
    }

    /// A TOML float as its shortest decimal text. A float with more significant digits
    /// than an f64 keeps exactly (15) is refused, since its digits may not be the ones
    /// written.
    pub fn from_toml_float(v: f64) -> Result<Decimal, String> {
        if !v.is_finite() {
            return Err(format!("{v} is not a finite number"));
        }
        // Rust prints the shortest text that reads back as the same f64, without an exponent.
        let text = format!("{v}");
        Decimal::parse_printed(&text).map_err(|e| {
            if v.abs() >= 1e18 {
                format!("{v:e} is too large: gongsi holds numbers of up to {MAX_INT_DIGITS} digits before the point")
            } else if e.contains("significant digits") {
                format!("{text} (as read) has more than {MAX_DIGITS} significant digits; gongsi keeps figures of up to {MAX_DIGITS} digits exactly")
            } else {
                e
            }
        })
    }

    /// An integer, with the same limits as parsed text.
    fn from_integer(v: i128) -> Result<Decimal, String> {
        Decimal::parse_printed(&v.to_string())
    }

    /// Removes trailing zeros after the decimal point: 1.50 → 1.5.
    fn trimmed(mut self) -> Decimal {
        while self.scale > 0 && self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.scale -= 1;
        }
        self
    }

    pub fn to_f64(self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }

    pub fn is_negative(self) -> bool {
        self.mantissa < 0
    }

    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    /// Multiplies by an integer factor and rounds half away from zero to an integer.
    pub fn times_rounded(self, factor: i128) -> Option<i128> {
        let p = self.mantissa.checked_mul(factor)?;
        let div = 10i128.checked_pow(self.scale)?;
        let q = p / div;
        let r = p % div;
        Some(if r.abs() * 2 >= div { q + p.signum() } else { q })
    }

    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let a = self.mantissa.checked_mul(10i128.checked_pow(scale - self.scale)?)?;
        let b = other.mantissa.checked_mul(10i128.checked_pow(scale - other.scale)?)?;
        Some(Decimal { mantissa: a.checked_add(b)?, scale }.trimmed())
    }
}

impl fmt::Display for Decimal {
    /// Plain decimal text without separators: "28800", "35.9".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scale == 0 {
            return write!(f, "{}", self.mantissa);
        }
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let abs = self.mantissa.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let padded = format!("{abs:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int}.{frac}")
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.scale == 0 && self.mantissa.abs() < (1i128 << 53) {
            s.serialize_i64(self.mantissa as i64)
        } else {
            s.serialize_f64(self.to_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number as printed, such as 28800 or 35.9")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
                Decimal::from_integer(v as i128).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
                Decimal::from_integer(v as i128).map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
                Decimal::from_toml_float(v).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
                Decimal::parse_printed(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_printed_numbers_exactly() {
        assert_eq!(Decimal::parse("28,800").unwrap(), Decimal { mantissa: 28800, scale: 0 });
        assert_eq!(Decimal::from_f64(35.9).unwrap(), Decimal { mantissa: 359, scale: 1 });
        assert_eq!(Decimal::parse("1.50").unwrap().to_string(), "1.5");
        assert_eq!(Decimal::parse("-0.05").unwrap().to_string(), "-0.05");
        assert!(Decimal::parse("12a").is_none());
        assert!(Decimal::parse(".").is_none());
        assert_eq!(Decimal::parse("1,234,567.5").unwrap().to_string(), "1234567.5");
    }

    #[test]
    fn refuses_what_it_cannot_hold_exactly() {
        for bad in ["35,9", "2,87,00", ",100", "1,0000", "1.5,0", "３１", "1234567890123456", "1e3"] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
        assert!(Decimal::parse_printed("３１").unwrap_err().contains("ASCII digits: 31"));
        assert!(Decimal::parse("123456789012345").is_some());
        assert!(Decimal::parse("100000000000000000").is_some());
        assert!(Decimal::parse("1000000000000000000").is_none());
        assert!(Decimal::from_toml_float(1e30).unwrap_err().starts_with("1e30 is too large"));
        assert!(Decimal::from_toml_float(1_234_567_890.123_456_7).unwrap_err().contains("significant digits"));
    }

    #[test]
    fn multiplies_without_float_error() {
        // 35.9억원 is exactly 3,590,000,000 won; 37.6백만원 is 37,600,000.
        assert_eq!(Decimal::from_f64(35.9).unwrap().times_rounded(100_000_000), Some(3_590_000_000));
        assert_eq!(Decimal::from_f64(37.6).unwrap().times_rounded(1_000_000), Some(37_600_000));
        assert_eq!(Decimal::parse("0.5").unwrap().times_rounded(1), Some(1));
    }
}
