//! Decoding raw bytes into an [`Article`]: JSON with field aliases, or plain text.
//!
//! # JSON
//!
//! A JSON object whose field names are matched case-insensitively (and without
//! regard to `_`, `-` or spaces, so `pubDate`, `published_at` and `publishedAt`
//! all match) against these aliases, the first listed winning when several are
//! present:
//!
//! | article field   | aliases                                            |
//! |-----------------|----------------------------------------------------|
//! | id              | `id`                                               |
//! | url             | `url`, `link`                                      |
//! | title           | `title`, `headline`                                |
//! | text            | `text`, `body`, `content`, `article`               |
//! | outlet          | `source`, `outlet`, `site`                         |
//! | published_at    | `published_at`, `published`, `date`, `pubDate`     |
//! | language hint   | `language`, `lang`                                 |
//! | authors         | `author`, `authors`                                |
//!
//! Values that are not strings are taken sensibly: a numeric id becomes its
//! decimal string, a body given as an array of paragraphs is joined, a source
//! or author given as an object contributes its `name`, a numeric date is a Unix
//! time (seconds, or milliseconds when large). Every other field, and every
//! alias that lost to a better one or could not be read, is kept verbatim in
//! [`Article::extra`].
//!
//! # Plain text
//!
//! As scrapers paste it: a short first line (at most [`TITLE_MAX_CHARS`]
//! characters, no final full stop) is the title; the body follows; a short last
//! line on its own, with no final punctuation, after a line that ends a
//! paragraph, names the outlet. A long first line is a paragraph, not a title.
//!
//! A UTF-8 byte-order mark is stripped and CRLF/CR line ends become LF.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::{Map, Value};

use crate::model::{Article, DeadLetter, ErrorClass};

/// A first line longer than this (in characters) is a paragraph, not a title.
pub const TITLE_MAX_CHARS: usize = 150;
/// A title has at most this many words.
const TITLE_MAX_WORDS: usize = 25;
/// An outlet line has at most this many characters ...
const OUTLET_MAX_CHARS: usize = 40;
/// ... and at most this many words.
const OUTLET_MAX_WORDS: usize = 5;

const STAGE: &str = "decode";

/// Why a payload cannot be decoded; always deterministic (a dead letter).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("payload is not UTF-8: invalid byte sequence at byte {valid_up_to}")]
    NotUtf8 { valid_up_to: usize },
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    #[error("expected a JSON object (an article), found {0}")]
    NotAnObject(&'static str),
    #[error("article has neither text nor title")]
    EmptyText,
}

impl DecodeError {
    pub fn class(&self) -> ErrorClass {
        match self {
            DecodeError::NotUtf8 { .. } => ErrorClass::NotUtf8,
            DecodeError::InvalidJson(_) | DecodeError::NotAnObject(_) => ErrorClass::InvalidJson,
            DecodeError::EmptyText => ErrorClass::EmptyText,
        }
    }
}

impl From<DecodeError> for DeadLetter {
    fn from(e: DecodeError) -> Self {
        DeadLetter {
            class: e.class(),
            message: e.to_string(),
            stage: STAGE,
        }
    }
}

/// Decodes one payload. Deterministic failures come back as dead letters.
pub fn decode(payload: &[u8]) -> Result<Article, DeadLetter> {
    decode_article(payload).map_err(DeadLetter::from)
}

/// Decodes one payload, with the precise reason on failure.
pub fn decode_article(payload: &[u8]) -> Result<Article, DecodeError> {
    let payload = payload.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(payload);
    let text = std::str::from_utf8(payload).map_err(|e| DecodeError::NotUtf8 {
        valid_up_to: e.valid_up_to(),
    })?;
    let text = normalise_newlines(text);
    let trimmed = text.trim();
    let article = if trimmed.starts_with('{') {
        let value: Value =
            serde_json::from_str(trimmed).map_err(|e| DecodeError::InvalidJson(e.to_string()))?;
        match value {
            Value::Object(map) => from_json_object(map),
            other => return Err(DecodeError::NotAnObject(json_kind(&other))),
        }
    } else {
        // A JSON array or bare scalar (`[...]`, `42`, `true`, `null`) is a
        // malformed message, not an article. A JSON string is text in quotes,
        // and text that merely starts with `[` ("[Video] ...") is text.
        match serde_json::from_str::<Value>(trimmed) {
            Ok(v @ (Value::Array(_) | Value::Number(_) | Value::Bool(_) | Value::Null)) => {
                return Err(DecodeError::NotAnObject(json_kind(&v)))
            }
            _ => from_plain_text(trimmed),
        }
    };
    let no_title = article.title.as_deref().is_none_or(|t| t.trim().is_empty());
    if article.text.trim().is_empty() && no_title {
        return Err(DecodeError::EmptyText);
    }
    Ok(article)
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn normalise_newlines(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    }
}

