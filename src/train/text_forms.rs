//! `news-enricher train text-forms`: the surfaces that begin a word in most
//! articles of each language over the shared corpora (the files of
//! [`sources::corpus_files`]), written as the table of frequent word forms
//! the tokenizer loads (`models/text-forms.txt`, see
//! [`crate::enrich::text::forms`]).
//!
//! A surface counts once per article (later occurrences in one article are
//! copied from the first by the tokenizer anyway). The table keeps, per
//! language, the [`MAX_PER_LANG`] surfaces found in most articles, at least
//! [`MIN_ARTICLES`], that make a single word token; ties are broken by the
//! surface's bytes, so the file is the same on every run.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use rayon::prelude::*;

use super::sources::{corpus_files, read_lines, Line};
use crate::enrich::text::forms::{self, FILE_NAME, HEADER};
use crate::enrich::text::{Document, Lang, TokenKind};

/// Surfaces kept per language.
pub const MAX_PER_LANG: usize = 60_000;
/// Articles a surface must appear in.
pub const MIN_ARTICLES: u32 = 2;

/// Default output, under the model directory.
pub fn default_out() -> std::path::PathBuf {
    crate::enrich::Enrichers::bundled_models_dir().join(FILE_NAME)
}

type Counts = HashMap<(Lang, String), u32>;

/// Distinct word surfaces of one article.
fn surfaces(line: &Line) -> Option<(Lang, Vec<String>)> {
    let lang = Lang::from_code(&line.lang)?;
    let doc = Document::with_forms(line.title.as_deref().unwrap_or(""), &line.text, lang, None);
    let mut v: Vec<String> = doc
        .tokens()
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| doc.surface(t).to_string())
        .collect();
    v.sort_unstable();
    v.dedup();
    Some((lang, v))
}

fn add(mut counts: Counts, (lang, words): (Lang, Vec<String>)) -> Counts {
    for w in words {
        *counts.entry((lang, w)).or_default() += 1;
    }
    counts
}

fn merge(mut a: Counts, b: Counts) -> Counts {
    for (k, n) in b {
        *a.entry(k).or_default() += n;
    }
    a
}

/// The file's text for the corpora under `data`.
pub fn build(data: &Path) -> anyhow::Result<String> {
    let mut total = Counts::new();
    for path in corpus_files(data)? {
        let lines = read_lines(&path)?;
        let counts = lines
            .par_iter()
            .filter_map(|l| serde_json::from_str::<Line>(l).ok())
            .filter_map(|l| surfaces(&l))
            .fold(Counts::new, add)
            .reduce(Counts::new, merge);
        tracing::info!(file = %path.display(), articles = lines.len(), "counted");
        total = merge(total, counts);
    }
    let mut out = format!("{HEADER}\n");
    for lang in [Lang::Ar, Lang::En, Lang::Fr] {
        let mut words: Vec<(&str, u32)> = total
            .iter()
            .filter(|((l, w), n)| {
                *l == lang && **n >= MIN_ARTICLES && !w.contains(['\t', '\n', '\r'])
            })
            .map(|((_, w), n)| (w.as_str(), *n))
            .collect();
        words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let all: u64 = total
            .iter()
            .filter(|((l, _), _)| *l == lang)
            .map(|(_, &n)| u64::from(n))
            .sum();
        // Only surfaces the table keeps (one word token each).
        let (mut kept, mut covered) = (0, 0u64);
        let mut buf = String::new();
        for (w, n) in words {
            if kept == MAX_PER_LANG {
                break;
            }
            if forms::compute(w, lang, &mut buf).is_none() {
                continue;
            }
            out.push_str(lang.code());
            out.push('\t');
            out.push_str(w);
            out.push('\n');
            kept += 1;
            covered += u64::from(n);
        }
        let share = covered as f64 / all.max(1) as f64;
        println!(
            "{}: {kept} surfaces, {:.1}% of the words new to their article",
            lang.code(),
            share * 100.0
        );
    }
    Ok(out)
}

/// `train text-forms`: builds the table from `data` and writes it to `out`.
pub fn train(data: &Path, out: &Path) -> anyhow::Result<()> {
    let text = build(data)?;
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(out, &text).with_context(|| format!("writing {}", out.display()))?;
    println!("wrote {} ({} bytes)", out.display(), text.len());
    Ok(())
}
