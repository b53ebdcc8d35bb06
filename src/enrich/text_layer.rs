//! The text layer of one article, from its [`Document`]: statistics, lead,
//! keywords, summary, dates, quotes and amounts.
//!
//! [`TextEnricher::analyse`] is what [`super::Enrichers::analyse`] runs for
//! these fields, and what `benches/text.rs` times as `text/whole_layer`.

use std::path::Path;

use chrono::NaiveDate;

use super::text::{self, keywords::DocFreq, Document};
use super::{amounts, dates, quotes, scan, LoadError};
use crate::model::record::{Amount, DateMention, Field, Keyword, Quote, Stats};

/// What the text layer finds in one article.
#[derive(Debug, Clone, PartialEq)]
pub struct TextAnalysis {
    pub lead: Option<String>,
    pub stats: Stats,
    pub dates: Option<Vec<DateMention>>,
    pub quotes: Option<Vec<Quote>>,
    pub amounts: Option<Vec<Amount>>,
    pub keywords: Option<Vec<Keyword>>,
    pub summary: Option<Vec<String>>,
}

/// The extractors and the keyword table, built once.
pub struct TextEnricher {
    dates: dates::DateExtractor,
    quotes: quotes::QuoteExtractor,
    amounts: amounts::AmountExtractor,
    /// The three vocabularies above in one automaton: one pass per field.
    vocabulary: scan::SharedVocabulary,
    keyword_df: DocFreq,
}

/// Indices of the vocabularies in [`TextEnricher::vocabulary`].
const DATES: usize = 0;
const QUOTES: usize = 1;
const AMOUNTS: usize = 2;

fn vocabulary_error(what: &str, e: aho_corasick::BuildError) -> LoadError {
    LoadError::Invalid {
        path: format!("<built-in {what} vocabulary>").into(),
        reason: e.to_string(),
    }
}

impl TextEnricher {
    /// Loads the keyword table (`keywords-df.bin`) and the frequent word
    /// forms (`text-forms.txt`, see [`text::forms::load`]) from `models_dir` and
    /// builds the extractors.
    pub fn load(models_dir: &Path) -> Result<Self, LoadError> {
        let keyword_df = DocFreq::load(&models_dir.join("keywords-df.bin"))?;
        text::forms::load(&models_dir.join(text::forms::FILE_NAME))?;
        text::stopwords::warm_up();
        let dates = dates::DateExtractor::new().map_err(|e| vocabulary_error("dates", e))?;
        let quotes = quotes::QuoteExtractor::new().map_err(|e| vocabulary_error("quotes", e))?;
        let amounts =
            amounts::AmountExtractor::new().map_err(|e| vocabulary_error("amounts", e))?;
        let mut lists = [(&[][..], false); 3];
        lists[DATES] = dates.vocabulary();
        lists[QUOTES] = quotes.vocabulary();
        lists[AMOUNTS] = amounts.vocabulary();
        let vocabulary =
            scan::SharedVocabulary::new(&lists).map_err(|reason| LoadError::Invalid {
                path: "<built-in dates, quotes and amounts vocabulary>".into(),
                reason,
            })?;
        Ok(TextEnricher {
            dates,
            quotes,
            amounts,
            vocabulary,
            keyword_df,
        })
    }

    /// Version of the keyword table, for the record.
    pub fn keywords_version(&self) -> &str {
        &self.keyword_df.version
    }

    /// Analyses one article; `published` anchors relative dates.
    pub fn analyse(&self, doc: &Document<'_>, published: Option<NaiveDate>) -> TextAnalysis {
        let ctx = dates::DateContext { published };
        // French writes 2,5 and 1 500; Arabic and English 2.5 and 1,500.
        let comma_decimal = doc.lang() == text::Lang::Fr;
        let mut found_dates = Vec::new();
        let mut found_quotes = Vec::new();
        let mut found_amounts = Vec::new();
        scan::Occurrences::with_reused(|occ| {
            occ.reserve(doc.title().len().max(doc.body().len()));
            for (field, text) in [(Field::Title, doc.title()), (Field::Body, doc.body())] {
                self.vocabulary.occurrences(text, occ);
                let digits = occ.digits();
                let span = |s, e| doc.span(field, s, e);
                found_dates.extend(self.dates.extract_from(
                    text,
                    &ctx,
                    occ.of(DATES),
                    digits,
                    span,
                ));
                let marks = occ.marks();
                found_quotes.extend(self.quotes.extract_from(text, occ.of(QUOTES), marks, span));
                found_amounts.extend(self.amounts.extract_from(
                    text,
                    comma_decimal,
                    occ.of(AMOUNTS),
                    &occ.listed(AMOUNTS),
                    digits,
                    span,
                ));
            }
        });
        let lead_sentence = text::summary::lead_index(doc);
        let terms = text::keywords::Terms::new(doc, &self.keyword_df);
        TextAnalysis {
            lead: lead_sentence.and_then(|i| text::summary::lead_at(doc, i)),
            stats: text::stats::stats(doc),
            dates: non_empty(found_dates),
            quotes: non_empty(found_quotes),
            amounts: non_empty(found_amounts),
            keywords: text::keywords::extract(doc, &terms, lead_sentence),
            summary: lead_sentence.and_then(|i| text::summary::summarise_from(doc, &terms, i)),
        }
    }
}

