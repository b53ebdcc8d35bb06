//! Token features for the named-entity tagger.
//!
//! Every feature is a 64-bit hash: a token's surface strings (normalised word,
//! case-preserving word, Arabic clitic-stripped stem, word shape, prefixes and
//! suffixes) are hashed once per token, then combined with a template number and
//! with neighbouring tokens by integer mixing, so extracting ~40 features per
//! token allocates nothing but one reusable string buffer. The tagger folds the
//! hashes into a fixed-size weight table ([`bucket`]).
//!
//! Normalisation ([`normalize`]): Latin script is lowercased; Arabic loses
//! tashkeel and tatweel, alef forms (أ إ آ ٱ) become ا, ى becomes ي and ة
//! becomes ه; every digit (ASCII or Arabic-Indic) becomes `0`; bidirectional
//! marks and zero-width characters are dropped.
//!
//! Context that does not come from the token itself, a word-cluster table,
//! a gazetteer of place names and lists of title words, is held by
//! [`Lexicon`], which is saved inside each model file.

mod forms;
mod hash;
mod lexicon;
mod normalize;
mod templates;

pub use hash::{bucket, feat, hash_bytes, hash_str, mix, FlatTable, PrehashedHasher, PrehashedMap};
pub use lexicon::{gaz, ngram_hash, Lexicon, MAX_GAZ_TOKENS};
pub use normalize::{arabic_clitic_len, is_arabic_letter, normalize, normalized};
pub use templates::Role;

use forms::Forms;
use hash::token_key;
use lexicon::{NGRAM_SEED, TITLE_WORDS};
use templates::part;

/// Script family a model is trained for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    Arabic,
    Latin,
}

impl Script {
    pub fn code(self) -> u8 {
        match self {
            Script::Arabic => 1,
            Script::Latin => 2,
        }
    }

    pub fn from_code(code: u8) -> Option<Script> {
        match code {
            1 => Some(Script::Arabic),
            2 => Some(Script::Latin),
            _ => None,
        }
    }

    /// The script most letters of `tokens` are written in (Latin on a tie or
    /// when there are no letters).
    pub fn of_tokens(tokens: &[&str]) -> Script {
        let (mut arabic, mut other) = (0usize, 0usize);
        for c in tokens.iter().flat_map(|t| t.chars()) {
            if is_arabic_letter(c) {
                arabic += 1;
            } else if c.is_alphabetic() {
                other += 1;
            }
        }
        if arabic > other {
            Script::Arabic
        } else {
            Script::Latin
        }
    }
}

/// Boolean properties of a token.
mod flag {
    pub const INIT_CAP: u32 = 1;
    pub const ALL_CAPS: u32 = 1 << 1;
    pub const HAS_DIGIT: u32 = 1 << 2;
    pub const ALL_DIGITS: u32 = 1 << 3;
    pub const HYPHEN: u32 = 1 << 4;
    pub const PERIOD: u32 = 1 << 5;
    pub const PUNCT: u32 = 1 << 6;
    pub const TITLE: u32 = 1 << 7;
    pub const MIXED_CAPS: u32 = 1 << 8;
    pub const SENT_START: u32 = 1 << 9;
    pub const LONG: u32 = 1 << 10;
    pub const SHORT: u32 = 1 << 11;
    pub const HAS_CLITIC: u32 = 1 << 12;
}

/// Per-token hashes computed once and shared by the feature templates.
#[derive(Debug, Clone, Copy, Default)]
struct Atoms {
    /// What the token's characters give.
    forms: Forms,
    cluster: (u16, u16),
    gaz_begin: u8,
    gaz_inside: u8,
    /// Gazetteer kinds stored for the one-token n-gram of the word and of
    /// the stem (0 when none): the walks in `mark_gazetteer` start there.
    gaz_word: u8,
    gaz_stem: u8,
}

/// Extracts features for token sequences; holds the title-word set and the lexicon.
#[derive(Debug, Clone)]
pub struct Featurizer {
    script: Script,
    /// Title words and word clusters in one table: one lookup per form.
    words: FlatTable<WordInfo>,
    /// The lexicon's gazetteer, for lookups.
    gazetteer: FlatTable<u8>,
}

