//! Training and evaluation of the IPTC topic classifier.
//!
//! Data ([`data`]): the labelled corpora under `topics/train` (corpus labels
//! mapped to IPTC codes), the newspaper-section corpora and
//! `unlabeled/saudinewsnet`; the hand-labelled `iptc-dev` articles are kept
//! out of training. The nine topics without labelled data (and the topics
//! whose Arabic data is scarce) get weak labels from per-language lexicons
//! ([`lexicon`]): a topic is positive when enough distinct lexicon terms
//! occur, negative when none does, unknown otherwise; unknown label entries
//! carry no loss. Each model then labels the unknown entries it is confident
//! about (self-training) and the next one is trained on them.
//!
//! Split: a stable hash of the article id puts 10% in dev (Platt calibration
//! and the thresholds), the rest in train; `--holdout` removes whole outlets
//! (`source=NAME`) or a fold (`fold=K/N`) from both, for evaluation ([`eval`]).
//! The hand-labelled tuning articles (`data/topic-tune/`, ids with all their
//! IPTC topics; never the iptc-dev ones) are kept out of both: they move each
//! label's calibration offset from its dev fit towards what real topic sets
//! show, under a prior (`tune_prior`), and report the set micro-F1 before
//! and after.
//!
//! The optimiser ([`fit`]) is one-vs-rest logistic regression with AdaGrad
//! over the hashed features of [`crate::enrich::topic::features`],
//! deterministic for a seed (fixed shuffles, ordered data).

// Label-indexed loops over several parallel per-label arrays read best as ranges.
#![allow(clippy::needless_range_loop)]

pub mod data;
pub mod eval;
pub mod fit;
pub mod lexicon;
pub mod params;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use rayon::prelude::*;

use crate::enrich::topic::format::{sigmoid, TopicModel};
use crate::enrich::topic::{N_LABELS, TOPICS};

pub use data::{corpus_files, map_label, read_jsonl, stable_hash, Holdout, RawArticle};

/// The hand-labelled tuning articles shipped with the source tree.
pub fn default_tune_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/topic-tune")
}
pub use eval::{cross_validate, eval, holdout_seeds};
use fit::{Sample, Sparse};
pub use lexicon::{default_lexicon_dir, load_lexicons, Lexicon};
pub use params::Params;

const DEV_PERCENT: u64 = 10;
/// Per-label thresholds move only for labels with this many dev positives.
const THRESHOLD_MIN_POSITIVES: usize = 30;

// ---------------------------------------------------------------- labels

/// How an article's labels were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A corpus topic label (mapped to IPTC).
    Gold,
    /// A newspaper section or no label: weak labels only.
    Weak,
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

// ---------------------------------------------------------------- corpus

/// The training corpora, read and featurised once (several models can be
/// fitted on parts of it: outlets or folds held out).
pub struct Corpus {
    pub articles: Vec<RawArticle>,
    /// File name of each corpus, in reading order.
    pub files: Vec<String>,
    x: Vec<Sparse>,
    kind: Vec<Kind>,
    dev: Vec<bool>,
    /// Gold and lexicon labels.
    states: Vec<[i8; N_LABELS]>,
    /// The labels calibration and thresholds are fitted on: as `states`,
    /// but a topic the lexicon covers and did not find is negative (the
    /// lexicon's clear cases alone would make the scores overconfident).
    calibration: Vec<[i8; N_LABELS]>,
    /// Hand-labelled topics of the tuning articles (kept out of training).
    tune: Vec<Option<Vec<usize>>>,
    /// iptc-dev articles kept out.
    pub excluded: usize,
}

