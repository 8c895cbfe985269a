//! Errors and warnings an editor can act on: file, line, column, what was found.

use std::fmt;
use std::path::{Path, PathBuf};

#[cfg(test)]
mod tests {
    #[test]
    fn unknown_fields_get_a_suggestion() {
        let m = super::with_suggestion("unknown field `budjet`, expected one of `year`, `unit`, `budget`, `executed`");
        assert!(m.ends_with("did you mean `budget`?"), "{m}");
        let m = super::with_suggestion("unknown field `zzz`, expected one of `year`, `unit`");
        assert!(!m.contains("did you mean"), "{m}");
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root.
    pub file: PathBuf,
    /// 1-based line and column, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// The offending source line, shown under the message.
    pub snippet: Option<Box<Snippet>>,
}

/// A source line and where its caret goes (differs from the column when the line is cut).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Snippet {
    pub text: String,
    pub caret: usize,
}

const SNIPPET_WIDTH: usize = 100;

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            snippet: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, message) }
    }

    /// Points the diagnostic at a byte offset of `source`, filling line, column and snippet.
    pub fn at_offset(mut self, source: &str, offset: usize) -> Diagnostic {
        let offset = offset.min(source.len());
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let column = source[line_start..offset].chars().count() + 1;
        let text = source[line_start..].lines().next().unwrap_or("");
        // A very long line (minified data, a 10,000-deep array) is shown around the column.
        let chars: Vec<char> = text.chars().collect();
        let (snippet, shown_column) = if chars.len() > SNIPPET_WIDTH {
            let start = column.saturating_sub(SNIPPET_WIDTH / 2).min(chars.len() - SNIPPET_WIDTH);
            let window: String = chars[start..start + SNIPPET_WIDTH].iter().collect();
            let prefix = if start > 0 { "…" } else { "" };
            (format!("{prefix}{window}…"), column - start + prefix.chars().count())
        } else {
            (text.to_string(), column)
        };
        self.line = Some(line);
        self.column = Some(column);
        self.snippet = Some(Box::new(Snippet { text: snippet, caret: shown_column }));
        self
    }

    /// Points the diagnostic at the first line of `source` that contains `needle`.
    pub fn is_error(&self) -> bool {
        matches!(self.severity, Severity::Error)
    }

    pub fn at_text(self, source: &str, needle: &str) -> Diagnostic {
        // A match on a comment line (`# the budget colour`) is not the cause: prefer one outside.
        let outside_comment = source.match_indices(needle).map(|(i, _)| i).find(|&i| {
            let line_start = source[..i].rfind('\n').map_or(0, |n| n + 1);
            !source[line_start..i].trim_start().starts_with('#')
        });
        match outside_comment.or_else(|| source.find(needle)) {
            Some(offset) => self.at_offset(source, offset),
            None => self,
        }
    }

    /// A TOML parse error, with its span, in a file whose TOML starts at `base` bytes into `source`.
    pub fn from_toml(file: &Path, source: &str, base: usize, err: &toml::de::Error) -> Diagnostic {
        let message = with_suggestion(err.message().trim());
        let d = Diagnostic::error(file, message);
        match err.span() {
            Some(span) => d.at_offset(source, base + span.start),
            None => d,
        }
    }
}

/// serde reports "unknown field `budjet`, expected one of `year`, `budget`, …"; add the
/// closest expected name, as editors mostly mistype.
fn with_suggestion(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `").or_else(|| message.strip_prefix("unknown variant `"))
    else {
        return message.to_string();
    };
    let Some((found, expected)) = rest.split_once('`') else { return message.to_string() };
    let best = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|candidate| (strsim::jaro_winkler(found, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, name)) => format!("{message}; did you mean `{name}`?"),
        None => message.to_string(),
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}: {}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let (Some(l), Some(s)) = (self.line, &self.snippet) {
            let w = l.to_string().len();
            let c = s.caret;
            write!(f, "\n{:w$} |\n{l} | {}\n{:w$} | {:>c$}", "", s.text, "", "^")?;
        }
        Ok(())
    }
}

/// All diagnostics of a run, collected rather than stopping at the first.
#[derive(Debug, Default)]
pub struct Report {
    pub items: Vec<Diagnostic>,
    /// The output folder was refused, locked or could not be written (exit 2, not 1).
    pub io_error: bool,
}

impl Report {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    pub fn errors(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warnings(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    /// Sorted by file and line, so output is stable whatever the order of parallel work.
    pub fn sorted(&mut self) {
        self.items.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
        self.items.dedup();
    }
}
