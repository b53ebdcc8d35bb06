//! The text layer per article over a mix of Arabic and English articles
//! written for the benchmarks (`benches/fixtures`, about 2.5 KB on average;
//! the count and the average size are printed):
//!
//! - `text/whole_layer`: everything the text layer computes for one article,
//!   as `Enrichers::analyse` runs it: the `Document` (tokens with offsets,
//!   normalisation, stems, sentences), statistics, lead, keywords, summary,
//!   dates, quotes and amounts;
//! - `text/document`, `text/keywords`, `text/summary`, `text/dates`,
//!   `text/quotes`, `text/amounts`: its parts;
//! - `text/analyse`: the whole `Enrichers::analyse` (every enricher).
//!
//! Each iteration handles one article, cycling through the mix, so the
//! reported time is the mean time per article.
//!
//! `cargo bench --bench text`

mod support;

use chrono::NaiveDate;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use news_enricher::enrich::amounts::AmountExtractor;
use news_enricher::enrich::dates::{DateContext, DateExtractor};
use news_enricher::enrich::quotes::QuoteExtractor;
use news_enricher::enrich::text::{self, keywords::DocFreq, Document};
use news_enricher::enrich::text_layer::TextEnricher;
use news_enricher::enrich::Enrichers;
use news_enricher::model::record::Field;
use news_enricher::model::Article;
use support::{average_len, layer_articles, BenchArticle};

/// Runs `f` on one article per iteration, cycling through `articles`.
fn per_article<F: FnMut(&BenchArticle) -> usize>(
    c: &mut Criterion,
    name: &str,
    articles: &[BenchArticle],
    mut f: F,
) {
    c.bench_function(name, |b| {
        let mut k = 0;
        b.iter(|| {
            let a = &articles[k % articles.len()];
            k += 1;
            f(black_box(a))
        })
    });
}

fn bench(c: &mut Criterion) {
    let articles = layer_articles();
    assert!(!articles.is_empty(), "no benchmark articles");
    println!(
        "{} articles ({} Arabic), {} bytes on average",
        articles.len(),
        articles.iter().filter(|a| a.lang == "ar").count(),
        average_len(&articles)
    );
    let models = Enrichers::bundled_models_dir();
    let layer = match TextEnricher::load(&models) {
        Ok(t) => t,
        Err(e) => panic!("cannot load the keyword table: {e}"),
    };
    let published = NaiveDate::from_ymd_opt(2015, 7, 31);
    per_article(c, "text/whole_layer", &articles, |a| {
        let doc = Document::new(&a.title, &a.body, a.lang);
        let t = layer.analyse(&doc, published);
        t.stats.words + t.keywords.map_or(0, |k| k.len()) + t.dates.map_or(0, |d| d.len())
    });

    per_article(c, "text/document", &articles, |a| {
        Document::new(&a.title, &a.body, a.lang).tokens().len()
    });
    let df = match DocFreq::load(&models.join("keywords-df.bin")) {
        Ok(d) => d,
        Err(e) => panic!("cannot load the keyword table: {e}"),
    };
    let docs: Vec<Document<'_>> = articles
        .iter()
        .map(|a| Document::new(&a.title, &a.body, a.lang))
        .collect();
    let mut k = 0;
    c.bench_function("text/keywords", |b| {
        b.iter(|| {
            let doc = &docs[k % docs.len()];
            k += 1;
            let terms = text::keywords::Terms::new(doc, &df);
            let lead = text::summary::lead_index(doc);
            text::keywords::extract(doc, &terms, lead).map_or(0, |k| k.len())
        })
    });
    let terms: Vec<_> = docs
        .iter()
        .map(|d| text::keywords::Terms::new(d, &df))
        .collect();
    let mut k = 0;
    c.bench_function("text/summary", |b| {
        b.iter(|| {
            let i = k % docs.len();
            k += 1;
            let doc = &docs[i];
            text::summary::summarise(doc, &terms[i]).map_or(0, |s| s.len())
                + text::summary::lead(doc).map_or(0, |l| l.len())
                + text::stats::stats(doc).words
        })
    });
    let dates = DateExtractor::new().expect("date vocabulary");
    let quotes = QuoteExtractor::new().expect("quote vocabulary");
    let amounts = AmountExtractor::new().expect("amount vocabulary");
    let ctx = DateContext { published };
    per_article(c, "text/dates", &articles, |a| {
        dates.extract(&a.title, Field::Title, &ctx).len()
            + dates.extract(&a.body, Field::Body, &ctx).len()
    });
    per_article(c, "text/quotes", &articles, |a| {
        quotes.extract(&a.title, Field::Title).len() + quotes.extract(&a.body, Field::Body).len()
    });
    per_article(c, "text/amounts", &articles, |a| {
        amounts.extract(&a.title, Field::Title, false).len()
            + amounts.extract(&a.body, Field::Body, false).len()
    });

    let enrichers = match Enrichers::load(&models) {
        Ok(e) => e,
        Err(e) => panic!("cannot load models: {e}"),
    };
    let inputs: Vec<Article> = articles
        .iter()
        .map(|a| Article {
            title: Some(a.title.clone()),
            text: a.body.clone(),
            ..Article::default()
        })
        .collect();
    let mut k = 0;
    c.bench_function("text/analyse", |b| {
        b.iter(|| {
            let a = &inputs[k % inputs.len()];
            k += 1;
            enrichers.analyse(black_box(a)).stats.words
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
