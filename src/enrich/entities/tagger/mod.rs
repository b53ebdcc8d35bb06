//! Statistical named-entity tagger: a linear-chain model over BIO labels
//! (averaged structured perceptron weights, hashed features, first-order
//! transitions) decoded exactly with constrained Viterbi.
//!
//! # Interface
//!
//! ```text
//! let tagger = Tagger::load(models_dir)?;          // entities-ar.bin + entities-latn.bin
//! let spans = tagger.tag(&tokens, "ar");           // tokens: &[&str]
//! for s in spans { /* tokens[s.start..s.end] is one entity of type s.kind */ }
//! let spans = tagger.tag_ranges(body, &ranges, "en"); // ranges: &[Range<usize>] (bytes)
//! for s in spans { /* ranges[s.start..s.end] is one entity */ }
//! ```
//!
//! Tokens are words with punctuation split off (as in ANERcorp and CoNLL-2003);
//! Arabic proclitics (و ف ب ك ل ال) may stay attached: the features strip them.
//! A tokenizer that drops punctuation should call [`Tagger::tag_ranges`] with
//! byte ranges instead: the marks between tokens are put back for the model.
//! Pass a whole article or one sentence at a time: a token `.` `!` `?` `؟`
//! marks a sentence start for the features. `lang` is an ISO 639-1 code:
//! `ar` uses the Arabic model; `en`, `fr` and other Latin-script languages use
//! the Latin-script model (trained on English); for `und` or an unknown code
//! the script of the tokens decides. Tagging never fails and never panics.

mod model;
mod viterbi;

use std::ops::Range;
use std::path::Path;

use super::features::{FeatureBuf, Script};
use crate::enrich::LoadError;
use crate::model::record::EntityType;

pub use model::{LangModel, MAX_WEIGHT};
pub use viterbi::viterbi;

/// BIO labels, in model order.
pub const LABELS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];
pub const NUM_LABELS: usize = LABELS.len();
/// Entity types in label order (`B-x` is `1 + 2 * i`, `I-x` is `2 + 2 * i`).
pub const TYPES: [EntityType; 4] = [
    EntityType::Person,
    EntityType::Organization,
    EntityType::Location,
    EntityType::Misc,
];

/// Index of a label in [`LABELS`]; ANERcorp's `PERS` is read as `PER`.
/// Anything unknown is `O`.
pub fn label_index(tag: &str) -> usize {
    let tag = match tag {
        "B-PERS" => "B-PER",
        "I-PERS" => "I-PER",
        t => t,
    };
    LABELS.iter().position(|&l| l == tag).unwrap_or(0)
}

/// Entity type of a `B-`/`I-` label index.
pub fn label_type(label: usize) -> Option<EntityType> {
    if label == 0 {
        None
    } else {
        TYPES.get((label - 1) / 2).copied()
    }
}

fn is_inside(label: usize) -> bool {
    label > 0 && label % 2 == 0
}

/// May `cur` follow `prev` (`None` = sentence start)? `I-x` only after `B-x` or `I-x`.
pub fn transition_allowed(prev: Option<usize>, cur: usize) -> bool {
    if !is_inside(cur) {
        return true;
    }
    match prev {
        Some(p) => p == cur || p + 1 == cur,
        None => false,
    }
}

/// One tagged entity: tokens `start..end` (end exclusive) of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaggedSpan {
    pub start: usize,
    pub end: usize,
    pub kind: EntityType,
}

/// Entity spans of a label sequence (an `I-x` that does not continue an
/// entity of type x opens a new one, as conlleval reads it).
pub fn spans_from_labels(labels: &[usize]) -> Vec<TaggedSpan> {
    let mut spans: Vec<TaggedSpan> = Vec::new();
    let mut open: Option<(usize, EntityType)> = None;
    for (i, &l) in labels.iter().enumerate() {
        let ty = label_type(l);
        let continues = is_inside(l) && open.is_some_and(|(_, t)| Some(t) == ty);
        if continues {
            continue;
        }
        if let Some((s, t)) = open.take() {
            spans.push(TaggedSpan {
                start: s,
                end: i,
                kind: t,
            });
        }
        open = ty.map(|t| (i, t));
    }
    if let Some((s, t)) = open {
        spans.push(TaggedSpan {
            start: s,
            end: labels.len(),
            kind: t,
        });
    }
    spans
}

/// File names of the two models inside the model directory.
pub const ARABIC_MODEL_FILE: &str = "entities-ar.bin";
pub const LATIN_MODEL_FILE: &str = "entities-latn.bin";

/// The Arabic and the Latin-script models, chosen per call by language.
#[derive(Debug, Clone)]
pub struct Tagger {
    arabic: LangModel,
    latin: LangModel,
}

impl Tagger {
    /// Loads [`ARABIC_MODEL_FILE`] and [`LATIN_MODEL_FILE`] from `models_dir`.
    pub fn load(models_dir: &Path) -> Result<Tagger, LoadError> {
        let arabic = LangModel::load(&models_dir.join(ARABIC_MODEL_FILE))?;
        let latin = LangModel::load(&models_dir.join(LATIN_MODEL_FILE))?;
        let check = |m: &LangModel, want: Script, file: &str| {
            if m.script() == want {
                Ok(())
            } else {
                Err(LoadError::Invalid {
                    path: models_dir.join(file),
                    reason: format!("model is for {:?} script, expected {want:?}", m.script()),
                })
            }
        };
        check(&arabic, Script::Arabic, ARABIC_MODEL_FILE)?;
        check(&latin, Script::Latin, LATIN_MODEL_FILE)?;
        Ok(Tagger { arabic, latin })
    }

