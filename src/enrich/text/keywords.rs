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

use super::hash::KeyIds;
use super::{Document, Token, TokenKind};
use crate::model::record::{Field, Keyword};

/// Keywords returned per article.
pub const MAX_KEYWORDS: usize = 10;
/// Longest phrase, in words.
pub const MAX_NGRAM: usize = 3;

pub use super::docfreq::{stem_hash, DocFreq, LangFreq, TableError};

/// Whether a token may be part of a keyword (a word, not a stop word, with
/// a stem of at least two Arabic or three Latin letters).
pub fn is_candidate_token(doc: &Document<'_>, t: &Token) -> bool {
    if t.kind != TokenKind::Word || t.stop {
        return false;
    }
    let stem = doc.stem(t);
    // A common Arabic letter and more: two letters, one of them not a digit.
    if let [b0 @ (0xD8 | 0xD9), b1, _, ..] = *stem.as_bytes() {
        let cp = (u32::from(b0 & 0x1F) << 6) | u32::from(b1 & 0x3F);
        if (0x0621..=0x063A).contains(&cp) || (0x0641..=0x064A).contains(&cp) {
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
    a.field == b.field
        && a.sentence == b.sentence
        && doc
            .text(a.field)
            .get(a.end as usize..b.start as usize)
            .is_some_and(|gap| gap.chars().all(|c| c == ' ' || c == '\u{00A0}'))
}

struct Candidate {
    /// First occurrence: index of its first token in `doc.tokens()`.
    first: u32,
    n: u8,
    tf: u32,
    in_title: bool,
    in_lead: bool,
    score: f32,
}

/// Stems of a candidate's tokens.
/// The stem hashes of a candidate's words.
fn stems(views: &[View], c: &Candidate) -> ([u64; MAX_NGRAM], usize) {
    let mut out = [0u64; MAX_NGRAM];
    let s = c.first as usize;
    let n = (c.n as usize).min(MAX_NGRAM);
    for (k, v) in views[s..s + n].iter().enumerate() {
        out[k] = v.hash;
    }
    (out, n)
}

/// Per-token stems, their hashes and inverse document frequencies, computed
/// once per document and shared by the keyword extractor and the summariser.
pub struct Terms<'d> {
    views: Vec<View>,
    table: Option<&'d LangFreq>,
}

impl<'d> Terms<'d> {
    /// Weighs the tokens of `doc` against the background table of its language
    /// (uniform weights when there is none).
    pub fn new(doc: &'d Document<'_>, df: &'d DocFreq) -> Self {
        let table = df.get(doc.lang());
        let tokens = doc.tokens();
        // Tokens of one form share their stem, weight and candidacy: each
        // is worked out once, at the form's first token.
        const NONE: u32 = u32::MAX;
        let mut first = vec![NONE; doc.forms()];
        let mut hashes = Vec::with_capacity(tokens.len());
        for (i, t) in tokens.iter().enumerate() {
            match first.get_mut(doc.form(t)) {
                Some(f) if *f != NONE => hashes.push(hashes.get(*f as usize).copied().unwrap_or(0)),
                slot => {
                    let h = stem_hash(doc.stem(t));
                    hashes.push(h);
                    if let Some(f) = slot {
                        *f = i as u32;
                    }
                }
            }
        }
        let mut in_doc = InDoc {
            hashes: &hashes,
            set: None,
        };
        let mut views: Vec<View> = Vec::with_capacity(tokens.len());
        for (i, (t, &h)) in tokens.iter().zip(&hashes).enumerate() {
            let f = first.get(doc.form(t)).copied().unwrap_or(NONE) as usize;
            if f < i {
                if let (Some(&v), Some(ft)) = (views.get(f), tokens.get(f)) {
                    views.push(View {
                        start: v.start.saturating_sub(ft.start).saturating_add(t.start),
                        ..v
                    });
                    continue;
                }
            }
            let mut v = if t.kind == TokenKind::Word && !t.stop {
                View::new(doc, t, h, table, &mut in_doc)
            } else {
                View::unweighted(t, h)
            };
            v.candidate = is_candidate_token(doc, t);
            views.push(v);
        }
        Terms { views, table }
    }

    /// Stem hash of token `i` of `doc.tokens()`.
    pub fn hash(&self, i: usize) -> u64 {
        self.views.get(i).map_or(0, |v| v.hash)
    }

    /// Inverse document frequency of the stem of token `i` (1 without a
    /// table, and for stop words, numbers and clitics, which neither the
    /// keywords nor the summary weigh).
    pub fn idf(&self, i: usize) -> f32 {
        self.views.get(i).map_or(1.0, |v| v.idf)
    }
}

/// The stem hashes of a document, as a set built on first use (only
/// Arabic words with a possible bare particle ask).
struct InDoc<'h> {
    hashes: &'h [u64],
    set: Option<super::hash::FxHashSet<u64>>,
}

