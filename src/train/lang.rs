//! `news-enricher eval language`: accuracy of the language detector on
//! labelled JSONL files (`{"lang": "ar", "title": "...", "text": "..."}`, gzip
//! or plain), per file and per language, with the `und` rate and the speed.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use serde::Deserialize;

use crate::enrich::lang::LanguageDetector;

#[derive(Debug, Deserialize)]
struct Labelled {
    lang: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
}

/// Counts for one file or one language.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub total: usize,
    pub correct: usize,
    pub undetermined: usize,
    /// Wrong answer → count.
    pub confusions: BTreeMap<String, usize>,
}

impl Tally {
    fn add(&mut self, gold: &str, got: &str) {
        self.total += 1;
        if got == gold {
            self.correct += 1;
        } else if got == "und" {
            self.undetermined += 1;
        } else {
            *self.confusions.entry(got.to_string()).or_default() += 1;
        }
    }

    pub fn accuracy(&self) -> f64 {
        self.correct as f64 / self.total.max(1) as f64
    }

    fn line(&self, name: &str) -> String {
        let wrong: usize = self.confusions.values().sum();
        format!(
            "{name:<40} n={:<5} accuracy={:.4} und={:.4} wrong={:.4} {:?}",
            self.total,
            self.accuracy(),
            self.undetermined as f64 / self.total.max(1) as f64,
            wrong as f64 / self.total.max(1) as f64,
            self.confusions
        )
    }
}

/// The labelled files under `path` (a file, or every `*dev.jsonl[.gz]` in a directory).
fn files(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with("dev.jsonl") || name.ends_with("dev.jsonl.gz")
        })
        .collect();
    out.sort();
    anyhow::ensure!(
        !out.is_empty(),
        "no *dev.jsonl[.gz] file in {}",
        path.display()
    );
    Ok(out)
}

fn reader(path: &Path) -> anyhow::Result<Box<dyn BufRead>> {
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let inner: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(f))
    } else {
        Box::new(f)
    };
    Ok(Box::new(BufReader::new(inner)))
}

/// Evaluates the detector on every labelled file under `path`; prints a report.
pub fn eval(path: &Path) -> anyhow::Result<Tally> {
    let detector = LanguageDetector::new();
    let mut overall = Tally::default();
    let mut per_lang: BTreeMap<String, Tally> = BTreeMap::new();
    let mut elapsed = std::time::Duration::ZERO;
    for file in files(path)? {
        let mut tally = Tally::default();
        for (i, line) in reader(&file)?.lines().enumerate() {
            let line = line.with_context(|| format!("{}:{}", file.display(), i + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let rec: Labelled = serde_json::from_str(&line)
                .with_context(|| format!("{}:{}", file.display(), i + 1))?;
            let start = Instant::now();
            let got = detector.detect(&rec.title, &rec.text, None);
            elapsed += start.elapsed();
            tally.add(&rec.lang, &got.code);
            overall.add(&rec.lang, &got.code);
            per_lang
                .entry(rec.lang.clone())
                .or_default()
                .add(&rec.lang, &got.code);
        }
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        println!("{}", tally.line(&name.unwrap_or_default()));
    }
    for (lang, tally) in &per_lang {
        println!("{}", tally.line(&format!("language {lang}")));
    }
    println!("{}", overall.line("overall"));
    println!(
        "mean time per article: {:.2} µs (prefix of {} characters)",
        elapsed.as_secs_f64() * 1e6 / overall.total.max(1) as f64,
        crate::enrich::lang::PREFIX_CHARS
    );
    Ok(overall)
}
