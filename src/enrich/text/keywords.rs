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

use super::scratch::with_kept;
use super::{Document, Token, TokenKind};
use crate::model::record::Keyword;

/// Keywords returned per article.
pub const MAX_KEYWORDS: usize = 10;
/// Longest phrase, in words.
pub const MAX_NGRAM: usize = 3;

pub use super::docfreq::{stem_hash, DocFreq, LangFreq, TableError};
pub use terms::Terms;

mod candidates;
mod terms;

use candidates::{candidates, Candidate, Scratch, SCRATCH};

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

fn contains_run(long: &[u32], short: &[u32]) -> bool {
    !short.is_empty() && short.len() <= long.len() && long.windows(short.len()).any(|w| w == short)
}

/// Whether one phrase contains the other, or they share two words in a row.
fn overlap(a: &[u32], b: &[u32]) -> bool {
    contains_run(a, b) || contains_run(b, a) || a.windows(2).any(|w| contains_run(b, w))
}

/// The keywords of `doc`, best first, or `None` when there is no background
/// table for its language.
pub fn extract(
    doc: &Document<'_>,
    terms: &Terms<'_>,
    lead_sentence: Option<usize>,
) -> Option<Vec<Keyword>> {
    terms.table()?;
    Some(with_kept(&SCRATCH, |sc| {
        keywords(doc, terms, lead_sentence, sc)
    }))
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
