//! A substring-scan matcher, the test oracle of the word-level lookup: one
//! Aho-Corasick automaton over every folded key, scanned with overlaps over
//! the whole folded text, with the word-boundary and proclitic checks applied
//! to each match.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::fold::{is_word_char, Folded};
use super::{Candidate, Gazetteer};
use crate::model::record::{Field, Span};

/// The automaton over the gazetteer's keys (in key order).
pub struct Scanner {
    ac: AhoCorasick,
}

impl Scanner {
    pub fn new(g: &Gazetteer) -> Self {
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&g.keys)
            .unwrap_or_else(|e| panic!("automaton: {e}"));
        Scanner { ac }
    }

    /// Every hit of `text` before overlap removal: span, surface, candidates.
    pub fn hits(
        &self,
        g: &Gazetteer,
        text: &str,
        field: Field,
    ) -> Vec<(Span, String, Vec<Candidate>)> {
        let folded = Folded::new(text);
        let ft = folded.text.as_str();
        let mut found = Vec::new();
        for m in self.ac.find_overlapping_iter(ft) {
            let (s, e) = (m.start(), m.end());
            if ft[e..].chars().next().is_some_and(is_word_char) {
                continue;
            }
            let token_start = ft[..s]
                .char_indices()
                .rev()
                .take_while(|&(_, c)| is_word_char(c))
                .last()
                .map_or(s, |(i, _)| i);
            let prefix = &ft[token_start..s];
            let p = m.pattern().as_usize();
            let Some(lam_ok) = g.prefix_ok(p, prefix) else {
                continue;
            };
            let surface = text.get(folded.byte_range(text, s, e)).unwrap_or_default();
            let candidates: Vec<Candidate> = g.readings(p, lam_ok, surface).collect();
            if candidates.is_empty() {
                continue;
            }
            let (os, oe) = folded.span(s, e);
            found.push((
                Span {
                    field,
                    start: os,
                    end: oe,
                },
                surface.to_string(),
                candidates,
            ));
        }
        found
    }
}
