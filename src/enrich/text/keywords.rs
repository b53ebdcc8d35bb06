//! Keywords: the words and phrases that best characterise an article against
//! a background corpus.
//!
//! The background is a table of document frequencies of stems per language
//! ([`DocFreq`], built by `news-enricher train keywords` from the shared
//! corpora, stored in `models/keywords-df.bin`).
//!
//! Candidates are the n-grams (1 to 3 words) inside runs of content words:
//! a run stops at stop words, numbers, punctuation, sentence ends and at an
//! Arabic word carrying a conjunction or preposition (والتقني in التعاون
//! العسكري والتقني starts a new run). A candidate scores
//! `(1 + ln tf) × mean idf × √n`, times 1.5 when it occurs in the title and
//! 1.25 in the lead sentence; a phrase seen once and not in the title counts
//! half. Candidates are ranked, and one whose stems contain, are contained
//! in, or share two words in a row with a better one's is dropped, except
//! that a longer phrase occurring as often as the chosen shorter ones it
//! contains takes their place. Each keyword is shown as written in the
//! article (its most frequent surface form, without Arabic particles before
//! the article), with its score divided by the best score.

use super::scratch::free_if_large;
use super::{Document, Token, TokenKind};
use crate::model::record::{Field, Keyword};

/// Keywords returned per article.
pub const MAX_KEYWORDS: usize = 10;
/// Longest phrase, in words.
pub const MAX_NGRAM: usize = 3;

pub use super::docfreq::{stem_hash, DocFreq, LangFreq, TableError};
pub use terms::Terms;

mod terms;

/// Whether a token may be part of a keyword (a word, not a stop word, with
/// a stem of at least two Arabic or three Latin letters).
pub fn is_candidate_token(doc: &Document<'_>, t: &Token) -> bool {
    t.kind == TokenKind::Word && !t.stop && is_candidate_stem(doc.stem(t))
}

/// Whether a word that is not a stop word may be part of a keyword, by its
/// stem (see [`is_candidate_token`]).
pub(crate) fn is_candidate_stem(stem: &str) -> bool {
    // A common Arabic letter and more: two letters, one of them not a digit.
    if let [b0, b1, _, ..] = *stem.as_bytes() {
        if super::bytes::arabic_cp(b0, b1).is_some_and(super::bytes::is_common_arabic_letter) {
            return true;
        }
    }
    if stem.is_ascii() {
        return stem.len() >= 3 && stem.bytes().any(|b| b.is_ascii_alphabetic());
    }
    stem.chars().count() >= 2
        && stem
            .chars()
            .any(|c| super::token::is_alnum(c) && !c.is_ascii_digit())
}

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

struct Candidate {
    /// First occurrence: index of its first token in `doc.tokens()`.
    first: u32,
    /// Its last occurrence's link in [`Occurrences`] (`NONE` before the
    /// first), through which the earlier ones are found.
    last: u32,
    n: u8,
    tf: u32,
    in_title: bool,
    in_lead: bool,
    score: f32,
    /// Term ids of its words (the first `n`).
    terms: [u32; MAX_NGRAM],
    /// In the trie of candidates: its first child (the latest made) and
    /// its next sibling.
    child: u32,
    sibling: u32,
}

