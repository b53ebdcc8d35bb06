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
use super::{Document, Sentence, TokenKind};

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
    let i = lead_index(doc)?;
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

/// Sentence vectors: sorted `(stem hash, tf × idf)` pairs, L2-normalised.
fn vectors(doc: &Document<'_>, terms: &Terms<'_>, keep: &[usize]) -> Vec<Vec<(u64, f32)>> {
    let sentences = doc.sentences();
    let tokens = doc.tokens();
    keep.iter()
        .map(|&i| {
            let range = sentences[i].token_range();
            let mut v: Vec<(u64, f32)> = Vec::with_capacity(range.len());
            for k in range {
                if tokens
                    .get(k)
                    .is_some_and(|t| t.kind == TokenKind::Word && !t.stop)
                {
                    v.push((terms.hash(k), terms.idf(k)));
                }
            }
            v.sort_unstable_by_key(|p| p.0);
            v.dedup_by(|b, a| {
                if a.0 == b.0 {
                    a.1 += b.1;
                    true
                } else {
                    false
                }
            });
            let norm: f32 = v.iter().map(|p| p.1 * p.1).sum();
            let norm = norm.sqrt().max(f32::MIN_POSITIVE);
            for p in &mut v {
                p.1 /= norm;
            }
            v
        })
        .collect()
}

/// Cosine similarities of every pair of (normalised) vectors, `n × n`:
/// the products of the stems two sentences share, summed in hash order,
/// gathered stem by stem (pairs without a shared stem cost nothing).
fn similarities(vecs: &[Vec<(u64, f32)>]) -> Vec<f32> {
    let n = vecs.len();
    let mut w = vec![0.0f32; n * n];
    // (stem hash, sentence, weight), by hash then sentence.
    let mut postings: Vec<(u64, u32, f32)> = Vec::with_capacity(vecs.iter().map(Vec::len).sum());
    for (i, v) in vecs.iter().enumerate() {
        postings.extend(v.iter().map(|&(h, x)| (h, i as u32, x)));
    }
    postings.sort_unstable_by_key(|p| (p.0, p.1));
    for group in postings.chunk_by(|a, b| a.0 == b.0) {
        for (k, &(_, i, x)) in group.iter().enumerate() {
            for &(_, j, y) in &group[k + 1..] {
                if let Some(s) = w.get_mut(i as usize * n + j as usize) {
                    *s += x * y;
                }
            }
        }
    }
    for i in 0..n {
        for j in i + 1..n {
            w[j * n + i] = w[i * n + j];
        }
    }
    w
}

/// TextRank scores (damping 0.85) of the sentences `keep`, in that order.
fn textrank(vecs: &[Vec<(u64, f32)>]) -> Vec<f32> {
    let n = vecs.len();
    let w = similarities(vecs);
    let out: Vec<f32> = (0..n).map(|i| w[i * n..(i + 1) * n].iter().sum()).collect();
    // m[i][j] = w[j][i] / out[j] (0 when sentence j has no links), once,
    // row by row without its zeros: adding a zero product leaves a sum of
    // non-negative terms as it is, so the sums are the dense ones.
    let mut m: Vec<(u32, f32)> = Vec::new();
    let mut rows = Vec::with_capacity(n + 1);
    rows.push(0);
    for i in 0..n {
        for j in 0..n {
            if out[j] > 0.0 {
                let x = w[j * n + i] / out[j];
                if x != 0.0 {
                    m.push((j as u32, x));
                }
            }
        }
        rows.push(m.len());
    }
    let mut score = vec![1.0f32; n];
    let mut next = vec![0.0f32; n];
    for _ in 0..30 {
        let mut delta = 0.0f32;
        for i in 0..n {
            let mut s = 0.0;
            for &(j, mij) in &m[rows[i]..rows[i + 1]] {
                s += mij * score.get(j as usize).copied().unwrap_or(0.0);
            }
            next[i] = 0.15 + 0.85 * s;
            delta += (next[i] - score[i]).abs();
        }
        std::mem::swap(&mut score, &mut next);
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
    let lead = lead_index(doc)?;
    let sentences = doc.sentences();
    let keep: Vec<usize> = (0..sentences.len())
        .filter(|&i| i == lead || (i > lead && words(doc, &sentences[i]) >= MIN_WORDS))
        .collect();
    let want = summary_len(keep.len());
    let mut picked = vec![lead];
    if want > 1 {
        let scores = textrank(&vectors(doc, terms, &keep));
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
