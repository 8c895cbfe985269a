//! Exact decimal numbers, as printed in the source.
//!
//! Figures are written in the data as TOML numbers ("35.9" for 35.9억원). A binary float
//! cannot hold 35.9 exactly, so every figure is turned back into its shortest decimal
//! text and kept as an integer mantissa and a scale: 35.9 → 359 × 10⁻¹. Unit
//! normalisation to won is then exact integer arithmetic.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

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
    /// accepted ("28,800") since spreadsheets export them.
    pub fn parse(text: &str) -> Option<Decimal> {
        let t = text.trim().replace([',', '_'], "");
        let (neg, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest.to_string()),
            None => (false, t),
        };
        if t.is_empty() {
            return None;
        }
        let (int, frac) = match t.split_once('.') {
            Some((i, f)) => (i.to_string(), f.to_string()),
            None => (t.clone(), String::new()),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        if int.len() + frac.len() > 30 {
            return None;
        }
        let digits = format!("{int}{frac}");
        let mut mantissa: i128 = digits.parse().ok()?;
        if neg {
            mantissa = -mantissa;
        }
        Some(Decimal { mantissa, scale: frac.len() as u32 }.trimmed())
    }

    pub fn from_f64(v: f64) -> Option<Decimal> {
        if !v.is_finite() {
            return None;
        }
        // Rust prints the shortest text that reads back as the same f64, without an exponent.
        Decimal::parse(&format!("{v}"))
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
                Ok(Decimal::from_i64(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
                Ok(Decimal { mantissa: v as i128, scale: 0 })
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
                Decimal::from_f64(v).ok_or_else(|| E::custom(format!("{v} is not a finite number")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
                Decimal::parse(v).ok_or_else(|| {
                    E::custom(format!("\"{v}\" is not a number; write it as a TOML number such as 28800 or 35.9"))
                })
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
    }

    #[test]
    fn multiplies_without_float_error() {
        // 35.9억원 is exactly 3,590,000,000 won; 37.6백만원 is 37,600,000.
        assert_eq!(Decimal::from_f64(35.9).unwrap().times_rounded(100_000_000), Some(3_590_000_000));
        assert_eq!(Decimal::from_f64(37.6).unwrap().times_rounded(1_000_000), Some(37_600_000));
        assert_eq!(Decimal::parse("0.5").unwrap().times_rounded(1), Some(1));
    }
}
