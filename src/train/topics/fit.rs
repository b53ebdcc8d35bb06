//! The optimiser and the calibration: one-vs-rest logistic regression with
//! AdaGrad over sparse hashed features, Platt scaling, thresholds, and the
//! quantisation into the shipped model.

// Label-indexed loops over several parallel per-label arrays read best as ranges.
#![allow(clippy::needless_range_loop)]

use crate::enrich::topic::features::{self, FeatureConfig};
use crate::enrich::topic::format::{sigmoid, LabelParams, TopicModel};
use crate::enrich::topic::{select, N_LABELS};

/// Gradients smaller than this are skipped.
const MIN_GRADIENT: f32 = 0.01;

/// Sparse feature vector of an article, as the model sees it: sorted unique
/// feature indices and their values (occurrences / sqrt(total occurrences)).
pub fn sparse(cfg: &FeatureConfig, title: &str, body: &str) -> (Vec<u32>, Vec<f32>) {
    let mut raw = Vec::new();
    features::featurise(
        cfg,
        title,
        body,
        &mut features::Scratch::default(),
        &mut raw,
    );
    if raw.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let norm = 1.0 / (raw.len() as f32).sqrt();
    raw.sort_unstable();
    let mut idx = Vec::new();
    let mut val: Vec<f32> = Vec::new();
    for i in raw {
        if idx.last() == Some(&i) {
            if let Some(v) = val.last_mut() {
                *v += norm;
            }
        } else {
            idx.push(i);
            val.push(norm);
        }
    }
    (idx, val)
}

/// A sparse feature vector.
#[derive(Debug, Clone, Default)]
pub struct Sparse {
    pub idx: Vec<u32>,
    pub val: Vec<f32>,
}

/// One training entry for [`fit`]: features, label states (1 positive,
/// 0 negative, -1 unknown: no loss) and a loss weight.
pub struct Sample<'a> {
    pub x: &'a Sparse,
    pub states: [i8; N_LABELS],
    pub weight: f32,
}

/// Float weights during training, feature-major.
pub struct Weights {
    pub w: Vec<f32>,
    pub bias: [f32; N_LABELS],
}

impl Weights {
    pub fn raw(&self, x: &Sparse) -> [f32; N_LABELS] {
        let mut s = self.bias;
        for (&i, &v) in x.idx.iter().zip(&x.val) {
            let row = &self.w[i as usize * N_LABELS..(i as usize + 1) * N_LABELS];
            for (a, w) in s.iter_mut().zip(row) {
                *a += w * v;
            }
        }
        s
    }
}

struct SplitMix(u64);
impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Settings of [`fit`].
#[derive(Debug, Clone, Copy)]
pub struct FitOptions {
    pub dims: usize,
    pub epochs: usize,
    pub learning_rate: f32,
    /// Loss weight of a label's positive entries (class balance).
    pub pos_weight: [f32; N_LABELS],
    pub seed: u64,
}

/// The mean of `n` fits (seeds `seed`, `seed + 1000`, ...): the same data
/// in `n` orders, averaged, varies less with the seed than one fit.
pub fn fit_averaged(samples: &[Sample], opts: &FitOptions, n: usize) -> Weights {
    use rayon::prelude::*;
    let n = n.max(1);
    let fits: Vec<Weights> = (0..n as u64)
        .into_par_iter()
        .map(|k| {
            let o = FitOptions {
                seed: opts.seed.wrapping_add(k * 1000),
                ..*opts
            };
            fit(samples, &o)
        })
        .collect();
    let mut out = Weights {
        w: vec![0.0; opts.dims * N_LABELS],
        bias: [0.0; N_LABELS],
    };
    let scale = 1.0 / n as f32;
    for f in &fits {
        for (o, w) in out.w.iter_mut().zip(&f.w) {
            *o += w * scale;
        }
        for (o, b) in out.bias.iter_mut().zip(&f.bias) {
            *o += b * scale;
        }
    }
    out
}

