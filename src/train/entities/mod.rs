//! Training and evaluation of the named-entity tagger.
//!
//! `news-enricher train entities --data DIR --out DIR` reads the CoNLL files
//! (`DIR/ner/anercorp-train.conll` for Arabic, `DIR/ner/conll2003-en-train.conll`
//! for Latin script; `--data` may also name one training file), builds the
//! gazetteer from `DIR/gazetteer-sources`, trains an averaged structured
//! perceptron for a fixed number of epochs with a seeded shuffle, prints the
//! scores on the matching `-dev` file, and writes `entities-ar.bin` /
//! `entities-latn.bin`. The same command and seed reproduce the same bytes.
//!
//! `news-enricher eval entities --data FILE` tags every sentence of a CoNLL file
//! with the bundled models and prints exact span-and-type precision, recall
//! and F1 per type and overall (as conlleval counts them).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use crate::enrich::entities::features::Script;
use crate::enrich::entities::tagger::{Tagger, ARABIC_MODEL_FILE, LATIN_MODEL_FILE};

mod clusters;
mod conll;
mod lexicon;
mod perceptron;
mod score;
#[cfg(test)]
mod tests;

pub use clusters::*;
pub use conll::*;
pub use lexicon::*;
pub use perceptron::*;
pub use score::*;

use clusters::unlabelled_texts;
use score::script_of;

/// Where the training and dev files of each script live under a data directory.
fn corpus_files(data: &Path) -> Vec<(PathBuf, PathBuf)> {
    let ner = if data.join("ner").is_dir() {
        data.join("ner")
    } else {
        data.to_path_buf()
    };
    [
        ("anercorp-train.conll", "anercorp-dev.conll"),
        ("conll2003-en-train.conll", "conll2003-en-dev.conll"),
    ]
    .iter()
    .map(|(t, d)| (ner.join(t), ner.join(d)))
    .collect()
}

fn dev_sibling(train: &Path) -> Option<PathBuf> {
    let name = train.file_name()?.to_str()?;
    name.contains("train")
        .then(|| train.with_file_name(name.replace("train", "dev")))
}

/// `train entities`: `data` is the shared data directory (or its `ner/`
/// folder, or one training file); `out` the model directory.
pub fn train_command(data: &Path, out: &Path, seed: u64) -> anyhow::Result<()> {
    let jobs: Vec<(PathBuf, Option<PathBuf>)> = if data.is_file() {
        vec![(data.to_path_buf(), dev_sibling(data))]
    } else {
        corpus_files(data)
            .into_iter()
            .map(|(t, d)| (t, Some(d)))
            .collect()
    };
    let root = if data.is_file() {
        data.parent().and_then(Path::parent)
    } else if data.join("ner").is_dir() {
        Some(data)
    } else {
        data.parent()
    };
    let gaz_dir = root.map(|r| r.join("gazetteer-sources"));
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for (train_path, dev_path) in jobs {
        let train = read_conll(&train_path)?;
        if train.is_empty() {
            bail!("{} has no sentences", train_path.display());
        }
        let dev = match &dev_path {
            Some(p) if p.is_file() => read_conll(p)?,
            _ => Vec::new(),
        };
        let script = script_of(&train);
        let mut lexicon = match &gaz_dir {
            Some(d) if d.is_dir() => build_gazetteer(script, d)?,
            _ => bail!("gazetteer-sources not found next to {}", data.display()),
        };
        if let Some(root) = root {
            let files: Vec<PathBuf> = match script {
                Script::Arabic => vec![
                    root.join("unlabeled/saudinewsnet-ar.jsonl.gz"),
                    root.join("topics/train/ant-multisource-ar.jsonl.gz"),
                ],
                Script::Latin => vec![
                    root.join("topics/train/bbc-news-en.jsonl.gz"),
                    root.join("topics/train/masakhanews-en-dev.jsonl.gz"),
                ],
            };
            let mut texts = unlabelled_texts(&files)?;
            texts.extend(train.iter().map(|s| s.tokens.clone()));
            let start = std::time::Instant::now();
            lexicon.clusters = build_clusters(
                &texts,
                script,
                ClusterConfig {
                    seed,
                    ..ClusterConfig::default()
                },
            );
            eprintln!(
                "  {} words clustered from {} texts in {:.1}s",
                lexicon.clusters.len(),
                texts.len(),
                start.elapsed().as_secs_f64()
            );
        }
        eprintln!(
            "{}: {} sentences, {:?} script, gazetteer {} entries",
            train_path.display(),
            train.len(),
            script,
            lexicon.gazetteer.len()
        );
        let cfg = TrainConfig {
            seed,
            ..TrainConfig::default()
        };
        let start = std::time::Instant::now();
        let model = train_model(script, lexicon, &train, &dev, cfg, &mut |m| {
            eprintln!("  {m}")
        });
        eprintln!("  trained in {:.1}s", start.elapsed().as_secs_f64());
        if !dev.is_empty() {
            println!(
                "{} ({:?} model)\n{}",
                dev_path.as_deref().unwrap_or(Path::new("")).display(),
                script,
                evaluate_model(&model, &dev).report()
            );
        }
        let file = match script {
            Script::Arabic => ARABIC_MODEL_FILE,
            Script::Latin => LATIN_MODEL_FILE,
        };
        let path = out.join(file);
        model
            .save(&path)
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!("  wrote {} (version {})", path.display(), model.version());
    }
    Ok(())
}

/// `eval entities --data FILE`: scores the models in `models_dir` on a CoNLL file.
pub fn eval_command(data: &Path, models_dir: &Path) -> anyhow::Result<()> {
    let tagger = Tagger::load(models_dir)?;
    let sentences = read_conll(data)?;
    let lang = match script_of(&sentences) {
        Script::Arabic => "ar",
        Script::Latin => "en",
    };
    let score = evaluate(&tagger, &sentences, lang);
    println!(
        "{} ({} sentences, model {lang}, exact span and type)\n{}",
        data.display(),
        sentences.len(),
        score.report()
    );
    Ok(())
}
