//! The averaged structured perceptron that trains the tagger.

use rand::seq::SliceRandom;
use rand::SeedableRng;

use super::conll::Sentence;
use super::score::Score;
use crate::enrich::entities::features::{bucket, FeatureBuf, Featurizer, Lexicon, Script};
use crate::enrich::entities::tagger::{spans_from_labels, viterbi, LangModel, NUM_LABELS};

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainConfig {
    /// The weight table has `1 << bits` rows.
    pub bits: u32,
    pub epochs: usize,
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            bits: 20,
            epochs: 25,
            seed: 42,
        }
    }
}

/// Precomputed weight-table rows of every token of a sentence.
struct Encoded {
    rows: Vec<u32>,
    offsets: Vec<usize>,
    labels: Vec<usize>,
}

fn encode(featurizer: &Featurizer, bits: u32, sentences: &[Sentence]) -> Vec<Encoded> {
    let mut buf = FeatureBuf::default();
    sentences
        .iter()
        .map(|s| {
            let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
            featurizer.extract(&toks, &mut buf);
            Encoded {
                rows: buf.feats.iter().map(|&f| bucket(f, bits) as u32).collect(),
                offsets: buf.offsets.clone(),
                labels: s.labels.clone(),
            }
        })
        .collect()
}

fn emissions(weights: &[f32], e: &Encoded) -> Vec<f32> {
    let n = e.labels.len();
    let mut out = vec![0f32; n * NUM_LABELS];
    for i in 0..n {
        let o = &mut out[i * NUM_LABELS..(i + 1) * NUM_LABELS];
        for &r in &e.rows[e.offsets[i]..e.offsets[i + 1]] {
            let base = r as usize * NUM_LABELS;
            for (x, w) in o.iter_mut().zip(&weights[base..base + NUM_LABELS]) {
                *x += w;
            }
        }
    }
    out
}

/// Averaged structured perceptron state (the lazy-averaging trick: the
/// average is `w - u / c`).
struct Perceptron {
    w: Vec<f32>,
    u: Vec<f32>,
    tw: Vec<f32>,
    tu: Vec<f32>,
    c: f32,
}

impl Perceptron {
    fn new(bits: u32) -> Self {
        let n = (1usize << bits) * NUM_LABELS;
        let t = (NUM_LABELS + 1) * NUM_LABELS;
        Perceptron {
            w: vec![0.0; n],
            u: vec![0.0; n],
            tw: vec![0.0; t],
            tu: vec![0.0; t],
            c: 1.0,
        }
    }

    fn learn(&mut self, e: &Encoded) {
        let pred = viterbi(&emissions(&self.w, e), &self.tw);
        let gold = &e.labels;
        if pred != *gold {
            let c = self.c;
            for i in 0..gold.len() {
                let (g, p) = (gold[i], pred[i]);
                if g != p {
                    for &r in &e.rows[e.offsets[i]..e.offsets[i + 1]] {
                        let base = r as usize * NUM_LABELS;
                        self.w[base + g] += 1.0;
                        self.u[base + g] += c;
                        self.w[base + p] -= 1.0;
                        self.u[base + p] -= c;
                    }
                }
                let gp = if i == 0 { NUM_LABELS } else { gold[i - 1] };
                let pp = if i == 0 { NUM_LABELS } else { pred[i - 1] };
                if (gp, g) != (pp, p) {
                    self.tw[gp * NUM_LABELS + g] += 1.0;
                    self.tu[gp * NUM_LABELS + g] += c;
                    self.tw[pp * NUM_LABELS + p] -= 1.0;
                    self.tu[pp * NUM_LABELS + p] -= c;
                }
            }
        }
        self.c += 1.0;
    }

    fn averaged(&self) -> (Vec<f32>, Vec<f32>) {
        let avg = |w: &[f32], u: &[f32]| -> Vec<f32> {
            w.iter().zip(u).map(|(w, u)| w - u / self.c).collect()
        };
        (avg(&self.w, &self.u), avg(&self.tw, &self.tu))
    }
}

/// Trains a model for `script` on `train`; reports dev F1 after each epoch
/// through `log` when `dev` is not empty.
pub fn train_model(
    script: Script,
    lexicon: Lexicon,
    train: &[Sentence],
    dev: &[Sentence],
    cfg: TrainConfig,
    log: &mut dyn FnMut(&str),
) -> LangModel {
    let featurizer = Featurizer::new(script, lexicon);
    let data = encode(&featurizer, cfg.bits, train);
    let dev_data = encode(&featurizer, cfg.bits, dev);
    let mut p = Perceptron::new(cfg.bits);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(cfg.seed);
    for epoch in 1..=cfg.epochs {
        order.shuffle(&mut rng);
        for &i in &order {
            p.learn(&data[i]);
        }
        if !dev_data.is_empty() {
            let (w, t) = p.averaged();
            let mut score = Score::default();
            for e in &dev_data {
                let pred = viterbi(&emissions(&w, e), &t);
                score.add(&spans_from_labels(&e.labels), &spans_from_labels(&pred));
            }
            log(&format!(
                "epoch {epoch:2}: dev F1 {:.4}",
                score.overall().f1()
            ));
        }
    }
    let (w, t) = p.averaged();
    LangModel::from_weights(featurizer, cfg.bits, &w, t)
}