fn non_empty<T>(v: Vec<T>) -> Option<Vec<T>> {
    (!v.is_empty()).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::Enrichers;
    use proptest::prelude::*;

    fn enricher() -> &'static TextEnricher {
        static T: std::sync::OnceLock<TextEnricher> = std::sync::OnceLock::new();
        T.get_or_init(
            || match TextEnricher::load(&Enrichers::bundled_models_dir()) {
                Ok(t) => t,
                Err(e) => panic!("cannot load the keyword table: {e}"),
            },
        )
    }

    #[test]
    fn finds_every_kind() {
        let body = "Finance Minister Khalid al-Omari said on Thursday that the budget of \
                    860 billion riyals was approved on 9 July 2015. \"We will keep spending,\" \
                    he told reporters in Riyadh. The budget keeps spending on housing.";
        let doc = Document::new("Budget approved", body, "en");
        let t = enricher().analyse(&doc, NaiveDate::from_ymd_opt(2015, 7, 31));
        assert!(t.dates.as_ref().is_some_and(|d| !d.is_empty()));
        assert!(t.quotes.as_ref().is_some_and(|q| !q.is_empty()));
        assert!(t.amounts.as_ref().is_some_and(|a| !a.is_empty()));
        assert!(t.keywords.as_ref().is_some_and(|k| !k.is_empty()));
        assert!(t.lead.as_deref().is_some_and(|l| l.starts_with("Finance")));
        assert_eq!(t.stats.sentences, 3);
    }

    /// Mentions from the shared pass and from each extractor's own pass.
    fn both_ways(t: &TextEnricher, text: &str) -> [String; 2] {
        let ctx = dates::DateContext {
            published: NaiveDate::from_ymd_opt(2015, 7, 31),
        };
        let mut occ = scan::Occurrences::default();
        t.vocabulary.occurrences(text, &mut occ);
        let index = text::CharIndex::new(text);
        let span = |s, e| index.span(text, Field::Body, s, e);
        let shared = format!(
            "{:?} {:?} {:?}",
            t.dates
                .extract_from(text, &ctx, occ.of(DATES), occ.digits(), span),
            t.quotes
                .extract_from(text, occ.of(QUOTES), occ.marks(), span),
            t.amounts.extract_from(
                text,
                false,
                occ.of(AMOUNTS),
                &occ.listed(AMOUNTS),
                occ.digits(),
                span
            ),
        );
        let own = format!(
            "{:?} {:?} {:?}",
            t.dates.extract(text, Field::Body, &ctx),
            t.quotes.extract(text, Field::Body),
            t.amounts.extract(text, Field::Body, false),
        );
        [shared, own]
    }

    #[test]
    fn one_shared_pass_finds_what_each_own_pass_finds() {
        let texts = crate::enrich::fixture_texts();
        assert!(texts.len() >= 5, "fixtures missing");
        let t = enricher();
        for text in &texts {
            let [shared, own] = both_ways(t, text);
            assert_eq!(shared, own);
        }
    }

    proptest! {
        #[test]
        fn shared_pass_agrees_on_any_text(
            s in "([ \n.,«»\"0-9٠-٩$%]|قال|أمس|يوم|الخميس|مارس|مليون|دولار|ريال|بالمئة|said|Said|SAID|March|may|May|million|billion|dollars|per cent|percent|yesterday|ثلاثة|ألف|الف|ل|و|ب){0,40}"
        ) {
            let [shared, own] = both_ways(enricher(), &s);
            prop_assert_eq!(shared, own);
        }

        #[test]
        fn never_panics(title in "\\PC{0,40}", body in "\\PC{0,400}", code in "(ar|en|fr|und)") {
            let t = enricher();
            let doc = Document::new(&title, &body, &code);
            let _ = t.analyse(&doc, None);
        }
    }
}
