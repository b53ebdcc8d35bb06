//! Training and evaluation of the IPTC topic classifier.
//!
//! Data: the labelled corpora under `topics/train` (corpus labels mapped to
//! IPTC codes), the newspaper-section corpora and `unlabeled/saudinewsnet`.
//! The nine topics without labelled data (and politics, whose Arabic data is
//! scarce) get weak labels from per-language lexicons
//! (`data/topic-lexicons/*.toml`): a topic is positive when enough distinct
//! lexicon terms occur, negative when none does, unknown otherwise; unknown
//! label entries carry no loss. A first model then labels the unknown entries
//! it is confident about (self-training) and a second model is trained.
//!
//! Split: a stable hash of the article id puts 10% in dev (Platt calibration
//! and the threshold), the rest in train; `--holdout` removes whole outlets
//! (`source=NAME`) or a fold (`fold=K/N`) from both, for evaluation.
//!
//! The optimiser is one-vs-rest logistic regression with AdaGrad over the
//! hashed features of [`crate::enrich::topic::features`], deterministic for
//! a seed (fixed shuffles, ordered data).

// Label-indexed loops over several parallel per-label arrays read best as ranges.
#![allow(clippy::needless_range_loop)]

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use rayon::prelude::*;
use serde::Deserialize;

use crate::enrich::topic::features::{self, FeatureConfig};
use crate::enrich::topic::format::{sigmoid, LabelParams, TopicModel};
use crate::enrich::topic::normalise::{light_stem, words};
use crate::enrich::topic::{label_index, select, Scratch, N_LABELS, TOPICS};

/// Feature configuration of the shipped model.
pub const CONFIG: FeatureConfig = FeatureConfig {
    bits: 18,
    flags: features::WORDS | features::BIGRAMS | features::STEMS | features::CHAR4,
    max_body_bytes: 3000,
};

const EPOCHS: usize = 5;
const LEARNING_RATE: f32 = 0.5;
/// Gradients smaller than this are skipped.
const MIN_GRADIENT: f32 = 0.01;
const DEV_PERCENT: u64 = 10;
/// The lexicons judge an article by its title and this much of its body.
pub const LEXICON_LEAD_BYTES: usize = 1500;
/// Self-training: an unknown entry becomes positive / negative over / under these.
const SELF_POS: f32 = 0.95;
const SELF_NEG: f32 = 0.1;

/// One article as stored in the shared corpora.
#[derive(Debug, Clone, Deserialize)]
pub struct RawArticle {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub text: String,
}

/// Reads a JSONL file, gzip-compressed when its name ends in `.gz`.
pub fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> anyhow::Result<Vec<T>> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let reader: Box<dyn BufRead> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(flate2::read::GzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    };
    let mut out = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(&line)
                .with_context(|| format!("{}:{}: bad JSON", path.display(), n + 1))?,
        );
    }
    Ok(out)
}

/// The IPTC label of a corpus label, when the corpus label is a topic.
pub fn map_label(label: &str) -> Option<usize> {
    let code = match label {
        "sport" | "sports" => "15000000",
        "economy" | "business" => "04000000",
        "technology" | "tech" | "science/technology" => "13000000",
        "culture" | "entertainment" => "01000000",
        "politic" | "politics" => "11000000",
        "health" => "07000000",
        "travel" => "10000000",
        _ => return None,
    };
    label_index(code)
}

/// Stable 64-bit hash of a string (FNV-1a), for splits.
pub fn stable_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Articles removed from training for evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holdout {
    None,
    /// Every article of these outlets (case-insensitive).
    Sources(Vec<String>),
    /// Articles whose id hash falls in fold `k` of `n`.
    Fold {
        k: u64,
        n: u64,
    },
}

impl Holdout {
    pub fn parse(spec: Option<&str>) -> anyhow::Result<Self> {
        let Some(spec) = spec else {
            return Ok(Holdout::None);
        };
        if let Some(s) = spec.strip_prefix("source=") {
            return Ok(Holdout::Sources(
                s.split(',').map(|x| x.trim().to_lowercase()).collect(),
            ));
        }
        if let Some(f) = spec.strip_prefix("fold=") {
            if let Some((k, n)) = f.split_once('/') {
                let (k, n): (u64, u64) = (k.parse()?, n.parse()?);
                if n >= 2 && k < n {
                    return Ok(Holdout::Fold { k, n });
                }
            }
        }
        bail!("holdout must be source=NAME[,NAME] or fold=K/N, not {spec:?}")
    }

