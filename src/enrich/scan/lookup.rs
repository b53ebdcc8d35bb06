//! Looking vocabulary entries up at a position of a text, two ways: an
//! anchored automaton walked from the position ([`EntryAt`], for an
//! extractor's own pass), or the occurrences a [`super::SharedVocabulary`]
//! pass already found ([`Listed`]). Both answer through [`EntryLookup`].

use aho_corasick::automaton::Automaton;
use aho_corasick::{AhoCorasick, Anchored, MatchKind, StartKind};

/// One vocabulary match: byte range and the entry's index in its vocabulary.
pub type VocabMatch = (usize, usize, usize);

/// The entries of one vocabulary around a position of one text.
pub trait EntryLookup {
    /// The longest entry starting exactly at `pos`: its end and index.
    fn at(&self, pos: usize) -> Option<(usize, usize)>;
    /// False only when no entry ends exactly at `pos`: a quick test that
    /// spares the exact one (true when the lookup cannot tell).
    fn may_end_at(&self, pos: usize) -> bool;
}

/// The longest entry of a vocabulary starting exactly at a position (an
/// anchored leftmost-longest automaton, walked directly).
pub struct EntryAt {
    dfa: aho_corasick::dfa::DFA,
}

impl EntryAt {
    /// Builds the matcher for `patterns`; `caseless` ignores ASCII case.
    pub fn new(patterns: &[String], caseless: bool) -> Result<Self, aho_corasick::BuildError> {
        let dfa = aho_corasick::dfa::DFA::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .ascii_case_insensitive(caseless)
            .build(patterns)?;
        Ok(EntryAt { dfa })
    }

    /// The longest entry starting exactly at `pos`: its end and index.
    pub fn at(&self, text: &str, pos: usize) -> Option<(usize, usize)> {
        let dfa = &self.dfa;
        let mut sid = dfa.start_state(Anchored::Yes).ok()?;
        let mut found = None;
        for (end, &b) in text.as_bytes().iter().enumerate().skip(pos) {
            sid = dfa.next_state(Anchored::Yes, sid, b);
            if !dfa.is_special(sid) {
                continue;
            }
            if dfa.is_dead(sid) {
                break;
            }
            if dfa.is_match(sid) {
                let pid = dfa.match_pattern(sid, 0);
                if end + 1 - dfa.pattern_len(pid) == pos {
                    found = Some((end + 1, pid.as_usize()));
                }
            }
        }
        found
    }

    /// This matcher on one text, as an [`EntryLookup`].
    pub fn on<'a>(&'a self, text: &'a str) -> impl EntryLookup + 'a {
        EntryAtOn { entry: self, text }
    }
}

/// An [`EntryAt`] on one text.
struct EntryAtOn<'a> {
    entry: &'a EntryAt,
    text: &'a str,
}

impl EntryLookup for EntryAtOn<'_> {
    fn at(&self, pos: usize) -> Option<(usize, usize)> {
        self.entry.at(self.text, pos)
    }

    fn may_end_at(&self, _pos: usize) -> bool {
        true
    }
}

/// Every occurrence of one vocabulary's entries in a text, as a
/// [`super::SharedVocabulary`] pass lists them: (start, end, index), by
/// start, then longest first, then lowest index.
#[derive(Debug, Clone, Copy)]
pub struct Listed<'a> {
    pub(super) all: &'a [(u32, u32, u32)],
    /// Length in bytes of the vocabulary's longest entry.
    pub(super) longest: usize,
}

impl<'a> Listed<'a> {
    /// The leftmost-longest, non-overlapping matches (leftmost first; at one
    /// start the longest; then the lowest index), as an automaton's
    /// leftmost-longest `find_iter` reports them.
    pub fn matches(self) -> impl Iterator<Item = VocabMatch> + 'a {
        let mut pos = 0usize;
        self.all.iter().filter_map(move |&(s, e, i)| {
            let (s, e) = (s as usize, e as usize);
            if s < pos {
                return None;
            }
            pos = e;
            Some((s, e, i as usize))
        })
    }
}

impl EntryLookup for Listed<'_> {
    fn at(&self, pos: usize) -> Option<(usize, usize)> {
        let i = self.all.partition_point(|o| (o.0 as usize) < pos);
        match self.all.get(i) {
            Some(&(s, e, index)) if s as usize == pos => Some((e as usize, index as usize)),
            _ => None,
        }
    }

    fn may_end_at(&self, pos: usize) -> bool {
        let from = pos.saturating_sub(self.longest);
        let i = self.all.partition_point(|o| (o.0 as usize) < from);
        self.all
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .take_while(|o| (o.0 as usize) < pos)
            .any(|o| o.1 as usize == pos)
    }
}

/// The leftmost-longest matches of `ac` in `text` (an extractor's own pass).
pub fn own_matches<'a>(
    ac: &'a AhoCorasick,
    text: &'a str,
) -> impl Iterator<Item = VocabMatch> + 'a {
    ac.find_iter(text)
        .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
}