/// One-vs-rest logistic regression with AdaGrad; unknown entries carry no loss.
pub fn fit(samples: &[Sample], opts: &FitOptions) -> Weights {
    let lr = opts.learning_rate;
    let mut wts = Weights {
        w: vec![0.0; opts.dims * N_LABELS],
        bias: [0.0; N_LABELS],
    };
    let mut g2 = vec![1e-6f32; opts.dims * N_LABELS];
    let mut gb = [1e-6f32; N_LABELS];
    let mut order: Vec<usize> = (0..samples.len()).collect();
    let mut rng = SplitMix(opts.seed);
    for _ in 0..opts.epochs {
        rng.shuffle(&mut order);
        for &e in &order {
            let s = &samples[e];
            let raw = wts.raw(s.x);
            let mut grad = [0f32; N_LABELS];
            for l in 0..N_LABELS {
                let y = s.states[l];
                if y >= 0 {
                    let g = sigmoid(raw[l]) - f32::from(y);
                    // Entries the model already fits carry no update: most
                    // negatives, after the first epoch (saves most of the time).
                    if g.abs() >= MIN_GRADIENT {
                        let w = if y == 1 { opts.pos_weight[l] } else { 1.0 };
                        grad[l] = g * w * s.weight;
                    }
                }
            }
            for l in 0..N_LABELS {
                if grad[l] != 0.0 {
                    gb[l] += grad[l] * grad[l];
                    wts.bias[l] -= lr * grad[l] / gb[l].sqrt();
                }
            }
            for (&i, &v) in s.x.idx.iter().zip(&s.x.val) {
                let base = i as usize * N_LABELS;
                for l in 0..N_LABELS {
                    if grad[l] != 0.0 {
                        let g = grad[l] * v;
                        g2[base + l] += g * g;
                        wts.w[base + l] -= lr * g / g2[base + l].sqrt();
                    }
                }
            }
        }
    }
    wts
}

/// Fits Platt's `sigmoid(a * raw + b)` to (raw score, label) pairs: Newton's
/// method with backtracking on the log loss with Platt's smoothed targets and
/// a weak prior towards `(1, 0)` (keeps separable labels finite).
pub fn fit_platt(pairs: &[(f32, bool)]) -> (f32, f32) {
    let pos = pairs.iter().filter(|p| p.1).count() as f64;
    let neg = pairs.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return (1.0, 0.0);
    }
    let hi = (pos + 1.0) / (pos + 2.0);
    let lo = 1.0 / (neg + 2.0);
    const PRIOR: f64 = 1.0;
    let loss = |a: f64, b: f64| -> f64 {
        let mut l = 0.5 * PRIOR * ((a - 1.0).powi(2) + b * b);
        for &(x, y) in pairs {
            let t = if y { hi } else { lo };
            let z = a * f64::from(x) + b;
            // log(1 + e^z) - t z, stably.
            let softplus = if z > 0.0 {
                z + (-z).exp().ln_1p()
            } else {
                z.exp().ln_1p()
            };
            l += softplus - t * z;
        }
        l
    };
    let (mut a, mut b) = (1.0f64, 0.0f64);
    let mut current = loss(a, b);
    for _ in 0..100 {
        let (mut ga, mut gb) = (PRIOR * (a - 1.0), PRIOR * b);
        let (mut haa, mut hab, mut hbb) = (PRIOR, 0.0, PRIOR);
        for &(x, y) in pairs {
            let x = f64::from(x);
            let t = if y { hi } else { lo };
            let p = 1.0 / (1.0 + (-(a * x + b)).exp());
            let d = p - t;
            let h = p * (1.0 - p);
            ga += d * x;
            gb += d;
            haa += h * x * x;
            hab += h * x;
            hbb += h;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-12 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        let mut step = 1.0;
        let mut moved = false;
        while step > 1e-6 {
            let (na, nb) = (a - step * da, b - step * db);
            let l = loss(na, nb);
            if l <= current {
                a = na;
                b = nb;
                current = l;
                moved = true;
                break;
            }
            step /= 2.0;
        }
        if !moved || (da.abs() + db.abs()) * step < 1e-7 {
            break;
        }
    }
    (a as f32, b as f32)
}

/// Moves Platt's offset `b` of `platt = (a, b0)` to fit (raw score, label)
/// pairs, with a Gaussian prior of strength `prior` around `b0`: Newton's
/// method on the prior-penalised log loss (the slope stays).
pub fn shift_platt(pairs: &[(f32, bool)], platt: (f32, f32), prior: f32) -> f32 {
    let (a, b0) = (f64::from(platt.0), f64::from(platt.1));
    let prior = f64::from(prior).max(1e-6);
    let mut b = b0;
    for _ in 0..50 {
        let (mut g, mut h) = (prior * (b - b0), prior);
        for &(x, y) in pairs {
            let p = 1.0 / (1.0 + (-(a * f64::from(x) + b)).exp());
            g += p - f64::from(u8::from(y));
            h += p * (1.0 - p);
        }
        let step = g / h;
        b -= step;
        if step.abs() < 1e-9 {
            break;
        }
    }
    b as f32
}

