//! Zola's shortcodes in markdown: `{{ name(arg=value) }}` and
//! `{% name(arg=value) %}body{% end %}`; `{{/* name(…) */}}` and
//! `{%/* name(…) */%}…{%/* end */%}` write them literally (as Zola's parser, only when
//! what is escaped is a call: `{{/* end */}}` stays as written). A body is trimmed at both
//! ends. Markdown shortcodes (`.md`) become markdown before parsing; HTML ones become
//! placeholders that the finished HTML takes back.

use super::markdown::Hooks;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShortcodeKind {
    Html,
    Markdown,
}

/// Placeholder text for the `i`th HTML shortcode output.
pub fn placeholder(i: usize) -> String {
    format!("\u{E002}SC{i}\u{E003}")
}

struct Call<'a> {
    name: &'a str,
    args: Map<String, Value>,
    /// Bytes the call's opening tag takes.
    len: usize,
}

fn skip_ws(s: &str, i: usize) -> usize {
    i + s[i..].len() - s[i..].trim_start().len()
}

fn parse_value(s: &str, i: usize) -> Option<(Value, usize)> {
    let rest = &s[i..];
    let c = rest.chars().next()?;
    match c {
        '"' | '\'' | '`' => {
            let end = rest[1..].find(c)? + 1;
            Some((Value::String(rest[1..end].to_string()), i + end + 1))
        }
        '[' => {
            let mut items = Vec::new();
            let mut j = skip_ws(s, i + 1);
            loop {
                if s[j..].starts_with(']') {
                    return Some((Value::Array(items), j + 1));
                }
                let (v, k) = parse_value(s, j)?;
                items.push(v);
                j = skip_ws(s, k);
                if s[j..].starts_with(',') {
                    j = skip_ws(s, j + 1);
                }
            }
        }
        _ => {
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_'))?;
            let word = &rest[..end];
            let v = match word {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => {
                    if let Ok(n) = word.parse::<i64>() {
                        n.into()
                    } else {
                        serde_json::Number::from_f64(word.parse::<f64>().ok()?).map(Value::Number)?
                    }
                }
            };
            Some((v, i + end))
        }
    }
}

/// Parses `name(args)` followed by `close` at `s[i..]`, after the opening `{{`/`{%`.
fn parse_call<'a>(s: &'a str, start: usize, close: &str) -> Option<Call<'a>> {
    parse_call_after(s, start, 2, close)
}

/// Parses `name(args)` followed by `close`, after an opening of `open_len` bytes at `start`.
fn parse_call_after<'a>(s: &'a str, start: usize, open_len: usize, close: &str) -> Option<Call<'a>> {
    let mut i = skip_ws(s, start + open_len);
    let name_end = s[i..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))? + i;
    if name_end == i {
        return None;
    }
    let name = &s[i..name_end];
    i = skip_ws(s, name_end);
    if !s[i..].starts_with('(') {
        return None;
    }
    i = skip_ws(s, i + 1);
    let mut args = Map::new();
    loop {
        if s[i..].starts_with(')') {
            i += 1;
            break;
        }
        let key_end = s[i..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))? + i;
        let key = &s[i..key_end];
        i = skip_ws(s, key_end);
        if !s[i..].starts_with('=') {
            return None;
        }
        i = skip_ws(s, i + 1);
        let (v, j) = parse_value(s, i)?;
        args.insert(key.to_string(), v);
        i = skip_ws(s, j);
        if s[i..].starts_with(',') {
            i = skip_ws(s, i + 1);
        }
    }
    i = skip_ws(s, i);
    if !s[i..].starts_with(close) {
        return None;
    }
    Some(Call { name, args, len: i + close.len() - start })
}

/// Finds the `{% end %}` closing a body shortcode.
fn find_end(s: &str, from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while let Some(k) = s[i..].find("{%") {
        let at = i + k;
        let j = skip_ws(s, at + 2);
        if s[j..].starts_with("end") {
            let e = skip_ws(s, j + 3);
            if s[e..].starts_with("%}") {
                return Some((at, e + 2));
            }
        }
        i = at + 2;
    }
    None
}

/// `{%/* end */%}` at `s[at..]`: its length.
fn escaped_end(s: &str, at: usize) -> Option<usize> {
    let rest = s[at..].strip_prefix("{%/*")?;
    let j = rest.len() - rest.trim_start().len();
    let rest = rest.trim_start().strip_prefix("end")?;
    let k = rest.len() - rest.trim_start().len();
    rest.trim_start().starts_with("*/%}").then_some(4 + j + 3 + k + 4)
}

/// After an escaped body start, the escaped end that closes it (escaped bodies nest):
/// its offset and length.
fn find_escaped_end(s: &str, from: usize) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut i = from;
    while let Some(k) = s[i..].find("{%/*") {
        let at = i + k;
        if let Some(len) = escaped_end(s, at) {
            if depth == 0 {
                return Some((at, len));
            }
            depth -= 1;
            i = at + len;
        } else if let Some(c) = parse_call_after(s, at, 4, "*/%}") {
            depth += 1;
            i = at + c.len;
        } else {
            i = at + 4;
        }
    }
    None
}

