//! Decoding raw bytes into an [`Article`]: JSON with field aliases, or plain text.

use crate::model::{Article, DeadLetter, ErrorClass};

/// Decodes one payload. Deterministic failures come back as dead letters.
pub fn decode(payload: &[u8]) -> Result<Article, DeadLetter> {
    let text = std::str::from_utf8(payload).map_err(|e| DeadLetter {
        class: ErrorClass::NotUtf8,
        message: format!("payload is not UTF-8: {e}"),
        stage: "decode",
    })?;
    let trimmed = text.trim_start();
    let article = if trimmed.starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| DeadLetter {
            class: ErrorClass::InvalidJson,
            message: format!("invalid JSON: {e}"),
            stage: "decode",
        })?;
        Article {
            id: v.get("id").and_then(|x| x.as_str()).map(str::to_string),
            text: v
                .get("text")
                .and_then(|x| x.as_str())
                .unwrap_or("")
                .to_string(),
            ..Article::default()
        }
    } else {
        Article {
            text: text.to_string(),
            ..Article::default()
        }
    };
    if article.text.trim().is_empty() && article.title.as_deref().unwrap_or("").trim().is_empty() {
        return Err(DeadLetter {
            class: ErrorClass::EmptyText,
            message: "article has neither text nor title".into(),
            stage: "decode",
        });
    }
    Ok(article)
}