impl InDoc<'_> {
    fn contains(&mut self, h: u64) -> bool {
        let hashes = self.hashes;
        self.set
            .get_or_insert_with(|| hashes.iter().copied().collect())
            .contains(&h)
    }
}

/// A token as the keyword extractor sees it.
#[derive(Clone, Copy)]
struct View {
    hash: u64,
    idf: f32,
    /// Where its surface form starts (after particles).
    start: u32,
    /// It carries a conjunction or preposition: a phrase cannot run into it.
    particle: bool,
    /// It may be part of a keyword ([`is_candidate_token`]).
    candidate: bool,
}

impl View {
    /// A token that is never weighed: its own stem, weight 1.
    fn unweighted(t: &Token, hash: u64) -> Self {
        View {
            hash,
            idf: 1.0,
            start: t.word_start,
            particle: t.has_particles(),
            candidate: false,
        }
    }

    /// Arabic words starting with و ف ب ك ل and no article are ambiguous
    /// (وسعر = و + سعر, but وزير and باقري are one word): the reading without
    /// the particle is taken when its stem also occurs on its own in the
    /// article and is far more frequent in the background.
    fn new(
        doc: &Document<'_>,
        t: &Token,
        hash: u64,
        table: Option<&LangFreq>,
        in_doc: &mut InDoc<'_>,
    ) -> Self {
        let plain = View {
            hash,
            idf: table.map_or(1.0, |tb| tb.idf(hash)),
            start: t.word_start,
            particle: t.has_particles(),
            candidate: false,
        };
        let Some(table) = table else {
            return plain;
        };
        let norm = doc.norm(t);
        let Some(first) = norm.chars().next() else {
            return plain;
        };
        if t.has_particles()
            || !matches!(first, 'و' | 'ف' | 'ب' | 'ك' | 'ل')
            || norm.chars().count() < 4
        {
            return plain;
        }
        let rest = &norm[first.len_utf8()..];
        let p = super::arabic::proclitics(rest);
        let alt = super::arabic::light_stem(rest.get(p.len() * 2..).unwrap_or(rest), true);
        let alt_hash = stem_hash(alt);
        if !in_doc.contains(alt_hash) || table.df(alt_hash) <= 4 * table.df(hash) + 10 {
            return plain;
        }
        // Skip the particle letter and the marks on it in the original.
        let surface = doc.surface(t);
        let skip = surface
            .char_indices()
            .skip(1)
            .find(|&(_, c)| !super::arabic::is_ignorable(c))
            .map_or(0, |(k, _)| k);
        View {
            hash: alt_hash,
            idf: table.idf(alt_hash),
            start: t.start + skip as u32,
            particle: true,
            candidate: false,
        }
    }
}

fn contains_run(long: &[u64], short: &[u64]) -> bool {
    !short.is_empty() && short.len() <= long.len() && long.windows(short.len()).any(|w| w == short)
}