/// Set micro-F1 and primary-topic accuracy of [`select`] on raw scores
/// calibrated with `platt` and cut at `thresholds`, against gold topic sets
/// (primary first).
pub fn set_scores(
    raw: &[[f32; N_LABELS]],
    gold: &[&[usize]],
    platt: &[(f32, f32); N_LABELS],
    thresholds: &[f32; N_LABELS],
) -> (f64, f64) {
    let mut labels = [LabelParams::default(); N_LABELS];
    for l in 0..N_LABELS {
        labels[l].threshold = thresholds[l];
    }
    let (mut tp, mut fp, mut fn_, mut right) = (0u64, 0u64, 0u64, 0u64);
    for (r, g) in raw.iter().zip(gold) {
        let mut p = [0f32; N_LABELS];
        for l in 0..N_LABELS {
            p[l] = sigmoid(platt[l].0 * r[l] + platt[l].1);
        }
        let chosen = select(&p, &labels);
        right += u64::from(chosen.first() == g.first());
        for l in 0..N_LABELS {
            match (g.contains(&l), chosen.contains(&l)) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                _ => {}
            }
        }
    }
    (
        2.0 * tp as f64 / (2 * tp + fp + fn_).max(1) as f64,
        right as f64 / raw.len().max(1) as f64,
    )
}

/// Set micro-F1 of [`select`] on calibrated dev probabilities against label
/// states (unknown entries ignored).
fn micro_f1(probs: &[[f32; N_LABELS]], states: &[[i8; N_LABELS]], params: &[LabelParams]) -> f64 {
    let mut labels = [LabelParams::default(); N_LABELS];
    labels.copy_from_slice(params);
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    for (p, s) in probs.iter().zip(states) {
        let chosen = select(p, &labels);
        for l in 0..N_LABELS {
            match (s[l], chosen.contains(&l)) {
                (1, true) => tp += 1,
                (0, true) => fp += 1,
                (1, false) => fn_ += 1,
                _ => {}
            }
        }
    }
    2.0 * tp as f64 / (2 * tp + fp + fn_).max(1) as f64
}

/// Thresholds chosen on dev: the one global threshold that maximises the set
/// micro-F1; then, when `per_label`, each label with at least
/// `min_positives` dev positives in turn moves its own threshold where the
/// micro-F1 gains most (coordinate ascent, two sweeps). Returns the
/// thresholds and the dev micro-F1.
pub fn choose_thresholds(
    probs: &[[f32; N_LABELS]],
    states: &[[i8; N_LABELS]],
    per_label: bool,
    min_positives: usize,
) -> ([f32; N_LABELS], f64) {
    let grid: Vec<f32> = (5..=95).map(|s| s as f32 / 100.0).collect();
    let mut params = [LabelParams::default(); N_LABELS];
    let mut best = (0.5f32, -1.0f64);
    for &t in &grid {
        for p in params.iter_mut() {
            p.threshold = t;
        }
        let f = micro_f1(probs, states, &params);
        if f > best.1 {
            best = (t, f);
        }
    }
    for p in params.iter_mut() {
        p.threshold = best.0;
    }
    let mut score = best.1;
    if per_label {
        for _ in 0..2 {
            for l in 0..N_LABELS {
                let positives = states.iter().filter(|s| s[l] == 1).count();
                if positives < min_positives {
                    continue;
                }
                let keep = params[l].threshold;
                let mut local = (keep, score);
                // Coarse steps: a label's threshold is fitted on few entries.
                for &t in grid.iter().step_by(5) {
                    params[l].threshold = t;
                    let f = micro_f1(probs, states, &params);
                    if f > local.1 + 1e-9 {
                        local = (t, f);
                    }
                }
                params[l].threshold = local.0;
                score = local.1;
            }
        }
    }
    let mut out = [0f32; N_LABELS];
    for l in 0..N_LABELS {
        out[l] = params[l].threshold;
    }
    (out, score)
}

