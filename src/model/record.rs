//! The enriched record: the output contract (schema version 1).
//!
//! Fields computed by an enricher that has nothing to say are omitted, never
//! filled with placeholders.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub const SCHEMA_VERSION: &str = "1";

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct EnrichedRecord {
    pub schema_version: String,
    pub id: String,
    /// Kafka coordinates; `null` when enriched offline.
    pub origin: Option<Origin>,
    pub article: ArticleMeta,
    pub language: Language,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<Topic>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entities: Option<Vec<Entity>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub places: Option<Vec<Place>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<Vec<DateMention>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quotes: Option<Vec<Quote>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amounts: Option<Vec<Amount>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keywords: Option<Vec<Keyword>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Vec<String>>,
    pub stats: Stats,
    pub fingerprint: Fingerprint,
    /// Input fields the decoder did not recognise, passed through.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
    pub enriched_at: String,
    pub enricher: EnricherInfo,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Origin {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    /// Message timestamp (RFC 3339), when the broker gave one.
    pub timestamp: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct ArticleMeta {
    pub title: Option<String>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub authors: Vec<String>,
    /// RFC 3339 in UTC; `null` when unknown.
    pub published_at: Option<String>,
    /// First sentence(s) of the body.
    pub lead: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Language {
    /// ISO 639-1 code, or `und` when unsure.
    pub code: String,
    pub confidence: f32,
    /// ISO 15924 script code (`Arab`, `Latn`, `Cyrl`, `Hani`, ...).
    pub script: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Topic {
    /// IPTC Media Topics code, e.g. `medtop:11000000`.
    pub code: String,
    pub label: String,
    pub label_ar: String,
    /// Calibrated probability.
    pub score: f32,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    Person,
    Organization,
    Location,
    Misc,
}

/// Which field of the article a span points into.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Title,
    Body,
}

/// A span in Unicode code points into `field`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
pub struct Span {
    pub field: Field,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Entity {
    pub text: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    pub canonical: String,
    pub mentions: u32,
    pub salience: f32,
    pub spans: Vec<Span>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Place {
    pub name: String,
    /// `country`, `capital`, `city`, `region`.
    pub kind: String,
    /// ISO 3166-1 alpha-2.
    pub country_code: String,
    pub lat: f64,
    pub lon: f64,
    pub geonames_id: Option<u64>,
    pub mentions: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct DateMention {
    pub text: String,
    /// ISO 8601 at its precision (`2018`, `2020-07`, `2020-07-09`), or the
    /// relative expression kept as is when it cannot be resolved.
    pub value: String,
    /// `day`, `month`, `year`, `season`, `relative`, ...
    pub precision: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Quote {
    pub speaker: Option<String>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verb: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Amount {
    pub text: String,
    pub value: f64,
    /// ISO 4217 code or unit (`USD`, `percent`, ...), when known.
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Keyword {
    pub term: String,
    pub score: f32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Stats {
    pub characters: usize,
    pub words: usize,
    pub sentences: usize,
    pub reading_time_seconds: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Fingerprint {
    /// SHA-256 of the normalised text, hex.
    pub sha256: String,
    /// 64-bit SimHash of the normalised text, 16 hex digits.
    pub simhash: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct EnricherInfo {
    pub version: String,
    /// Model name → version/hash, for every model that contributed.
    pub models: std::collections::BTreeMap<String, String>,
}
