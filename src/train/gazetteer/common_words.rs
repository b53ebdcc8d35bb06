//! The common-word measures: names that are also frequent ordinary words are
//! left out, measured against news corpora rather than guessed. Arabic names
//! are counted in the unlabeled Arabic news (with their proclitic-stripped
//! forms), Latin names in the English and French corpora (by case).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::Value;

use crate::enrich::places::fold::{fold_key, is_arabic};
use crate::enrich::text::latin;
use crate::train::place_evidence::{self, NerCounts};
use crate::train::sources::gz_lines;

/// Arabic proclitic sequences the matcher strips before a name.
const AR_PROCLITICS: [&str; 11] = ["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"];

/// Token counts over a corpus, with Arabic proclitic-stripped variants counted
/// too (the matcher accepts a name after a proclitic).
pub(super) struct Counts {
    ar: HashMap<String, u64>,
    /// Arabic occurrences right after a settlement noun (مدينة …), by folded form.
    ar_after_noun: HashMap<String, u64>,
    /// [`place_evidence::AR_SETTLEMENT_NOUNS`], folded.
    settlement_nouns: Vec<String>,
    /// Latin tokens: (lower-case occurrences, capitalised occurrences) by folded form.
    pub(super) latin: HashMap<String, (u64, u64)>,
    pub(super) ar_tokens: u64,
    pub(super) latin_tokens: u64,
}

impl Counts {
    pub(super) fn new() -> Self {
        Counts {
            ar: HashMap::new(),
            ar_after_noun: HashMap::new(),
            settlement_nouns: place_evidence::AR_SETTLEMENT_NOUNS
                .iter()
                .map(|w| fold_key(w))
                .collect(),
            latin: HashMap::new(),
            ar_tokens: 0,
            latin_tokens: 0,
        }
    }

    pub(super) fn add_arabic_text(&mut self, text: &str) {
        let mut after_noun = false;
        for tok in text.split(|c: char| !(c.is_alphanumeric() || is_mark(c))) {
            if tok.is_empty() {
                continue;
            }
            if !tok.chars().any(is_arabic) {
                after_noun = false;
                continue;
            }
            let key = fold_key(tok);
            if key.is_empty() {
                continue;
            }
            self.ar_tokens += 1;
            for variant in strip_variants(&key) {
                *self.ar.entry(variant.to_string()).or_default() += 1;
                if after_noun {
                    *self.ar_after_noun.entry(variant.to_string()).or_default() += 1;
                }
            }
            after_noun = self.settlement_nouns.contains(&key);
        }
    }

    pub(super) fn add_latin_text(&mut self, text: &str) {
        let mut sentence_start = true;
        for tok in text.split_whitespace() {
            let word = tok.trim_matches(|c: char| !c.is_alphanumeric());
            if let Some(first) = word.chars().next() {
                let letters = word.chars().filter(|c| !latin::is_apostrophe(*c));
                if letters.clone().all(char::is_alphabetic) && !word.chars().any(is_arabic) {
                    self.latin_tokens += 1;
                    let e = self.latin.entry(fold_key(word)).or_default();
                    if first.is_lowercase() {
                        e.0 += 1;
                    } else if !sentence_start {
                        e.1 += 1;
                    }
                }
            }
            sentence_start = tok.ends_with(['.', '!', '?', ':', '"']);
        }
    }

    pub(super) fn ar(&self, key: &str) -> u64 {
        self.ar.get(key).copied().unwrap_or(0)
    }

    pub(super) fn ar_after_noun(&self, key: &str) -> u64 {
        self.ar_after_noun.get(key).copied().unwrap_or(0)
    }
}

/// What the common-word tests read: corpus counts, NER-corpus evidence and
/// the stop words of the three languages (folded).
pub(super) struct Evidence {
    pub(super) counts: Counts,
    pub(super) ner_ar: NerCounts,
    pub(super) ner_latin: NerCounts,
    pub(super) stop: BTreeSet<String>,
}

