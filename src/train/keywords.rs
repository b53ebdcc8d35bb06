//! `news-enricher train keywords`: document frequencies of stems per
//! language over the shared corpora (`topics/train/*.jsonl.gz` and
//! `unlabeled/saudinewsnet-ar.jsonl.gz`), written as the compact table the
//! keyword extractor and the summariser load (`models/keywords-df.bin`).
//!
//! Each article (title and text) is analysed with the same
//! [`Document`](crate::enrich::text::Document) the enrichers use; a stem counts once per
//! article when its token could be part of a keyword. The table keeps the
//! [`MAX_TERMS`] most frequent stems per language seen in at least two
//! articles; rarer stems get the highest inverse document frequency at run
//! time, as unseen ones do.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;

use crate::enrich::text::keywords::{is_candidate_token, DocFreq, LangFreq};
use crate::enrich::text::{Document, Lang};
use crate::train::sources::{corpus_files, read_lines, Line};

/// Stems kept per language.
pub const MAX_TERMS: usize = 150_000;
/// Default output, under the model directory.
pub const FILE_NAME: &str = "keywords-df.bin";

/// Distinct keyword-candidate stems of one article.
fn stems(line: &Line) -> Option<(Lang, Vec<String>)> {
    let lang = Lang::from_code(&line.lang)?;
    let doc = Document::with_lang(line.title.as_deref().unwrap_or(""), &line.text, lang);
    let mut v: Vec<String> = doc
        .tokens()
        .iter()
        .filter(|t| is_candidate_token(&doc, t))
        .map(|t| doc.stem(t).to_string())
        .collect();
    v.sort_unstable();
    v.dedup();
    Some((lang, v))
}

#[derive(Default)]
struct Counts {
    docs: HashMap<Lang, u32>,
    df: HashMap<Lang, HashMap<String, u32>>,
}

impl Counts {
    fn add(mut self, (lang, stems): (Lang, Vec<String>)) -> Self {
        *self.docs.entry(lang).or_default() += 1;
        let df = self.df.entry(lang).or_default();
        for s in stems {
            *df.entry(s).or_default() += 1;
        }
        self
    }
    fn merge(mut self, other: Counts) -> Self {
        for (l, n) in other.docs {
            *self.docs.entry(l).or_default() += n;
        }
        for (l, m) in other.df {
            let df = self.df.entry(l).or_default();
            for (s, n) in m {
                *df.entry(s).or_default() += n;
            }
        }
        self
    }
}

/// Counts document frequencies over `files` and returns the table.
pub fn build(files: &[PathBuf]) -> anyhow::Result<DocFreq> {
    let mut total = Counts::default();
    for path in files {
        let lines = read_lines(path)?;
        let counts = lines
            .par_iter()
            .filter_map(|l| serde_json::from_str::<Line>(l).ok())
            .filter_map(|l| stems(&l))
            .fold(Counts::default, Counts::add)
            .reduce(Counts::default, Counts::merge);
        tracing::info!(file = %path.display(), articles = lines.len(), "counted");
        total = total.merge(counts);
    }
    let mut table = |lang: Lang| {
        let docs = total.docs.get(&lang).copied().unwrap_or(0);
        let mut terms: Vec<(String, u32)> = total
            .df
            .remove(&lang)
            .unwrap_or_default()
            .into_iter()
            .filter(|(s, n)| *n >= 2 && s.len() < 256)
            .collect();
        terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        terms.truncate(MAX_TERMS);
        LangFreq::new(docs, terms)
    };
    Ok(DocFreq {
        version: String::new(),
        ar: table(Lang::Ar),
        en: table(Lang::En),
        fr: table(Lang::Fr),
    })
}

/// `train keywords`: builds the table from `data` and writes it to `out`.
pub fn train(data: &Path, out: &Path) -> anyhow::Result<()> {
    let files = corpus_files(data)?;
    let df = build(&files)?;
    let bytes = df.to_bytes();
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    for (code, t) in [("ar", &df.ar), ("en", &df.en), ("fr", &df.fr)] {
        println!("{code}: {} articles, {} stems", t.docs, t.terms.len());
    }
    println!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(())
}