/// What the side tables know about one normalised form.
#[derive(Debug, Clone, Copy, Default)]
struct WordInfo {
    /// Fine and coarse cluster, `u16::MAX` when the form has none.
    cluster: (u16, u16),
    title: bool,
}

const NO_CLUSTER: (u16, u16) = (u16::MAX, u16::MAX);

/// Reusable buffers for feature extraction.
#[derive(Debug, Default)]
pub struct FeatureBuf {
    atoms: Vec<Atoms>,
    norm: String,
    /// Open-addressing table over token texts: `1 + index` of the first
    /// token with that text in `atoms` (0 = empty slot), so each distinct
    /// token of a call is analysed once.
    seen: Vec<u32>,
    /// Index of the first token with the same text, per token.
    first: Vec<u32>,
    /// Feature hashes of token `i` are `feats[offsets[i]..offsets[i + 1]]`.
    pub feats: Vec<u64>,
    pub offsets: Vec<usize>,
}

impl FeatureBuf {
    pub fn token(&self, i: usize) -> &[u64] {
        &self.feats[self.offsets[i]..self.offsets[i + 1]]
    }
}

impl Featurizer {
    pub fn new(script: Script, lexicon: Lexicon) -> Featurizer {
        let mut words: PrehashedMap<WordInfo> = lexicon
            .clusters
            .iter()
            .map(|(&k, &cluster)| {
                let info = WordInfo {
                    cluster,
                    title: false,
                };
                (k, info)
            })
            .collect();
        let mut norm = String::new();
        for t in TITLE_WORDS {
            normalize(t, &mut norm);
            words
                .entry(hash_str(&norm))
                .or_insert(WordInfo {
                    cluster: NO_CLUSTER,
                    title: false,
                })
                .title = true;
        }
        Featurizer {
            script,
            words: FlatTable::new(&words),
            gazetteer: FlatTable::new(&lexicon.gazetteer),
        }
    }

    pub fn script(&self) -> Script {
        self.script
    }

    /// The word clusters the featurizer was built with, sorted by key (read
    /// back from the lookup table, which holds all of them).
    pub fn clusters(&self) -> Vec<(u64, (u16, u16))> {
        let mut clusters: Vec<(u64, (u16, u16))> = self
            .words
            .entries()
            .filter(|(_, w)| w.cluster != NO_CLUSTER)
            .map(|(k, w)| (k, w.cluster))
            .collect();
        clusters.sort_unstable();
        clusters
    }

    /// The gazetteer entries the featurizer was built with, sorted by key.
    pub fn gazetteer_entries(&self) -> Vec<(u64, u8)> {
        let mut gazetteer: Vec<(u64, u8)> = self.gazetteer.entries().collect();
        gazetteer.sort_unstable();
        gazetteer
    }

    /// The forms of one token ([`forms`]) and what the side tables know
    /// about them.
    // Kept out of line: the callers keep their registers (fewer instructions).
    #[inline(never)]
    fn atoms(&self, token: &str, norm: &mut String) -> Atoms {
        let mut a = Atoms {
            forms: forms::forms(token, self.script, norm),
            ..Atoms::default()
        };
        let word_info = self.words.get(a.forms.word);
        let stem_info = if a.forms.stem == a.forms.word {
            word_info
        } else {
            self.words.get(a.forms.stem)
        };
        if word_info.is_some_and(|w| w.title) || stem_info.is_some_and(|w| w.title) {
            a.forms.flags |= flag::TITLE;
        }
        // The stem's cluster, else the word's.
        let has_cluster = |w: &WordInfo| w.cluster != NO_CLUSTER;
        a.cluster = stem_info
            .filter(has_cluster)
            .or(word_info.filter(has_cluster))
            .map_or(NO_CLUSTER, |w| w.cluster);
        // Gazetteer entries (or prefixes of entries) starting with this form.
        let head = |h: u64| self.gazetteer.get(mix(NGRAM_SEED, h)).unwrap_or(0);
        a.gaz_word = head(a.forms.word);
        a.gaz_stem = if a.forms.stem == a.forms.word {
            0
        } else {
            head(a.forms.stem)
        };
        a
    }