impl Candidate {
    fn new(first: usize, n: usize, terms: [u32; MAX_NGRAM]) -> Self {
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

    fn terms(&self) -> &[u32] {
        &self.terms[..(self.n as usize).min(MAX_NGRAM)]
    }
}

fn contains_run(long: &[u32], short: &[u32]) -> bool {
    !short.is_empty() && short.len() <= long.len() && long.windows(short.len()).any(|w| w == short)
}

/// Whether one phrase contains the other, or they share two words in a row.
fn overlap(a: &[u32], b: &[u32]) -> bool {
    contains_run(a, b) || contains_run(b, a) || a.windows(2).any(|w| contains_run(b, w))
}

/// Where each candidate occurs: one link per occurrence, in the order they
/// are counted, holding the occurrence's first token and the link of the
/// same candidate's previous occurrence (the candidate holds its last), so
/// that a candidate's occurrences are read back without a list per
/// candidate. Links are only appended: nothing is filled beforehand, and
/// the writes go to consecutive memory.
#[derive(Default)]
struct Occurrences {
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
    fn starts(&self, c: &Candidate, out: &mut Vec<u32>) {
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
struct Scratch {
    cands: Vec<Candidate>,
    occ: Occurrences,
    /// Single-word candidates by term id.
    single: Vec<u32>,
    /// Starts of one candidate's occurrences.
    starts: Vec<u32>,
}

impl Scratch {
    fn free_large(&mut self) {
        free_if_large(&mut self.cands);
        free_if_large(&mut self.occ.links);
        free_if_large(&mut self.single);
        free_if_large(&mut self.starts);
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The candidates of `doc` with their counts (in `sc.cands`) and
/// occurrences (in `sc.occ`).
///
/// Candidates form a trie: a phrase of two or three words is a child of
/// the phrase without its last word, found among its siblings by that last
/// word's term id.
fn candidates(
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

/// The keywords of `doc`, best first, or `None` when there is no background
/// table for its language.
pub fn extract(
    doc: &Document<'_>,
    terms: &Terms<'_>,
    lead_sentence: Option<usize>,
) -> Option<Vec<Keyword>> {
    terms.table()?;
    let kept = SCRATCH.try_with(|cell| {
        cell.try_borrow_mut().ok().map(|mut sc| {
            let out = keywords(doc, terms, lead_sentence, &mut sc);
            sc.free_large();
            out
        })
    });
    Some(match kept {
        Ok(Some(out)) => out,
        _ => keywords(doc, terms, lead_sentence, &mut Scratch::default()),
    })
}

/// The keywords of `doc`, best first, found with the buffers `sc`.
fn keywords(
    doc: &Document<'_>,
    terms: &Terms<'_>,
    lead_sentence: Option<usize>,
    sc: &mut Scratch,
) -> Vec<Keyword> {
    candidates(doc, terms, lead_sentence, sc);
    let Scratch {
        cands, occ, starts, ..
    } = sc;
    if cands.is_empty() {
        return Vec::new();
    }
    // √1, √2, √3
    let root = [1.0f32, 2.0f32.sqrt(), 3.0f32.sqrt()];
    let idf = |term: u32| terms.idf(term);
    for c in cands.iter_mut() {
        let [a, b, d] = c.terms;
        // The mean idf of its words, added up in order.
        let (idf, root) = match c.n {
            1 => (idf(a), root[0]),
            2 => ((idf(a) + idf(b)) / 2.0, root[1]),
            _ => ((idf(a) + idf(b) + idf(d)) / 3.0, root[2]),
        };
        let tf = if c.tf == 1 {
            1.0
        } else {
            1.0 + (c.tf as f32).ln()
        };
        // Factors of 1 change nothing: each boost is applied or not
        // without a branch, in the same order.
        let mut score = tf * idf * root;
        score *= if c.in_title { 1.5 } else { 1.0 };
        score *= if c.in_lead { 1.25 } else { 1.0 };
        score *= if c.n > 1 && c.tf == 1 && !c.in_title {
            0.5
        } else {
            1.0
        };
        c.score = score;
    }
    let chosen = choose(cands, Ranking::new(cands));
    let best = chosen.iter().map(|c| c.1).fold(f32::MIN_POSITIVE, f32::max);
    let mut out = Vec::with_capacity(chosen.len());
    let mut variants = Vec::new();
    for &(id, score) in &chosen {
        let Some(c) = cands.get(id as usize) else {
            continue;
        };
        occ.starts(c, starts);
        let term = surface(doc, terms, c, starts, &mut variants);
        if term.is_empty() {
            continue;
        }
        let score = ((score / best) * 1000.0).round() / 1000.0;
        out.push(Keyword { term, score });
    }
    out
}

/// The keywords among the ranked candidates: `(candidate, score)`, best
/// first. A candidate overlapping a chosen one is dropped, except that a
/// longer phrase that holds chosen ones every time they occur takes the
/// first one's place.
fn choose(cands: &[Candidate], ranking: impl Iterator<Item = u32>) -> Vec<(u32, f32)> {
    let mut chosen: Vec<(u32, f32)> = Vec::with_capacity(MAX_KEYWORDS);
    let mut ranking = ranking;
    while chosen.len() < MAX_KEYWORDS {
        let Some(id) = ranking.next() else {
            break;
        };
        let Some(c) = cands.get(id as usize) else {
            continue;
        };
        let sts = c.terms();
        let mut overlaps = [0usize; MAX_KEYWORDS];
        let mut n_over = 0;
        for (k, (o, _)) in chosen.iter().enumerate() {
            if cands
                .get(*o as usize)
                .is_some_and(|o| overlap(o.terms(), sts))
            {
                overlaps[n_over] = k;
                n_over += 1;
            }
        }
        let overlaps = &overlaps[..n_over];
        if overlaps.is_empty() {
            chosen.push((id, c.score));
            continue;
        }
        let absorbs = (c.tf >= 2 || c.in_title)
            && overlaps.iter().all(|&k| {
                cands.get(chosen[k].0 as usize).is_some_and(|o| {
                    o.terms().len() < sts.len() && contains_run(sts, o.terms()) && c.tf >= o.tf
                })
            });
        if absorbs {
            let score = overlaps
                .iter()
                .map(|&k| chosen[k].1)
                .fold(c.score, f32::max);
            chosen[overlaps[0]] = (id, score);
            for &k in overlaps[1..].iter().rev() {
                chosen.remove(k);
            }
        }
    }
    chosen
}

/// Candidate ids, best score first, then first occurrence, then length.
/// Only the best few are usually looked at: the order is settled a few at a
/// time, as far as the caller goes, each time by one pass over the
/// candidates that keeps the best of those not yet given.
struct Ranking<'c> {
    cands: &'c [Candidate],
    /// The next best, in order: (key, candidate id).
    batch: Vec<(Key, u32)>,
    pos: usize,
    /// Key of the last candidate given.
    last: Option<Key>,
}

/// Orders candidates: score (by [`f32::total_cmp`], best first) and first
/// occurrence in the high word, then length (`(first, n)` names a
/// candidate, so keys are distinct).
type Key = (u64, u8);

/// Candidates settled per pass: about as many as are looked at, most
/// often (a pass costs one comparison per candidate and an insertion per
/// better one, more for a longer batch).
const BATCH: usize = MAX_KEYWORDS + 2;

fn key(c: &Candidate) -> Key {
    let bits = c.score.to_bits();
    // Unsigned order of `total` is `f32::total_cmp` order.
    let total = (bits ^ ((((bits as i32) >> 31) as u32) >> 1)) ^ 0x8000_0000;
    ((u64::from(!total) << 32) | u64::from(c.first), c.n)
}

impl<'c> Ranking<'c> {
    fn new(cands: &'c [Candidate]) -> Self {
        Ranking {
            cands,
            batch: Vec::with_capacity(BATCH),
            pos: 0,
            last: None,
        }
    }

    /// The [`BATCH`] best candidates after `last`, in order: kept sorted
    /// by insertion, a candidate worse than the worst kept costing one
    /// comparison.
    fn refill(&mut self) {
        let mut kept = [((0u64, 0u8), 0u32); BATCH];
        let mut len = 0;
        for (id, c) in self.cands.iter().enumerate() {
            let k = key(c);
            if self.last.is_some_and(|l| k <= l) || (len == BATCH && k >= kept[BATCH - 1].0) {
                continue;
            }
            // When full, the worst kept makes room.
            let mut j = len.min(BATCH - 1);
            while j > 0 && kept[j - 1].0 > k {
                kept[j] = kept[j - 1];
                j -= 1;
            }
            kept[j] = (k, id as u32);
            len = (len + 1).min(BATCH);
        }
        self.batch.clear();
        self.batch.extend_from_slice(&kept[..len]);
        self.pos = 0;
    }
}

impl Iterator for Ranking<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.pos == self.batch.len() {
            self.refill();
        }
        let &(k, id) = self.batch.get(self.pos)?;
        self.pos += 1;
        self.last = Some(k);
        Some(id)
    }
}

/// The most frequent way a candidate is written (without Arabic particles
/// before the article; forms with a contracted لل count last).
/// `variants` is room to count the ways it is written.
fn surface<'a>(
    doc: &Document<'a>,
    terms: &Terms<'_>,
    c: &Candidate,
    starts: &[u32],
    variants: &mut Vec<(&'a str, u32, bool)>,
) -> String {
    let tokens = doc.tokens();
    let n = c.n as usize;
    variants.clear();
    for &s in starts {
        let s = s as usize;
        let (Some(first), Some(last)) = (tokens.get(s), tokens.get(s + n - 1)) else {
            continue;
        };
        let start = first.start.saturating_add(terms.form(doc, first).skip);
        let text = doc
            .text(first.field)
            .get(start as usize..last.end as usize)
            .unwrap_or("");
        let clean = doc.norm(first).starts_with("لل") == doc.base(first).starts_with("لل");
        match variants.iter_mut().find(|v| v.0 == text) {
            Some(v) => v.1 += 1,
            None => variants.push((text, 1, clean)),
        }
    }
    variants
        .iter()
        .enumerate()
        .max_by(|(ia, a), (ib, b)| (a.2, a.1).cmp(&(b.2, b.1)).then(ib.cmp(ia)))
        .map(|(_, v)| one_space_apart(v.0))
        .unwrap_or_default()
}

/// The words of `text`, one space apart.
fn one_space_apart(text: &str) -> String {
    // Most often already so: single ASCII spaces, no other white space (no
    // byte that starts a white-space character: ASCII controls \t to \r,
    // C2 for U+0085 and U+00A0, E1, E2 and E3 for the rest), none at the
    // ends.
    let bytes = text.as_bytes();
    let plain = bytes.first().is_none_or(|&b| b != b' ')
        && bytes.last().is_none_or(|&b| b != b' ')
        && !bytes.windows(2).any(|w| w == b"  ")
        && !bytes
            .iter()
            .any(|&b| matches!(b, b'\t'..=b'\r' | 0xC2 | 0xE1..=0xE3));
    if plain {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::text::Lang;
    use proptest::prelude::*;

    fn table() -> DocFreq {
        let mut df = DocFreq::default();
        let common = |ws: &[&str]| -> Vec<(String, u32)> {
            ws.iter().map(|w| (w.to_string(), 900)).collect()
        };
        df.ar = LangFreq::new(1000, common(&["قال", "يوم", "عام"]));
        df.en = LangFreq::new(1000, common(&["said", "year", "day", "peopl"]));
        df.fr = LangFreq::new(1000, common(&["dit", "an"]));
        df
    }

    #[test]
    fn table_round_trip() {
        let df = table();
        let back = DocFreq::from_bytes(&df.to_bytes());
        let back = back.ok().unwrap_or_default();
        assert_eq!(back.en.docs, 1000);
        assert_eq!(back.en.df(stem_hash("said")), 900);
        assert_eq!(back.ar.df(stem_hash("قال")), 900);
        assert!(DocFreq::from_bytes(b"garbage").is_err());
        assert!(DocFreq::from_bytes(&df.to_bytes()[..30]).is_err());
    }

    #[test]
    fn arabic_variants_meet_and_show_surface() {
        let body = "وقع البلدان الاتفاقية العسكرية أمس. وقال الوزير إن الاتفاقية العسكرية مهمة. \
                    وأضاف أن بنود الاتفاقية العسكرية سرية. ورحب الجيش بالاتفاقية.";
        let doc = Document::new("", body, "ar");
        let df = table();
        let kws = extract(&doc, &Terms::new(&doc, &df), Some(0)).unwrap_or_default();
        assert_eq!(
            kws.first().map(|k| k.term.as_str()),
            Some("الاتفاقية العسكرية")
        );
        assert_eq!(kws.first().map(|k| k.score), Some(1.0));
        // الاتفاقية alone is a substring-variant of the phrase: not listed again.
        assert!(!kws
            .iter()
            .any(|k| k.term == "الاتفاقية" || k.term == "بالاتفاقية"));
        assert!(kws.iter().all(|k| (0.0..=1.0).contains(&k.score)));
    }

    #[test]
    fn english_phrases() {
        let body =
            "The nuclear talks resumed in Vienna on Monday. Diplomats said the nuclear talks \
                    could end this week. Iran's envoy said nuclear talks need patience.";
        let doc = Document::new("Nuclear talks resume", body, "en");
        let df = table();
        let kws = extract(&doc, &Terms::new(&doc, &df), Some(0)).unwrap_or_default();
        let terms: Vec<&str> = kws.iter().map(|k| k.term.as_str()).collect();
        assert_eq!(terms.first(), Some(&"nuclear talks"));
        assert!(!terms.contains(&"said"));
        assert!(!terms.contains(&"talks"));
    }

    #[test]
    fn other_language_has_no_table() {
        let doc = Document::with_lang("", "Lorem ipsum dolor", Lang::Other);
        let df = table();
        assert!(extract(&doc, &Terms::new(&doc, &df), None).is_none());
    }

    #[test]
    fn reused_buffers_give_what_fresh_ones_give() {
        let df = table();
        let mut texts: Vec<(String, String)> = vec![
            (
                "Nuclear talks resume".to_string(),
                "The nuclear talks resumed in Vienna. Diplomats said the nuclear talks \
                 could end this week."
                    .to_string(),
            ),
            (
                String::new(),
                "وقع البلدان الاتفاقية العسكرية أمس. وقال الوزير إن الاتفاقية العسكرية مهمة."
                    .to_string(),
            ),
            ("Titre".to_string(), "Le 12 mai. Fin.".to_string()),
        ];
        texts.extend(
            crate::enrich::fixture_texts()
                .into_iter()
                .map(|body| (String::new(), body)),
        );
        let fresh = |t: &str, b: &str| {
            let doc = Document::new(t, b, "und");
            let terms = Terms::new(&doc, &df);
            let lead = (!doc.sentences().is_empty()).then_some(0);
            terms
                .table()
                .map(|_| keywords(&doc, &terms, lead, &mut Scratch::default()))
        };
        let want: Vec<_> = texts.iter().map(|(t, b)| fresh(t, b)).collect();
        assert!(want.iter().any(|k| k.as_ref().is_some_and(|k| k.len() > 3)));
        // Through the thread's buffers, in both orders, so that articles
        // find buffers left by larger and by smaller ones.
        let order: Vec<usize> = (0..texts.len()).chain((0..texts.len()).rev()).collect();
        for k in order {
            let (t, b) = &texts[k];
            let doc = Document::new(t, b, "und");
            let lead = (!doc.sentences().is_empty()).then_some(0);
            assert_eq!(extract(&doc, &Terms::new(&doc, &df), lead), want[k], "{k}");
        }
    }

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

    proptest! {
        #[test]
        fn words_one_space_apart(text in "([ \t\n\u{a0}\u{2009}\u{3000}a-zس]|\\PC){0,40}") {
            let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
            prop_assert_eq!(one_space_apart(&text), want);
        }

        #[test]
        fn never_panics(title in "\\PC{0,30}", body in "\\PC{0,300}", code in "(ar|en|fr|und)") {
            let doc = Document::new(&title, &body, &code);
            let df = table();
            if let Some(kws) = extract(&doc, &Terms::new(&doc, &df), Some(0)) {
                prop_assert!(kws.len() <= MAX_KEYWORDS);
                for k in kws {
                    prop_assert!((0.0..=1.0).contains(&k.score));
                }
            }
        }
    }
}
