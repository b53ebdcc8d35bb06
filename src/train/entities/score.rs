//! Exact span-and-type scores, as conlleval counts them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::conll::Sentence;
use crate::enrich::entities::features::{FeatureBuf, Script};
use crate::enrich::entities::tagger::{spans_from_labels, LangModel, TaggedSpan, Tagger, TYPES};
use crate::model::record::EntityType;

/// Span counts for one type.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Exact-match span scores per entity type.
#[derive(Debug, Clone, Default)]
pub struct Score {
    pub by_type: BTreeMap<&'static str, Counts>,
}

fn type_name(t: EntityType) -> &'static str {
    match t {
        EntityType::Person => "PER",
        EntityType::Organization => "ORG",
        EntityType::Location => "LOC",
        EntityType::Misc => "MISC",
    }
}

impl Score {
    pub fn add(&mut self, gold: &[TaggedSpan], predicted: &[TaggedSpan]) {
        for s in gold {
            self.by_type.entry(type_name(s.kind)).or_default().gold += 1;
        }
        for s in predicted {
            let c = self.by_type.entry(type_name(s.kind)).or_default();
            c.predicted += 1;
            if gold.contains(s) {
                c.correct += 1;
            }
        }
    }

    pub fn overall(&self) -> Counts {
        self.by_type
            .values()
            .fold(Counts::default(), |a, c| Counts {
                gold: a.gold + c.gold,
                predicted: a.predicted + c.predicted,
                correct: a.correct + c.correct,
            })
    }

    /// A table: type, gold, predicted, correct, P, R, F1.
    pub fn report(&self) -> String {
        let mut s = format!(
            "{:<8}{:>7}{:>7}{:>8}{:>8}{:>8}{:>8}\n",
            "type", "gold", "pred", "correct", "P", "R", "F1"
        );
        let mut row = |name: &str, c: Counts| {
            let _ = writeln!(
                s,
                "{name:<8}{:>7}{:>7}{:>8}{:>8.4}{:>8.4}{:>8.4}",
                c.gold,
                c.predicted,
                c.correct,
                c.precision(),
                c.recall(),
                c.f1()
            );
        };
        for t in TYPES {
            let name = type_name(t);
            row(name, self.by_type.get(name).copied().unwrap_or_default());
        }
        row("overall", self.overall());
        s
    }
}

/// Scores `tagger` on labelled sentences, tagging each sentence on its own.
pub fn evaluate(tagger: &Tagger, sentences: &[Sentence], lang: &str) -> Score {
    let mut score = Score::default();
    for s in sentences {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        let pred = tagger.tag(&toks, lang);
        score.add(&spans_from_labels(&s.labels), &pred);
    }
    score
}

/// Scores one language model on labelled sentences.
pub fn evaluate_model(model: &LangModel, sentences: &[Sentence]) -> Score {
    let mut score = Score::default();
    let mut buf = FeatureBuf::default();
    for s in sentences {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        let pred = model.labels(&toks, &mut buf);
        score.add(&spans_from_labels(&s.labels), &spans_from_labels(&pred));
    }
    score
}

pub(super) fn script_of(sentences: &[Sentence]) -> Script {
    let toks: Vec<&str> = sentences
        .iter()
        .take(200)
        .flat_map(|s| s.tokens.iter().map(String::as_str))
        .collect();
    Script::of_tokens(&toks)
}
