//! Evidence that a gazetteer name is also an ordinary word or a given name,
//! measured on the corpora rather than listed by hand. Such names keep their
//! place in the table with [`CONFIRM`](crate::enrich::places::table::CONFIRM):
//! the geotagger counts them only where the entity tagger reads a location.
//!
//! Two measures:
//! - the NER corpora (ANERcorp, CoNLL-2003): a word annotated at least
//!   [`MIN_NER_OBSERVATIONS`] times as a location, a person or nothing, and
//!   mostly not as a location (سليمان, March). Organisation readings do not
//!   count: a city's name is a sports club's too (Lyon, برشلونة);
//! - for Arabic words the NER corpus has not seen often enough, the news
//!   corpus: a frequent word that almost never follows a settlement noun
//!   (مدينة، محافظة، العاصمة …) is a common word that happens to name a town
//!   (دينار "dinar", البلاد "the country").

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::Context;

use crate::enrich::places::fold::fold_key;

/// Words before a settlement's name ("the city of", "the province of" …).
pub const AR_SETTLEMENT_NOUNS: [&str; 16] = [
    "مدينة",
    "بمدينة",
    "لمدينة",
    "ومدينة",
    "مدينتي",
    "محافظة",
    "بمحافظة",
    "لمحافظة",
    "ومحافظة",
    "العاصمة",
    "عاصمة",
    "ميناء",
    "بلدة",
    "قرية",
    "ولاية",
    "بولاية",
];
/// Annotations of a word needed before the NER corpus decides.
pub const MIN_NER_OBSERVATIONS: u32 = 3;
/// Occurrences in the news corpus from which the settlement-noun test applies.
pub const MIN_FREQUENT: u64 = 50;
/// Below this share of occurrences after a settlement noun, a frequent word is
/// an ordinary word (real towns measure 0.02–0.5).
pub const MIN_SETTLEMENT_SHARE: f64 = 0.02;

/// Location and non-entity/person annotations per folded word in the NER corpora.
#[derive(Debug, Default)]
pub struct NerCounts {
    words: HashMap<String, (u32, u32)>,
}

impl NerCounts {
    /// Reads CoNLL files (`token … TAG` per line); a missing file is an error.
    pub fn read(paths: &[&Path]) -> anyhow::Result<Self> {
        let mut c = NerCounts::default();
        for path in paths {
            let f =
                std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
            for line in BufReader::new(f).lines() {
                let line = line?;
                let mut parts = line.split_whitespace();
                let (Some(tok), Some(tag)) = (parts.next(), parts.next_back()) else {
                    continue;
                };
                if tok == "-DOCSTART-" || tag.ends_with("ORG") || tag.ends_with("MISC") {
                    continue;
                }
                c.add(tok, tag.ends_with("LOC"));
            }
        }
        Ok(c)
    }

    fn add(&mut self, token: &str, location: bool) {
        let key = fold_key(token);
        if key.is_empty() {
            return;
        }
        let e = self.words.entry(key).or_default();
        if location {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }

    /// `Some(true)` when the corpus mostly reads the word as a location,
    /// `Some(false)` when mostly as something else, `None` when it has not
    /// seen it often enough.
    pub fn mostly_location(&self, key: &str) -> Option<bool> {
        let &(loc, other) = self.words.get(key)?;
        (loc + other >= MIN_NER_OBSERVATIONS).then_some(loc >= other)
    }
}

/// Why a single-word Arabic city name needs the tagger's confirmation, if it does.
/// `count` is its occurrences in the news corpus, `after_settlement_noun` those
/// right after a settlement noun.
pub fn arabic_needs_confirmation(
    key: &str,
    count: u64,
    after_settlement_noun: u64,
    ner: &NerCounts,
) -> Option<&'static str> {
    match ner.mostly_location(key) {
        Some(false) => return Some("mostly not a location in ANERcorp"),
        Some(true) => return None,
        None => {}
    }
    (count >= MIN_FREQUENT && (after_settlement_noun as f64) < MIN_SETTLEMENT_SHARE * count as f64)
        .then_some("frequent, rarely after a settlement noun")
}

/// Why a single-word Latin city name needs the tagger's confirmation, if it does.
pub fn latin_needs_confirmation(key: &str, ner: &NerCounts) -> Option<&'static str> {
    (ner.mostly_location(key) == Some(false)).then_some("mostly not a location in CoNLL-2003")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ner(rows: &[(&str, u32, u32)]) -> NerCounts {
        let mut c = NerCounts::default();
        for &(w, loc, other) in rows {
            for _ in 0..loc {
                c.add(w, true);
            }
            for _ in 0..other {
                c.add(w, false);
            }
        }
        c
    }

    #[test]
    fn the_ner_corpus_decides_when_it_has_seen_the_word() {
        let n = ner(&[
            ("سليمان", 0, 4),
            ("لندن", 9, 1),
            ("مسقط", 0, 2),
            ("March", 0, 12),
        ]);
        assert_eq!(
            arabic_needs_confirmation("سليمان", 10, 0, &n),
            Some("mostly not a location in ANERcorp")
        );
        // Seen as a location: frequency no longer matters.
        assert_eq!(arabic_needs_confirmation("لندن", 5000, 10, &n), None);
        // Two annotations are not enough: the news corpus decides.
        assert_eq!(arabic_needs_confirmation("مسقط", 400, 20, &n), None);
        assert!(latin_needs_confirmation("march", &n).is_some());
        assert!(latin_needs_confirmation("paris", &n).is_none());
    }

    #[test]
    fn frequent_words_rarely_after_a_settlement_noun_need_confirmation() {
        let n = NerCounts::default();
        assert!(arabic_needs_confirmation("دينار", 900, 0, &n).is_some());
        assert!(arabic_needs_confirmation("جازان", 900, 400, &n).is_none());
        // Rare words are left alone: too little evidence either way.
        assert!(arabic_needs_confirmation("صعده", 40, 0, &n).is_none());
    }
}