/// Whether one phrase contains the other, or they share two words in a row.
fn overlap(a: &[u64], b: &[u64]) -> bool {
    contains_run(a, b) || contains_run(b, a) || a.windows(2).any(|w| contains_run(b, w))
}

/// The keywords of `doc`, best first, or `None` when there is no background
/// table for its language.
pub fn extract(
    doc: &Document<'_>,
    terms: &Terms<'_>,
    lead_sentence: Option<usize>,
) -> Option<Vec<Keyword>> {
    terms.table?;
    let views = &terms.views;
    let tokens = doc.tokens();
    if views.len() != tokens.len() {
        return None;
    }
    let content = views.iter().filter(|v| v.candidate).count();
    let mut index = KeyIds::with_capacity(2 * content);
    let mut cands: Vec<Candidate> = Vec::with_capacity(2 * content);
    // (candidate, token index) of every occurrence.
    let mut occ: Vec<(u32, u32)> = Vec::with_capacity(MAX_NGRAM * content);
    let mut run_start = 0;
    for i in 0..tokens.len() {
        let t = &tokens[i];
        if !views[i].candidate {
            run_start = i + 1;
            continue;
        }
        if i > run_start && (!adjacent(doc, &tokens[i - 1], t) || views[i].particle) {
            run_start = i;
        }
        // n-grams ending at token i
        let mut key: u64 = 0;
        for n in 1..=MAX_NGRAM.min(i + 1 - run_start) {
            let s = i + 1 - n;
            key = (key ^ views[s].hash)
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .rotate_left(17)
                ^ n as u64;
            let (id, new) = index.get_or_insert(key);
            if new {
                cands.push(Candidate {
                    first: s as u32,
                    n: n as u8,
                    tf: 0,
                    in_title: false,
                    in_lead: false,
                    score: 0.0,
                });
            }
            let c = &mut cands[id as usize];
            c.tf += 1;
            c.in_title |= t.field == Field::Title;
            c.in_lead |= lead_sentence.is_some_and(|l| t.sentence as usize == l);
            occ.push((id, s as u32));
        }
    }
    if cands.is_empty() {
        return Some(Vec::new());
    }
    for c in &mut cands {
        let s = c.first as usize;
        let n = c.n as usize;
        let idf: f32 = views[s..s + n].iter().map(|v| v.idf).sum::<f32>() / n as f32;
        let mut score = (1.0 + (c.tf as f32).ln()) * idf * (n as f32).sqrt();
        if c.in_title {
            score *= 1.5;
        }
        if c.in_lead {
            score *= 1.25;
        }
        if n > 1 && c.tf == 1 && !c.in_title {
            score *= 0.5;
        }
        c.score = score;
    }
    // Best score first, then first occurrence, then length: one integer key
    // per candidate (`(first, n)` names a candidate, so keys are distinct);
    // 64 bits when token indices fit in 29, else 128.
    let total = |c: &Candidate| -> u32 {
        let bits = c.score.to_bits();
        // Unsigned order of `total` is `f32::total_cmp` order.
        (bits ^ ((((bits as i32) >> 31) as u32) >> 1)) ^ 0x8000_0000
    };
    let mut ranking: Box<dyn Iterator<Item = u32>> = if tokens.len() < 1 << 29 {
        Box::new(Ranking::new(cands.iter().map(|c| {
            (u64::from(!total(c)) << 32) | (u64::from(c.first) << 3) | u64::from(c.n)
        })))
    } else {
        Box::new(Ranking::new(cands.iter().map(|c| {
            (u128::from(!total(c)) << 64) | (u128::from(c.first) << 8) | u128::from(c.n)
        })))
    };
    let mut chosen: Vec<(u32, ([u64; MAX_NGRAM], usize), f32)> = Vec::with_capacity(MAX_KEYWORDS);
    while chosen.len() < MAX_KEYWORDS {
        let Some(id) = ranking.next() else {
            break;
        };
        let c = &cands[id as usize];
        let st = stems(views, c);
        let sts = &st.0[..st.1];
        let mut overlaps = [0usize; MAX_KEYWORDS];
        let mut n_over = 0;
        for (k, (_, o, _)) in chosen.iter().enumerate() {
            if overlap(&o.0[..o.1], sts) {
                overlaps[n_over] = k;
                n_over += 1;
            }
        }
        let overlaps = &overlaps[..n_over];
        if overlaps.is_empty() {
            chosen.push((id, st, c.score));
            continue;
        }
        // A longer phrase that holds chosen ones every time they occur is the
        // better keyword: it takes the first one's place.
        let absorbs = (c.tf >= 2 || c.in_title)
            && overlaps.iter().all(|&k| {
                let (oid, o, _) = &chosen[k];
                o.1 < st.1 && contains_run(sts, &o.0[..o.1]) && c.tf >= cands[*oid as usize].tf
            });
        if absorbs {
            let score = overlaps
                .iter()
                .map(|&k| chosen[k].2)
                .fold(c.score, f32::max);
            chosen[overlaps[0]] = (id, st, score);
            for &k in overlaps[1..].iter().rev() {
                chosen.remove(k);
            }
        }
    }
    let best = chosen.iter().map(|c| c.2).fold(f32::MIN_POSITIVE, f32::max);
    // The occurrences of the chosen candidates, in one pass.
    let mut slot = vec![u8::MAX; cands.len()];
    for (k, (id, _, _)) in chosen.iter().enumerate() {
        if let Some(s) = slot.get_mut(*id as usize) {
            *s = k as u8;
        }
    }
    let mut starts: Vec<Vec<u32>> = vec![Vec::new(); chosen.len()];
    for &(o, s) in &occ {
        if let Some(list) = slot
            .get(o as usize)
            .and_then(|&k| starts.get_mut(k as usize))
        {
            list.push(s);
        }
    }
    let mut out = Vec::with_capacity(chosen.len());
    for ((id, _, score), starts) in chosen.iter().zip(&starts) {
        let c = &cands[*id as usize];
        let term = surface(doc, views, c, starts.iter().copied());
        if term.is_empty() {
            continue;
        }
        let score = ((score / best) * 1000.0).round() / 1000.0;
        out.push(Keyword { term, score });
    }
    Some(out)
}

