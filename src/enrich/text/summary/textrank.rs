//! TextRank over the summary's sentence vectors: cosine similarities of
//! every pair of ranked sentences, then the power iteration (damping
//! 0.85) that scores them.

use super::super::keywords::Terms;
use super::super::Document;
use super::{postings, Scratch};

/// Lanes the TextRank rows are padded to, so that a row is whole vectors.
const LANES: usize = 8;

/// Cosine similarities of every pair of the `n` sentences into `w`, as `n`
/// rows of `stride` (`n` rounded up to [`LANES`], the padding zero): the
/// products of the terms two sentences share, summed in term order,
/// gathered term by term (pairs without a shared term cost nothing), into
/// both cells of the pair.
fn similarities(
    n: usize,
    stride: usize,
    postings: &[(u32, f32)],
    shared: &[(u32, u32)],
    w: &mut Vec<f32>,
) {
    w.clear();
    w.resize(n * stride, 0.0);
    for &(from, end) in shared {
        let group = postings.get(from as usize..end as usize).unwrap_or(&[]);
        for (k, &(i, x)) in group.iter().enumerate() {
            for &(j, y) in &group[k + 1..] {
                let p = x * y;
                if let Some(s) = w.get_mut(i as usize * stride + j as usize) {
                    *s += p;
                }
                if let Some(s) = w.get_mut(j as usize * stride + i as usize) {
                    *s += p;
                }
            }
        }
    }
}

/// TextRank scores (damping 0.85) of the sentences `sc.keep`, in that
/// order, into `sc.score`.
pub(super) fn textrank(doc: &Document<'_>, terms: &Terms<'_>, sc: &mut Scratch) {
    let n = sc.keep.len();
    sc.score.clear();
    if n == 0 {
        return;
    }
    let stride = n.div_ceil(LANES) * LANES;
    postings(doc, terms, sc);
    let w = &mut sc.w;
    similarities(n, stride, &sc.postings, &sc.shared, w);
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
    let score = &mut sc.score;
    score.resize(n, 1.0);
    let sum = &mut sc.sum;
    sum.clear();
    sum.resize(stride, 0.0);
    iterate(w, stride, score, sum);
}

/// The power iteration of [`textrank`]: `score` (starting at 1) and `sum`
/// (zero), `w` the transition matrix's columns as rows of `stride`.
/// Apart, so that the compiler knows that the sums are not the matrix.
#[inline(never)]
fn iterate(w: &[f32], stride: usize, score: &mut [f32], sum: &mut [f32]) {
    // Most articles have rows of one to four vectors: a pass then keeps
    // its sums in registers (see `iterate_rows`).
    let done = match w.get(..score.len() * stride) {
        Some(w) if stride == LANES => iterate_rows::<LANES>(w, score),
        Some(w) if stride == 2 * LANES => iterate_rows::<{ 2 * LANES }>(w, score),
        Some(w) if stride == 3 * LANES => iterate_rows::<{ 3 * LANES }>(w, score),
        Some(w) if stride == 4 * LANES => iterate_rows::<{ 4 * LANES }>(w, score),
        _ => false,
    };
    if done {
        return;
    }
    for _ in 0..30 {
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
        for (column, &sj) in columns
            .remainder()
            .chunks_exact(stride)
            .zip(scores.remainder())
        {
            for (s, &mij) in sum.iter_mut().zip(column) {
                *s += mij * sj;
            }
        }
        // The sums are taken and left at zero for the next pass (the
        // padding's stay zero).
        let mut delta = 0.0f32;
        for (x, s) in score.iter_mut().zip(sum.iter_mut()) {
            let next = 0.15 + 0.85 * std::mem::take(s);
            delta += (next - *x).abs();
            *x = next;
        }
        if delta < 1e-4 {
            break;
        }
    }
}

/// [`iterate`] when the rows are `S` lanes (`false`, and nothing done,
/// when the scores do not fit in them), with the same results to the bit:
/// each sum starts at zero and adds the same products in column order,
/// each score is `0.15 + 0.85 × sum`, and the changes are added up in
/// sentence order from zero for the same test.
///
/// `S` is a constant, so that the sums stay in registers across the
/// columns (instead of being read and written once a column) and the
/// scores, sums and changes are whole vectors; the lanes past the
/// sentences are worked out and left unread.
fn iterate_rows<const S: usize>(w: &[f32], score: &mut [f32]) -> bool {
    let n = score.len();
    let mut x = [0.0f32; S];
    let Some(head) = x.get_mut(..n) else {
        return false;
    };
    head.copy_from_slice(score);
    let mut d = [0.0f32; S];
    for _ in 0..30 {
        let mut sum = [0.0f32; S];
        // Two columns at a time (one loop's overhead for both): each sum
        // still adds column j's product before column j + 1's.
        let mut columns = w.chunks_exact(2 * S);
        for (pair, sj) in columns.by_ref().zip(x.chunks_exact(2)) {
            let (a, b) = pair.split_at(S);
            let (sa, sb) = (sj[0], sj[1]);
            for ((s, &ma), &mb) in sum.iter_mut().zip(a).zip(b) {
                *s = (*s + ma * sa) + mb * sb;
            }
        }
        if let (Some(column), Some(&sj)) = (columns.remainder().get(..S), x.get(n & !1)) {
            for (s, &mij) in sum.iter_mut().zip(column) {
                *s += mij * sj;
            }
        }
        for ((x, d), s) in x.iter_mut().zip(&mut d).zip(sum) {
            let next = 0.15 + 0.85 * s;
            *d = (next - *x).abs();
            *x = next;
        }
        let delta = d.iter().take(n).fold(0.0f32, |delta, &d| delta + d);
        if delta < 1e-4 {
            break;
        }
    }
    score.copy_from_slice(&x[..n]);
    true
}
