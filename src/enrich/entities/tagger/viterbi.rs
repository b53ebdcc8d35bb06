//! Exact decoding of the best label sequence under the BIO constraints.

use super::{is_inside, transition_allowed, NUM_LABELS};

/// Best label sequence under `emissions` (`n × NUM_LABELS`, row-major) and
/// `transitions` (`(NUM_LABELS + 1) × NUM_LABELS`: row `p` is the previous
/// label, the last row the sentence start), respecting [`transition_allowed`].
///
/// The forward pass keeps only each label's best score; the previous label
/// that gave it is found again on the way back, from the same scores by the
/// same comparisons, so only the labels of the best path pay for it. Ties go
/// to the lowest previous label.
///
/// Each step takes, for every label at once, the maximum over all previous
/// labels of score plus transition, a forbidden step costing -inf: the
/// same sums in the same order as a scan over the allowed steps alone, so
/// the same scores, and rows of [`LANES`] floats the compiler turns into
/// vector additions and maxima.
pub fn viterbi(emissions: &[f32], transitions: &[f32]) -> Vec<usize> {
    const L: usize = NUM_LABELS;
    let n = emissions.len() / L;
    if n == 0 || transitions.len() < (L + 1) * L {
        return Vec::new();
    }
    let trans = constrained(transitions);
    let wide = widened(&trans);
    let mut rows = emissions.chunks_exact(L).map(padded);
    let mut scores: Vec<[f32; LANES]> = Vec::with_capacity(n);
    let mut score = rows.next().unwrap_or_default();
    for (s, &t) in score.iter_mut().zip(&trans[L]) {
        *s += t;
    }
    scores.push(score);
    for em in rows {
        let best = step(&score, &wide);
        for ((x, b), e) in score.iter_mut().zip(best).zip(em) {
            *x = b + e;
        }
        scores.push(score);
    }
    let mut labels = vec![0usize; n];
    labels[n - 1] = best_label(&score);
    for i in (1..n).rev() {
        labels[i - 1] = best_step(&scores[i - 1], &trans, labels[i]).1;
    }
    labels
}

/// Labels padded to a whole number of four-float vectors.
const LANES: usize = NUM_LABELS.div_ceil(4) * 4;

/// One token's label scores, padded with zeros to [`LANES`] floats.
#[inline(always)]
fn padded(row: &[f32]) -> [f32; LANES] {
    let mut out = [0f32; LANES];
    for (o, &x) in out.iter_mut().zip(row) {
        *o = x;
    }
    out
}

/// The constrained transitions from each previous label (rows `0..NUM_LABELS`),
/// padded with -inf to [`LANES`] floats.
fn widened(trans: &[[f32; NUM_LABELS]; NUM_LABELS + 1]) -> [[f32; LANES]; NUM_LABELS] {
    let mut wide = [[f32::NEG_INFINITY; LANES]; NUM_LABELS];
    for (w, t) in wide.iter_mut().zip(trans) {
        w[..NUM_LABELS].copy_from_slice(t);
    }
    wide
}

/// The best score of a step into every label from the labels scored
/// `score`: for each label, the largest `score[p] + trans[p][c]` over `p`
/// in increasing order (a later one only when strictly larger, as
/// [`best_step`] compares).
#[inline(always)]
fn step(score: &[f32; LANES], wide: &[[f32; LANES]; NUM_LABELS]) -> [f32; LANES] {
    let mut best = wide[0];
    for b in &mut best {
        *b += score[0];
    }
    for (&s, row) in score[1..NUM_LABELS].iter().zip(&wide[1..]) {
        for (b, &t) in best.iter_mut().zip(row) {
            let v = s + t;
            *b = if v > *b { v } else { *b };
        }
    }
    best
}

/// The label of the best score (the lowest on a tie).
fn best_label(score: &[f32]) -> usize {
    let mut last = 0;
    for c in 1..NUM_LABELS {
        if score[c] > score[last] {
            last = c;
        }
    }
    last
}

/// The transitions (`(NUM_LABELS + 1) × NUM_LABELS`, at least) with the
/// constraints folded in: a forbidden step costs -inf.
fn constrained(transitions: &[f32]) -> [[f32; NUM_LABELS]; NUM_LABELS + 1] {
    const L: usize = NUM_LABELS;
    let mut trans = [[f32::NEG_INFINITY; L]; L + 1];
    for (p, row) in trans.iter_mut().enumerate() {
        for (c, t) in row.iter_mut().enumerate() {
            let prev = (p < L).then_some(p);
            if transition_allowed(prev, c) {
                *t = transitions
                    .get(p * L + c)
                    .copied()
                    .unwrap_or(f32::NEG_INFINITY);
            }
        }
    }
    trans
}

