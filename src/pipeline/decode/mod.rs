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

use serde_json::Value;

use crate::model::{Article, DeadLetter, ErrorClass};

mod json;
mod plain;
#[cfg(test)]
mod tests;
mod values;

use json::from_json_object;
use plain::from_plain_text;
pub use values::{parse_date, split_authors};

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

pub(super) fn normalise_newlines(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    }
}