/// Quantises float weights to i16 per label.
pub fn quantise(
    cfg: FeatureConfig,
    wts: &Weights,
    platt: &[(f32, f32); N_LABELS],
    thresholds: &[f32; N_LABELS],
    meta: String,
) -> TopicModel {
    let mut max = [0f32; N_LABELS];
    for row in wts.w.chunks_exact(N_LABELS) {
        for (m, w) in max.iter_mut().zip(row) {
            *m = m.max(w.abs());
        }
    }
    let scale: Vec<f32> = max
        .iter()
        .map(|m| if *m > 0.0 { m / 32767.0 } else { 1.0 })
        .collect();
    let weights = wts
        .w
        .chunks_exact(N_LABELS)
        .flat_map(|row| {
            row.iter()
                .zip(&scale)
                .map(|(w, s)| (w / s).round().clamp(-32767.0, 32767.0) as i16)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut labels = [LabelParams::default(); N_LABELS];
    for l in 0..N_LABELS {
        labels[l] = LabelParams {
            scale: scale[l],
            bias: wts.bias[l],
            platt_a: platt[l].0,
            platt_b: platt[l].1,
            threshold: thresholds[l],
        };
    }
    TopicModel {
        config: cfg,
        labels,
        meta,
        weights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platt_fits_a_monotone_calibration() {
        // Scores above 0 are mostly positive, below mostly negative.
        let pairs: Vec<(f32, bool)> = (0..200)
            .map(|i| {
                let x = (i as f32 - 100.0) / 20.0;
                (x, (i % 10 < 8) == (x > 0.0))
            })
            .collect();
        let (a, b) = fit_platt(&pairs);
        assert!(a > 0.0 && a.is_finite() && b.is_finite(), "{a} {b}");
        let p_hi = sigmoid(a * 4.0 + b);
        assert!((0.7..0.95).contains(&p_hi), "{p_hi}");
        // Separable data stays finite.
        let sep: Vec<(f32, bool)> = (0..50).map(|i| (i as f32 - 25.0, i >= 25)).collect();
        let (a, b) = fit_platt(&sep);
        assert!(a.is_finite() && b.is_finite() && a < 100.0);
    }

    #[test]
    fn averaged_fit_is_the_mean_of_its_fits() {
        let x = Sparse {
            idx: vec![1, 3],
            val: vec![0.7, 0.7],
        };
        let y = Sparse {
            idx: vec![2],
            val: vec![1.0],
        };
        let mut pos = [0i8; N_LABELS];
        pos[0] = 1;
        let samples = [
            Sample {
                x: &x,
                states: pos,
                weight: 1.0,
            },
            Sample {
                x: &y,
                states: [0; N_LABELS],
                weight: 1.0,
            },
        ];
        let opts = FitOptions {
            dims: 4,
            epochs: 3,
            learning_rate: 0.5,
            pos_weight: [1.0; N_LABELS],
            seed: 3,
        };
        let one = fit(&samples, &opts);
        let same = fit_averaged(&samples, &opts, 1);
        assert_eq!(one.w, same.w);
        let two = fit_averaged(&samples, &opts, 2);
        let other = fit(&samples, &FitOptions { seed: 1003, ..opts });
        for i in 0..one.w.len() {
            assert!((two.w[i] - (one.w[i] + other.w[i]) / 2.0).abs() < 1e-6);
        }
        assert!(two.raw(&x)[0] > two.raw(&y)[0]);
    }

    #[test]
    fn platt_shift_follows_the_pairs_within_the_prior() {
        // Scores around 0, but three quarters of the pairs are positive.
        let pairs: Vec<(f32, bool)> = (0..80)
            .map(|i| ((i % 5) as f32 - 2.0, i % 4 != 0))
            .collect();
        let held = shift_platt(&pairs, (1.0, 0.0), 100.0);
        let free = shift_platt(&pairs, (1.0, 0.0), 1.0);
        assert!(held > 0.0 && free > held, "{held} {free}");
        assert!(free < 3.0, "{free}");
        assert_eq!(shift_platt(&[], (1.0, 0.5), 1.0), 0.5);
    }

    #[test]
    fn set_scores_count_sets_and_primaries() {
        let mut raw = [[-5f32; N_LABELS]; 2];
        raw[0][0] = 5.0;
        raw[0][1] = 1.0;
        raw[1][2] = 5.0;
        let platt = [(1.0, 0.0); N_LABELS];
        let gold: [&[usize]; 2] = [&[0, 1], &[3]];
        let (f1, acc) = set_scores(&raw, &gold, &platt, &[0.5; N_LABELS]);
        // Article 0: {0, 1} right; article 1: 2 for 3. tp 2, fp 1, fn 1.
        assert!((f1 - 4.0 / 6.0).abs() < 1e-9, "{f1}");
        assert!((acc - 0.5).abs() < 1e-9, "{acc}");
    }

    #[test]
    fn thresholds_separate_dev_labels() {
        // Label 0 positives score 0.6, negatives 0.3; label 1 positives 0.9,
        // negatives 0.7 (a label whose own threshold must be higher).
        let mut probs = Vec::new();
        let mut states = Vec::new();
        for i in 0..40 {
            let (mut p, mut s) = ([0.01f32; N_LABELS], [0i8; N_LABELS]);
            let pos0 = i % 2 == 0;
            let pos1 = i % 4 == 0;
            p[0] = if pos0 { 0.6 } else { 0.3 };
            s[0] = i8::from(pos0);
            p[1] = if pos1 { 0.9 } else { 0.7 };
            s[1] = i8::from(pos1);
            probs.push(p);
            states.push(s);
        }
        let (global, f_global) = choose_thresholds(&probs, &states, false, 5);
        let (own, f_own) = choose_thresholds(&probs, &states, true, 5);
        assert!(global.windows(2).all(|w| w[0] == w[1]));
        assert!(f_own > f_global, "{f_own} {f_global}");
        assert!(own[1] > 0.7 && own[1] <= 0.9, "{own:?}");
        assert!(own[0] > 0.3 && own[0] <= 0.6, "{own:?}");
    }
}