impl Corpus {
    /// Reads every corpus under `data` but the iptc-dev articles, labels and
    /// featurises it.
    pub fn load(data: &Path, params: &Params) -> anyhow::Result<Self> {
        let lexicons = load_lexicons(&params.lexicons)?;
        if lexicons.is_empty() {
            bail!("no lexicons in {}", params.lexicons.display());
        }
        let paths = corpus_files(data);
        if paths.is_empty() {
            bail!("no corpora under {}", data.display());
        }
        let dev_ids = data::iptc_dev_ids(data)?;
        let tune_labels = data::tune_labels(&params.tune)?;
        if let Some(id) = tune_labels.keys().find(|id| dev_ids.contains(*id)) {
            bail!("tuning article {id} is an iptc-dev article");
        }
        let mut articles: Vec<RawArticle> = Vec::new();
        let mut files = Vec::new();
        let mut excluded = 0;
        for f in &paths {
            let all: Vec<RawArticle> = read_jsonl(f)?;
            let n = all.len();
            let kept: Vec<RawArticle> = all
                .into_iter()
                .filter(|a| !dev_ids.contains(&a.id))
                .collect();
            excluded += n - kept.len();
            eprintln!("{}: {} articles", f.display(), kept.len());
            files.push(
                f.file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
            articles.extend(kept);
        }
        eprintln!(
            "featurising {} articles ({excluded} iptc-dev articles kept out)",
            articles.len()
        );
        let cfg = params.feature_config();
        let rows: Vec<(Sparse, Kind, [i8; N_LABELS], [i8; N_LABELS])> = articles
            .par_iter()
            .map(|a| {
                let (states, kind) = label_states(a, &lexicons);
                let (idx, val) = fit::sparse(&cfg, &a.title, &a.text);
                let mut calibration = states;
                if let Some(lex) = lexicons.get(&a.lang) {
                    for (l, c) in calibration.iter_mut().enumerate() {
                        if *c == -1 && lex.covered[l] {
                            *c = 0;
                        }
                    }
                }
                (Sparse { idx, val }, kind, states, calibration)
            })
            .collect();
        let dev = articles
            .iter()
            .map(|a| stable_hash(&a.id) % 100 < DEV_PERCENT)
            .collect();
        let mut corpus = Corpus {
            articles,
            files,
            x: Vec::with_capacity(rows.len()),
            kind: Vec::with_capacity(rows.len()),
            dev,
            states: Vec::with_capacity(rows.len()),
            calibration: Vec::with_capacity(rows.len()),
            tune: Vec::new(),
            excluded,
        };
        corpus.tune = corpus
            .articles
            .iter()
            .map(|a| tune_labels.get(&a.id).cloned())
            .collect();
        let found = corpus.tune.iter().filter(|t| t.is_some()).count();
        if found < tune_labels.len() {
            bail!(
                "{} of the {} tuning articles of {} are not in the corpora",
                tune_labels.len() - found,
                tune_labels.len(),
                params.tune.display()
            );
        }
        eprintln!("{found} hand-labelled tuning articles kept out of training");
        for (x, kind, s, c) in rows {
            corpus.x.push(x);
            corpus.kind.push(kind);
            corpus.states.push(s);
            corpus.calibration.push(c);
        }
        Ok(corpus)
    }
}

/// Fits, self-trains, calibrates and quantises a model on `corpus` without
/// the articles `holdout` removes.
pub fn fit_model(
    corpus: &Corpus,
    holdout: &Holdout,
    params: &Params,
    seed: u64,
) -> anyhow::Result<TopicModel> {
    let cfg = params.feature_config();
    let used: Vec<usize> = (0..corpus.articles.len())
        .filter(|&i| !corpus.x[i].idx.is_empty() && !holdout.holds_out(&corpus.articles[i]))
        .collect();
    let tune: Vec<usize> = used
        .iter()
        .copied()
        .filter(|&i| corpus.tune[i].is_some())
        .collect();
    let used: Vec<usize> = used
        .into_iter()
        .filter(|&i| corpus.tune[i].is_none())
        .collect();
    let train: Vec<usize> = used.iter().copied().filter(|&i| !corpus.dev[i]).collect();
    let dev: Vec<usize> = used.iter().copied().filter(|&i| corpus.dev[i]).collect();
    if train.is_empty() || dev.is_empty() {
        bail!("nothing left to train on");
    }
    let first: Vec<[i8; N_LABELS]> = train.iter().map(|&i| corpus.states[i]).collect();
    print_label_counts("gold + lexicon labels (train)", &first);
    let pos_weight = class_weights(&first, params);
    let fit_options = |round: usize| fit::FitOptions {
        dims: cfg.dims(),
        epochs: params.epochs,
        learning_rate: params.learning_rate,
        pos_weight,
        seed: seed.wrapping_add(round as u64),
    };
    let samples = |states: &[[i8; N_LABELS]]| -> Vec<Sample> {
        train
            .iter()
            .zip(states)
            .map(|(&i, s)| Sample {
                x: &corpus.x[i],
                states: *s,
                weight: match corpus.kind[i] {
                    Kind::Gold => 1.0,
                    Kind::Weak => params.weak_weight,
                },
            })
            .collect()
    };
    eprintln!("round 1: fitting {} articles", train.len());
    let mut weights = fit::fit_averaged(&samples(&first), &fit_options(0), params.average);
    for round in 1..=params.self_rounds {
        // Self-training: the model fills in the unknown entries it is sure of.
        let states: Vec<[i8; N_LABELS]> = train
            .par_iter()
            .zip(&first)
            .map(|(&i, s)| {
                let raw = weights.raw(&corpus.x[i]);
                let mut s = *s;
                for l in 0..N_LABELS {
                    if s[l] == -1 {
                        let p = sigmoid(raw[l]);
                        if p >= params.self_pos {
                            s[l] = 1;
                        } else if p <= params.self_neg {
                            s[l] = 0;
                        }
                    }
                }
                s
            })
            .collect();
        print_label_counts(&format!("after self-training round {round}"), &states);
        eprintln!("round {}: fitting", round + 1);
        weights = fit::fit_averaged(&samples(&states), &fit_options(round), params.average);
    }

    // Calibration and thresholds on dev (gold + lexicon labels).
    let raw: Vec<[f32; N_LABELS]> = dev.par_iter().map(|&i| weights.raw(&corpus.x[i])).collect();
    let dev_states: Vec<[i8; N_LABELS]> = dev.iter().map(|&i| corpus.calibration[i]).collect();
    let mut platt = [(1.0f32, 0.0f32); N_LABELS];
    for (l, p) in platt.iter_mut().enumerate() {
        let pairs: Vec<(f32, bool)> = raw
            .iter()
            .zip(&dev_states)
            .filter(|(_, s)| s[l] >= 0)
            .map(|(r, s)| (r[l], s[l] == 1))
            .collect();
        *p = fit::fit_platt(&pairs);
    }
    let probs: Vec<[f32; N_LABELS]> = raw
        .iter()
        .map(|r| {
            let mut p = [0f32; N_LABELS];
            for l in 0..N_LABELS {
                p[l] = sigmoid(platt[l].0 * r[l] + platt[l].1);
            }
            p
        })
        .collect();
    let (thresholds, dev_f1) = fit::choose_thresholds(
        &probs,
        &dev_states,
        params.label_thresholds,
        THRESHOLD_MIN_POSITIVES,
    );
    eprintln!("dev: thresholds {thresholds:.2?} (micro-F1 {dev_f1:.4} on gold + lexicon labels)");

    // The hand-labelled tuning articles move each label's calibration
    // offset towards what they show (a prior keeps it near the dev fit).
    let tune_raw: Vec<[f32; N_LABELS]> = tune.iter().map(|&i| weights.raw(&corpus.x[i])).collect();
    let tune_gold: Vec<&[usize]> = tune
        .iter()
        .filter_map(|&i| corpus.tune[i].as_deref())
        .collect();
    let before = fit::set_scores(&tune_raw, &tune_gold, &platt, &thresholds);
    if params.tune_prior > 0.0 && !tune.is_empty() {
        for (l, p) in platt.iter_mut().enumerate() {
            let pairs: Vec<(f32, bool)> = tune_raw
                .iter()
                .zip(&tune_gold)
                .map(|(r, g)| (r[l], g.contains(&l)))
                .collect();
            p.1 = fit::shift_platt(&pairs, *p, params.tune_prior);
        }
    }
    let after = fit::set_scores(&tune_raw, &tune_gold, &platt, &thresholds);
    eprintln!(
        "tuning articles ({}): micro-F1 {:.4}, primary accuracy {:.4} with the dev calibration; \
         {:.4}, {:.4} with the offsets fitted on them",
        tune.len(),
        before.0,
        before.1,
        after.0,
        after.1
    );
    let meta = serde_json::json!({
        "name": "topics",
        "seed": seed,
        "holdout": holdout.spec(),
        "corpora": corpus.files,
        "iptc_dev_kept_out": corpus.excluded,
        "examples": used.len(),
        "params": params.describe(),
        "dev_micro_f1": dev_f1,
        "tune_articles": tune.len(),
        "tune_micro_f1_before": before.0,
        "tune_micro_f1_after": after.0,
    })
    .to_string();
    Ok(fit::quantise(cfg, &weights, &platt, &thresholds, meta))
}

/// Positive-entry loss weights per label from the first-round label counts.
fn class_weights(states: &[[i8; N_LABELS]], params: &Params) -> [f32; N_LABELS] {
    let mut out = [1f32; N_LABELS];
    if params.balance <= 0.0 {
        return out;
    }
    for l in 0..N_LABELS {
        let pos = states.iter().filter(|s| s[l] == 1).count().max(1) as f32;
        let neg = states.iter().filter(|s| s[l] == 0).count() as f32;
        out[l] = (neg / pos)
            .powf(params.balance)
            .clamp(1.0, params.max_pos_weight.max(1.0));
    }
    out
}

fn print_label_counts(what: &str, states: &[[i8; N_LABELS]]) {
    eprintln!("{what}:");
    for l in 0..N_LABELS {
        let pos = states.iter().filter(|s| s[l] == 1).count();
        let neg = states.iter().filter(|s| s[l] == 0).count();
        eprintln!("  {} {:<42} +{:<6} -{}", TOPICS[l].0, TOPICS[l].1, pos, neg);
    }
}

/// Everything `train topics` needs.
pub struct TrainOptions {
    pub data: PathBuf,
    pub out: PathBuf,
    pub seed: u64,
    pub holdout: Holdout,
    pub params: Params,
}

/// Trains, calibrates and writes the model; returns it.
pub fn train(opts: &TrainOptions) -> anyhow::Result<TopicModel> {
    let corpus = Corpus::load(&opts.data, &opts.params)?;
    let model = fit_model(&corpus, &opts.holdout, &opts.params, opts.seed)?;
    let bytes = model.to_bytes();
    if let Some(parent) = opts.out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&opts.out, &bytes).with_context(|| format!("writing {}", opts.out.display()))?;
    eprintln!("wrote {} ({} bytes)", opts.out.display(), bytes.len());
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::topic::features::{FeatureConfig, BIGRAMS, CHAR4, STEMS, WORDS};
    use crate::enrich::topic::{label_index, select, Scratch};

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