    /// Builds a tagger from models already in memory.
    pub fn from_models(arabic: LangModel, latin: LangModel) -> Tagger {
        Tagger { arabic, latin }
    }

    /// `arabic-digest/latin-digest`, for the record's `enricher.models`.
    pub fn version(&self) -> String {
        format!("ar-{}/latn-{}", self.arabic.version(), self.latin.version())
    }

    /// The model used for `lang` (ISO 639-1) and these tokens.
    pub fn model_for(&self, tokens: &[&str], lang: &str) -> &LangModel {
        let script = match lang {
            "ar" | "ara" | "arz" | "apc" | "ary" | "fa" | "ur" => Script::Arabic,
            "en" | "fr" | "es" | "de" | "it" | "pt" | "nl" => Script::Latin,
            _ => Script::of_tokens(tokens),
        };
        match script {
            Script::Arabic => &self.arabic,
            Script::Latin => &self.latin,
        }
    }

    /// Entity spans over `tokens`, in order, non-overlapping.
    pub fn tag(&self, tokens: &[&str], lang: &str) -> Vec<TaggedSpan> {
        let mut buf = FeatureBuf::default();
        let labels = self.model_for(tokens, lang).labels(tokens, &mut buf);
        spans_from_labels(&labels)
    }

    /// Entity spans over tokens given as byte ranges into `text`, for a
    /// tokenizer that drops punctuation: the punctuation marks found between
    /// consecutive ranges are fed to the model as tokens of their own (the
    /// model was trained with them), and the spans returned index `ranges`.
    /// Ranges that are out of bounds, overlap or are not on character
    /// boundaries are read as empty tokens.
    pub fn tag_ranges(&self, text: &str, ranges: &[Range<usize>], lang: &str) -> Vec<TaggedSpan> {
        let mut tokens: Vec<&str> = Vec::with_capacity(ranges.len() * 5 / 4);
        let mut origin: Vec<Option<usize>> = Vec::with_capacity(ranges.len() * 5 / 4);
        let mut prev_end = 0usize;
        for (i, r) in ranges.iter().enumerate() {
            if r.start >= prev_end {
                // Most gaps are one space.
                let gap = text.get(prev_end..r.start).filter(|g| *g != " ");
                if let Some(gap) = gap {
                    for (off, c) in gap.char_indices() {
                        if !c.is_whitespace() && !c.is_alphanumeric() {
                            let at = prev_end + off;
                            tokens.push(&text[at..at + c.len_utf8()]);
                            origin.push(None);
                        }
                    }
                }
            }
            tokens.push(text.get(r.clone()).unwrap_or(""));
            origin.push(Some(i));
            prev_end = prev_end.max(r.end);
        }
        if let Some(tail) = text.get(prev_end..) {
            // Only the mark that closes the last sentence matters.
            if let Some((off, c)) = tail
                .char_indices()
                .find(|&(_, c)| !c.is_whitespace() && !c.is_alphanumeric())
            {
                let at = prev_end + off;
                tokens.push(&text[at..at + c.len_utf8()]);
                origin.push(None);
            }
        }
        self.tag(&tokens, lang)
            .into_iter()
            .filter_map(|s| {
                let mut real = origin[s.start..s.end].iter().flatten();
                let first = *real.next()?;
                let last = real.last().copied().unwrap_or(first);
                Some(TaggedSpan {
                    start: first,
                    end: last + 1,
                    kind: s.kind,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_indices_round_trip() {
        for (i, l) in LABELS.iter().enumerate() {
            assert_eq!(label_index(l), i);
        }
        assert_eq!(label_index("B-PERS"), 1);
        assert_eq!(label_index("I-PERS"), 2);
        assert_eq!(label_index("garbage"), 0);
        assert_eq!(label_type(5), Some(EntityType::Location));
        assert_eq!(label_type(8), Some(EntityType::Misc));
    }

    #[test]
    fn transition_constraints() {
        let cases = [
            ("I-PER at start", None, 2, false),
            ("B-PER at start", None, 1, true),
            ("O at start", None, 0, true),
            ("I-PER after B-PER", Some(1), 2, true),
            ("I-PER after I-PER", Some(2), 2, true),
            ("I-PER after O", Some(0), 2, false),
            ("I-PER after B-ORG", Some(3), 2, false),
            ("I-LOC after I-ORG", Some(4), 6, false),
            ("B-LOC after I-ORG", Some(4), 5, true),
        ];
        for (name, prev, cur, want) in cases {
            assert_eq!(transition_allowed(prev, cur), want, "{name}");
        }
    }

    #[test]
    fn spans_cases() {
        type Case = (&'static str, Vec<usize>, Vec<(usize, usize, EntityType)>);
        let cases: [Case; 4] = [
            ("empty", vec![], vec![]),
            (
                "two adjacent",
                vec![1, 2, 5, 0],
                vec![(0, 2, EntityType::Person), (2, 3, EntityType::Location)],
            ),
            (
                "stray inside opens",
                vec![0, 4, 4],
                vec![(1, 3, EntityType::Organization)],
            ),
            (
                "entity at end",
                vec![0, 7, 8],
                vec![(1, 3, EntityType::Misc)],
            ),
        ];
        for (name, labels, want) in cases {
            let got: Vec<_> = spans_from_labels(&labels)
                .into_iter()
                .map(|s| (s.start, s.end, s.kind))
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }
}
