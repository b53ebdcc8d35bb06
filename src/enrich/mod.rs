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

fn vocabulary_error(what: &str, e: aho_corasick::BuildError) -> LoadError {
    LoadError::Invalid {
        path: PathBuf::from(format!("<built-in {what} vocabulary>")),
        reason: e.to_string(),
    }
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
    dates: dates::DateExtractor,
    quotes: quotes::QuoteExtractor,
    amounts: amounts::AmountExtractor,
    keyword_df: text::keywords::DocFreq,
    gazetteer: places::Gazetteer,
    topics: topic::TopicModel,
    entities: entities::Recogniser,
    models: BTreeMap<String, String>,
}

impl Enrichers {
    /// Loads every model and table from `models_dir`.
    pub fn load(models_dir: &Path) -> Result<Self, LoadError> {
        let mut models = BTreeMap::new();
        let keyword_df = text::keywords::DocFreq::load(&models_dir.join("keywords-df.bin"))?;
        models.insert("keywords".to_string(), keyword_df.version.clone());
        models.insert("language".to_string(), lang::MODEL_VERSION.to_string());
        text::stopwords::warm_up();
        let gazetteer = places::Gazetteer::load(models_dir)?;
        models.insert("gazetteer".to_string(), gazetteer.version().to_string());
        let (topics, topics_version) = topic::load_versioned(&models_dir.join(topic::MODEL_FILE))?;
        models.insert("topics".to_owned(), topics_version);
        let recogniser = entities::Recogniser::load(models_dir)?;
        models.insert("entities".to_string(), recogniser.tagger_version());
        Ok(Enrichers {
            lang: lang::LanguageDetector::new(),
            dates: dates::DateExtractor::new().map_err(|e| vocabulary_error("dates", e))?,
            quotes: quotes::QuoteExtractor::new().map_err(|e| vocabulary_error("quotes", e))?,
            amounts: amounts::AmountExtractor::new().map_err(|e| vocabulary_error("amounts", e))?,
            keyword_df,
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

    /// Dates, quotes and amounts of the title then the body; `None` when the
    /// article has none of a kind.
    #[allow(clippy::type_complexity)]
    fn mentions(
        &self,
        doc: &text::Document,
        article: &Article,
    ) -> (
        Option<Vec<DateMention>>,
        Option<Vec<Quote>>,
        Option<Vec<Amount>>,
    ) {
        use crate::model::record::Field;
        let ctx = dates::DateContext {
            published: article.published_at.map(|t| t.date_naive()),
        };
        // French writes 2,5 and 1 500; Arabic and English 2.5 and 1,500.
        let comma_decimal = doc.lang() == text::Lang::Fr;
        let mut dates = Vec::new();
        let mut quotes = Vec::new();
        let mut amounts = Vec::new();
        for (field, text) in [(Field::Title, doc.title()), (Field::Body, doc.body())] {
            dates.extend(self.dates.extract(text, field, &ctx));
            quotes.extend(self.quotes.extract(text, field));
            amounts.extend(self.amounts.extract(text, field, comma_decimal));
        }
        let some = |v: bool| v.then_some(());
        (
            some(!dates.is_empty()).map(|_| dates),
            some(!quotes.is_empty()).map(|_| quotes),
            some(!amounts.is_empty()).map(|_| amounts),
        )
    }

    /// Analyses one article. Pure and deterministic.
    pub fn analyse(&self, article: &Article) -> Analysis {
        let title = article.title.as_deref().unwrap_or("");
        let body = article.text.as_str();
        let language = self
            .lang
            .detect(title, body, article.language_hint.as_deref());
        let doc = text::Document::new(title, body, &language.code);
        let stats = text::stats::stats(&doc);
        let (dates, quotes, amounts) = self.mentions(&doc, article);
        let lead_sentence = text::summary::lead_index(&doc);
        let terms = text::keywords::Terms::new(&doc, &self.keyword_df);
        let keywords = text::keywords::extract(&doc, &terms, lead_sentence);
        let summary = text::summary::summarise(&doc, &terms);
        let found = self.entities.analyse(
            &doc,
            &self.gazetteer,
            &language.code,
            places::Options::default(),
        );
        Analysis {
            language,
            lead: text::summary::lead(&doc),
            stats,
            fingerprint: fingerprint::fingerprint(title, body),
            topics: Some(
                self.topics
                    .classify(title, body, &mut topic::Scratch::default()),
            )
            .filter(|t| !t.is_empty()),
            entities: Some(found.entities),
            places: Some(found.places),
            dates,
            quotes,
            amounts,
            keywords,
            summary,
        }
    }
}
