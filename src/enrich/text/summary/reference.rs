//! The summariser as first written (a fresh buffer for each step, a full
//! sort of the ranked sentences), for the tests: the summariser of
//! `summary.rs` must pick the same sentences in the same order, on the
//! fixtures and on arbitrary texts.

use super::{summary_len, words, Document, Terms, MIN_WORDS};

const LANES: usize = 8;

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
pub(super) fn textrank(doc: &Document<'_>, terms: &Terms<'_>, keep: &[usize]) -> Vec<f32> {
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

pub(in super::super) fn summarise_from(
    doc: &Document<'_>,
    terms: &Terms<'_>,
    lead: usize,
) -> Option<Vec<String>> {
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
