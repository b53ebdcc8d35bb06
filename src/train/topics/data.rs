//! The corpora the topic classifier is trained on: reading them, mapping
//! corpus labels to IPTC codes, and the splits (dev, held-out outlets, folds).

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::Deserialize;

use crate::enrich::topic::label_index;

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

/// The training corpora under `data`: the labelled files, then the unlabelled one.
pub fn corpus_files(data: &Path) -> Vec<PathBuf> {
    crate::train::sources::corpus_files(data).unwrap_or_default()
}

#[derive(Debug, Deserialize)]
struct IdOnly {
    #[serde(default)]
    id: String,
}

/// Ids of the hand-labelled development articles (`topics/iptc-dev/todo`):
/// they also occur in the training corpora and are kept out of training, so
/// the development set measures the model on articles it has never seen.
pub fn iptc_dev_ids(data: &Path) -> anyhow::Result<HashSet<String>> {
    let mut ids = HashSet::new();
    for f in jsonl_files(&data.join("topics/iptc-dev/todo")) {
        ids.extend(read_jsonl::<IdOnly>(&f)?.into_iter().map(|a| a.id));
    }
    Ok(ids)
}

/// The `.jsonl` files of `dir`, sorted (none when it cannot be read).
fn jsonl_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    files
}

#[derive(Debug, Deserialize)]
struct TuneLabels {
    id: String,
    #[serde(default)]
    topics: Vec<String>,
}

/// The hand-labelled tuning articles (`data/topic-tune/*.jsonl`: article
/// ids of the corpora with their IPTC topics, primary first): article id →
/// topic indices. They are kept out of training and move each label's
/// calibration offset (see [`super::fit::shift_platt`]).
pub fn tune_labels(dir: &Path) -> anyhow::Result<HashMap<String, Vec<usize>>> {
    let mut out = HashMap::new();
    for f in jsonl_files(dir) {
        for t in read_jsonl::<TuneLabels>(&f)? {
            let topics: Vec<usize> = t.topics.iter().filter_map(|c| label_index(c)).collect();
            if topics.is_empty() {
                bail!("{}: article {} has no known topic", f.display(), t.id);
            }
            out.insert(t.id, topics);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn iptc_dev_ids_are_read_from_todo_files() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let todo = dir.path().join("topics/iptc-dev/todo");
        std::fs::create_dir_all(&todo).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(todo.join("a.jsonl"), "{\"id\":\"a1\"}\n\n{\"id\":\"b2\"}\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let ids = iptc_dev_ids(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert!(ids.contains("a1") && ids.contains("b2") && ids.len() == 2);
        let none = iptc_dev_ids(&dir.path().join("missing")).unwrap_or_else(|e| panic!("{e}"));
        assert!(none.is_empty());
    }

    #[test]
    fn tune_labels_map_codes_and_reject_unknown_ones() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.path().join("ar.jsonl"),
            "{\"id\":\"a1\",\"primary\":\"11000000\",\"topics\":[\"11000000\",\"16000000\"]}\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let t = tune_labels(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.get("a1"), Some(&vec![10, 15]));
        std::fs::write(
            dir.path().join("bad.jsonl"),
            "{\"id\":\"b\",\"topics\":[\"99000000\"]}\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(tune_labels(dir.path()).is_err());
        assert!(tune_labels(&dir.path().join("missing"))
            .map(|t| t.is_empty())
            .unwrap_or(false));
    }

    #[test]
    fn shipped_tune_labels_parse() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/topic-tune");
        let t = tune_labels(&dir).unwrap_or_else(|e| panic!("{e:#}"));
        assert!(t.len() >= 100, "{}", t.len());
    }
}
