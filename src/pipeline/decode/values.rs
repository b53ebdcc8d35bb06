//! Reading JSON values as article text, names, authors and dates.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

use super::normalise_newlines;

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A string, number or boolean as trimmed text.
pub(super) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => non_empty(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Article text: a string, or an array of paragraphs, or an object with `text`.
pub(super) fn text_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => non_empty(&normalise_newlines(s)),
        Value::Number(_) | Value::Bool(_) => scalar_text(v),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(text_value).collect();
            non_empty(&parts.join("\n\n"))
        }
        Value::Object(m) => ["text", "value", "content", "body"]
            .iter()
            .find_map(|k| m.get(*k).and_then(text_value)),
        Value::Null => None,
    }
}

/// A name: a string, or an object with `name` (or `title`).
pub(super) fn named_text(v: &Value) -> Option<String> {
    match v {
        Value::Object(m) => ["name", "title", "id"]
            .iter()
            .find_map(|k| m.get(*k).and_then(scalar_text)),
        _ => scalar_text(v).map(|s| one_line(&s)),
    }
}

pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn authors_value(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = match v {
        Value::String(s) => split_authors(s),
        Value::Array(items) => items
            .iter()
            .filter_map(named_text)
            .map(|s| strip_byline(&s).to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        Value::Object(_) => named_text(v).into_iter().collect(),
        _ => Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    out.retain(|a| seen.insert(a.clone()));
    out
}

/// Splits "A, B and C" (also `&`, `;`, Arabic `،`/`؛` and ` و `, French ` et `).
pub fn split_authors(s: &str) -> Vec<String> {
    let s = one_line(s);
    let s = strip_byline(&s);
    let mut parts = vec![s.to_string()];
    for sep in [",", "،", ";", "؛", " & ", " and ", " et ", " و "] {
        parts = parts
            .iter()
            .flat_map(|p| split_ci(p, sep))
            .collect::<Vec<_>>();
    }
    parts
        .into_iter()
        .map(|p| strip_byline(p.trim()).to_string())
        .filter(|p| p.chars().any(char::is_alphabetic))
        .collect()
}

/// Splits on `sep`, ignoring ASCII case.
fn split_ci(s: &str, sep: &str) -> Vec<String> {
    let lower = s.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut start = 0;
    // `to_ascii_lowercase` keeps byte offsets, so indices into `lower` are valid in `s`.
    while let Some(pos) = lower[start..].find(sep) {
        let at = start + pos;
        out.push(s[start..at].to_string());
        start = at + sep.len();
    }
    out.push(s[start..].to_string());
    out
}

/// "By Jane Doe" → "Jane Doe" (also French "Par", Arabic "بقلم").
fn strip_byline(s: &str) -> &str {
    let t = s.trim();
    for prefix in ["by ", "par ", "بقلم "] {
        if t.len() > prefix.len()
            && t.is_char_boundary(prefix.len())
            && t[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            return t[prefix.len()..].trim();
        }
    }
    t
}

pub(super) fn date_value(v: &Value) -> Option<DateTime<Utc>> {
    match v {
        Value::String(s) => parse_date(s),
        Value::Number(n) => {
            let x = n.as_f64()?;
            if !x.is_finite() || x < 0.0 {
                return None;
            }
            // Milliseconds when it would otherwise be far in the future.
            let ms = if x >= 1e11 { x } else { x * 1000.0 };
            if ms > 1e15 {
                return None;
            }
            Utc.timestamp_millis_opt(ms as i64).single()
        }
        _ => None,
    }
}

/// RFC 3339, RFC 2822, `2020-07-09`, `2020-07-09 10:00:00` (UTC), `2020/07/09`.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(d.with_timezone(&Utc));
        }
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&d));
        }
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return d.and_hms_opt(0, 0, 0).map(|t| Utc.from_utc_datetime(&t));
        }
    }
    None
}

// ---------------------------------------------------------------- plain text
