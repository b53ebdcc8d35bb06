//! Named-entity tagging speed on articles written for the benchmark
//! (about 2.5 KB each), tokens prepared in advance.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use news_enricher::enrich::entities::tagger::Tagger;
use news_enricher::enrich::Enrichers;

/// Words and single punctuation marks, as the corpora are tokenised.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() || c == '\'' || c == '-' {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        if let Some(s) = start.take() {
            out.push(&text[s..i]);
        }
        if !c.is_whitespace() {
            out.push(&text[i..i + c.len_utf8()]);
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

fn bench(c: &mut Criterion) {
    let load_start = std::time::Instant::now();
    let tagger = Tagger::load(&Enrichers::bundled_models_dir()).expect("bundled models");
    eprintln!("entity models loaded in {:?}", load_start.elapsed());
    for (name, lang, text) in [
        ("en", "en", include_str!("fixtures/entities-en.txt")),
        ("ar", "ar", include_str!("fixtures/entities-ar.txt")),
    ] {
        let toks = tokens(text);
        eprintln!("{name}: {} bytes, {} tokens", text.len(), toks.len());
        c.bench_function(&format!("entities/tag/{name}"), |b| {
            b.iter(|| tagger.tag(black_box(&toks), lang))
        });
    }
    c.bench_function("entities/load", |b| {
        b.iter(|| Tagger::load(black_box(&Enrichers::bundled_models_dir())))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
