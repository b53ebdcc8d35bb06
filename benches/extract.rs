//! Dates, quotes and amounts: extraction speed on articles written for the
//! benchmark (about 2.5 KB of Arabic, 2 KB of English and French), and, when
//! the shared corpora are present, on the first 1,000 SaudiNewsNet articles
//! (throughput in articles per second; µs per article = 1e6 / that).
//!
//! `cargo bench --bench extract`

use std::io::{BufRead, BufReader};

use chrono::NaiveDate;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use news_enricher::enrich::amounts::AmountExtractor;
use news_enricher::enrich::dates::{DateContext, DateExtractor};
use news_enricher::enrich::quotes::QuoteExtractor;
use news_enricher::model::record::Field;

struct Extractors {
    dates: DateExtractor,
    quotes: QuoteExtractor,
    amounts: AmountExtractor,
}

impl Extractors {
    fn run(&self, text: &str, ctx: &DateContext, comma_decimal: bool) -> usize {
        self.dates.extract(text, Field::Body, ctx).len()
            + self.quotes.extract(text, Field::Body).len()
            + self.amounts.extract(text, Field::Body, comma_decimal).len()
    }
}

/// Bodies of the first `n` SaudiNewsNet articles, when the corpus is present.
fn corpus(n: usize) -> Option<Vec<String>> {
    // The project root's sibling, or two levels up from a worktree.
    let file = ["/../shared", "/../../shared"].iter().find_map(|up| {
        let path = format!(
            "{}{up}/data/unlabeled/saudinewsnet-ar.jsonl.gz",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::File::open(path).ok()
    })?;
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));
    let mut out = Vec::with_capacity(n);
    for line in reader.lines().take(n) {
        let v: serde_json::Value = serde_json::from_str(&line.ok()?).ok()?;
        out.push(v.get("text")?.as_str()?.to_string());
    }
    Some(out)
}

fn bench(c: &mut Criterion) {
    let x = Extractors {
        dates: DateExtractor::new().expect("date vocabulary"),
        quotes: QuoteExtractor::new().expect("quote vocabulary"),
        amounts: AmountExtractor::new().expect("amount vocabulary"),
    };
    let ctx = DateContext {
        published: NaiveDate::from_ymd_opt(2015, 7, 31),
    };
    for (name, fr, text) in [
        ("ar", false, include_str!("fixtures/extract-ar.txt")),
        ("en", false, include_str!("fixtures/extract-en.txt")),
        ("fr", true, include_str!("fixtures/extract-fr.txt")),
    ] {
        eprintln!(
            "{name}: {} bytes, {} mentions",
            text.len(),
            x.run(text, &ctx, fr)
        );
        c.bench_function(&format!("extract/all/{name}"), |b| {
            b.iter(|| x.run(black_box(text), &ctx, fr))
        });
        c.bench_function(&format!("extract/dates/{name}"), |b| {
            b.iter(|| x.dates.extract(black_box(text), Field::Body, &ctx))
        });
        c.bench_function(&format!("extract/quotes/{name}"), |b| {
            b.iter(|| x.quotes.extract(black_box(text), Field::Body))
        });
        c.bench_function(&format!("extract/amounts/{name}"), |b| {
            b.iter(|| x.amounts.extract(black_box(text), Field::Body, fr))
        });
    }
    if let Some(docs) = corpus(1000) {
        let bytes: usize = docs.iter().map(String::len).sum();
        eprintln!(
            "saudinewsnet: {} articles, {} bytes on average",
            docs.len(),
            bytes / docs.len().max(1)
        );
        let mut group = c.benchmark_group("extract/saudinewsnet");
        group.throughput(Throughput::Elements(docs.len() as u64));
        group.bench_function("all", |b| {
            b.iter(|| {
                docs.iter()
                    .map(|d| x.run(black_box(d), &ctx, false))
                    .sum::<usize>()
            })
        });
        group.finish();
    } else {
        eprintln!("shared corpus absent: corpus benchmark skipped");
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
