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

use super::keywords::Terms;
use super::{Document, Sentence};

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

/// The sentence vectors of the sentences `keep` (tf × idf of their terms,
/// L2-normalised) as postings: `(sentence, weight)` grouped by term id in
/// increasing order (the stems' hash order), sentences increasing in each
/// group; and where each group ends.
///
/// A term's weight in a sentence is its idf added once per occurrence, in
/// the order the occurrences come.
fn postings(doc: &Document<'_>, terms: &Terms<'_>, keep: &[usize]) -> (Vec<(u32, f32)>, Vec<u32>) {
    let sentences = doc.sentences();
    // (term, sentence, weight) of each term of each sentence, sentence by
    // sentence; `slot[term]` is the entry of the term's latest sentence.
    // A starting size (a term is in a few sentences); it grows as needed.
    let mut entries: Vec<(u32, u32, f32)> = Vec::with_capacity(4 * terms.len() + 8);
    let mut slot = vec![u32::MAX; terms.len()];
    // Entries per term, shifted by one (then where each term's group starts).
    let mut start = vec![0u32; terms.len() + 1];
    for (k, s) in keep.iter().filter_map(|&i| sentences.get(i)).enumerate() {
        let first = entries.len() as u32;
        for t in doc.sentence_tokens(s) {
            let Some(term) = terms.term(doc, t) else {
                continue;
            };
            let Some(at) = slot.get_mut(term as usize) else {
                continue;
            };
            match entries.get_mut(*at as usize) {
                Some(e) if *at >= first => e.2 += terms.idf(term),
                _ => {
                    *at = entries.len() as u32;
                    entries.push((term, k as u32, terms.idf(term)));
                    if let Some(c) = start.get_mut(term as usize + 1) {
                        *c += 1;
                    }
                }
            }
        }
    }
    // Grouped by term, stably: sentences stay in order within a group.
    let mut group_ends = Vec::with_capacity(terms.len());
    for i in 1..start.len() {
        if start[i] > 0 {
            group_ends.push(start[i - 1] + start[i]);
        }
        start[i] += start[i - 1];
    }
    let mut out = vec![(0u32, 0.0f32); entries.len()];
    for &(term, k, x) in &entries {
        if let Some(p) = start.get_mut(term as usize) {
            if let Some(e) = out.get_mut(*p as usize) {
                *e = (k, x);
            }
            *p += 1;
        }
    }
    // Norms: squares added in term order, sentence by sentence.
    let mut norms = vec![0.0f32; keep.len()];
    for &(k, x) in &out {
        if let Some(n) = norms.get_mut(k as usize) {
            *n += x * x;
        }
    }
    for n in &mut norms {
        *n = n.sqrt().max(f32::MIN_POSITIVE);
    }
    for (k, x) in &mut out {
        *x /= norms.get(*k as usize).copied().unwrap_or(1.0);
    }
    (out, group_ends)
}

/// Lanes the TextRank rows are padded to, so that a row is whole vectors.
const LANES: usize = 8;

/// Cosine similarities of every pair of the `n` sentences, as `n` rows of
/// `stride` (`n` rounded up to [`LANES`], the padding zero): the products
/// of the terms two sentences share, summed in term order, gathered term by
/// term (pairs without a shared term cost nothing).
fn similarities(n: usize, stride: usize, postings: &[(u32, f32)], group_ends: &[u32]) -> Vec<f32> {
    let mut w = vec![0.0f32; n * stride];
    let mut from = 0;
    for &end in group_ends {
        let group = postings.get(from..end as usize).unwrap_or(&[]);
        from = end as usize;
        for (k, &(i, x)) in group.iter().enumerate() {
            let row = i as usize * stride;
            for &(j, y) in &group[k + 1..] {
                if let Some(s) = w.get_mut(row + j as usize) {
                    *s += x * y;
                }
            }
        }
    }
    for i in 0..n {
        for j in i + 1..n {
            w[j * stride + i] = w[i * stride + j];
        }
    }
    w
}

/// TextRank scores (damping 0.85) of the sentences `keep`, in that order.
fn textrank(doc: &Document<'_>, terms: &Terms<'_>, keep: &[usize]) -> Vec<f32> {
    let n = keep.len();
    if n == 0 {
        return Vec::new();
    }
    let stride = n.div_ceil(LANES) * LANES;
    let (postings, group_ends) = postings(doc, terms, keep);
    let mut w = similarities(n, stride, &postings, &group_ends);
    // Row j becomes column j of the transition matrix: m[i][j] = w[j][i] /
    // out[j] (w is symmetric; 0 when sentence j has no links).
    for row in w.chunks_exact_mut(stride) {
        let o: f32 = row[..n].iter().sum();
        if o > 0.0 {
            for x in &mut row[..n] {
                *x /= o;
            }
        }
    }
    // Each score sums its products in column order, as a row-by-row sum
    // would; zero products leave a sum of non-negative terms as it is, so
    // the padding changes nothing (and makes each row whole vectors).
    let mut score = vec![1.0f32; n];
    let mut sum = vec![0.0f32; stride];
    for _ in 0..30 {
        sum.fill(0.0);
        // Two columns a pass over the sums: each sum still adds column j's
        // product before column j + 1's.
        let mut columns = w.chunks_exact(2 * stride);
        let mut scores = score.chunks_exact(2);
        for (pair, sj) in columns.by_ref().zip(scores.by_ref()) {
            let (a, b) = pair.split_at(stride);
            let (sa, sb) = (sj[0], sj[1]);
            for ((s, &ma), &mb) in sum.iter_mut().zip(a).zip(b) {
                *s = (*s + ma * sa) + mb * sb;
            }
        }
        if let (Some(&sj), Some(column)) = (
            scores.remainder().first(),
            columns.remainder().get(..stride),
        ) {
            for (s, &mij) in sum.iter_mut().zip(column) {
                *s += mij * sj;
            }
        }
        let mut delta = 0.0f32;
        for (x, &s) in score.iter_mut().zip(&sum) {
            let next = 0.15 + 0.85 * s;
            delta += (next - *x).abs();
            *x = next;
        }
        if delta < 1e-4 {
            break;
        }
    }
    score
}

/// The summary: the lead sentence and the most central other sentences,
/// in document order, as written; `None` for an empty body. `terms` weighs
/// the stems (see [`Terms::new`]).
pub fn summarise(doc: &Document<'_>, terms: &Terms<'_>) -> Option<Vec<String>> {
    summarise_from(doc, terms, lead_index(doc)?)
}

/// [`summarise`] when the lead starts with sentence `lead` ([`lead_index`]).
pub fn summarise_from(doc: &Document<'_>, terms: &Terms<'_>, lead: usize) -> Option<Vec<String>> {
    let sentences = doc.sentences();
    let keep: Vec<usize> = (0..sentences.len())
        .filter(|&i| i == lead || (i > lead && words(doc, &sentences[i]) >= MIN_WORDS))
        .collect();
    let want = summary_len(keep.len());
    let mut picked = vec![lead];
    if want > 1 {
        let scores = textrank(doc, terms, &keep);
        let mut ranked: Vec<(usize, f32)> = keep
            .iter()
            .copied()
            .zip(scores)
            .filter(|&(i, _)| i != lead)
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        picked.extend(ranked.iter().take(want - 1).map(|&(i, _)| i));
    }
    picked.sort_unstable();
    Some(
        picked
            .into_iter()
            .map(|i| doc.sentence_text(&sentences[i]).to_string())
            .collect(),
    )
}

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
