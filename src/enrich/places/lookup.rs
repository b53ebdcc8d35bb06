//! Word-level name lookup over folded text.
//!
//! A name key is split into its core (from its first to its last letter or
//! digit) and the punctuation before and after it (`'afrin`, `al bayda'`).
//! Cores live in one hash table together with every word prefix of a longer
//! core, so that a phrase is extended word by word only while it can still
//! become a name. A name starts at a word's start or after an Arabic
//! proclitic inside the word, ends at a word's end (before its trailing
//! punctuation) and is never followed by a letter or digit: the same hits an
//! overlapping substring scan gets with those word-boundary checks.

use crate::enrich::text::hash::{hash_bytes, hash_bytes_in, FxHashMap};

use super::fold::{is_word_char, Word};

/// Arabic proclitic sequences accepted before a name.
pub const PROCLITICS: [&str; 11] = ["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"];
/// Proclitics ending in lam, after which a name's article loses its alef (للجزائر).
pub const LAM_PROCLITICS: [&str; 3] = ["ل", "ول", "فل"];

/// One phrase of the table: its bytes (`start..start + len` in
/// `Lookup::text`), the keys with this core (`first..first + count` in
/// `Lookup::by_core`) and whether the phrase begins a longer core.
#[derive(Debug, Clone, Copy, Default)]
struct Phrase {
    start: u32,
    len: u32,
    first: u32,
    count: u16,
    prefix: bool,
}

/// A key's punctuation around its core.
#[derive(Debug, Clone, Default)]
struct Edges {
    lead: Box<str>,
    trail: Box<str>,
}

/// The lookup table over a list of folded keys (their index is the key id).
#[derive(Debug, Default)]
pub struct Lookup {
    /// Open addressing over `phrases` by [`hash_bytes`], linear probing:
    /// each entry holds the hash's high 32 bits and the phrase's position
    /// plus one in its low 32 bits, 0 when empty; a probe reads the phrase
    /// only when the high bits agree.
    index: Vec<u64>,
    phrases: Vec<Phrase>,
    /// The bytes of every phrase, one after the other.
    text: Vec<u8>,
    by_core: Vec<u32>,
    edges: Vec<Edges>,
    max_words: usize,
}

/// One key found in folded text: its folded byte range, the key id and the
/// letters or digits right before it in the same word (a proclitic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub key: u32,
    pub prefix_start: usize,
    /// The words the key's core starts and ends in.
    pub word: usize,
    pub last_word: usize,
}

/// Byte offsets where the words of `core` end, the core's end excluded.
fn word_ends(core: &str) -> impl Iterator<Item = usize> + '_ {
    let mut prev_word = false;
    core.char_indices().filter_map(move |(i, c)| {
        let w = is_word_char(c);
        let end = prev_word && !w;
        prev_word = w;
        end.then_some(i)
    })
}

/// Whether `word` starts with a one-letter and with a two-letter proclitic
/// of [`PROCLITICS`] and goes on after it.
#[inline]
fn proclitic_lengths(b: &[u8]) -> [bool; 2] {
    // و ف ب ل ك, and و ف before ب ل ك, in UTF-8.
    let single = |i: usize| {
        matches!(
            (b.get(i), b.get(i + 1)),
            (Some(0xD9), Some(0x88 | 0x81 | 0x84 | 0x83)) | (Some(0xD8), Some(0xA8))
        )
    };
    let conj = matches!((b.first(), b.get(1)), (Some(0xD9), Some(0x88 | 0x81)));
    [
        b.len() > 2 && single(0),
        b.len() > 4
            && conj
            && single(2)
            && !matches!((b.get(2), b.get(3)), (Some(0xD9), Some(0x88 | 0x81))),
    ]
}

