//! Keyword candidates: the n-grams of one to [`MAX_NGRAM`] words inside
//! runs of content words, counted, with where each occurs (see the
//! parent module for the runs' rules).

use super::super::scratch::{free_if_large, Kept};
use super::super::{Document, Token};
use super::{Terms, MAX_NGRAM};
use crate::model::record::Field;

/// Whether only white space separates two tokens of one field.
fn adjacent(doc: &Document<'_>, a: &Token, b: &Token) -> bool {
    if a.field != b.field || a.sentence != b.sentence {
        return false;
    }
    let text = doc.text(a.field);
    let range = a.end as usize..b.start as usize;
    // Most often one ASCII space (bytes around an ASCII byte are character
    // boundaries).
    text.as_bytes().get(range.clone()) == Some(b" ")
        || text
            .get(range)
            .is_some_and(|gap| gap.chars().all(|c| c == ' ' || c == '\u{00A0}'))
}

pub(super) struct Candidate {
    /// First occurrence: index of its first token in `doc.tokens()`.
    pub(super) first: u32,
    /// Its last occurrence's link in [`Occurrences`] (`NONE` before the
    /// first), through which the earlier ones are found.
    pub(super) last: u32,
    pub(super) n: u8,
    pub(super) tf: u32,
    pub(super) in_title: bool,
    pub(super) in_lead: bool,
    pub(super) score: f32,
    /// Term ids of its words (the first `n`).
    pub(super) terms: [u32; MAX_NGRAM],
    /// In the trie of candidates: its first child (the latest made) and
    /// its next sibling.
    pub(super) child: u32,
    pub(super) sibling: u32,
}

impl Candidate {
    pub(super) fn new(first: usize, n: usize, terms: [u32; MAX_NGRAM]) -> Self {
        Candidate {
            first: first as u32,
            last: NONE,
            n: n.min(MAX_NGRAM) as u8,
            tf: 0,
            in_title: false,
            in_lead: false,
            score: 0.0,
            terms,
            child: NONE,
            sibling: NONE,
        }
    }

    pub(super) fn terms(&self) -> &[u32] {
        &self.terms[..(self.n as usize).min(MAX_NGRAM)]
    }
}

/// Where each candidate occurs: one link per occurrence, in the order they
/// are counted, holding the occurrence's first token and the link of the
/// same candidate's previous occurrence (the candidate holds its last), so
/// that a candidate's occurrences are read back without a list per
/// candidate. Links are only appended: nothing is filled beforehand, and
/// the writes go to consecutive memory.
#[derive(Default)]
pub(super) struct Occurrences {
    /// `(first token, link of the previous occurrence or NONE)`.
    links: Vec<(u32, u32)>,
}

impl Occurrences {
    /// Empties the links and makes room for `n` occurrences.
    fn reset(&mut self, n: usize) {
        self.links.clear();
        self.links.reserve(n);
    }

    /// Records an occurrence of `c` starting at token `start`.
    fn add(&mut self, c: &mut Candidate, start: usize) {
        let link = self.links.len() as u32;
        self.links.push((start as u32, c.last));
        c.last = link;
    }

    /// The starts of the occurrences of `c`, in text order.
    pub(super) fn starts(&self, c: &Candidate, out: &mut Vec<u32>) {
        out.clear();
        let mut link = c.last;
        while let Some(&(start, previous)) = self.links.get(link as usize) {
            if out.len() >= c.tf as usize {
                break;
            }
            out.push(start);
            link = previous;
        }
        out.reverse();
    }
}

/// Buffers of one extraction, kept by each thread from one article to the
/// next (a buffer grown past [`MAX_BYTES`](super::scratch::MAX_BYTES) is freed after use instead):
/// the allocations are paid once per thread, not once per article.
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) cands: Vec<Candidate>,
    pub(super) occ: Occurrences,
    /// Single-word candidates by term id.
    pub(super) single: Vec<u32>,
    /// Starts of one candidate's occurrences.
    pub(super) starts: Vec<u32>,
}

impl Kept for Scratch {
    fn free_large(&mut self) {
        free_if_large(&mut self.cands);
        free_if_large(&mut self.occ.links);
        free_if_large(&mut self.single);
        free_if_large(&mut self.starts);
    }
}

