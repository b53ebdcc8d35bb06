//! Weak-supervision lexicons (`data/topic-lexicons/*.toml`): stemmed terms
//! per IPTC topic, turned into positive / negative / unknown label states.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::Deserialize;

use crate::enrich::topic::features;
use crate::enrich::topic::normalise::{light_stem, words};
use crate::enrich::topic::{label_index, N_LABELS};

/// The lexicons judge an article by its title and this much of its body.
pub const LEXICON_LEAD_BYTES: usize = 1500;

#[derive(Debug, Deserialize)]
struct LexiconEntry {
    /// Minimum lexicon score for a positive weak label.
    #[serde(default = "default_min_score")]
    min_score: u32,
    /// Topics this one gives way to: no positive when one of them scores
    /// higher (a crime report that names a ministry is not politics).
    #[serde(default)]
    yield_to: Vec<String>,
    terms: Vec<String>,
}

fn default_min_score() -> u32 {
    3
}

/// Weak-supervision lexicons of one language: stemmed term sequences per label.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// First stem → (label, term id, remaining stems).
    index: HashMap<String, Vec<(usize, usize, Vec<String>)>>,
    min_score: [u32; N_LABELS],
    /// Per label, the labels it gives way to.
    yield_to: [Vec<usize>; N_LABELS],
    /// Labels the lexicon has terms for.
    pub covered: [bool; N_LABELS],
}

fn stems(text: &str) -> Vec<String> {
    words(text)
        .iter()
        .map(|w| light_stem(w).to_owned())
        .collect()
}

impl Lexicon {
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let entries: BTreeMap<String, LexiconEntry> = toml::from_str(text)?;
        let mut lex = Lexicon::default();
        let mut term_id = 0;
        for (code, entry) in entries {
            let Some(label) = label_index(&code) else {
                bail!("unknown IPTC code {code:?} in lexicon");
            };
            lex.covered[label] = true;
            lex.min_score[label] = entry.min_score;
            for rival in &entry.yield_to {
                let Some(r) = label_index(rival) else {
                    bail!("unknown IPTC code {rival:?} in yield_to of {code}");
                };
                lex.yield_to[label].push(r);
            }
            for term in &entry.terms {
                let mut s = stems(term);
                if s.is_empty() {
                    continue;
                }
                let first = s.remove(0);
                lex.index
                    .entry(first)
                    .or_default()
                    .push((label, term_id, s));
                term_id += 1;
            }
        }
        Ok(lex)
    }

    /// Per-label score: distinct matching terms, a title match counting 2.
    pub fn scores(&self, title: &str, body: &str) -> [u32; N_LABELS] {
        let mut seen: BTreeMap<usize, (usize, u32)> = BTreeMap::new();
        for (text, weight) in [(title, 2u32), (body, 1)] {
            let s = stems(text);
            for (i, st) in s.iter().enumerate() {
                let Some(cands) = self.index.get(st) else {
                    continue;
                };
                for (label, id, rest) in cands {
                    let matched = rest
                        .iter()
                        .enumerate()
                        .all(|(j, r)| s.get(i + 1 + j) == Some(r));
                    if matched {
                        let e = seen.entry(*id).or_insert((*label, 0));
                        e.1 = e.1.max(weight);
                    }
                }
            }
        }
        let mut out = [0u32; N_LABELS];
        for (label, w) in seen.values() {
            out[*label] += w;
        }
        out
    }

    /// Weak label states: 1 positive, 0 negative, -1 unknown; labels the
    /// lexicon does not cover stay unknown.
    ///
    /// Only the title and the lead (the first [`LEXICON_LEAD_BYTES`] of the
    /// body) count, and a positive must score at least half the best topic's
    /// score: passing mentions do not make a topic; nor does a topic that
    /// gives way to one scoring higher.
    pub fn states(&self, title: &str, body: &str) -> [i8; N_LABELS] {
        let lead = features::truncate(body, LEXICON_LEAD_BYTES);
        let scores = self.scores(title, lead);
        let all = self.scores(title, body);
        let best = scores.iter().copied().max().unwrap_or(0);
        let mut out = [-1i8; N_LABELS];
        for l in 0..N_LABELS {
            if !self.covered[l] {
                continue;
            }
            out[l] = if all[l] == 0 {
                0
            } else if scores[l] >= self.min_score[l]
                && 2 * scores[l] >= best
                && self.yield_to[l].iter().all(|&r| scores[r] <= scores[l])
            {
                1
            } else {
                -1
            };
        }
        out
    }
}

/// The lexicons in `dir` (`ar.toml`, `en.toml`, `fr.toml`), per language code.
pub fn load_lexicons(dir: &Path) -> anyhow::Result<BTreeMap<String, Lexicon>> {
    let mut out = BTreeMap::new();
    for lang in ["ar", "en", "fr"] {
        let path = dir.join(format!("{lang}.toml"));
        if path.exists() {
            let text = std::fs::read_to_string(&path)?;
            out.insert(
                lang.to_owned(),
                Lexicon::parse(&text).with_context(|| format!("lexicon {}", path.display()))?,
            );
        }
    }
    Ok(out)
}

/// The lexicons shipped with the source tree.
pub fn default_lexicon_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/topic-lexicons")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_weak_labels() {
        let lex = Lexicon::parse(
            r#"
["17000000"]
min_score = 3
terms = ["أمطار", "رياح", "درجات الحرارة", "الأرصاد"]

["02000000"]
terms = ["الشرطة", "اعتقال", "المحكمة"]
"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let s = lex.states("", "توقعت الأرصاد هطول الأمطار مع رياح وانخفاض درجات الحرارة");
        assert_eq!(s[16], 1, "weather positive");
        assert_eq!(s[1], 0, "crime negative: no term");
        assert_eq!(s[14], -1, "sport not covered: unknown");
        let weak = lex.states("", "قالت الشرطة إن الأمطار غزيرة");
        assert_eq!(weak[16], -1, "one weather term: unknown");
        assert!(Lexicon::parse("[\"99000000\"]\nterms = [\"x\"]").is_err());
    }

    #[test]
    fn a_topic_gives_way_to_a_higher_scoring_rival() {
        let lex = Lexicon::parse(
            r#"
["11000000"]
min_score = 2
yield_to = ["02000000"]
terms = ["وزارة الداخلية", "الحكومة"]

["02000000"]
min_score = 2
terms = ["القبض على", "المتهم", "النيابة"]
"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let crime = lex.states(
            "",
            "أعلنت وزارة الداخلية القبض على المتهم وأذنت النيابة بالاحتفاظ به وقالت الحكومة",
        );
        assert_eq!((crime[1], crime[10]), (1, -1), "{crime:?}");
        let politics = lex.states("", "قالت الحكومة إن وزارة الداخلية ستقدم خطة للنواب");
        assert_eq!((politics[1], politics[10]), (0, 1), "{politics:?}");
        assert!(Lexicon::parse("[\"11000000\"]\nyield_to = [\"1\"]\nterms = [\"x\"]").is_err());
    }

    #[test]
    fn shipped_lexicons_parse() {
        let lex = load_lexicons(&default_lexicon_dir()).unwrap_or_else(|e| panic!("{e:#}"));
        assert!(lex.contains_key("ar") && lex.contains_key("en"));
    }
}
