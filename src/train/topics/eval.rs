//! Evaluation of a topic model: per-label precision, recall and F1 of the
//! primary topic, macro-F1 and accuracy, set micro-F1 and a reliability
//! table of the calibrated scores; on the hand-labelled `iptc-dev` set, on
//! the articles a model's holdout kept out of training, or by k-fold
//! cross-validation.

// Label-indexed loops over several parallel per-label arrays read best as ranges.
#![allow(clippy::needless_range_loop)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use anyhow::bail;
use serde::Deserialize;

use super::data::{map_label, read_jsonl, Holdout, RawArticle};
use super::{fit_model, Corpus, Params};
use crate::enrich::topic::format::TopicModel;
use crate::enrich::topic::{label_index, select, Scratch, N_LABELS, TOPICS};

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

    /// Primary-topic precision, recall and F1 of label `l`.
    fn label_prf(&self, l: usize) -> (f64, f64, f64) {
        let (tp, fp, fn_) = (self.tp[l] as f64, self.fp[l] as f64, self.fn_[l] as f64);
        let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
        let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f1)
    }

    /// Primary-topic F1 of label `l`.
    fn label_f1(&self, l: usize) -> f64 {
        self.label_prf(l).2
    }

    /// Prints the report over `labels`; returns the macro-F1.
    pub fn print(&self, labels: &[usize]) -> f64 {
        println!("per-label (primary topic):");
        println!(
            "  {:<10} {:<42} {:>6} {:>6} {:>6} {:>6}",
            "code", "label", "P", "R", "F1", "n"
        );
        let mut f1s = Vec::new();
        for &l in labels {
            let (p, r, f1) = self.label_prf(l);
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
        macro_f1
    }
}

#[derive(Debug, Deserialize)]
struct GoldLabels {
    id: String,
    primary: String,
    #[serde(default)]
    topics: Vec<String>,
}

/// Adds the articles of an `iptc-dev` directory (todo/ + labels/) to `report`;
/// returns how many had no usable gold labels.
fn add_iptc_dev(model: &TopicModel, data: &Path, report: &mut Report) -> anyhow::Result<usize> {
    let mut scratch = Scratch::default();
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
    Ok(skipped)
}

/// Adds the labelled articles of a corpus file that `keep` accepts to
/// `report`; returns how many were added and their labels.
fn add_corpus_file(
    model: &TopicModel,
    file: &Path,
    keep: impl Fn(&RawArticle) -> bool,
    report: &mut Report,
    labels: &mut BTreeSet<usize>,
) -> anyhow::Result<u64> {
    let mut scratch = Scratch::default();
    let before = report.primary_total;
    for a in read_jsonl::<RawArticle>(file)?.iter().filter(|a| keep(a)) {
        let Some(gold) = map_label(&a.label) else {
            continue;
        };
        labels.insert(gold);
        let probs = model.probabilities(&a.title, &a.text, &mut scratch);
        let chosen = select(&probs, &model.labels);
        report.add(gold, &[gold], &probs, &chosen);
    }
    Ok(report.primary_total - before)
}