/// Expands every shortcode in `body`; HTML outputs go to `outputs` behind placeholders.
pub fn expand(body: &str, hooks: &dyn Hooks, outputs: &mut Vec<String>) -> Result<String, String> {
    if !body.contains("{{") && !body.contains("{%") {
        return Ok(body.to_string());
    }
    let mut out = String::with_capacity(body.len());
    let mut nth: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut i = 0;
    while i < body.len() {
        let Some(k) = body[i..].find(['{']) else {
            out.push_str(&body[i..]);
            break;
        };
        let at = i + k;
        out.push_str(&body[i..at]);
        let rest = &body[at..];
        // Escaped: `{{/* x() */}}` → `{{ x() }}`; `{%/* x() */%}…{%/* end */%}` → `{% x() %}…{% end %}`
        // with the body as written. Only a call is unescaped, as in Zola.
        let unescape =
            |tag: &str, open: &str, close: &str| format!("{}{}{}", &open[..2], &tag[4..tag.len() - 4], &close[2..]);
        if rest.starts_with("{{/*") {
            if let Some(c) = parse_call_after(body, at, 4, "*/}}") {
                out.push_str(&unescape(&rest[..c.len], "{{/*", "*/}}"));
                i = at + c.len;
                continue;
            }
        }
        if rest.starts_with("{%/*") {
            if let Some(c) = parse_call_after(body, at, 4, "*/%}") {
                if let Some((end_at, end_len)) = find_escaped_end(body, at + c.len) {
                    out.push_str(&unescape(&rest[..c.len], "{%/*", "*/%}"));
                    out.push_str(&body[at + c.len..end_at]);
                    out.push_str(&unescape(&body[end_at..end_at + end_len], "{%/*", "*/%}"));
                    i = end_at + end_len;
                    continue;
                }
            }
        }
        let inline = rest.starts_with("{{");
        let block = rest.starts_with("{%");
        let call = if inline {
            parse_call(body, at, "}}")
        } else if block {
            parse_call(body, at, "%}")
        } else {
            None
        };
        let Some(call) = call.filter(|c| c.name != "end") else {
            out.push('{');
            i = at + 1;
            continue;
        };
        let Some(kind) = hooks.shortcode_kind(call.name) else {
            return Err(format!(
                "shortcode `{}` not found: expected templates/shortcodes/{}.html or .md",
                call.name, call.name
            ));
        };
        let (inner, next) = if block {
            let start = at + call.len;
            let (end_at, end_len) = find_end(body, start).ok_or_else(|| {
                format!("shortcode `{}` is opened with {{% %}} but never closed by {{% end %}}", call.name)
            })?;
            // Zola trims the body at both ends.
            (Some(body[start..end_at].trim()), end_len)
        } else {
            (None, at + call.len)
        };
        let n = nth.entry(call.name.to_string()).or_insert(0);
        *n += 1;
        let rendered = hooks.shortcode(call.name, call.args, inner, *n)?;
        match kind {
            ShortcodeKind::Markdown => out.push_str(&rendered),
            ShortcodeKind::Html => {
                out.push_str(&placeholder(outputs.len()));
                outputs.push(rendered);
            }
        }
        i = next;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo;
    impl Hooks for Echo {
        fn shortcode_kind(&self, name: &str) -> Option<ShortcodeKind> {
            match name {
                "md" => Some(ShortcodeKind::Markdown),
                "yt" | "quote" => Some(ShortcodeKind::Html),
                _ => None,
            }
        }
        fn shortcode(
            &self,
            name: &str,
            args: Map<String, Value>,
            body: Option<&str>,
            nth: usize,
        ) -> Result<String, String> {
            Ok(format!("[{name} {} {body:?} {nth}]", Value::Object(args)))
        }
        fn anchor_link(&self, _: &str, _: u32, _: &str) -> Result<String, String> {
            Ok(String::new())
        }
    }

    #[test]
    fn inline_body_escaped_and_nth() {
        let mut outs = Vec::new();
        let s = expand(
            "a {{ yt(id=\"x\", n=2, ok=true, l=[1, 'b']) }} b {{ yt(id='y') }}\n{% quote(by=\"Z\") %}\nHi\n{% end %}\n{{/* yt(id=1) */}} {{ md() }} {{ not a call }}",
            &Echo,
            &mut outs,
        )
        .unwrap();
        assert_eq!(outs[0], "[yt {\"id\":\"x\",\"n\":2,\"ok\":true,\"l\":[1,\"b\"]} None 1]");
        assert_eq!(outs[1], "[yt {\"id\":\"y\"} None 2]");
        assert_eq!(outs[2], "[quote {\"by\":\"Z\"} Some(\"Hi\") 1]");
        assert!(s.contains("{{ yt(id=1) }}"), "{s}");
        assert!(s.contains("[md {} None 1]"), "{s}");
        assert!(s.contains("{{ not a call }}"), "{s}");
    }

    #[test]
    fn bodies_are_trimmed_and_only_calls_are_unescaped() {
        let mut outs = Vec::new();
        let s = expand(
            "{% quote() %}\n\n  Hi \n\n{% end %} {{/* end */}} {{/*yt()*/}} {%/* quote() */%} {{ yt() }} {%/* end */%}",
            &Echo,
            &mut outs,
        )
        .unwrap();
        assert_eq!(outs, ["[quote {} Some(\"Hi\") 1]"]);
        assert!(s.ends_with(" {{/* end */}} {{yt()}} {% quote() %} {{ yt() }} {% end %}"), "{s}");
    }

    #[test]
    fn unknown_shortcode_is_an_error() {
        let e = expand("{{ nope() }}", &Echo, &mut Vec::new()).unwrap_err();
        assert!(e.contains("templates/shortcodes/nope.html"), "{e}");
    }
}