// ---------------------------------------------------------------- JSON

/// The article fields a JSON key can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Id,
    Url,
    Title,
    Text,
    Outlet,
    Published,
    Language,
    Authors,
}

const SLOTS: [Slot; 8] = [
    Slot::Id,
    Slot::Url,
    Slot::Title,
    Slot::Text,
    Slot::Outlet,
    Slot::Published,
    Slot::Language,
    Slot::Authors,
];

/// Aliases per slot, best first, in normalised form (lower case, no `_-` or spaces).
const ALIASES: [(Slot, &[&str]); 8] = [
    (Slot::Id, &["id"]),
    (Slot::Url, &["url", "link"]),
    (Slot::Title, &["title", "headline"]),
    (Slot::Text, &["text", "body", "content", "article"]),
    (Slot::Outlet, &["source", "outlet", "site"]),
    (
        Slot::Published,
        &["publishedat", "published", "date", "pubdate"],
    ),
    (Slot::Language, &["language", "lang"]),
    (Slot::Authors, &["author", "authors"]),
];

fn normalise_key(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The slot a key fills and its rank among the slot's aliases.
fn slot_of(key: &str) -> Option<(Slot, usize)> {
    let k = normalise_key(key);
    ALIASES
        .iter()
        .find_map(|(slot, names)| names.iter().position(|n| *n == k).map(|rank| (*slot, rank)))
}

fn from_json_object(map: Map<String, Value>) -> Article {
    // Candidates per slot: (alias rank, original key, value).
    let mut candidates: Vec<(Slot, usize, String, Value)> = Vec::new();
    let mut extra = Map::new();
    for (key, value) in map {
        match slot_of(&key) {
            Some((slot, rank)) => candidates.push((slot, rank, key, value)),
            None => {
                extra.insert(key, value);
            }
        }
    }
    candidates.sort_by_key(|(_, rank, _, _)| *rank);

    let mut article = Article::default();
    for slot in SLOTS {
        let mut filled = false;
        for (_, _, key, value) in candidates.iter().filter(|(s, ..)| *s == slot) {
            if filled || !fill(&mut article, slot, value) {
                // A losing alias, or a value that could not be read: keep it.
                if !value.is_null() {
                    extra.insert(key.clone(), value.clone());
                }
            } else {
                filled = true;
            }
        }
    }
    article.extra = extra;
    article
}

/// Puts `value` into `slot`; false when it holds nothing usable.
fn fill(article: &mut Article, slot: Slot, value: &Value) -> bool {
    match slot {
        Slot::Id => set(&mut article.id, scalar_text(value)),
        Slot::Url => set(&mut article.url, scalar_text(value)),
        Slot::Title => set(&mut article.title, text_value(value).map(|t| one_line(&t))),
        Slot::Text => match text_value(value) {
            Some(t) => {
                article.text = t;
                true
            }
            None => false,
        },
        Slot::Outlet => set(&mut article.outlet, named_text(value)),
        Slot::Published => match date_value(value) {
            Some(d) => {
                article.published_at = Some(d);
                true
            }
            None => false,
        },
        Slot::Language => set(
            &mut article.language_hint,
            scalar_text(value).map(|s| s.to_lowercase()),
        ),
        Slot::Authors => {
            let authors = authors_value(value);
            let ok = !authors.is_empty();
            article.authors = authors;
            ok
        }
    }
}

fn set(target: &mut Option<String>, value: Option<String>) -> bool {
    match value {
        Some(v) => {
            *target = Some(v);
            true
        }
        None => false,
    }
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A string, number or boolean as trimmed text.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => non_empty(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Article text: a string, or an array of paragraphs, or an object with `text`.
fn text_value(v: &Value) -> Option<String> {
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
fn named_text(v: &Value) -> Option<String> {
    match v {
        Value::Object(m) => ["name", "title", "id"]
            .iter()
            .find_map(|k| m.get(*k).and_then(scalar_text)),
        _ => scalar_text(v).map(|s| one_line(&s)),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn authors_value(v: &Value) -> Vec<String> {
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

fn date_value(v: &Value) -> Option<DateTime<Utc>> {
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

/// Sentence-final or clause-final marks: a line ending with one is prose.
fn ends_with_punctuation(line: &str) -> bool {
    line.chars().last().is_some_and(|c| {
        matches!(
            c,
            '.' | '!'
                | '?'
                | '؟'
                | '…'
                | ':'
                | ';'
                | ','
                | '،'
                | '؛'
                | '。'
                | '"'
                | '\''
                | '»'
                | '”'
                | ')'
                | ']'
        )
    })
}

fn is_title_line(line: &str) -> bool {
    let prose_end = line.ends_with(['.', '。', ':', ';', ',', '،', '؛']) && !line.ends_with("...");
    line.chars().count() <= TITLE_MAX_CHARS
        && line.split_whitespace().count() <= TITLE_MAX_WORDS
        && line.chars().any(char::is_alphabetic)
        && !prose_end
}

/// The outlet named on a line, if the line is one: short, no final punctuation.
fn outlet_of(line: &str) -> Option<String> {
    let mut t = line
        .trim()
        .trim_start_matches(['-', '—', '–', '•', '*', ' '])
        .trim();
    for prefix in ["source:", "source :", "المصدر:", "المصدر :"] {
        if t.len() > prefix.len()
            && t.is_char_boundary(prefix.len())
            && t[..prefix.len()].to_lowercase() == prefix
        {
            t = t[prefix.len()..].trim();
        }
    }
    let ok = !t.is_empty()
        && t.chars().count() <= OUTLET_MAX_CHARS
        && t.split_whitespace().count() <= OUTLET_MAX_WORDS
        && t.chars().any(char::is_alphabetic)
        && !ends_with_punctuation(t)
        && !t.starts_with(['"', '«', '“', '\'', '(']);
    ok.then(|| t.to_string())
}

/// A line that closes a paragraph: final punctuation, or long enough to be prose.
fn ends_paragraph(line: &str) -> bool {
    ends_with_punctuation(line) || line.chars().count() > 100
}

fn from_plain_text(text: &str) -> Article {
    // (byte start, byte end) of every non-empty line, trimmed.
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut offset = 0;
    for raw in text.split('\n') {
        let start = offset + (raw.len() - raw.trim_start().len());
        let end = offset + raw.trim_end().len();
        if end > start {
            lines.push((start, end));
        }
        offset += raw.len() + 1;
    }
    let line = |i: usize| -> &str { lines.get(i).map_or("", |&(s, e)| &text[s..e]) };

    let mut first = 0;
    let mut last = lines.len();
    let mut article = Article::default();

    if lines.len() >= 2 && is_title_line(line(0)) {
        article.title = Some(one_line(line(0)));
        first = 1;
    }
    if last >= first + 2 && ends_paragraph(line(last - 2)) {
        if let Some(outlet) = outlet_of(line(last - 1)) {
            article.outlet = Some(outlet);
            last -= 1;
        }
    }
    if first < last {
        let start = lines[first].0;
        let end = lines[last - 1].1;
        article.text = text[start..end].to_string();
    }
    article
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(payload: &str) -> Article {
        match decode(payload.as_bytes()) {
            Ok(a) => a,
            Err(e) => panic!("{payload:?} did not decode: {e:?}"),
        }
    }

    fn utc(s: &str) -> Option<DateTime<Utc>> {
        Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
    }

    #[test]
    fn json_aliases() {
        struct Case {
            name: &'static str,
            json: &'static str,
            check: fn(&Article) -> bool,
        }
        let cases = [
            Case {
                name: "id string",
                json: r#"{"id":"a-1","text":"x"}"#,
                check: |a| a.id.as_deref() == Some("a-1"),
            },
            Case {
                name: "id number",
                json: r#"{"ID":12345,"text":"x"}"#,
                check: |a| a.id.as_deref() == Some("12345"),
            },
            Case {
                name: "url",
                json: r#"{"url":"https://e.com/a","text":"x"}"#,
                check: |a| a.url.as_deref() == Some("https://e.com/a"),
            },
            Case {
                name: "link",
                json: r#"{"Link":"https://e.com/b","text":"x"}"#,
                check: |a| a.url.as_deref() == Some("https://e.com/b"),
            },
            Case {
                name: "title",
                json: r#"{"title":"Floods in Sfax","text":"x"}"#,
                check: |a| a.title.as_deref() == Some("Floods in Sfax"),
            },
            Case {
                name: "headline, newlines collapsed",
                json: r#"{"HEADLINE":"Floods\nin  Sfax","text":"x"}"#,
                check: |a| a.title.as_deref() == Some("Floods in Sfax"),
            },
            Case {
                name: "text",
                json: r#"{"text":"Le texte."}"#,
                check: |a| a.text == "Le texte.",
            },
            Case {
                name: "body",
                json: r#"{"Body":"Le corps."}"#,
                check: |a| a.text == "Le corps.",
            },
            Case {
                name: "content",
                json: r#"{"content":"المحتوى."}"#,
                check: |a| a.text == "المحتوى.",
            },
            Case {
                name: "article",
                json: r#"{"article":"Story."}"#,
                check: |a| a.text == "Story.",
            },
            Case {
                name: "body as paragraphs",
                json: r#"{"body":["One.","Two."]}"#,
                check: |a| a.text == "One.\n\nTwo.",
            },
            Case {
                name: "body CRLF",
                json: r#"{"body":"One.\r\nTwo."}"#,
                check: |a| a.text == "One.\nTwo.",
            },
            Case {
                name: "source",
                json: r#"{"source":"Reuters","text":"x"}"#,
                check: |a| a.outlet.as_deref() == Some("Reuters"),
            },
            Case {
                name: "outlet",
                json: r#"{"Outlet":"Le Monde","text":"x"}"#,
                check: |a| a.outlet.as_deref() == Some("Le Monde"),
            },
            Case {
                name: "site",
                json: r#"{"site":"aljazeera.net","text":"x"}"#,
                check: |a| a.outlet.as_deref() == Some("aljazeera.net"),
            },
            Case {
                name: "source object",
                json: r#"{"source":{"id":"bbc","name":"BBC News"},"text":"x"}"#,
                check: |a| a.outlet.as_deref() == Some("BBC News"),
            },
            Case {
                name: "published_at RFC 3339",
                json: r#"{"published_at":"2020-07-09T10:00:00+03:00","text":"x"}"#,
                check: |a| a.published_at == utc("2020-07-09T07:00:00Z"),
            },
            Case {
                name: "publishedAt camel case",
                json: r#"{"publishedAt":"2020-07-09T10:00:00Z","text":"x"}"#,
                check: |a| a.published_at == utc("2020-07-09T10:00:00Z"),
            },
            Case {
                name: "published RFC 2822",
                json: r#"{"published":"Thu, 09 Jul 2020 10:00:00 GMT","text":"x"}"#,
                check: |a| a.published_at == utc("2020-07-09T10:00:00Z"),
            },
            Case {
                name: "date plain",
                json: r#"{"date":"2020-07-09","text":"x"}"#,
                check: |a| a.published_at == utc("2020-07-09T00:00:00Z"),
            },
            Case {
                name: "pubDate with time",
                json: r#"{"pubDate":"2020-07-09 10:00:00","text":"x"}"#,
                check: |a| a.published_at == utc("2020-07-09T10:00:00Z"),
            },
            Case {
                name: "date as Unix seconds",
                json: r#"{"date":1594288800,"text":"x"}"#,
                check: |a| a.published_at == utc("2020-07-09T10:00:00Z"),
            },
            Case {
                name: "date as Unix milliseconds",
                json: r#"{"date":1594288800000,"text":"x"}"#,
                check: |a| a.published_at == utc("2020-07-09T10:00:00Z"),
            },
            Case {
                name: "unreadable date kept in extra",
                json: r#"{"date":"last Tuesday","text":"x"}"#,
                check: |a| a.published_at.is_none() && a.extra["date"] == "last Tuesday",
            },
            Case {
                name: "language",
                json: r#"{"language":"AR","text":"x"}"#,
                check: |a| a.language_hint.as_deref() == Some("ar"),
            },
            Case {
                name: "lang",
                json: r#"{"lang":"fr","text":"x"}"#,
                check: |a| a.language_hint.as_deref() == Some("fr"),
            },
            Case {
                name: "author string",
                json: r#"{"author":"Jane Doe","text":"x"}"#,
                check: |a| a.authors == ["Jane Doe"],
            },
            Case {
                name: "authors comma and 'and'",
                json: r#"{"authors":"By Jane Doe, John Roe and Ali Hassan","text":"x"}"#,
                check: |a| a.authors == ["Jane Doe", "John Roe", "Ali Hassan"],
            },
            Case {
                name: "authors Arabic",
                json: r#"{"authors":"سارة خليل، محمد نور و ليلى حداد","text":"x"}"#,
                check: |a| a.authors == ["سارة خليل", "محمد نور", "ليلى حداد"],
            },
            Case {
                name: "authors array with objects",
                json: r#"{"authors":["Anne Martin",{"name":"Paul Roy"}],"text":"x"}"#,
                check: |a| a.authors == ["Anne Martin", "Paul Roy"],
            },
            Case {
                name: "unknown fields pass through",
                json: r#"{"text":"x","category":"sport","tags":["a","b"]}"#,
                check: |a| a.extra["category"] == "sport" && a.extra["tags"][1] == "b",
            },
            Case {
                name: "first alias wins, loser kept",
                json: r#"{"headline":"H","title":"T","text":"x"}"#,
                check: |a| a.title.as_deref() == Some("T") && a.extra["headline"] == "H",
            },
            Case {
                name: "empty alias falls back to the next",
                json: r#"{"text":"  ","body":"B."}"#,
                check: |a| a.text == "B." && a.extra["text"] == "  ",
            },
            Case {
                name: "title only",
                json: r#"{"title":"Only a headline"}"#,
                check: |a| a.text.is_empty() && a.title.as_deref() == Some("Only a headline"),
            },
            Case {
                name: "BOM and surrounding space",
                json: "\u{feff}  {\"text\":\"x\"}\n",
                check: |a| a.text == "x",
            },
        ];
        for case in cases {
            let a = ok(case.json);
            assert!((case.check)(&a), "case {:?}: got {a:?}", case.name);
        }
    }

    #[test]
    fn failures() {
        let cases: [(&str, &[u8], ErrorClass); 9] = [
            ("broken JSON", b"{\"text\": \"x\"", ErrorClass::InvalidJson),
            ("array", b"[{\"text\":\"x\"}]", ErrorClass::InvalidJson),
            ("number", b"42", ErrorClass::InvalidJson),
            ("null", b"null", ErrorClass::InvalidJson),
            ("binary", b"\xff\xfe\x00\x01abc", ErrorClass::NotUtf8),
            ("empty", b"", ErrorClass::EmptyText),
            ("whitespace", b" \n\t\r\n ", ErrorClass::EmptyText),
            (
                "JSON without text",
                b"{\"id\":1,\"text\":\"\"}",
                ErrorClass::EmptyText,
            ),
            ("BOM only", b"\xEF\xBB\xBF", ErrorClass::EmptyText),
        ];
        for (name, payload, class) in cases {
            match decode(payload) {
                Err(dl) => {
                    assert_eq!(dl.class, class, "case {name}: {dl:?}");
                    assert_eq!(dl.stage, "decode");
                    assert!(!dl.message.is_empty());
                }
                Ok(a) => panic!("case {name} decoded: {a:?}"),
            }
        }
        let dl = decode(b"[1,2]").unwrap_err();
        assert!(dl.message.contains("array"), "{}", dl.message);
        let dl = decode(b"ab\xffcd").unwrap_err();
        assert!(dl.message.contains("byte 2"), "{}", dl.message);
    }

    #[test]
    fn plain_text_layouts() {
        struct Case {
            name: &'static str,
            text: &'static str,
            title: Option<&'static str>,
            outlet: Option<&'static str>,
            body: &'static str,
        }
        let long_first = "The regional council of Tangier approved on Tuesday a plan worth 2.3 billion dirhams to extend the tramway to the airport, the port and three new residential districts by 2028.";
        assert!(long_first.chars().count() > TITLE_MAX_CHARS);
        let cases = [
            Case {
                name: "title, body, outlet",
                text: "Port strike enters third day\nDockers in Marseille kept the cranes idle on Wednesday.\nThe union said talks would resume.\nLa Provence",
                title: Some("Port strike enters third day"),
                outlet: Some("La Provence"),
                body: "Dockers in Marseille kept the cranes idle on Wednesday.\nThe union said talks would resume.",
            },
            Case {
                name: "long first paragraph is not a title",
                text: "The regional council of Tangier approved on Tuesday a plan worth 2.3 billion dirhams to extend the tramway to the airport, the port and three new residential districts by 2028.\nWork starts in spring.\nHespress",
                title: None,
                outlet: Some("Hespress"),
                body: "The regional council of Tangier approved on Tuesday a plan worth 2.3 billion dirhams to extend the tramway to the airport, the port and three new residential districts by 2028.\nWork starts in spring.",
            },
            Case {
                name: "Arabic, outlet last",
                text: "أعلنت وزارة الصحة في عمّان، يوم الأحد، عن افتتاح مستشفى جديد في مدينة الزرقاء بكلفة تبلغ أربعين مليون دينار أردني، وذلك ضمن خطة حكومية لتوسيع الخدمات الطبية في المحافظات الشمالية.\nوقال الوزير إن المستشفى سيخدم نصف مليون نسمة.\nصحيفة الغد",
                title: None,
                outlet: Some("صحيفة الغد"),
                body: "أعلنت وزارة الصحة في عمّان، يوم الأحد، عن افتتاح مستشفى جديد في مدينة الزرقاء بكلفة تبلغ أربعين مليون دينار أردني، وذلك ضمن خطة حكومية لتوسيع الخدمات الطبية في المحافظات الشمالية.\nوقال الوزير إن المستشفى سيخدم نصف مليون نسمة.",
            },
            Case {
                name: "last line is prose, not an outlet",
                text: "Storm hits coast\nWinds reached 120 km/h overnight.\nSchools are closed.",
                title: Some("Storm hits coast"),
                outlet: None,
                body: "Winds reached 120 km/h overnight.\nSchools are closed.",
            },
            Case {
                name: "short last line after a heading is not an outlet",
                text: "The minister spoke for an hour.\nNext steps\nBudget talks",
                title: None,
                outlet: None,
                body: "The minister spoke for an hour.\nNext steps\nBudget talks",
            },
            Case {
                name: "blank lines, CRLF, BOM",
                text: "\u{feff}Élections à Lyon\r\n\r\nLe scrutin a eu lieu dimanche.\r\n\r\nLe Progrès\r\n",
                title: Some("Élections à Lyon"),
                outlet: Some("Le Progrès"),
                body: "Le scrutin a eu lieu dimanche.",
            },
            Case {
                name: "single line is body",
                text: "Only one line here",
                title: None,
                outlet: None,
                body: "Only one line here",
            },
            Case {
                name: "title and one body line, no outlet",
                text: "Headline here\nBody line that ends.",
                title: Some("Headline here"),
                outlet: None,
                body: "Body line that ends.",
            },
            Case {
                name: "first line ending with a full stop is prose",
                text: "Rain fell.\nMore rain fell.",
                title: None,
                outlet: None,
                body: "Rain fell.\nMore rain fell.",
            },
            Case {
                name: "outlet with source prefix and dash",
                text: "Prices rose by 3 percent in May, the statistics office said.\n— Source: Reuters",
                title: None,
                outlet: Some("Reuters"),
                body: "Prices rose by 3 percent in May, the statistics office said.",
            },
            Case {
                name: "bracketed tag is text, not a JSON array",
                text: "[Video] Floods in Valencia\nRescue teams worked through the night.",
                title: Some("[Video] Floods in Valencia"),
                outlet: None,
                body: "Rescue teams worked through the night.",
            },
            Case {
                name: "plain text in quotes stays text",
                text: "\"We will rebuild\"",
                title: None,
                outlet: None,
                body: "\"We will rebuild\"",
            },
        ];
        for case in cases {
            let a = ok(case.text);
            assert_eq!(a.title.as_deref(), case.title, "case {}: title", case.name);
            assert_eq!(
                a.outlet.as_deref(),
                case.outlet,
                "case {}: outlet",
                case.name
            );
            assert_eq!(a.text, case.body, "case {}: body", case.name);
        }
    }

    #[test]
    fn parses_dates() {
        let cases = [
            ("2020-07-09", Some("2020-07-09T00:00:00Z")),
            ("2020-07-09 10:00:00", Some("2020-07-09T10:00:00Z")),
            ("2020-07-09T10:00:00", Some("2020-07-09T10:00:00Z")),
            ("2020-07-09T10:00:00.250Z", Some("2020-07-09T10:00:00.250Z")),
            (
                "Thu, 9 Jul 2020 12:00:00 +0200",
                Some("2020-07-09T10:00:00Z"),
            ),
            ("2020/07/09", Some("2020-07-09T00:00:00Z")),
            ("09 juillet 2020", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_date(input), want.and_then(utc), "input {input:?}");
        }
    }

    /// The shared seed article, when present: long first paragraph (no title),
    /// body, outlet alone on the last line. Skips where the file is absent.
    #[test]
    fn shared_seed_layout() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/seed/000_992054940200dc08.txt");
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("skipping: {} not found", path.display());
            return;
        };
        let a = decode(&bytes).unwrap();
        assert_eq!(a.title, None);
        assert_eq!(a.outlet.as_deref(), Some("إيران إنسايدر"));
        assert!(a.text.starts_with("أعرب رئيس النظام السوري"));
        assert!(!a.text.contains("إيران إنسايدر"));
        // The subheading in the middle stays in the body.
        assert!(a.text.contains("\nاتفاقية تعاون مشترك\n"));
    }

    proptest! {
        #[test]
        fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode(&bytes);
        }

        #[test]
        fn never_panics_on_text(s in "\\PC{0,300}") {
            let _ = decode(s.as_bytes());
        }

        #[test]
        fn never_panics_on_lines(lines in proptest::collection::vec("[ a-zA-Zء-ي.,:،؟\"«»—-]{0,60}", 0..8)) {
            let text = lines.join("\n");
            if let Ok(a) = decode(text.as_bytes()) {
                prop_assert!(!a.text.trim().is_empty() || a.title.is_some());
            }
        }

        #[test]
        fn never_panics_on_json_objects(
            key in "(?i)(id|url|link|title|headline|text|body|content|article|source|outlet|site|published_at|published|date|pubdate|language|lang|author|authors|x)",
            value in prop_oneof![
                Just(serde_json::Value::Null),
                any::<bool>().prop_map(serde_json::Value::from),
                any::<i64>().prop_map(serde_json::Value::from),
                any::<f64>().prop_map(serde_json::Value::from),
                "\\PC{0,40}".prop_map(serde_json::Value::from),
                proptest::collection::vec("\\PC{0,10}", 0..4).prop_map(serde_json::Value::from),
            ],
        ) {
            let mut m = Map::new();
            m.insert(key, value);
            m.insert("title".into(), "t".into());
            let json = serde_json::to_vec(&Value::Object(m)).unwrap();
            prop_assert!(decode(&json).is_ok());
        }
    }
}