    /// Marks gazetteer matches, longest first. The first token may match by
    /// its word or by its clitic-stripped stem; entries' proper prefixes are
    /// stored with [`gaz::PREFIX`] so a walk stops at the first miss.
    // Kept out of line: the callers keep their registers (fewer instructions).
    #[inline(never)]
    fn mark_gazetteer(&self, atoms: &mut [Atoms]) {
        let gz = &self.gazetteer;
        if gz.is_empty() {
            return;
        }
        let n = atoms.len();
        let mut i = 0;
        while i < n {
            let first = &atoms[i];
            if first.gaz_word | first.gaz_stem == 0 {
                // Most tokens start no name.
                i += 1;
                continue;
            }
            let (mut best, mut best_kind) = (0usize, 0u8);
            let heads = [
                (first.forms.word, first.gaz_word),
                (first.forms.stem, first.gaz_stem),
            ];
            for (head, head_kind) in heads {
                if head_kind == 0 {
                    continue;
                }
                let mut h = mix(NGRAM_SEED, head);
                for k in 0..MAX_GAZ_TOKENS.min(n - i) {
                    let kind = if k == 0 {
                        head_kind
                    } else {
                        h = mix(h, atoms[i + k].forms.word);
                        match gz.get(h) {
                            Some(kind) => kind,
                            None => break,
                        }
                    };
                    if kind & gaz::ALL != 0 && k + 1 > best {
                        best = k + 1;
                        best_kind = kind & gaz::ALL;
                    }
                    if kind & gaz::PREFIX == 0 {
                        break;
                    }
                }
            }
            if best > 0 {
                atoms[i].gaz_begin |= best_kind;
                for a in &mut atoms[i + 1..i + best] {
                    a.gaz_inside |= best_kind;
                }
            }
            i += best.max(1);
        }
    }

    /// Computes the feature hashes of every token of `tokens` into `buf`.
    pub fn extract(&self, tokens: &[&str], buf: &mut FeatureBuf) {
        self.prepare(tokens, buf);
        buf.feats.clear();
        buf.offsets.clear();
        buf.feats.reserve(tokens.len() * 48);
        let FeatureBuf {
            atoms,
            feats,
            offsets,
            ..
        } = buf;
        for i in 0..atoms.len() {
            offsets.push(feats.len());
            self.features_of::<{ part::ALL }>(atoms, i, |f| feats.push(f));
        }
        offsets.push(feats.len());
    }

    /// Analyses every token of `tokens` into `buf` (each distinct token
    /// once), for [`Featurizer::features_of`].
    pub fn prepare(&self, tokens: &[&str], buf: &mut FeatureBuf) {
        buf.atoms.clear();
        buf.atoms.reserve(tokens.len());
        let mut norm = std::mem::take(&mut buf.norm);
        let bits = (tokens.len() * 2)
            .next_power_of_two()
            .max(16)
            .trailing_zeros();
        let mask = (1usize << bits) - 1;
        buf.seen.clear();
        buf.seen.resize(mask + 1, 0);
        buf.first.clear();
        buf.first.reserve(tokens.len());
        let mut sentence_start = true;
        for (i, t) in tokens.iter().enumerate() {
            let mut slot = (token_key(t.as_bytes()) >> (64 - bits)) as usize;
            let mut a = loop {
                let e = buf.seen[slot] as usize;
                if e == 0 {
                    buf.seen[slot] = u32::try_from(i + 1).unwrap_or(0);
                    buf.first.push(u32::try_from(i).unwrap_or(u32::MAX));
                    break self.atoms(t, &mut norm);
                }
                if tokens.get(e - 1) == Some(t) {
                    if let Some(&a) = buf.atoms.get(e - 1) {
                        buf.first.push((e - 1) as u32);
                        break a;
                    }
                }
                slot = (slot + 1) & mask;
            };
            a.forms.flags &= !flag::SENT_START;
            if sentence_start {
                a.forms.flags |= flag::SENT_START;
            }
            sentence_start = a.forms.ends_sentence || a.forms.empty && sentence_start;
            buf.atoms.push(a);
        }
        buf.norm = norm;
        self.mark_gazetteer(&mut buf.atoms);
    }