    fn tiny_features() -> Vec<(Sparse, [i8; N_LABELS])> {
        SENTENCES
            .iter()
            .map(|(code, text)| {
                let gold = label_index(code).unwrap_or(0);
                let (idx, val) = fit::sparse(&TINY, "", text);
                let mut states = [0i8; N_LABELS];
                states[gold] = 1;
                (Sparse { idx, val }, states)
            })
            .collect()
    }

    fn tiny_model(pos_weight: f32) -> TopicModel {
        let rows = tiny_features();
        let samples: Vec<Sample> = rows
            .iter()
            .map(|(x, states)| Sample {
                x,
                states: *states,
                weight: 1.0,
            })
            .collect();
        let w = fit::fit(
            &samples,
            &fit::FitOptions {
                dims: TINY.dims(),
                epochs: 30,
                learning_rate: 0.5,
                pos_weight: [pos_weight; N_LABELS],
                seed: 7,
            },
        );
        let platt = [(1.0, 0.0); N_LABELS];
        let model = fit::quantise(TINY, &w, &platt, &[0.5; N_LABELS], "{}".into());
        TopicModel::from_bytes(&model.to_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn tiny_model_learns_its_sentences_and_generalises() {
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
        for pos_weight in [1.0, 3.0] {
            let m = tiny_model(pos_weight);
            for (name, text, want) in cases {
                let probs = m.probabilities("", text, &mut scratch);
                let chosen = select(&probs, &m.labels);
                assert_eq!(
                    chosen.first().map(|&i| TOPICS[i].0),
                    Some(want),
                    "{name}, positive weight {pos_weight}"
                );
            }
        }
    }

    #[test]
    fn training_is_deterministic() {
        assert_eq!(tiny_model(1.0).to_bytes(), tiny_model(1.0).to_bytes());
    }

    #[test]
    fn positive_weight_raises_positive_scores() {
        let (light, heavy) = (tiny_model(1.0), tiny_model(4.0));
        let mut scratch = Scratch::default();
        let text = "أمطار غزيرة";
        let l = light.raw_scores("", text, &mut scratch)[16];
        let h = heavy.raw_scores("", text, &mut scratch)[16];
        assert!(h > l, "{h} <= {l}");
    }

    #[test]
    fn class_weights_follow_the_label_balance() {
        let mut states = vec![[0i8; N_LABELS]; 100];
        for s in states.iter_mut().take(4) {
            s[0] = 1;
        }
        let p = Params {
            balance: 0.5,
            max_pos_weight: 3.0,
            ..Params::default()
        };
        let w = class_weights(&states, &p);
        assert_eq!(w[0], 3.0, "capped: sqrt(96 / 4) > 3");
        assert_eq!(w[1], 10.0f32.clamp(1.0, 3.0), "no positive: capped");
        assert_eq!(class_weights(&states, &Params::default()), [1.0; N_LABELS]);
    }
}