/// Evaluates `model` on `data`: an `iptc-dev` directory (todo/ + labels/) or
/// corpus files, comma-separated, evaluated as one set (only the articles the
/// model's holdout removed from training, when it was trained on the file).
pub fn eval(model: &TopicModel, data: &Path) -> anyhow::Result<()> {
    let mut report = Report::default();
    if data.is_dir() {
        let skipped = add_iptc_dev(model, data, &mut report)?;
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
    let mut labels = BTreeSet::new();
    for file in split_files(data) {
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
        let n = add_corpus_file(
            model,
            &file,
            |a| !trained_on || holdout.holds_out(a),
            &mut report,
            &mut labels,
        )?;
        println!(
            "{}: {} labelled articles evaluated ({})",
            file.display(),
            n,
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

fn split_files(data: &Path) -> Vec<PathBuf> {
    data.to_string_lossy()
        .split(',')
        .map(PathBuf::from)
        .collect()
}

/// Trains a model on `corpus` without the articles `holdout` removes and
/// scores it on those articles of `files`: the report, the labels seen and
/// the number of labelled articles.
fn fit_and_score(
    corpus: &Corpus,
    files: &[PathBuf],
    holdout: &Holdout,
    params: &Params,
    seed: u64,
) -> anyhow::Result<(Report, Vec<usize>, u64)> {
    let model = fit_model(corpus, holdout, params, seed)?;
    let mut report = Report::default();
    let mut labels = BTreeSet::new();
    let mut n = 0;
    for file in files {
        n += add_corpus_file(
            &model,
            file,
            |a| holdout.holds_out(a),
            &mut report,
            &mut labels,
        )?;
    }
    Ok((report, labels.into_iter().collect(), n))
}

/// k-fold cross-validation: for each fold of `k` (by article id hash), a model
/// is trained on `train_data` without that fold and evaluated on the fold's
/// articles of the `data` files (one set). Prints each fold's report and the
/// mean and standard deviation of the macro-F1; returns the fold figures.
pub fn cross_validate(
    train_data: &Path,
    data: &Path,
    k: u64,
    params: &Params,
    seed: u64,
) -> anyhow::Result<Vec<f64>> {
    if k < 2 {
        bail!("cross-validation needs at least 2 folds");
    }
    let files = split_files(data);
    let corpus = Corpus::load(train_data, params)?;
    let mut figures = Vec::new();
    for fold in 0..k {
        let holdout = Holdout::Fold { k: fold, n: k };
        let (report, labels, n) = fit_and_score(&corpus, &files, &holdout, params, seed)?;
        println!("fold {}/{k}: {n} labelled articles held out", fold + 1);
        figures.push(report.print(&labels));
    }
    let mean = figures.iter().sum::<f64>() / k as f64;
    let sd = (figures.iter().map(|f| (f - mean).powi(2)).sum::<f64>() / k as f64).sqrt();
    let each: Vec<String> = figures.iter().map(|f| format!("{f:.4}")).collect();
    println!(
        "cross-validation, {k} folds: macro-F1 mean {mean:.4} (sd {sd:.4}; folds {})",
        each.join(", ")
    );
    Ok(figures)
}

/// Held-out evaluation over several training seeds: for each seed, a model
/// is trained on `train_data` without the articles `holdout` removes and
/// evaluated on those articles of the `data` files (one set). Prints each
/// seed's report, then the mean per-label F1 and the mean macro-F1 (with its
/// standard deviation over the seeds); returns the seeds' macro-F1.
pub fn holdout_seeds(
    train_data: &Path,
    data: &Path,
    holdout: &Holdout,
    seeds: &[u64],
    params: &Params,
) -> anyhow::Result<Vec<f64>> {
    if *holdout == Holdout::None || seeds.is_empty() {
        bail!("a held-out evaluation needs a holdout and at least one seed");
    }
    let files = split_files(data);
    let corpus = Corpus::load(train_data, params)?;
    let mut figures = Vec::new();
    let mut per_label: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
    for &seed in seeds {
        let (report, labels, n) = fit_and_score(&corpus, &files, holdout, params, seed)?;
        println!(
            "seed {seed}: {n} labelled articles held out by {}",
            holdout.spec().unwrap_or_default()
        );
        for &l in &labels {
            per_label.entry(l).or_default().push(report.label_f1(l));
        }
        figures.push(report.print(&labels));
    }
    let k = figures.len() as f64;
    let mean = figures.iter().sum::<f64>() / k;
    let sd = (figures.iter().map(|f| (f - mean).powi(2)).sum::<f64>() / k).sqrt();
    println!(
        "mean over {} seeds, per label (primary topic F1):",
        figures.len()
    );
    for (l, f) in &per_label {
        println!(
            "  {:<10} {:<42} {:>6.3}",
            TOPICS[*l].0,
            TOPICS[*l].1,
            f.iter().sum::<f64>() / f.len().max(1) as f64
        );
    }
    let each: Vec<String> = seeds
        .iter()
        .zip(&figures)
        .map(|(s, f)| format!("seed {s}: {f:.4}"))
        .collect();
    println!(
        "held out by {}: macro-F1 mean {mean:.4} (sd {sd:.4}; {})",
        holdout.spec().unwrap_or_default(),
        each.join(", ")
    );
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_counts_primary_and_sets() {
        let mut r = Report::default();
        let mut probs = [0.0f32; N_LABELS];
        probs[0] = 0.9;
        probs[1] = 0.6;
        // Right primary, one extra topic not in the gold set.
        r.add(0, &[0], &probs, &[0, 1]);
        // Wrong primary.
        r.add(2, &[2], &probs, &[0]);
        assert_eq!((r.primary_right, r.primary_total), (1, 2));
        assert_eq!((r.set_tp, r.set_fp, r.set_fn), (1, 2, 1));
        assert_eq!(r.confusion.get(&(2, 0)), Some(&1));
        assert!((r.label_f1(0) - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(r.label_f1(2), 0.0);
        let macro_f1 = r.print(&[0, 2]);
        // Label 0: P 1/2, R 1 -> 2/3; label 2: 0.
        assert!((macro_f1 - 1.0 / 3.0).abs() < 1e-9, "{macro_f1}");
    }
}