/// Candidate ids by increasing key. Only the best few are usually looked
/// at: the order is settled a few at a time (the best of the rest, sorted),
/// as far as the caller goes.
struct Ranking<K> {
    order: Vec<(K, u32)>,
    pos: usize,
    settled: usize,
}

impl<K: Ord + Copy> Ranking<K> {
    fn new(keys: impl Iterator<Item = K>) -> Self {
        Ranking {
            order: keys.enumerate().map(|(id, k)| (k, id as u32)).collect(),
            pos: 0,
            settled: 0,
        }
    }
}

impl<K: Ord + Copy> Iterator for Ranking<K> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.pos == self.settled {
            let rest = self.order.get_mut(self.pos..)?;
            let k = rest.len().min(2 * MAX_KEYWORDS);
            if k < rest.len() {
                rest.select_nth_unstable(k);
            }
            rest[..k].sort_unstable();
            self.settled = self.pos + k;
        }
        let id = self.order.get(self.pos)?.1;
        self.pos += 1;
        Some(id)
    }
}

/// The most frequent way a candidate is written (without Arabic particles
/// before the article; forms with a contracted لل count last).
fn surface(
    doc: &Document<'_>,
    views: &[View],
    c: &Candidate,
    starts: impl Iterator<Item = u32>,
) -> String {
    let tokens = doc.tokens();
    let n = c.n as usize;
    let mut variants: Vec<(&str, u32, bool)> = Vec::new();
    for s in starts {
        let s = s as usize;
        let (first, last) = (&tokens[s], &tokens[s + n - 1]);
        let text = doc
            .text(first.field)
            .get(views[s].start as usize..last.end as usize)
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
        .map(|(_, v)| v.0.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
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

    proptest! {
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