impl Lookup {
    /// Indexes `keys`; a key without any letter or digit is never found.
    pub fn new<'a>(keys: impl IntoIterator<Item = &'a str>) -> Self {
        let mut cores: Vec<(&str, u32)> = Vec::new();
        let mut edges = Vec::new();
        for (id, key) in keys.into_iter().enumerate() {
            let core = key
                .trim_start_matches(|c| !is_word_char(c))
                .trim_end_matches(|c| !is_word_char(c));
            let lead = key.len() - key.trim_start_matches(|c| !is_word_char(c)).len();
            let e = if core.is_empty() {
                Edges::default()
            } else {
                Edges {
                    lead: key[..lead].into(),
                    trail: key[lead + core.len()..].into(),
                }
            };
            edges.push(e);
            if !core.is_empty() {
                cores.push((core, u32::try_from(id).unwrap_or(u32::MAX)));
            }
        }
        cores.sort_unstable();
        #[derive(Default)]
        struct Building {
            first: u32,
            count: u32,
            prefix: bool,
        }
        let mut slots: FxHashMap<&str, Building> = FxHashMap::default();
        let mut by_core = Vec::with_capacity(cores.len());
        let mut max_words = 0;
        for (i, &(core, id)) in cores.iter().enumerate() {
            let new_core = i == 0 || cores[i - 1].0 != core;
            if new_core {
                max_words = max_words.max(word_ends(core).count() + 1);
                for end in word_ends(core) {
                    slots.entry(&core[..end]).or_default().prefix = true;
                }
                let slot = slots.entry(core).or_default();
                slot.first = by_core.len() as u32;
            }
            if let Some(slot) = slots.get_mut(core) {
                slot.count += 1;
            }
            by_core.push(id);
        }
        // Phrases in a fixed order (the table does not depend on hashing order).
        let mut sorted: Vec<(&str, Building)> = slots.into_iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut text = Vec::with_capacity(sorted.iter().map(|p| p.0.len()).sum());
        let mut phrases = Vec::with_capacity(sorted.len());
        for (p, b) in &sorted {
            phrases.push(Phrase {
                start: text.len() as u32,
                len: p.len() as u32,
                first: b.first,
                count: u16::try_from(b.count).unwrap_or(u16::MAX),
                prefix: b.prefix,
            });
            text.extend_from_slice(p.as_bytes());
        }
        let size = (phrases.len() * 2).next_power_of_two().max(2);
        let mut index = vec![0u64; size];
        for (n, (p, _)) in sorted.iter().enumerate() {
            let h = hash_bytes(p.as_bytes());
            let mut i = (h >> 32) as usize & (size - 1);
            while index.get(i).is_some_and(|&e| e != 0) {
                i = (i + 1) & (size - 1);
            }
            if let Some(e) = index.get_mut(i) {
                *e = (h & !0xFFFF_FFFF) | (n as u64 + 1);
            }
        }
        Lookup {
            index,
            phrases,
            text,
            by_core,
            edges,
            max_words,
        }
    }

    /// Every key occurrence in `text` (folded, with its `words`), by end and
    /// then start.
    pub fn find(&self, text: &str, words: &[Word], out: &mut Vec<Found>) {
        let bytes = text.as_bytes();
        for (i, w) in words.iter().enumerate() {
            let ws = w.start();
            let [one, two] = proclitic_lengths(bytes.get(ws..w.end()).unwrap_or_default());
            self.find_at(text, words, i, ws, out);
            if one {
                self.find_at(text, words, i, ws + 2, out);
            }
            if two {
                self.find_at(text, words, i, ws + 4, out);
            }
        }
        // Found by start, so mostly in order of end already: a merge sort
        // that finds the runs. Occurrences with the same end, start and key
        // are the same occurrence, so the order is the one any sort gives.
        out.sort_by_key(|f| (f.end, f.start, f.key));
    }

    /// The keys whose core starts at folded byte `s` of word `i`.
    #[inline(always)]
    fn find_at(&self, text: &str, words: &[Word], i: usize, s: usize, out: &mut Vec<Found>) {
        let bytes = text.as_bytes();
        let from = words.get(i..).unwrap_or_default();
        for (j, last) in (i..).zip(from.iter().take(self.max_words)) {
            let Some(slot) = self.slot(bytes, s, last.end()) else {
                break;
            };
            let first = slot.first as usize;
            let ids = self
                .by_core
                .get(first..first + usize::from(slot.count))
                .unwrap_or_default();
            for &id in ids {
                if let Some(f) = self.check(text, words, i, j, s, id) {
                    out.push(f);
                }
            }
            if !slot.prefix {
                break;
            }
        }
    }

    /// The table's entry for the phrase `text[start..end]`, if it has one.
    #[inline]
    fn slot(&self, text: &[u8], start: usize, end: usize) -> Option<Phrase> {
        let phrase = text.get(start..end)?;
        let h = hash_bytes_in(text, start, end);
        let mask = self.index.len().checked_sub(1)?;
        let tag = h & !0xFFFF_FFFF;
        let mut i = (h >> 32) as usize & mask;
        loop {
            let e = *self.index.get(i)?;
            if e == 0 {
                return None;
            }
            if e & !0xFFFF_FFFF == tag {
                let p = self
                    .phrases
                    .get(((e & 0xFFFF_FFFF) as usize).checked_sub(1)?)?;
                let start = p.start as usize;
                if self.text.get(start..start + p.len as usize) == Some(phrase) {
                    return Some(*p);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// The occurrence of key `id` whose core spans `s` (in word `i`) to the
    /// end of word `j`, if its punctuation is there.
    fn check(
        &self,
        text: &str,
        words: &[Word],
        i: usize,
        j: usize,
        s: usize,
        id: u32,
    ) -> Option<Found> {
        let e = self.edges.get(id as usize)?;
        let (w, last) = (words.get(i)?, words.get(j)?);
        let mut start = s;
        if !e.lead.is_empty() {
            if s != w.start() || !text.get(..s)?.ends_with(&*e.lead) {
                return None;
            }
            start = s - e.lead.len();
        }
        let mut end = last.end();
        if !e.trail.is_empty() {
            if !text.get(end..)?.starts_with(&*e.trail) {
                return None;
            }
            end += e.trail.len();
            if text.get(end..)?.chars().next().is_some_and(is_word_char) {
                return None;
            }
        }
        let prefix_start = if start == s {
            w.start()
        } else {
            // Letters right before the leading punctuation: the previous word
            // if it ends there.
            match i.checked_sub(1).and_then(|p| words.get(p)) {
                Some(p) if p.end() == start => p.start(),
                _ => start,
            }
        };
        Some(Found {
            start,
            end,
            key: id,
            prefix_start,
            word: i,
            last_word: j,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proclitic_lengths_follow_the_list() {
        let letters = ["و", "ف", "ب", "ل", "ك", "ا", "د"];
        let mut words = vec![String::new()];
        for _ in 0..3 {
            let next: Vec<String> = words
                .iter()
                .flat_map(|w| letters.iter().map(move |l| format!("{w}{l}")))
                .collect();
            words.extend(next);
        }
        for w in &words {
            let has = |n: usize| {
                PROCLITICS
                    .iter()
                    .any(|p| p.chars().count() == n && w.len() > p.len() && w.starts_with(p))
            };
            assert_eq!(proclitic_lengths(w.as_bytes()), [has(1), has(2)], "{w}");
        }
    }

    #[test]
    fn punctuation_around_a_core_must_be_there() {
        let keys = ["'afrin", "al bayda'", "abu dhabi", "abu"];
        let lookup = Lookup::new(keys);
        let find = |s: &str| {
            let (mut text, mut words, mut out) = (String::new(), Vec::new(), Vec::new());
            super::super::fold::fold_words(s, &mut text, &mut words);
            lookup.find(&text, &words, &mut out);
            out.iter()
                .map(|f| text[f.start..f.end].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(find("in 'afrin and afrin"), ["'afrin"]);
        assert_eq!(find("al bayda' x al bayda'x al bayda"), ["al bayda'"]);
        assert_eq!(find("abu dhabi, abu"), ["abu", "abu dhabi", "abu"]);
    }
}