impl Evidence {
    /// Counts the unlabeled Arabic news, the English and French topic
    /// corpora, and the NER training sets under `data`.
    pub(super) fn read(data: &Path) -> anyhow::Result<Self> {
        let mut counts = Counts::new();
        for line in gz_lines(&data.join("unlabeled/saudinewsnet-ar.jsonl.gz"))? {
            let v: Value = serde_json::from_str(&line?)?;
            for f in ["title", "text"] {
                if let Some(t) = v.get(f).and_then(Value::as_str) {
                    counts.add_arabic_text(t);
                }
            }
        }
        let topics = data.join("topics/train");
        for f in [
            "bbc-news-en.jsonl.gz",
            "masakhanews-en-dev.jsonl.gz",
            "masakhanews-fr-dev.jsonl.gz",
            "sib200-en-train.jsonl.gz",
            "sib200-fr-train.jsonl.gz",
        ] {
            for line in gz_lines(&topics.join(f))? {
                let v: Value = serde_json::from_str(&line?)?;
                if let Some(t) = v.get("text").and_then(Value::as_str) {
                    counts.add_latin_text(t);
                }
            }
        }
        let ner_dir = data.join("ner");
        let ner_ar = NerCounts::read(&[&ner_dir.join("anercorp-train.conll")])?;
        let ner_latin = NerCounts::read(&[&ner_dir.join("conll2003-en-train.conll")])?;
        let stop = ["ar", "en", "fr"]
            .iter()
            .flat_map(|l| stop_words::get(*l))
            .map(|w| fold_key(&w))
            .collect();
        Ok(Evidence {
            counts,
            ner_ar,
            ner_latin,
            stop,
        })
    }
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// The folded token and its forms without a leading proclitic sequence
/// (what is left keeps two letters at least).
fn strip_variants(key: &str) -> Vec<&str> {
    let mut out = vec![key];
    for p in AR_PROCLITICS {
        if let Some(rest) = key.strip_prefix(p) {
            if rest.chars().count() >= 2 {
                out.push(rest);
            }
        }
    }
    out
}

/// What an Arabic key names, for the common-word tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Country,
    Nisba,
    /// A city with its population (`u32::MAX` for capitals).
    City(u32),
}

/// Why a single-word Arabic key is an ordinary word rather than a name, if it is.
///
/// Country names get the stop-word and alternation tests, adjectives only the
/// stop-word test (they alternate by nature), cities all of them.
pub(super) fn arabic_common(
    key: &str,
    kind: Kind,
    counts: &Counts,
    stop: &BTreeSet<String>,
) -> Option<&'static str> {
    let population = match kind {
        Kind::City(p) => Some(p),
        _ => None,
    };
    if key.contains(' ') {
        return None;
    }
    if key.chars().count() <= 2 {
        return Some("too short");
    }
    if stop.contains(key)
        || strip_variants(key)
            .iter()
            .skip(1)
            .any(|k| stop.contains(*k) && k.chars().count() >= 3 && population.is_some())
    {
        return Some("stop word");
    }
    let c = counts.ar(key);
    let capital = population == Some(u32::MAX);
    // Names keep their form; common nouns and adjectives alternate between the
    // definite and indefinite forms.
    let other = match key.strip_prefix("ال") {
        Some(rest) => counts.ar(rest),
        None => counts.ar(&format!("ال{key}")),
    };
    if kind != Kind::Nisba && c >= 50 && other * 4 >= c {
        return Some("definite/indefinite alternation");
    }
    // A noun with a possessive pronoun (قوله "his saying"): the same stem takes
    // the other pronouns too.
    if let Some(stem) = key.strip_suffix('ه').filter(|s| s.chars().count() >= 2) {
        let pronouns: u64 = ["ها", "هم", "نا", "ي"]
            .iter()
            .map(|p| counts.ar(&format!("{stem}{p}")))
            .sum();
        if kind != Kind::Nisba && c >= 20 && pronouns * 5 >= c {
            return Some("possessive pronoun forms");
        }
    }
    if let Kind::City(pop) = kind {
        // More frequent than a town of this size can be (per 7.8M tokens).
        let limit = (u64::from(pop) / 50).max(50);
        if !capital && (c > limit || (c > 3000 && pop < 1_000_000)) {
            return Some("too frequent for its population");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_common_words() {
        let mut counts = Counts::new();
        let text = "المركز مركز المركز ".repeat(60) + &"ذهب الى جده ".repeat(60);
        counts.add_arabic_text(&text);
        let stop = BTreeSet::new();
        assert_eq!(
            arabic_common("مركز", Kind::City(100_000), &counts, &stop),
            Some("definite/indefinite alternation")
        );
        assert_eq!(
            arabic_common("جده", Kind::City(4_000_000), &counts, &stop),
            None
        );
        assert_eq!(
            arabic_common("جده", Kind::City(1_000), &counts, &stop),
            Some("too frequent for its population")
        );
    }

    #[test]
    fn strips_proclitics_from_keys() {
        assert_eq!(strip_variants("وسوريا"), vec!["وسوريا", "سوريا"]);
        assert_eq!(strip_variants("وب"), vec!["وب"]);
    }
}
