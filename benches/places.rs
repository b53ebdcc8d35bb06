//! Geotagging and entity assembly speed on the benchmark articles (about
//! 2.3 KB each), and the gazetteer's load time.
//!
//! `places/geotag/*`: gazetteer matching and disambiguation alone.
//! `places/entities/*`: tokenisation, statistical tagger, rule patterns,
//! geotagging, merge and canonicalisation: everything behind `entities` and
//! `places` in a record.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use news_enricher::enrich::entities::Recogniser;
use news_enricher::enrich::places::{Gazetteer, Options};
use news_enricher::enrich::text::Document;
use news_enricher::enrich::Enrichers;

fn bench(c: &mut Criterion) {
    let dir = Enrichers::bundled_models_dir();
    let t = std::time::Instant::now();
    let gazetteer = Gazetteer::load(&dir).expect("bundled gazetteer");
    eprintln!(
        "gazetteer loaded in {:?}: {:?}",
        t.elapsed(),
        gazetteer.sizes()
    );
    let recogniser = Recogniser::load(&dir).expect("bundled entity models");
    for (name, lang, text) in [
        ("ar", "ar", include_str!("fixtures/entities-ar.txt")),
        ("en", "en", include_str!("fixtures/entities-en.txt")),
    ] {
        let (title, body) = text.split_once('\n').unwrap_or(("", text));
        c.bench_function(&format!("places/geotag/{name}"), |b| {
            b.iter(|| gazetteer.geotag(black_box(title), black_box(body), lang, Options::default()))
        });
        c.bench_function(&format!("places/entities/{name}"), |b| {
            b.iter(|| {
                let doc = Document::new(black_box(title), black_box(body), lang);
                recogniser.analyse(&doc, &gazetteer, lang, Options::default())
            })
        });
    }
    let mut g = c.benchmark_group("places/load");
    g.sample_size(10);
    g.bench_function("gazetteer", |b| b.iter(|| Gazetteer::load(black_box(&dir))));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