    pub fn spec(&self) -> Option<String> {
        match self {
            Holdout::None => None,
            Holdout::Sources(s) => Some(format!("source={}", s.join(","))),
            Holdout::Fold { k, n } => Some(format!("fold={k}/{n}")),
        }
    }

    pub fn holds_out(&self, a: &RawArticle) -> bool {
        match self {
            Holdout::None => false,
            Holdout::Sources(s) => s.contains(&a.source.to_lowercase()),
            Holdout::Fold { k, n } => (stable_hash(&a.id) >> 8) % n == *k,
        }
    }
}

// ---------------------------------------------------------------- lexicons

#[derive(Debug, Deserialize)]
struct LexiconEntry {
    /// Minimum lexicon score for a positive weak label.
    #[serde(default = "default_min_score")]
    min_score: u32,
    terms: Vec<String>,
}

fn default_min_score() -> u32 {
    3
}

/// Weak-supervision lexicons of one language: stemmed term sequences per label.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// First stem → (label, term id, remaining stems).
    index: HashMap<String, Vec<(usize, usize, Vec<String>)>>,
    min_score: [u32; N_LABELS],
    covered: [bool; N_LABELS],
}

fn stems(text: &str) -> Vec<String> {
    words(text)
        .iter()
        .map(|w| light_stem(w).to_owned())
        .collect()
}

impl Lexicon {
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let entries: BTreeMap<String, LexiconEntry> = toml::from_str(text)?;
        let mut lex = Lexicon::default();
        let mut term_id = 0;
        for (code, entry) in entries {
            let Some(label) = label_index(&code) else {
                bail!("unknown IPTC code {code:?} in lexicon");
            };
            lex.covered[label] = true;
            lex.min_score[label] = entry.min_score;
            for term in &entry.terms {
                let mut s = stems(term);
                if s.is_empty() {
                    continue;
                }
                let first = s.remove(0);
                lex.index
                    .entry(first)
                    .or_default()
                    .push((label, term_id, s));
                term_id += 1;
            }
        }
        Ok(lex)
    }

    /// Per-label score: distinct matching terms, a title match counting 2.
    pub fn scores(&self, title: &str, body: &str) -> [u32; N_LABELS] {
        let mut seen: BTreeMap<usize, (usize, u32)> = BTreeMap::new();
        for (text, weight) in [(title, 2u32), (body, 1)] {
            let s = stems(text);
            for (i, st) in s.iter().enumerate() {
                let Some(cands) = self.index.get(st) else {
                    continue;
                };
                for (label, id, rest) in cands {
                    let matched = rest
                        .iter()
                        .enumerate()
                        .all(|(j, r)| s.get(i + 1 + j) == Some(r));
                    if matched {
                        let e = seen.entry(*id).or_insert((*label, 0));
                        e.1 = e.1.max(weight);
                    }
                }
            }
        }
        let mut out = [0u32; N_LABELS];
        for (label, w) in seen.values() {
            out[*label] += w;
        }
        out
    }

    /// Weak label states: 1 positive, 0 negative, -1 unknown; labels the
    /// lexicon does not cover stay unknown.
    ///
    /// Only the title and the lead (the first [`LEXICON_LEAD_BYTES`] of the
    /// body) count, and a positive must score at least half the best topic's
    /// score: passing mentions do not make a topic.
    pub fn states(&self, title: &str, body: &str) -> [i8; N_LABELS] {
        let lead = features::truncate(body, LEXICON_LEAD_BYTES);
        let scores = self.scores(title, lead);
        let all = self.scores(title, body);
        let best = scores.iter().copied().max().unwrap_or(0);
        let mut out = [-1i8; N_LABELS];
        for l in 0..N_LABELS {
            if !self.covered[l] {
                continue;
            }
            out[l] = if all[l] == 0 {
                0
            } else if scores[l] >= self.min_score[l] && 2 * scores[l] >= best {
                1
            } else {
                -1
            };
        }
        out
    }
}

