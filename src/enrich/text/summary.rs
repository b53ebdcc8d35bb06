//! The lead and an extractive summary.
//!
//! The lead is the first sentence of the body, with the second when both fit
//! in [`LEAD_MAX_CHARS`]; heading-like lines before it (short, no final
//! punctuation) and a repetition of the title are skipped.
//!
//! The summary is the lead sentence plus the most central other sentences,
//! ranked by TextRank (Mihalcea & Tarau 2004) over the sentences' bags of
//! stems weighted by inverse document frequency, 1 to 3 sentences in document
//! order, as written in the article.

use std::cell::RefCell;

use super::keywords::Terms;
use super::scratch::{free_if_large, with_kept, Kept};
use super::{Document, Sentence, Token};

/// Soft limit of the lead, in code points.
pub const LEAD_MAX_CHARS: usize = 300;

/// Sentences with fewer words are headings or datelines, not summary material.
const MIN_WORDS: usize = 4;

fn words(doc: &Document<'_>, s: &Sentence) -> usize {
    doc.sentence_tokens(s)
        .iter()
        .filter(|t| t.is_word())
        .count()
}

fn ends_with_punctuation(text: &str) -> bool {
    text.trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| !c.is_alphanumeric())
}

fn same_words(doc: &Document<'_>, s: &Sentence) -> bool {
    let title = doc.title_tokens();
    let sent = doc.sentence_tokens(s);
    !title.is_empty()
        && title.len() == sent.len()
        && title
            .iter()
            .zip(sent)
            .all(|(a, b)| doc.norm(a) == doc.norm(b))
}

/// Index of the sentence the lead starts with.
pub fn lead_index(doc: &Document<'_>) -> Option<usize> {
    let sentences = doc.sentences();
    let content = |i: usize| {
        let s = &sentences[i];
        !same_words(doc, s)
            && (words(doc, s) >= MIN_WORDS || ends_with_punctuation(doc.sentence_text(s)))
    };
    (0..sentences.len())
        .find(|&i| content(i))
        .or_else(|| (0..sentences.len()).find(|&i| !same_words(doc, &sentences[i])))
}

/// The lead: first sentence(s) of the body, or `None` for an empty body.
pub fn lead(doc: &Document<'_>) -> Option<String> {
    lead_at(doc, lead_index(doc)?)
}

/// [`lead`] when the lead starts with sentence `i` ([`lead_index`]).
pub fn lead_at(doc: &Document<'_>, i: usize) -> Option<String> {
    let sentences = doc.sentences();
    let first = doc.sentence_text(&sentences[i]);
    let mut lead = first.to_string();
    let first_len = first.chars().count();
    if let Some(next) = sentences.get(i + 1) {
        let second = doc.sentence_text(next);
        if ends_with_punctuation(first)
            && words(doc, next) >= MIN_WORDS
            && first_len + 1 + second.chars().count() <= LEAD_MAX_CHARS
        {
            lead.push(' ');
            lead.push_str(second);
        }
    }
    Some(lead)
}

/// Most sentences in a summary.
pub const MAX_SUMMARY: usize = 3;

/// Sentences in the summary for an article with `n` content sentences.
fn summary_len(n: usize) -> usize {
    match n {
        0..=2 => 1,
        3..=6 => 2,
        _ => MAX_SUMMARY,
    }
}

/// Buffers of one summary, kept by each thread from one article to the next
/// (a buffer grown past [`MAX_BYTES`](super::scratch::MAX_BYTES) is freed after use instead).
struct Scratch {
    /// The sentences ranked: the lead and the later sentences of
    /// [`MIN_WORDS`] words or more, in order.
    keep: Vec<u32>,
    /// `(term, weight)` of each term of each kept sentence, sentence by
    /// sentence; entry 0 takes the tokens that are not weighed. Every
    /// weight is zero between summaries (each is set back after use).
    entries: Vec<(u32, f32)>,
    /// Where each sentence's entries start, and where the last ends.
    starts: Vec<u32>,
    /// By term id: the entry of the term's latest sentence (0 before its
    /// first) and the term's entries, then where its postings go; one more
    /// for the tokens that are not weighed.
    by_term: Vec<(u32, u32)>,
    /// Where the postings of each term found in two sentences or more start
    /// and end, in term order.
    shared: Vec<(u32, u32)>,
    /// `(sentence, weight)` grouped by term id (see [`postings`]); the
    /// weights normalised in the groups of two sentences or more only.
    postings: Vec<(u32, f32)>,
    norms: Vec<f32>,
    /// The similarity rows, then the transition matrix's columns.
    w: Vec<f32>,
    score: Vec<f32>,
    sum: Vec<f32>,
}

