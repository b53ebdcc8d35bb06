//! The text layer per article over a mix of Arabic, English and French
//! articles (tests/fixtures/text): tokens, sentences, stats, lead, keywords,
//! summary; then the whole `Enrichers::analyse` on the same articles.
//!
//! `cargo bench --bench text`. Each `mix` iteration analyses every fixture
//! once; divide by the number of fixtures (printed) for the time per article.

use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use news_enricher::enrich::text::{self, keywords::DocFreq, Document};
use news_enricher::enrich::Enrichers;
use news_enricher::model::Article;

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|raw| {
            let (title, body) = raw.split_once('\n').unwrap_or(("", raw.as_str()));
            (title.to_string(), body.to_string())
        })
        .collect()
}

fn text_layer(doc: &Document<'_>, df: &DocFreq) -> usize {
    let stats = text::stats::stats(doc);
    let lead = text::summary::lead(doc);
    let terms = text::keywords::Terms::new(doc, df);
    let kws = text::keywords::extract(doc, &terms, text::summary::lead_index(doc));
    let summary = text::summary::summarise(doc, &terms);
    stats.words
        + lead.map_or(0, |l| l.len())
        + kws.map_or(0, |k| k.len())
        + summary.map_or(0, |s| s.len())
}

fn bench(c: &mut Criterion) {
    let articles = fixtures();
    let bytes: usize = articles.iter().map(|(t, b)| t.len() + b.len()).sum();
    println!(
        "{} articles, {} bytes on average",
        articles.len(),
        bytes / articles.len().max(1)
    );
    let enrichers = match Enrichers::load(&Enrichers::bundled_models_dir()) {
        Ok(e) => e,
        Err(e) => panic!("cannot load models: {e}"),
    };
    let df = match DocFreq::load(&Enrichers::bundled_models_dir().join("keywords-df.bin")) {
        Ok(d) => d,
        Err(e) => panic!("cannot load keyword table: {e}"),
    };
    c.bench_function("text/document/mix", |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|(t, body)| {
                    Document::new(black_box(t), black_box(body), "und")
                        .tokens()
                        .len()
                })
                .sum::<usize>()
        })
    });
    c.bench_function("text/layer/mix", |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|(t, body)| {
                    text_layer(&Document::new(black_box(t), black_box(body), "und"), &df)
                })
                .sum::<usize>()
        })
    });
    let inputs: Vec<Article> = articles
        .iter()
        .map(|(t, body)| Article {
            title: Some(t.clone()),
            text: body.clone(),
            ..Article::default()
        })
        .collect();
    c.bench_function("text/analyse/mix", |b| {
        b.iter(|| {
            inputs
                .iter()
                .map(|a| enrichers.analyse(black_box(a)).stats.words)
                .sum::<usize>()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