/// The lexicons shipped with the source tree, per language code.
pub fn load_lexicons(dir: &Path) -> anyhow::Result<BTreeMap<String, Lexicon>> {
    let mut out = BTreeMap::new();
    for lang in ["ar", "en", "fr"] {
        let path = dir.join(format!("{lang}.toml"));
        if path.exists() {
            let text = std::fs::read_to_string(&path)?;
            out.insert(
                lang.to_owned(),
                Lexicon::parse(&text).with_context(|| format!("lexicon {}", path.display()))?,
            );
        }
    }
    Ok(out)
}

pub fn default_lexicon_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/topic-lexicons")
}

// ---------------------------------------------------------------- data

/// How an article's labels were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A corpus topic label (mapped to IPTC).
    Gold,
    /// A newspaper section or no label: weak labels only.
    Weak,
}

/// A featurised training article.
pub struct Example {
    pub kind: Kind,
    pub dev: bool,
    /// Sorted unique feature indices and their values.
    pub idx: Vec<u32>,
    pub val: Vec<f32>,
    /// 1 positive, 0 negative, -1 unknown (no loss).
    pub states: [i8; N_LABELS],
    /// The labels calibration and the threshold are fitted on: as `states`,
    /// but a topic the lexicon covers and did not find is negative (the
    /// lexicon's clear cases alone would make the scores overconfident).
    pub calibration: [i8; N_LABELS],
}

/// Sparse feature vector of an article, as the model sees it.
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

/// Label states of one article from its corpus label and the lexicons.
pub fn label_states(
    a: &RawArticle,
    lexicons: &BTreeMap<String, Lexicon>,
) -> ([i8; N_LABELS], Kind) {
    let weak = lexicons
        .get(&a.lang)
        .map(|l| l.states(&a.title, &a.text))
        .unwrap_or([-1; N_LABELS]);
    match map_label(&a.label) {
        Some(gold) => {
            // Gold label positive, the other labelled topics negative,
            // lexicon-only topics from the lexicon.
            let mut s = [0i8; N_LABELS];
            for l in 0..N_LABELS {
                s[l] = if l == gold {
                    1
                } else if is_lexicon_only(l) {
                    weak[l]
                } else {
                    0
                };
            }
            (s, Kind::Gold)
        }
        None => {
            let mut s = weak;
            // A society section article no lexicon topic claims is society.
            if a.label == "society" && !s.contains(&1) {
                s[13] = 1;
            }
            (s, Kind::Weak)
        }
    }
}

/// Topics without labelled data: learned from lexicons and self-training.
fn is_lexicon_only(l: usize) -> bool {
    matches!(
        TOPICS.get(l).map(|t| t.0),
        Some(
            "02000000"
                | "03000000"
                | "05000000"
                | "06000000"
                | "08000000"
                | "09000000"
                | "12000000"
                | "16000000"
                | "17000000"
        )
    )
}

/// The training corpora under `data`: (file, articles).
pub fn corpus_files(data: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let train = data.join("topics/train");
    if let Ok(rd) = std::fs::read_dir(&train) {
        let mut names: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".jsonl.gz"))
            .collect();
        names.sort();
        files.extend(names);
    }
    let unl = data.join("unlabeled/saudinewsnet-ar.jsonl.gz");
    if unl.exists() {
        files.push(unl);
    }
    files
}

// ---------------------------------------------------------------- model

/// Float weights during training, feature-major.
pub struct Weights {
    pub w: Vec<f32>,
    pub bias: [f32; N_LABELS],
}