impl Scratch {
    const fn new() -> Self {
        Scratch {
            keep: Vec::new(),
            entries: Vec::new(),
            by_term: Vec::new(),
            starts: Vec::new(),
            shared: Vec::new(),
            postings: Vec::new(),
            norms: Vec::new(),
            w: Vec::new(),
            score: Vec::new(),
            sum: Vec::new(),
        }
    }
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch::new()
    }
}

impl Kept for Scratch {
    fn free_large(&mut self) {
        free_if_large(&mut self.keep);
        free_if_large(&mut self.entries);
        free_if_large(&mut self.by_term);
        free_if_large(&mut self.starts);
        free_if_large(&mut self.shared);
        free_if_large(&mut self.postings);
        free_if_large(&mut self.norms);
        free_if_large(&mut self.w);
        free_if_large(&mut self.score);
        free_if_large(&mut self.sum);
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = const { RefCell::new(Scratch::new()) };
}

/// Whether a sentence's tokens hold [`MIN_WORDS`] words or more (as
/// [`words`] counts them; most sentences start with that many).
fn enough_words(tokens: &[Token]) -> bool {
    tokens.get(..MIN_WORDS).is_some_and(|head| {
        head.iter().filter(|t| t.is_word()).count() == MIN_WORDS
            || tokens.iter().filter(|t| t.is_word()).count() >= MIN_WORDS
    })
}

/// The sentence vectors of the sentences `sc.keep` (tf × idf of their
/// terms, L2-normalised where read, see below) as postings in
/// `sc.postings`: `(sentence, weight)`
/// grouped by term id in increasing order (the stems' hash order),
/// sentences increasing in each group; and in `sc.shared` the groups of two
/// sentences or more. Only those groups' weights are normalised: the
/// similarities read no others.
///
/// A term's weight in a sentence is its idf added once per occurrence, in
/// the order the occurrences come (see [`gather`]).
fn postings(doc: &Document<'_>, terms: &Terms<'_>, sc: &mut Scratch) {
    let sentences = doc.sentences();
    let none = u32::try_from(terms.len()).unwrap_or(u32::MAX);
    let sink = none as usize;
    let kept = || sc.keep.iter().filter_map(|&i| sentences.get(i as usize));
    let tokens: usize = kept().map(|s| doc.sentence_tokens(s).len()).sum();
    // Entries are set back to zero weight after use (below), so only the
    // room beyond what earlier articles used is filled here.
    let mut entries = std::mem::take(&mut sc.entries);
    if entries.len() < tokens + 1 {
        entries.resize(tokens + 1, (0, 0.0));
    }
    sc.by_term.clear();
    sc.by_term.resize(sink + 1, (0, 0));
    sc.starts.clear();
    let mut len = 1;
    for s in kept() {
        sc.starts.push(len as u32);
        let tokens = doc.sentence_tokens(s);
        len = gather(doc, terms, tokens, &mut entries, &mut sc.by_term, len);
    }
    sc.starts.push(len as u32);
    // Grouped by term, stably: sentences stay in order within a group.
    sc.shared.clear();
    let mut at = 0u32;
    for (_, c) in sc.by_term.iter_mut().take(sink) {
        let count = std::mem::replace(c, at);
        if count >= 2 {
            sc.shared.push((at, at + count));
        }
        at += count;
    }
    // Scattered sentence by sentence: `starts` numbers the entries' sentences.
    sc.postings.clear();
    sc.postings.resize(len.saturating_sub(1), (0, 0.0));
    for (k, ends) in sc.starts.windows(2).enumerate() {
        let sentence = entries.get(ends[0] as usize..ends[1] as usize);
        for &(term, x) in sentence.into_iter().flatten() {
            if let Some((_, p)) = sc.by_term.get_mut(term as usize) {
                if let Some(e) = sc.postings.get_mut(*p as usize) {
                    *e = (k as u32, x);
                }
                *p += 1;
            }
        }
    }
    if let Some(used) = entries.get_mut(..len) {
        used.fill((0, 0.0));
    }
    sc.entries = entries;
    // Norms: squares added in term order, sentence by sentence.
    sc.norms.clear();
    sc.norms.resize(sc.keep.len(), 0.0);
    for &(k, x) in &sc.postings {
        if let Some(n) = sc.norms.get_mut(k as usize) {
            *n += x * x;
        }
    }
    for n in &mut sc.norms {
        *n = n.sqrt().max(f32::MIN_POSITIVE);
    }
    for &(from, end) in &sc.shared {
        let group = sc.postings.get_mut(from as usize..end as usize);
        for (k, x) in group.into_iter().flatten() {
            *x /= sc.norms.get(*k as usize).copied().unwrap_or(1.0);
        }
    }
}

/// The `(term, weight)` entries of a sentence's `tokens` into `entries`
/// from entry `len`, each term in the order of its first occurrence;
/// returns where they end. `by_term` (one more than the term ids) gives
/// each term's latest entry and counts its entries.
///
/// Each token is taken without a branch on what it is: a token that is not
/// weighed goes to entry 0 (the last of `by_term`), a repeated term to its
/// entry, a new one to a new entry. Apart from [`postings`] and a sentence
/// at a time, so that what the loop reads stays in registers (the entries
/// carry no sentence number for the same reason).
#[inline(never)]
fn gather(
    doc: &Document<'_>,
    terms: &Terms<'_>,
    tokens: &[Token],
    entries: &mut [(u32, f32)],
    by_term: &mut [(u32, u32)],
    len: usize,
) -> usize {
    let Some(sink) = by_term.len().checked_sub(1) else {
        return len;
    };
    let first = len;
    let mut len = len;
    for t in tokens {
        // One `min` for both the tokens not weighed and a stray id: the
        // compiler then knows that `by_term[term]` is in bounds.
        let term = (terms.term(doc, t).unwrap_or(u32::MAX) as usize).min(sink);
        let (at, count) = by_term[term];
        let new = (term != sink) & ((at as usize) < first);
        let e = if new { len } else { at as usize };
        // A new entry's weight is 0 (see `Scratch::entries`), so adding
        // the idf sets it; the sink's weight is never read.
        let idf = terms.idf(if term == sink { 0 } else { term as u32 });
        if let Some(entry) = entries.get_mut(e) {
            *entry = (term as u32, entry.1 + idf);
        }
        by_term[term] = (e as u32, count + u32::from(new));
        len += usize::from(new);
    }
    len
}

/// The summary: the lead sentence and the most central other sentences,
/// in document order, as written; `None` for an empty body. `terms` weighs
/// the stems (see [`Terms::new`]).
pub fn summarise(doc: &Document<'_>, terms: &Terms<'_>) -> Option<Vec<String>> {
    summarise_from(doc, terms, lead_index(doc)?)
}

/// [`summarise`] when the lead starts with sentence `lead` ([`lead_index`]).
pub fn summarise_from(doc: &Document<'_>, terms: &Terms<'_>, lead: usize) -> Option<Vec<String>> {
    let (picked, len) = with_kept(&SCRATCH, |sc| pick(doc, terms, lead, sc));
    let sentences = doc.sentences();
    let mut out = Vec::with_capacity(len);
    for &i in picked.get(..len).unwrap_or(&[]) {
        out.push(doc.sentence_text(sentences.get(i)?).to_string());
    }
    Some(out)
}

/// The summary's sentences in document order: the lead and the
/// best-ranked others (higher score first, then the earlier sentence).
fn pick(
    doc: &Document<'_>,
    terms: &Terms<'_>,
    lead: usize,
    sc: &mut Scratch,
) -> ([usize; MAX_SUMMARY], usize) {
    let sentences = doc.sentences();
    sc.keep.clear();
    if lead < sentences.len() {
        sc.keep.push(lead as u32);
    }
    for (i, s) in sentences.iter().enumerate().skip(lead + 1) {
        if enough_words(doc.sentence_tokens(s)) {
            sc.keep.push(i as u32);
        }
    }
    let want = summary_len(sc.keep.len());
    let mut picked = [lead; MAX_SUMMARY];
    let mut len = 1;
    if want > 1 {
        textrank(doc, terms, sc);
        // The best two at most, as a sort by (score descending, index)
        // would put them first.
        let ahead =
            |a: (usize, f32), b: (usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)).is_lt();
        let mut best: [Option<(usize, f32)>; MAX_SUMMARY - 1] = [None; MAX_SUMMARY - 1];
        let others = sc
            .keep
            .iter()
            .zip(&sc.score)
            .map(|(&i, &s)| (i as usize, s))
            .filter(|&(i, _)| i != lead);
        for c in others {
            let mut c = c;
            for b in best.iter_mut().take(want - 1) {
                match *b {
                    Some(x) if !ahead(c, x) => {}
                    Some(x) => {
                        *b = Some(c);
                        c = x;
                    }
                    None => {
                        *b = Some(c);
                        break;
                    }
                }
            }
        }
        for (p, b) in picked[1..].iter_mut().zip(best.iter().flatten()) {
            *p = b.0;
            len += 1;
        }
    }
    picked[..len].sort_unstable();
    (picked, len)
}

