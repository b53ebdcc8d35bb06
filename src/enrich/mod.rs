//! Pure analysis of one article: no I/O after loading, no tokio, no rdkafka.
//!
//! [`Enrichers`] is built once at start-up from the model directory and shared
//! by reference (`Arc`) between worker threads. [`Enrichers::analyse`] never
//! fails because of what an article says: unknown language is `und`, no
//! entities is an empty list.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::record::{
    Amount, DateMention, Entity, Fingerprint, Keyword, Language, Place, Quote, Stats, Topic,
};
use crate::model::Article;

pub mod amounts;
pub mod dates;
pub mod entities;
pub mod fingerprint;
pub mod lang;
pub mod places;
pub mod quotes;
pub mod scan;
pub mod text;
pub mod text_layer;

/// The texts of the article fixtures (`tests/fixtures/text` and
/// `tests/fixtures/assembly`), for tests that run every layer over them.
#[cfg(test)]
pub(crate) fn fixture_texts() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut texts = Vec::new();
    for sub in ["text", "assembly"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            if let Ok(s) = std::fs::read_to_string(e.path()) {
                texts.push(s);
            }
        }
    }
    texts
}
pub mod topic;

/// A model or table could not be loaded at start-up.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read model file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("model file {path} is invalid: {reason}")]
    Invalid { path: PathBuf, reason: String },
}

/// Everything the enrichers found in one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub language: Language,
    pub lead: Option<String>,
    pub stats: Stats,
    pub fingerprint: Fingerprint,
    pub topics: Option<Vec<Topic>>,
    pub entities: Option<Vec<Entity>>,
    pub places: Option<Vec<Place>>,
    pub dates: Option<Vec<DateMention>>,
    pub quotes: Option<Vec<Quote>>,
    pub amounts: Option<Vec<Amount>>,
    pub keywords: Option<Vec<Keyword>>,
    pub summary: Option<Vec<String>>,
}

/// The enrichment pipeline, built once.
pub struct Enrichers {
    lang: lang::LanguageDetector,
    text: text_layer::TextEnricher,
    gazetteer: places::Gazetteer,
    topics: topic::TopicModel,
    entities: entities::Recogniser,
    models: BTreeMap<String, String>,
}

impl Enrichers {
    /// Loads every model and table from `models_dir`.
    pub fn load(models_dir: &Path) -> Result<Self, LoadError> {
        let mut models = BTreeMap::new();
        let text = text_layer::TextEnricher::load(models_dir)?;
        models.insert("keywords".to_string(), text.keywords_version().to_string());
        models.insert("language".to_string(), lang::MODEL_VERSION.to_string());
        let gazetteer = places::Gazetteer::load(models_dir)?;
        models.insert("gazetteer".to_string(), gazetteer.version().to_string());
        let (topics, topics_version) = topic::load_versioned(&models_dir.join(topic::MODEL_FILE))?;
        models.insert("topics".to_owned(), topics_version);
        let recogniser = entities::Recogniser::load(models_dir)?;
        models.insert("entities".to_string(), recogniser.tagger_version());
        Ok(Enrichers {
            lang: lang::LanguageDetector::new(),
            text,
            gazetteer,
            topics,
            entities: recogniser,
            models,
        })
    }

    /// The model directory shipped with the source tree (for tests and tools).
    pub fn bundled_models_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("models")
    }

    /// Model name → version, for the record's `enricher.models`.
    pub fn model_versions(&self) -> &BTreeMap<String, String> {
        &self.models
    }

    /// Analyses one article. Pure and deterministic.
    pub fn analyse(&self, article: &Article) -> Analysis {
        let title = article.title.as_deref().unwrap_or("");
        let body = article.text.as_str();
        let language = self
            .lang
            .detect(title, body, article.language_hint.as_deref());
        let doc = text::Document::new(title, body, &language.code);
        let layer = self
            .text
            .analyse(&doc, article.published_at.map(|t| t.date_naive()));
        let found = self.entities.analyse(
            &doc,
            &self.gazetteer,
            &language.code,
            places::Options::default(),
        );
        Analysis {
            language,
            lead: layer.lead,
            stats: layer.stats,
            fingerprint: fingerprint::fingerprint(title, body),
            topics: Some(
                self.topics
                    .classify(title, body, &mut topic::Scratch::default()),
            )
            .filter(|t| !t.is_empty()),
            entities: Some(found.entities),
            places: Some(found.places),
            dates: layer.dates,
            quotes: layer.quotes,
            amounts: layer.amounts,
            keywords: layer.keywords,
            summary: layer.summary,
        }
    }
}
