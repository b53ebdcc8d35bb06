//! The inbound article after decoding (JSON with aliases, or plain text).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// One raw article, decoded but not yet analysed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// Id from the payload (`id`), if any.
    pub id: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    /// The body text (may be empty when only a title exists).
    pub text: String,
    pub outlet: Option<String>,
    pub authors: Vec<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// Language hint from the payload; never trusted blindly.
    pub language_hint: Option<String>,
    /// Unknown input fields, passed through untouched.
    pub extra: Map<String, Value>,
}