/// The best score of a step into label `c` from the labels scored `score`
/// and the previous label that gives it (the lowest on a tie).
#[inline(always)]
fn best_step(score: &[f32], trans: &[[f32; NUM_LABELS]; NUM_LABELS + 1], c: usize) -> (f32, usize) {
    if is_inside(c) {
        // `I-x` may only follow `B-x` (c - 1) or `I-x` (c): two candidates.
        let (b, i) = (score[c - 1] + trans[c - 1][c], score[c] + trans[c][c]);
        if i > b {
            (i, c)
        } else {
            (b, c - 1)
        }
    } else {
        let mut best = score[0] + trans[0][c];
        let mut arg = 0;
        for p in 1..NUM_LABELS {
            let v = score[p] + trans[p][c];
            if v > best {
                best = v;
                arg = p;
            }
        }
        (best, arg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viterbi_never_starts_inside() {
        // Emissions strongly favour I-PER everywhere; the constraint forces B-PER first.
        let n = 3;
        let mut em = vec![0f32; n * NUM_LABELS];
        for i in 0..n {
            em[i * NUM_LABELS + 2] = 10.0;
        }
        let trans = vec![0f32; (NUM_LABELS + 1) * NUM_LABELS];
        let labels = viterbi(&em, &trans);
        assert_eq!(labels, vec![1, 2, 2]);
    }

    #[test]
    fn viterbi_does_not_continue_other_type() {
        // Token 0 wants B-ORG, token 1 wants I-PER: I-PER cannot follow B-ORG.
        let mut em = vec![0f32; 2 * NUM_LABELS];
        em[3] = 5.0;
        em[NUM_LABELS + 2] = 4.0;
        em[NUM_LABELS + 4] = 1.0;
        let trans = vec![0f32; (NUM_LABELS + 1) * NUM_LABELS];
        let labels = viterbi(&em, &trans);
        assert_eq!(labels, vec![3, 4]);
        for w in labels.windows(2) {
            assert!(transition_allowed(Some(w[0]), w[1]));
        }
    }

    #[test]
    fn viterbi_follows_transitions() {
        // Equal emissions; the transition O -> B-LOC is rewarded.
        let mut em = vec![0f32; 2 * NUM_LABELS];
        em[0] = 1.0;
        let mut trans = vec![0f32; (NUM_LABELS + 1) * NUM_LABELS];
        trans[5] = 2.0; // row 0 (O) -> B-LOC
        assert_eq!(viterbi(&em, &trans), vec![0, 5]);
        assert!(viterbi(&[], &trans).is_empty());
    }

    /// Best label sequence under `emissions` (`n × NUM_LABELS`, row-major) and
    /// `transitions` (`(NUM_LABELS + 1) × NUM_LABELS`: row `p` is the previous
    /// label, the last row the sentence start), respecting [`transition_allowed`].
    fn reference_viterbi(emissions: &[f32], transitions: &[f32]) -> Vec<usize> {
        const L: usize = NUM_LABELS;
        let n = emissions.len() / L;
        if n == 0 || transitions.len() < (L + 1) * L {
            return Vec::new();
        }
        let trans = constrained(transitions);
        let mut score = [0f32; L];
        for (c, s) in score.iter_mut().enumerate() {
            *s = emissions[c] + trans[L][c];
        }
        let mut back = vec![0u8; n * L];
        for i in 1..n {
            let mut next = [0f32; L];
            let em = &emissions[i * L..(i + 1) * L];
            let bk = &mut back[i * L..(i + 1) * L];
            for c in 0..L {
                // `I-x` may only follow `B-x` (c - 1) or `I-x` (c): two candidates.
                // Selections rather than branches: the winners are hard to predict.
                let (best, arg) = if is_inside(c) {
                    let (b, i) = (score[c - 1] + trans[c - 1][c], score[c] + trans[c][c]);
                    let stay = i > b;
                    (
                        if stay { i } else { b },
                        if stay { c as u8 } else { (c - 1) as u8 },
                    )
                } else {
                    let mut best = score[0] + trans[0][c];
                    let mut arg = 0u8;
                    for p in 1..L {
                        let v = score[p] + trans[p][c];
                        let better = v > best;
                        best = if better { v } else { best };
                        arg = if better { p as u8 } else { arg };
                    }
                    (best, arg)
                };
                next[c] = best + em[c];
                bk[c] = arg;
            }
            score = next;
        }
        let mut labels = vec![0usize; n];
        labels[n - 1] = best_label(&score);
        for i in (1..n).rev() {
            labels[i - 1] = usize::from(back[i * L + labels[i]]);
        }
        labels
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        /// Small whole numbers make ties common.
        #[test]
        fn viterbi_matches_the_scan_with_back_pointers(
            n in 1usize..12,
            em in proptest::collection::vec(-3i8..=3, 11 * NUM_LABELS),
            tr in proptest::collection::vec(-3i8..=3, (NUM_LABELS + 1) * NUM_LABELS),
            zero in proptest::bool::ANY,
        ) {
            let em: Vec<f32> = em[..n * NUM_LABELS].iter().map(|&x| f32::from(x)).collect();
            let mut tr: Vec<f32> = tr.iter().map(|&x| f32::from(x) * 0.5).collect();
            if zero {
                tr[0] = -0.0;
            }
            proptest::prop_assert_eq!(viterbi(&em, &tr), reference_viterbi(&em, &tr));
        }
    }
}
