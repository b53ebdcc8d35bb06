//! The dead-letter record: the original key and value bytes, unchanged, with
//! headers saying why and where from (`error.class`, `error.message`,
//! `error.stage`, `origin.topic`, `origin.partition`, `origin.offset`, `failed_at`).

use chrono::{DateTime, SecondsFormat, Utc};

use crate::model::DeadLetter;
use crate::pipeline::ports::OutRecord;
use crate::pipeline::Inbound;

/// Longest `error.message` header kept (a JSON error can quote a lot of input).
const MAX_ERROR_MESSAGE_BYTES: usize = 1024;

/// Header set when the dead letter itself was too large for the broker and had to
/// be published without its value (its size in bytes).
pub const VALUE_OMITTED_HEADER: &str = "error.value_omitted_bytes";

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The record sent to `topic` for a message that cannot be enriched.
pub fn record(
    inbound: &Inbound,
    dead: &DeadLetter,
    topic: &str,
    failed_at: DateTime<Utc>,
) -> OutRecord {
    let headers = vec![
        (
            "error.class".to_string(),
            dead.class.as_str().as_bytes().to_vec(),
        ),
        (
            "error.message".to_string(),
            truncate(&dead.message, MAX_ERROR_MESSAGE_BYTES)
                .as_bytes()
                .to_vec(),
        ),
        ("error.stage".to_string(), dead.stage.as_bytes().to_vec()),
        (
            "origin.topic".to_string(),
            inbound.topic.as_bytes().to_vec(),
        ),
        (
            "origin.partition".to_string(),
            inbound.partition.to_string().into_bytes(),
        ),
        (
            "origin.offset".to_string(),
            inbound.offset.to_string().into_bytes(),
        ),
        (
            "failed_at".to_string(),
            failed_at
                .to_rfc3339_opts(SecondsFormat::Millis, true)
                .into_bytes(),
        ),
    ];
    OutRecord {
        topic: topic.to_string(),
        key: inbound.key.clone(),
        value: inbound.payload.clone(),
        headers,
    }
}

/// The same dead letter without its value, for when the broker rejects it as too large.
pub fn without_value(mut record: OutRecord) -> OutRecord {
    let size = record.value.take().map(|v| v.len()).unwrap_or(0);
    record.headers.push((
        VALUE_OMITTED_HEADER.to_string(),
        size.to_string().into_bytes(),
    ));
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ErrorClass;
    use chrono::TimeZone;

    #[test]
    fn keeps_key_and_value_and_says_why() {
        let inbound = Inbound {
            topic: "in".into(),
            partition: 3,
            offset: 41,
            timestamp_ms: None,
            key: Some(b"k1".to_vec()),
            payload: Some(vec![0xff, 0xfe]),
        };
        let dead = DeadLetter {
            class: ErrorClass::NotUtf8,
            message: "é".repeat(2000),
            stage: "decode",
        };
        let at = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let r = record(&inbound, &dead, "dlq", at);
        assert_eq!(r.topic, "dlq");
        assert_eq!(r.key.as_deref(), Some(&b"k1"[..]));
        assert_eq!(r.value.as_deref(), Some(&[0xff, 0xfe][..]));
        assert_eq!(r.header("error.class"), Some(&b"not_utf8"[..]));
        assert_eq!(r.header("error.stage"), Some(&b"decode"[..]));
        assert_eq!(r.header("origin.topic"), Some(&b"in"[..]));
        assert_eq!(r.header("origin.partition"), Some(&b"3"[..]));
        assert_eq!(r.header("origin.offset"), Some(&b"41"[..]));
        assert_eq!(
            r.header("failed_at"),
            Some(&b"2026-01-02T03:04:05.000Z"[..])
        );
        let msg = std::str::from_utf8(r.header("error.message").unwrap()).unwrap();
        assert!(msg.len() <= MAX_ERROR_MESSAGE_BYTES && msg.starts_with('é'));
        let slim = without_value(r);
        assert_eq!(slim.value, None);
        assert_eq!(slim.header(VALUE_OMITTED_HEADER), Some(&b"2"[..]));
    }
}
