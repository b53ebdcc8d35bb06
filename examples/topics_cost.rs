//! Cost of the topic classifier, for instruction counts under
//! `valgrind --tool=callgrind` (wall-clock timings are in `benches/topics.rs`).
//!
//! `cargo run --release --example topics_cost -- N [MODELS_DIR]` loads the
//! topic model and classifies an article of average news length (about 1,550
//! characters: the training corpora average 1,530 for title and body) N
//! times. The instructions of N = 0 are the load; the difference between
//! N = 1000 and N = 0, divided by 1000, is one classification.

use std::hint::black_box;
use std::path::PathBuf;

use news_enricher::enrich::topic::{load, Scratch, MODEL_FILE};
use news_enricher::enrich::Enrichers;

/// Title line, then the body.
const ARTICLE: &str = include_str!("../benches/fixtures/topics-average-ar.txt");

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(Enrichers::bundled_models_dir);
    let path = dir.join(MODEL_FILE);
    let model = match load(&path) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("cannot load {}: {e}", path.display());
            std::process::exit(1);
        }
    };
    let (title, body) = ARTICLE.split_once('\n').unwrap_or(("", ARTICLE));
    let mut scratch = Scratch::default();
    let mut topics = 0;
    for _ in 0..n {
        topics += black_box(&model)
            .classify(black_box(title), black_box(body), &mut scratch)
            .len();
    }
    println!(
        "{n} classifications of a {}-character article ({} topics in all)",
        title.chars().count() + body.chars().count(),
        topics
    );
}
