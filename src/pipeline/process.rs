//! One message through the pipeline, with neither tokio nor rdkafka in sight.

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use sha2::{Digest, Sha256};

use crate::enrich::Enrichers;
use crate::model::record::{ArticleMeta, EnricherInfo, Origin, SCHEMA_VERSION};
use crate::model::{Article, DeadLetter, EnrichedRecord, ErrorClass};

use super::decode::decode;

/// A consumed message, owned (copied out of the consumer at once).
#[derive(Debug, Clone, Default)]
pub struct Inbound {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    /// Broker or producer timestamp, milliseconds since the epoch.
    pub timestamp_ms: Option<i64>,
    pub key: Option<Vec<u8>>,
    pub payload: Option<Vec<u8>>,
}

/// What became of one message.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Publish `json` to the output topic under `key` (the article id).
    Enriched { key: String, json: Vec<u8> },
    /// Publish the original message to the dead-letter topic.
    DeadLetter(DeadLetter),
}

/// decode → enrich → encode. Never panics on message content.
pub fn process(
    msg: &Inbound,
    enrichers: &Enrichers,
    max_message_bytes: usize,
    now: DateTime<Utc>,
) -> Outcome {
    let payload = msg.payload.as_deref().unwrap_or(&[]);
    if payload.len() > max_message_bytes {
        return Outcome::DeadLetter(DeadLetter {
            class: ErrorClass::TooLarge,
            message: format!(
                "payload is {} bytes, over max_message_bytes = {max_message_bytes}",
                payload.len()
            ),
            stage: "decode",
        });
    }
    let article = match decode(payload) {
        Ok(a) => a,
        Err(dl) => return Outcome::DeadLetter(dl),
    };
    let key = msg
        .key
        .as_deref()
        .and_then(|k| std::str::from_utf8(k).ok())
        .filter(|k| !k.trim().is_empty());
    let origin = Origin {
        topic: msg.topic.clone(),
        partition: msg.partition,
        offset: msg.offset,
        timestamp: msg
            .timestamp_ms
            .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true)),
    };
    let record = enrich_article(&article, Some(origin), key, enrichers, now);
    match serde_json::to_vec(&record) {
        Ok(json) => Outcome::Enriched {
            key: record.id,
            json,
        },
        Err(e) => Outcome::DeadLetter(DeadLetter {
            class: ErrorClass::Rejected,
            message: format!("cannot encode record: {e}"),
            stage: "encode",
        }),
    }
}

/// Builds the enriched record for a decoded article.
pub fn enrich_article(
    article: &Article,
    origin: Option<Origin>,
    key: Option<&str>,
    enrichers: &Enrichers,
    now: DateTime<Utc>,
) -> EnrichedRecord {
    let analysis = enrichers.analyse(article);
    let id = article
        .id
        .clone()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| key.map(str::to_string))
        .unwrap_or_else(|| content_id(article));
    EnrichedRecord {
        schema_version: SCHEMA_VERSION.into(),
        id,
        origin,
        article: ArticleMeta {
            title: article.title.clone(),
            url: article.url.clone(),
            outlet: article.outlet.clone(),
            authors: article.authors.clone(),
            published_at: article
                .published_at
                .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
            lead: analysis.lead,
        },
        language: analysis.language,
        topics: analysis.topics,
        entities: analysis.entities,
        places: analysis.places,
        dates: analysis.dates,
        quotes: analysis.quotes,
        amounts: analysis.amounts,
        keywords: analysis.keywords,
        summary: analysis.summary,
        stats: analysis.stats,
        fingerprint: analysis.fingerprint,
        extra: article.extra.clone(),
        enriched_at: now.to_rfc3339_opts(SecondsFormat::Millis, true),
        enricher: EnricherInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            models: enrichers.model_versions().clone(),
        },
    }
}

/// A stable id derived from the content: the same article gives the same id.
pub fn content_id(article: &Article) -> String {
    let mut h = Sha256::new();
    h.update(article.url.as_deref().unwrap_or("").as_bytes());
    h.update([0]);
    h.update(article.title.as_deref().unwrap_or("").as_bytes());
    h.update([0]);
    h.update(article.text.as_bytes());
    let digest = h.finalize();
    hex::encode(&digest[..8])
}