impl Weights {
    fn raw(&self, ex: &Example) -> [f32; N_LABELS] {
        let mut s = self.bias;
        for (&i, &v) in ex.idx.iter().zip(&ex.val) {
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

/// One-vs-rest logistic regression with AdaGrad; unknown entries carry no loss.
pub fn fit(cfg: &FeatureConfig, examples: &[Example], seed: u64, epochs: usize) -> Weights {
    let dims = cfg.dims();
    let mut wts = Weights {
        w: vec![0.0; dims * N_LABELS],
        bias: [0.0; N_LABELS],
    };
    let mut g2 = vec![1e-6f32; dims * N_LABELS];
    let mut gb = [1e-6f32; N_LABELS];
    let mut order: Vec<usize> = (0..examples.len()).filter(|&i| !examples[i].dev).collect();
    let mut rng = SplitMix(seed);
    for _ in 0..epochs {
        rng.shuffle(&mut order);
        for &e in &order {
            let ex = &examples[e];
            let raw = wts.raw(ex);
            let mut grad = [0f32; N_LABELS];
            for l in 0..N_LABELS {
                let y = ex.states[l];
                if y >= 0 {
                    let g = sigmoid(raw[l]) - f32::from(y);
                    // Entries the model already fits carry no update: most
                    // negatives, after the first epoch (saves most of the time).
                    if g.abs() >= MIN_GRADIENT {
                        grad[l] = g;
                    }
                }
            }
            for l in 0..N_LABELS {
                if grad[l] != 0.0 {
                    gb[l] += grad[l] * grad[l];
                    wts.bias[l] -= LEARNING_RATE * grad[l] / gb[l].sqrt();
                }
            }
            for (&i, &v) in ex.idx.iter().zip(&ex.val) {
                let base = i as usize * N_LABELS;
                for l in 0..N_LABELS {
                    if grad[l] != 0.0 {
                        let g = grad[l] * v;
                        g2[base + l] += g * g;
                        wts.w[base + l] -= LEARNING_RATE * g / g2[base + l].sqrt();
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

/// Quantises float weights to i16 per label.
pub fn quantise(
    cfg: FeatureConfig,
    wts: &Weights,
    platt: &[(f32, f32); N_LABELS],
    threshold: f32,
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
            threshold,
        };
    }
    TopicModel {
        config: cfg,
        labels,
        meta,
        weights,
    }
}

/// Everything `train topics` needs.
pub struct TrainOptions {
    pub data: PathBuf,
    pub lexicons: PathBuf,
    pub out: PathBuf,
    pub seed: u64,
    pub holdout: Holdout,
}

/// Trains, calibrates and writes the model; returns it.
pub fn train(opts: &TrainOptions) -> anyhow::Result<TopicModel> {
    let cfg = CONFIG;
    let lexicons = load_lexicons(&opts.lexicons)?;
    if lexicons.is_empty() {
        bail!("no lexicons in {}", opts.lexicons.display());
    }
    let files = corpus_files(&opts.data);
    if files.is_empty() {
        bail!("no corpora under {}", opts.data.display());
    }
    let mut articles: Vec<RawArticle> = Vec::new();
    let mut corpora = Vec::new();
    for f in &files {
        let all: Vec<RawArticle> = read_jsonl(f)?;
        let n = all.len();
        let kept: Vec<RawArticle> = all
            .into_iter()
            .filter(|a| !opts.holdout.holds_out(a))
            .collect();
        eprintln!("{}: {} articles, {} kept", f.display(), n, kept.len());
        corpora.push(
            f.file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        articles.extend(kept);
    }
    eprintln!("featurising {} articles", articles.len());
    let mut examples: Vec<Example> = articles
        .par_iter()
        .map(|a| {
            let (states, kind) = label_states(a, &lexicons);
            let (idx, val) = sparse(&cfg, &a.title, &a.text);
            let mut calibration = states;
            if let Some(lex) = lexicons.get(&a.lang) {
                for (l, c) in calibration.iter_mut().enumerate() {
                    if *c == -1 && lex.covered[l] {
                        *c = 0;
                    }
                }
            }
            Example {
                kind,
                dev: stable_hash(&a.id) % 100 < DEV_PERCENT,
                idx,
                val,
                states,
                calibration,
            }
        })
        .collect();
    examples.retain(|e| !e.idx.is_empty());
    print_label_counts("weak+gold labels", &examples);
    // Dev keeps the first-round (gold + lexicon) labels for calibration.
    let dev_states: Vec<[i8; N_LABELS]> = examples.iter().map(|e| e.calibration).collect();

    eprintln!("round 1: fitting");
    let w1 = fit(&cfg, &examples, opts.seed, EPOCHS);
    // Self-training: the first model fills in the unknown entries it is sure of.
    let updates: Vec<[i8; N_LABELS]> = examples
        .par_iter()
        .map(|ex| {
            let raw = w1.raw(ex);
            let mut s = ex.states;
            if ex.kind == Kind::Weak || s.contains(&-1) {
                for l in 0..N_LABELS {
                    let p = sigmoid(raw[l]);
                    if s[l] == -1 {
                        if p >= SELF_POS {
                            s[l] = 1;
                        } else if p <= SELF_NEG {
                            s[l] = 0;
                        }
                    }
                }
            }
            s
        })
        .collect();
    for (ex, s) in examples.iter_mut().zip(updates) {
        ex.states = s;
    }
    print_label_counts("after self-training", &examples);
    eprintln!("round 2: fitting");
    let w2 = fit(&cfg, &examples, opts.seed.wrapping_add(1), EPOCHS);

    // Calibration and threshold on dev (gold + lexicon labels).
    let dev: Vec<(usize, [f32; N_LABELS])> = examples
        .par_iter()
        .enumerate()
        .filter(|(_, e)| e.dev)
        .map(|(i, e)| (i, w2.raw(e)))
        .collect();
    let mut platt = [(1.0f32, 0.0f32); N_LABELS];
    for (l, p) in platt.iter_mut().enumerate() {
        let pairs: Vec<(f32, bool)> = dev
            .iter()
            .filter(|(i, _)| dev_states[*i][l] >= 0)
            .map(|(i, raw)| (raw[l], dev_states[*i][l] == 1))
            .collect();
        *p = fit_platt(&pairs);
    }
    let probs: Vec<(usize, [f32; N_LABELS])> = dev
        .iter()
        .map(|(i, raw)| {
            let mut p = [0f32; N_LABELS];
            for l in 0..N_LABELS {
                p[l] = sigmoid(platt[l].0 * raw[l] + platt[l].1);
            }
            (*i, p)
        })
        .collect();
    let mut best = (0.5f32, -1.0f64);
    for step in 5..=95 {
        let t = step as f32 / 100.0;
        let params = [LabelParams {
            threshold: t,
            ..LabelParams::default()
        }; N_LABELS];
        let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
        for (i, p) in &probs {
            let chosen = select(p, &params);
            for l in 0..N_LABELS {
                let s = dev_states[*i][l];
                let c = chosen.contains(&l);
                match (s, c) {
                    (1, true) => tp += 1,
                    (0, true) => fp += 1,
                    (1, false) => fn_ += 1,
                    _ => {}
                }
            }
        }
        let f1 = 2.0 * tp as f64 / (2 * tp + fp + fn_).max(1) as f64;
        if f1 > best.1 {
            best = (t, f1);
        }
    }
    eprintln!(
        "dev: threshold {:.2} (micro-F1 {:.4} on gold + lexicon labels)",
        best.0, best.1
    );
    let meta = serde_json::json!({
        "name": "topics",
        "seed": opts.seed,
        "holdout": opts.holdout.spec(),
        "corpora": corpora,
        "examples": examples.len(),
        "threshold": best.0,
        "dev_micro_f1": best.1,
    })
    .to_string();
    let model = quantise(cfg, &w2, &platt, best.0, meta);
    let bytes = model.to_bytes();
    if let Some(parent) = opts.out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&opts.out, &bytes).with_context(|| format!("writing {}", opts.out.display()))?;
    eprintln!("wrote {} ({} bytes)", opts.out.display(), bytes.len());
    Ok(model)
}

fn print_label_counts(what: &str, examples: &[Example]) {
    let mut pos = [0usize; N_LABELS];
    let mut neg = [0usize; N_LABELS];
    for e in examples {
        for l in 0..N_LABELS {
            match e.states[l] {
                1 => pos[l] += 1,
                0 => neg[l] += 1,
                _ => {}
            }
        }
    }
    eprintln!("{what}:");
    for l in 0..N_LABELS {
        eprintln!(
            "  {} {:<42} +{:<6} -{}",
            TOPICS[l].0, TOPICS[l].1, pos[l], neg[l]
        );
    }
}

// ---------------------------------------------------------------- eval

/// Per-label counts and the reliability bins.
#[derive(Debug, Default)]
pub struct Report {
    tp: [u64; N_LABELS],
    fp: [u64; N_LABELS],
    fn_: [u64; N_LABELS],
    /// 10 bins of calibrated probability: (count, positives, sum of p).
    bins: [(u64, u64, f64); 10],
    primary_right: u64,
    primary_total: u64,
    set_tp: u64,
    set_fp: u64,
    set_fn: u64,
    /// (gold primary, predicted primary) → count, for the errors.
    confusion: BTreeMap<(usize, usize), u64>,
}

impl Report {
    /// Adds one article: the gold primary and set, and the model's output.
    pub fn add(
        &mut self,
        gold_primary: usize,
        gold: &[usize],
        probs: &[f32; N_LABELS],
        chosen: &[usize],
    ) {
        let top = chosen.first().copied();
        self.primary_total += 1;
        if top == Some(gold_primary) {
            self.primary_right += 1;
        } else {
            if let Some(t) = top {
                self.fp[t] += 1;
                *self.confusion.entry((gold_primary, t)).or_default() += 1;
            }
            self.fn_[gold_primary] += 1;
        }
        if top == Some(gold_primary) {
            self.tp[gold_primary] += 1;
        }
        for l in 0..N_LABELS {
            let g = gold.contains(&l);
            let c = chosen.contains(&l);
            match (g, c) {
                (true, true) => self.set_tp += 1,
                (false, true) => self.set_fp += 1,
                (true, false) => self.set_fn += 1,
                _ => {}
            }
            let bin = ((probs[l] * 10.0) as usize).min(9);
            let b = &mut self.bins[bin];
            b.0 += 1;
            b.1 += u64::from(g);
            b.2 += f64::from(probs[l]);
        }
    }

    pub fn print(&self, labels: &[usize]) {
        println!("per-label (primary topic):");
        println!(
            "  {:<10} {:<42} {:>6} {:>6} {:>6} {:>6}",
            "code", "label", "P", "R", "F1", "n"
        );
        let mut f1s = Vec::new();
        for &l in labels {
            let (tp, fp, fn_) = (self.tp[l] as f64, self.fp[l] as f64, self.fn_[l] as f64);
            let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
            let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
            let f1 = if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            };
            f1s.push(f1);
            println!(
                "  {:<10} {:<42} {:>6.3} {:>6.3} {:>6.3} {:>6}",
                TOPICS[l].0,
                TOPICS[l].1,
                p,
                r,
                f1,
                self.tp[l] + self.fn_[l]
            );
        }
        let macro_f1 = f1s.iter().sum::<f64>() / f1s.len().max(1) as f64;
        println!("macro-F1 ({} labels): {:.4}", labels.len(), macro_f1);
        println!(
            "accuracy (primary topic): {:.4} ({} / {})",
            self.primary_right as f64 / self.primary_total.max(1) as f64,
            self.primary_right,
            self.primary_total
        );
        let (tp, fp, fn_) = (self.set_tp as f64, self.set_fp as f64, self.set_fn as f64);
        println!(
            "topic sets: micro-P {:.4} micro-R {:.4} micro-F1 {:.4}",
            tp / (tp + fp).max(1.0),
            tp / (tp + fn_).max(1.0),
            2.0 * tp / (2.0 * tp + fp + fn_).max(1.0)
        );
        let mut confusions: Vec<_> = self.confusion.iter().collect();
        confusions.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        println!("most frequent primary-topic errors (gold -> predicted):");
        for ((g, p), n) in confusions.iter().take(10) {
            println!("  {:>4}  {} -> {}", n, TOPICS[*g].1, TOPICS[*p].1);
        }
        println!("reliability (every article x label; calibrated score vs gold membership):");
        println!(
            "  {:<9} {:>8} {:>10} {:>10}",
            "score", "n", "mean p", "observed"
        );
        let mut ece = 0.0;
        let total: u64 = self.bins.iter().map(|b| b.0).sum();
        for (i, (n, pos, sum)) in self.bins.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            let mean = sum / *n as f64;
            let obs = *pos as f64 / *n as f64;
            ece += (*n as f64 / total.max(1) as f64) * (mean - obs).abs();
            println!(
                "  {:.1}-{:.1}   {:>8} {:>10.3} {:>10.3}",
                i as f64 / 10.0,
                (i + 1) as f64 / 10.0,
                n,
                mean,
                obs
            );
        }
        println!("expected calibration error: {ece:.4}");
    }
}

#[derive(Debug, Deserialize)]
struct GoldLabels {
    id: String,
    primary: String,
    #[serde(default)]
    topics: Vec<String>,
}

/// Evaluates `model` on `data`: an `iptc-dev` directory (todo/ + labels/) or
/// a corpus file (only the articles the model's holdout removed from training,
/// when it has one).
pub fn eval(model: &TopicModel, data: &Path) -> anyhow::Result<()> {
    let mut scratch = Scratch::default();
    let mut report = Report::default();
    if data.is_dir() {
        let mut gold: HashMap<String, GoldLabels> = HashMap::new();
        let mut files: Vec<PathBuf> = std::fs::read_dir(data.join("labels"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for f in &files {
            for g in read_jsonl::<GoldLabels>(f)? {
                gold.insert(g.id.clone(), g);
            }
        }
        let mut todo: Vec<PathBuf> = std::fs::read_dir(data.join("todo"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .collect();
        todo.sort();
        let mut skipped = 0;
        for f in &todo {
            for a in read_jsonl::<RawArticle>(f)? {
                let Some(g) = gold.get(&a.id) else {
                    skipped += 1;
                    continue;
                };
                let Some(primary) = label_index(&g.primary) else {
                    skipped += 1;
                    continue;
                };
                let set: Vec<usize> = g.topics.iter().filter_map(|t| label_index(t)).collect();
                let probs = model.probabilities(&a.title, &a.text, &mut scratch);
                let chosen = select(&probs, &model.labels);
                report.add(primary, &set, &probs, &chosen);
            }
        }
        println!(
            "iptc-dev: {} articles ({} without usable gold skipped)",
            report.primary_total, skipped
        );
        report.print(&(0..N_LABELS).collect::<Vec<_>>());
        return Ok(());
    }
    let meta: serde_json::Value = serde_json::from_str(&model.meta).unwrap_or_default();
    let holdout = Holdout::parse(meta.get("holdout").and_then(|h| h.as_str()))?;
    let corpora: Vec<&str> = meta
        .get("corpora")
        .and_then(|c| c.as_array())
        .map(|c| c.iter().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default();
    let mut labels = std::collections::BTreeSet::new();
    // A comma-separated list of corpus files is evaluated as one set.
    let data = data.to_string_lossy();
    for file in data.split(',').map(Path::new) {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let trained_on = corpora.contains(&name.as_str());
        if trained_on && holdout == Holdout::None {
            bail!(
                "the model was trained on all of {}: train one with --holdout to evaluate on it",
                file.display()
            );
        }
        let articles: Vec<RawArticle> = read_jsonl(file)?;
        let before = report.primary_total;
        for a in articles
            .iter()
            .filter(|a| !trained_on || holdout.holds_out(a))
        {
            let Some(gold) = map_label(&a.label) else {
                continue;
            };
            labels.insert(gold);
            let probs = model.probabilities(&a.title, &a.text, &mut scratch);
            let chosen = select(&probs, &model.labels);
            report.add(gold, &[gold], &probs, &chosen);
        }
        println!(
            "{}: {} labelled articles evaluated ({})",
            file.display(),
            report.primary_total - before,
            if trained_on {
                format!(
                    "held out of training by {}",
                    holdout.spec().unwrap_or_default()
                )
            } else {
                "file not used in training".to_owned()
            }
        );
    }
    report.print(&labels.into_iter().collect::<Vec<_>>());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::topic::features::{BIGRAMS, CHAR4, STEMS, WORDS};

    const TINY: FeatureConfig = FeatureConfig {
        bits: 14,
        flags: WORDS | BIGRAMS | STEMS | CHAR4,
        max_body_bytes: 2000,
    };

    /// (IPTC code, sentence): a tiny labelled corpus in Arabic and English.
    const SENTENCES: &[(&str, &str)] = &[
        (
            "15000000",
            "فاز الفريق في المباراة بهدفين وسجل المهاجم هدف الفوز",
        ),
        (
            "15000000",
            "تعادل المنتخب في مباراة الدوري وأهدر اللاعب ركلة جزاء",
        ),
        (
            "15000000",
            "اللاعب سجل هدفا في الشوط الثاني من المباراة النهائية للكأس",
        ),
        (
            "15000000",
            "the striker scored twice as the team won the cup final match",
        ),
        (
            "15000000",
            "the club's coach praised his players after the league match",
        ),
        (
            "04000000",
            "ارتفعت أسعار النفط وصعدت أسهم البنوك في البورصة",
        ),
        (
            "04000000",
            "أعلنت الشركة عن ارتفاع أرباحها السنوية وزيادة المبيعات",
        ),
        ("04000000", "تراجع مؤشر السوق المالية مع هبوط أسهم الشركات"),
        (
            "04000000",
            "shares of the bank rose as profits and sales beat forecasts",
        ),
        (
            "04000000",
            "oil prices fell and the stock market index dropped",
        ),
        (
            "17000000",
            "توقعت الأرصاد هطول أمطار رعدية ورياح نشطة وانخفاض درجات الحرارة",
        ),
        (
            "17000000",
            "تشهد المنطقة طقسا حارا مع ارتفاع درجات الحرارة والرطوبة",
        ),
        (
            "17000000",
            "الأرصاد الجوية تحذر من الضباب والغبار ورياح قوية غدا",
        ),
        (
            "17000000",
            "forecasters expect heavy rain, strong winds and snow tomorrow",
        ),
        (
            "17000000",
            "the weather will stay cold with frost and fog overnight",
        ),
    ];

    fn tiny_examples() -> Vec<Example> {
        SENTENCES
            .iter()
            .map(|(code, text)| {
                let gold = label_index(code).unwrap_or(0);
                let (idx, val) = sparse(&TINY, "", text);
                let mut states = [0i8; N_LABELS];
                states[gold] = 1;
                Example {
                    kind: Kind::Gold,
                    dev: false,
                    idx,
                    val,
                    states,
                    calibration: states,
                }
            })
            .collect()
    }

    fn tiny_model() -> TopicModel {
        let w = fit(&TINY, &tiny_examples(), 7, 30);
        let platt = [(1.0, 0.0); N_LABELS];
        let model = quantise(TINY, &w, &platt, 0.5, "{}".into());
        TopicModel::from_bytes(&model.to_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn tiny_model_learns_its_sentences_and_generalises() {
        let m = tiny_model();
        let cases = [
            ("arabic sport", "سجل اللاعب هدفين في المباراة", "15000000"),
            (
                "arabic economy",
                "ارتفاع أسهم الشركات في البورصة",
                "04000000",
            ),
            (
                "arabic weather",
                "أمطار ورياح وانخفاض في درجات الحرارة",
                "17000000",
            ),
            ("english sport", "the team won the match", "15000000"),
            ("english economy", "bank shares and oil prices", "04000000"),
            (
                "english weather",
                "rain and strong winds expected",
                "17000000",
            ),
        ];
        let mut scratch = Scratch::default();
        for (name, text, want) in cases {
            let probs = m.probabilities("", text, &mut scratch);
            let chosen = select(&probs, &m.labels);
            assert_eq!(chosen.first().map(|&i| TOPICS[i].0), Some(want), "{name}");
        }
    }

    #[test]
    fn training_is_deterministic() {
        assert_eq!(tiny_model().to_bytes(), tiny_model().to_bytes());
    }

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
    fn lexicon_weak_labels() {
        let lex = Lexicon::parse(
            r#"
["17000000"]
min_score = 3
terms = ["أمطار", "رياح", "درجات الحرارة", "الأرصاد"]

["02000000"]
terms = ["الشرطة", "اعتقال", "المحكمة"]
"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let s = lex.states("", "توقعت الأرصاد هطول الأمطار مع رياح وانخفاض درجات الحرارة");
        assert_eq!(s[16], 1, "weather positive");
        assert_eq!(s[1], 0, "crime negative: no term");
        assert_eq!(s[14], -1, "sport not covered: unknown");
        let weak = lex.states("", "قالت الشرطة إن الأمطار غزيرة");
        assert_eq!(weak[16], -1, "one weather term: unknown");
        assert!(Lexicon::parse("[\"99000000\"]\nterms = [\"x\"]").is_err());
    }

    #[test]
    fn holdout_specs() {
        let a = RawArticle {
            id: "x1".into(),
            lang: "ar".into(),
            source: "SkyNews".into(),
            label: "sport".into(),
            title: String::new(),
            text: String::new(),
        };
        assert!(Holdout::parse(Some("source=skynews,france24"))
            .map(|h| h.holds_out(&a))
            .unwrap_or(false));
        assert_eq!(Holdout::parse(None).ok(), Some(Holdout::None));
        assert!(Holdout::parse(Some("fold=5/5")).is_err());
        assert!(Holdout::parse(Some("bogus")).is_err());
        let folds: usize = (0..5)
            .filter(|k| Holdout::Fold { k: *k, n: 5 }.holds_out(&a))
            .count();
        assert_eq!(folds, 1);
    }

    #[test]
    fn corpus_labels_map_to_iptc() {
        assert_eq!(map_label("sports"), label_index("15000000"));
        assert_eq!(map_label("tech"), label_index("13000000"));
        assert_eq!(map_label("internationalNews"), None);
    }
}