#[cfg(test)]
mod reference;
mod textrank;

use textrank::textrank;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::text::keywords::DocFreq;
    use proptest::prelude::*;

    #[test]
    fn lead_cases() {
        let cases: &[(&str, &str, &str, Option<&str>)] = &[
            ("empty", "", "", None),
            (
                "two short sentences",
                "Talks",
                "The talks ended on Monday. Both sides signed the deal.",
                Some("The talks ended on Monday. Both sides signed the deal."),
            ),
            (
                "heading skipped",
                "",
                "Breaking news\nThe talks ended on Monday without a deal.",
                Some("The talks ended on Monday without a deal."),
            ),
            (
                "title repeated in body",
                "Talks end",
                "Talks end\nThe talks ended on Monday without a deal.",
                Some("The talks ended on Monday without a deal."),
            ),
        ];
        for (name, title, body, want) in cases {
            let doc = Document::new(title, body, "en");
            assert_eq!(lead(&doc).as_deref(), *want, "{name}");
        }
    }

    #[test]
    fn long_first_sentence_stands_alone() {
        let first = format!("The talks {} ended.", "went on and on ".repeat(18));
        let body = format!("{first} Both sides signed the deal.");
        let doc = Document::new("", &body, "en");
        assert_eq!(lead(&doc).as_deref(), Some(first.as_str()));
    }

    #[test]
    fn summary_keeps_lead_and_central_sentences_in_order() {
        let body = "Vienna talks on the nuclear deal resumed on Monday with all parties present.\n\
            The weather in Vienna was cold and grey all week long.\n\
            Negotiators said the nuclear deal talks could conclude within days.\n\
            A local bakery sold more bread than usual to visiting reporters.\n\
            Iran and the United States disagree on sanctions in the nuclear deal.\n\
            The talks on the nuclear deal will continue on Tuesday in Vienna.\n\
            Football fans gathered in the city centre for a match.";
        let doc = Document::new("", body, "en");
        let df = DocFreq::default();
        let s = summarise(&doc, &Terms::new(&doc, &df)).unwrap_or_default();
        assert_eq!(s.len(), 3);
        assert!(s[0].starts_with("Vienna talks on the nuclear deal resumed"));
        assert!(s
            .iter()
            .all(|x| !x.contains("bakery") && !x.contains("Football")));
        let pos: Vec<usize> = s
            .iter()
            .map(|x| body.find(x.as_str()).unwrap_or(0))
            .collect();
        assert!(pos.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn short_article_summary_is_its_lead() {
        let doc = Document::new("", "The talks ended on Monday. Both sides left.", "en");
        let df = DocFreq::default();
        assert_eq!(
            summarise(&doc, &Terms::new(&doc, &df)),
            Some(vec!["The talks ended on Monday.".to_string()])
        );
        let blank = Document::new("", "  ", "en");
        assert_eq!(summarise(&blank, &Terms::new(&blank, &df)), None);
    }

    /// The bundled keyword table (uniform weights when it cannot be read).
    fn table() -> &'static DocFreq {
        static T: std::sync::OnceLock<DocFreq> = std::sync::OnceLock::new();
        T.get_or_init(|| {
            let dir = crate::enrich::Enrichers::bundled_models_dir();
            DocFreq::load(&dir.join("keywords-df.bin")).unwrap_or_default()
        })
    }

    fn agree(title: &str, body: &str, code: &str) -> bool {
        let doc = Document::new(title, body, code);
        for df in [table(), &DocFreq::default()] {
            let terms = Terms::new(&doc, df);
            let want = lead_index(&doc).and_then(|i| reference::summarise_from(&doc, &terms, i));
            if summarise(&doc, &terms) != want {
                return false;
            }
        }
        true
    }

    /// Whether the TextRank scores of the sentences the summary ranks are
    /// those of the reference, to the bit.
    fn same_scores(title: &str, body: &str, code: &str) -> bool {
        let doc = Document::new(title, body, code);
        let Some(lead) = lead_index(&doc) else {
            return true;
        };
        for df in [table(), &DocFreq::default()] {
            let terms = Terms::new(&doc, df);
            let mut sc = Scratch::new();
            pick(&doc, &terms, lead, &mut sc);
            textrank(&doc, &terms, &mut sc);
            let keep: Vec<usize> = sc.keep.iter().map(|&i| i as usize).collect();
            let want = reference::textrank(&doc, &terms, &keep);
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            if bits(&sc.score) != bits(&want) {
                return false;
            }
        }
        true
    }

    #[test]
    fn agrees_with_reference_on_fixtures() {
        let texts = crate::enrich::fixture_texts();
        assert!(!texts.is_empty(), "fixtures missing");
        for text in &texts {
            for code in ["ar", "en", "fr", "und"] {
                assert!(agree("", text, code), "{code}: {text}");
                assert!(same_scores("", text, code), "{code}: {text}");
            }
        }
    }

    /// Articles of 1 to 70 content sentences: rows of one to nine
    /// vectors, the sizes `textrank::iterate` runs apart and the others.
    #[test]
    fn agrees_with_reference_at_every_row_size() {
        let words = [
            "talks",
            "deal",
            "nuclear",
            "Vienna",
            "sanctions",
            "Iran",
            "ministers",
            "oil",
            "prices",
            "court",
            "ruling",
            "army",
            "border",
            "election",
            "vote",
            "rain",
        ];
        let mut seed = 7u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as usize
        };
        for n in 1..=70 {
            let mut body = String::new();
            for _ in 0..n {
                body.push_str("The");
                for _ in 0..4 + next() % 5 {
                    body.push(' ');
                    body.push_str(words[next() % words.len()]);
                }
                body.push_str(".\n");
            }
            assert!(agree("", &body, "en"), "{n} sentences: {body}");
            assert!(same_scores("", &body, "en"), "{n} sentences: {body}");
        }
    }

    proptest! {
        #[test]
        fn agrees_with_reference(
            body in "((talks|deal|nuclear|Vienna|sanctions|the|on|and|said|Monday|it|الاتفاق|في|l'accord|de|1,500|[.!?]|\n| ){1,4}){0,120}",
            code in "(ar|en|fr|und)",
        ) {
            prop_assert!(agree("Talks", &body, &code));
            prop_assert!(same_scores("Talks", &body, &code));
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,300}") {
            let doc = Document::new("t", &s, "und");
            let _ = lead(&doc);
            let df = DocFreq::default();
            if let Some(sum) = summarise(&doc, &Terms::new(&doc, &df)) {
                prop_assert!(!sum.is_empty() && sum.len() <= MAX_SUMMARY);
            }
        }
    }
}