thread_local! {
    pub(super) static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The candidates of `doc` with their counts (in `sc.cands`) and
/// occurrences (in `sc.occ`).
///
/// Candidates form a trie: a phrase of two or three words is a child of
/// the phrase without its last word, found among its siblings by that last
/// word's term id.
pub(super) fn candidates(
    doc: &Document<'_>,
    terms: &Terms<'_>,
    lead_sentence: Option<usize>,
    sc: &mut Scratch,
) {
    let tokens = doc.tokens();
    let content = terms.candidate_tokens();
    // Each candidate token adds at most one candidate and one occurrence
    // of each length (`MAX_NGRAM` of each in all).
    let cands = &mut sc.cands;
    cands.clear();
    cands.reserve(MAX_NGRAM * content);
    let occ = &mut sc.occ;
    occ.reset(MAX_NGRAM * content);
    let single = &mut sc.single;
    single.clear();
    single.resize(terms.len(), NONE);
    let mut run_start = 0;
    // Candidates ending at the previous token: its word, and the phrase of
    // two words ending there.
    let (mut prev_single, mut prev_pair) = (NONE, NONE);
    for (i, t) in tokens.iter().enumerate() {
        let f = terms.form(doc, t);
        if !f.candidate {
            run_start = i + 1;
            continue;
        }
        if i > run_start && (f.particle || !tokens.get(i - 1).is_some_and(|p| adjacent(doc, p, t)))
        {
            run_start = i;
        }
        let term = f.term;
        let in_title = t.field == Field::Title;
        let in_lead = lead_sentence.is_some_and(|l| t.sentence as usize == l);
        let mut count = |id: u32, start: usize, cands: &mut Vec<Candidate>| {
            if let Some(c) = cands.get_mut(id as usize) {
                c.tf += 1;
                c.in_title |= in_title;
                c.in_lead |= in_lead;
                occ.add(c, start);
            }
        };
        // n-grams ending at token i
        let len = (i + 1 - run_start).min(MAX_NGRAM);
        let id = match single.get_mut(term as usize) {
            Some(id) if *id != NONE => *id,
            slot => {
                let id = cands.len() as u32;
                cands.push(Candidate::new(i, 1, [term, 0, 0]));
                if let Some(s) = slot {
                    *s = id;
                }
                id
            }
        };
        count(id, i, cands);
        let mut pair = NONE;
        if len >= 2 {
            pair = child(cands, prev_single, term, i - 1);
            count(pair, i - 1, cands);
            if len >= 3 {
                let triple = child(cands, prev_pair, term, i - 2);
                count(triple, i - 2, cands);
            }
        }
        prev_single = id;
        prev_pair = pair;
    }
}

/// "No candidate".
const NONE: u32 = u32::MAX;

/// The candidate extending `parent` by the word `term`, created (first
/// occurring at token `start`) if new.
fn child(cands: &mut Vec<Candidate>, parent: u32, term: u32, start: usize) -> u32 {
    let Some(p) = cands.get(parent as usize) else {
        return NONE;
    };
    let (first_child, mut words) = (p.child, p.terms);
    let n = (p.n as usize).min(MAX_NGRAM - 1);
    let mut k = first_child;
    while let Some(c) = cands.get(k as usize) {
        if c.terms.get(n) == Some(&term) {
            return k;
        }
        k = c.sibling;
    }
    words[n] = term;
    let id = cands.len() as u32;
    let mut c = Candidate::new(start, n + 1, words);
    c.sibling = first_child;
    cands.push(c);
    if let Some(p) = cands.get_mut(parent as usize) {
        p.child = id;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_read_back_in_text_order() {
        let mut occ = Occurrences::default();
        occ.reset(4);
        let mut cands = [
            Candidate::new(0, 1, [0, 0, 0]),
            Candidate::new(1, 2, [1, 2, 0]),
        ];
        for (k, start) in [(0, 0), (1, 1), (0, 5), (0, 9)] {
            cands[k].tf += 1;
            occ.add(&mut cands[k], start);
        }
        let mut out = Vec::new();
        occ.starts(&cands[0], &mut out);
        assert_eq!(out, [0, 5, 9]);
        occ.starts(&cands[1], &mut out);
        assert_eq!(out, [1]);
        // After a reset, a new candidate reads only its own occurrences.
        occ.reset(1);
        let mut c = Candidate::new(3, 1, [0, 0, 0]);
        c.tf += 1;
        occ.add(&mut c, 3);
        occ.starts(&c, &mut out);
        assert_eq!(out, [3]);
    }
}
