//! Reading the training sources: JSON files (plain or gzip-compressed),
//! gzip-compressed lines, and the few value shapes the sources use.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;
use serde_json::Value;

pub(crate) fn read_json(path: &Path) -> anyhow::Result<Value> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut s = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut s)
            .with_context(|| format!("decompressing {}", path.display()))?;
        Ok(serde_json::from_slice(&s)?)
    } else {
        Ok(serde_json::from_slice(&bytes)?)
    }
}

pub(crate) fn gz_lines(
    path: &Path,
) -> anyhow::Result<impl Iterator<Item = std::io::Result<String>>> {
    let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    Ok(BufReader::new(flate2::read::GzDecoder::new(f)).lines())
}

/// A string or the strings of an array.
pub(crate) fn strs(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The non-blank string at `path` in nested objects.
pub(crate) fn s(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    cur.as_str()
        .map(str::to_string)
        .filter(|x| !x.trim().is_empty())
}

/// A number, or a string holding one.
pub(crate) fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// One article of the corpora's JSON lines, as the background-corpus
/// trainers (keywords, text forms) read it.
#[derive(Deserialize)]
pub(crate) struct Line {
    #[serde(default)]
    pub(crate) lang: String,
    #[serde(default)]
    pub(crate) title: Option<String>,
    #[serde(default)]
    pub(crate) text: String,
}

/// The corpus files under `data`: every `topics/train/*.jsonl.gz`, then the
/// unlabeled Arabic news when present.
pub(crate) fn corpus_files(data: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let train = data.join("topics/train");
    for e in std::fs::read_dir(&train).with_context(|| format!("reading {}", train.display()))? {
        let p = e?.path();
        if p.to_string_lossy().ends_with(".jsonl.gz") {
            files.push(p);
        }
    }
    files.sort();
    let unlabeled = data.join("unlabeled/saudinewsnet-ar.jsonl.gz");
    if unlabeled.exists() {
        files.push(unlabeled);
    }
    anyhow::ensure!(
        !files.is_empty(),
        "no corpus files under {}",
        data.display()
    );
    Ok(files)
}

/// Every line of a gzip-compressed file.
pub(crate) fn read_lines(path: &Path) -> anyhow::Result<Vec<String>> {
    gz_lines(path)?
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("reading {}", path.display()))
}