    /// Number of tokens [`Featurizer::prepare`] analysed into `buf`.
    pub fn prepared_len(buf: &FeatureBuf) -> usize {
        buf.atoms.len()
    }
}

#[cfg(test)]
mod tests {
    use super::templates::*;
    use super::*;

    #[test]
    fn script_of_tokens() {
        assert_eq!(Script::of_tokens(&["قال", "الرئيس"]), Script::Arabic);
        assert_eq!(Script::of_tokens(&["Le", "président"]), Script::Latin);
        assert_eq!(Script::of_tokens(&[]), Script::Latin);
    }

    #[test]
    fn gazetteer_marks_multi_word_names() {
        let f = Featurizer::new(Script::Latin, Lexicon::default());
        let mut lex = Lexicon::default();
        lex.add_name(&[hash_str("new"), hash_str("york")], gaz::CITY);
        let g = Featurizer::new(Script::Latin, lex);
        let tokens = ["in", "New", "York", "today"];
        let (mut plain, mut with) = (FeatureBuf::default(), FeatureBuf::default());
        f.extract(&tokens, &mut plain);
        g.extract(&tokens, &mut with);
        assert!(with.token(1).contains(&feat(T_GAZ_B, u64::from(gaz::CITY))));
        assert!(with.token(2).contains(&feat(T_GAZ_I, u64::from(gaz::CITY))));
        assert!(!plain
            .token(1)
            .contains(&feat(T_GAZ_B, u64::from(gaz::CITY))));
        assert!(!with.token(3).contains(&feat(T_GAZ_I, u64::from(gaz::CITY))));
    }

    #[test]
    fn feature_parts_make_up_the_token_features() {
        let mut lex = Lexicon::default();
        lex.add_name(&[hash_str("new"), hash_str("york")], gaz::CITY);
        lex.clusters.insert(hash_str("york"), (3, 1));
        let cases: [(Script, &[&str]); 2] = [
            (
                Script::Latin,
                &["New", "York", "said", ".", "New", "York", "said", "Mr", "."],
            ),
            (
                Script::Arabic,
                &[
                    "قال",
                    "الرئيس",
                    "محمد",
                    ".",
                    "قال",
                    "الرئيس",
                    "في",
                    "الرياض",
                ],
            ),
        ];
        for (script, tokens) in cases {
            let f = Featurizer::new(script, lex.clone());
            let mut buf = FeatureBuf::default();
            f.prepare(tokens, &mut buf);
            let n = tokens.len();
            let first = |i: usize| Featurizer::first_occurrence(&buf, i);
            for i in 0..n {
                let mut all = Vec::new();
                f.token_features(&buf, i, |h| all.push(h));
                assert_eq!(tokens[first(i)], tokens[i], "{script:?} token {i}");
                assert!(first(i) <= i);
                // Each part computed at the first occurrence of its text.
                let mut parts = Vec::new();
                f.own_features(&buf, first(i), |h| parts.push(h));
                for role in Role::ALL {
                    let j = role.of(i, n).map(first);
                    f.neighbour_features(&buf, j, role, |h| parts.push(h));
                }
                f.joint_features(&buf, i, |h| parts.push(h));
                all.sort_unstable();
                parts.sort_unstable();
                assert_eq!(all, parts, "{script:?} token {i}");
            }
            // Repeated texts point at their first occurrence.
            assert_eq!(first(4), 0);
            assert_eq!(first(5), 1);
            assert_eq!(first(2), 2);
        }
    }

    #[test]
    fn features_are_deterministic_and_per_token() {
        let f = Featurizer::new(Script::Arabic, Lexicon::default());
        let tokens = ["قال", "الرئيس", "محمد", "في", "الرياض", "."];
        let (mut a, mut b) = (FeatureBuf::default(), FeatureBuf::default());
        f.extract(&tokens, &mut a);
        f.extract(&tokens, &mut b);
        assert_eq!(a.feats, b.feats);
        assert_eq!(a.offsets.len(), tokens.len() + 1);
        assert!(
            a.token(1).contains(&feat(T_FLAG + 7, 0)),
            "title word flagged"
        );
    }
}
