//! Zola's slug rules (`[slugify]`): `on` is the `slug` crate, `safe` only drops what a
//! file system or URL cannot hold, `off` keeps the text.

use crate::config::SlugifyStrategy;

pub fn slugify(s: &str, rule: SlugifyStrategy) -> String {
    match rule {
        SlugifyStrategy::On => slug::slugify(s),
        SlugifyStrategy::Safe => {
            let mut out = s.trim_end_matches([' ', '.']).to_string();
            out.retain(|c| !r#"<>:"/\|?*"#.contains(c));
            out
        }
        SlugifyStrategy::Off => s.to_string(),
    }
}

/// Heading ids: `safe` and `off` only turn spaces into `_`.
pub fn anchor(s: &str, rule: SlugifyStrategy) -> String {
    match rule {
        SlugifyStrategy::On => slug::slugify(s),
        _ => s.replace(|c: char| c.is_ascii_whitespace(), "_"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_rules() {
        assert_eq!(slugify("Hello World", SlugifyStrategy::On), "hello-world");
        assert_eq!(slugify("日本", SlugifyStrategy::On), "ri-ben");
        assert_eq!(slugify("dot. ", SlugifyStrategy::Safe), "dot");
        assert_eq!(slugify("a?b", SlugifyStrategy::Safe), "ab");
        assert_eq!(anchor("Two words", SlugifyStrategy::Off), "Two_words");
    }
}
