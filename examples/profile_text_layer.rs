//! The whole text layer over the benchmark articles (`benches/fixtures`, the
//! `text/whole_layer` benchmark), in a loop, for instruction counts under
//! callgrind (steadier than wall-clock time on a busy machine):
//!
//! ```text
//! cargo build --release --example profile_text_layer
//! valgrind --tool=callgrind --toggle-collect='profile_text_layer::measured' \
//!     --callgrind-out-file=/tmp/cg.out target/release/examples/profile_text_layer 20
//! callgrind_annotate --inclusive=yes /tmp/cg.out | head -60
//! ```
//!
//! Instructions per article = the collected total ("I refs") / (rounds ×
//! articles). One uncounted round first builds the lazily built tables.

#[path = "../benches/support/mod.rs"]
mod support;

use chrono::NaiveDate;
use news_enricher::enrich::text::Document;
use news_enricher::enrich::text_layer::TextEnricher;
use news_enricher::enrich::Enrichers;
use support::{average_len, layer_articles, BenchArticle};

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let articles = layer_articles();
    println!(
        "{} articles, {} bytes on average, {rounds} rounds",
        articles.len(),
        average_len(&articles)
    );
    let layer = match TextEnricher::load(&Enrichers::bundled_models_dir()) {
        Ok(t) => t,
        Err(e) => panic!("cannot load the keyword table: {e}"),
    };
    let mut total = run(1, &articles, &layer);
    total += measured(rounds, &articles, &layer);
    println!("{total}");
}

/// The counted rounds (`--toggle-collect` names this function).
#[inline(never)]
fn measured(rounds: usize, articles: &[BenchArticle], layer: &TextEnricher) -> usize {
    run(rounds, articles, layer)
}

#[inline(never)]
fn run(rounds: usize, articles: &[BenchArticle], layer: &TextEnricher) -> usize {
    let published = NaiveDate::from_ymd_opt(2015, 7, 31);
    let mut total = 0;
    for _ in 0..rounds {
        for a in articles {
            let doc = Document::new(&a.title, &a.body, a.lang);
            let t = layer.analyse(&doc, published);
            total += t.stats.words + t.keywords.map_or(0, |k| k.len());
        }
    }
    total
}
