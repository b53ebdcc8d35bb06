//! Load time, resident memory and a tagging loop for the entity and place
//! models, for profilers (`valgrind --tool=callgrind`) and `/usr/bin/time -v`.
//!
//! ```text
//! cargo run --release --example entities_cost -- [MODELS_DIR] [ROUNDS] [tag|geotag|all] [ar|en]
//! ```
//!
//! Prints the load time and the resident-memory growth of loading the entity
//! recogniser (tagger models and rule patterns) and the gazetteer, then runs
//! ROUNDS passes (default 0) over the two benchmark articles
//! (`benches/fixtures/entities-*`): `tag` times the statistical tagger alone
//! (title and body, tokens prepared once), `geotag` the gazetteer alone and
//! `all` (the default) the whole entities-and-places analysis. A language
//! code as the last argument keeps that language's article alone.

use std::path::PathBuf;
use std::time::Instant;

use news_enricher::enrich::entities::tagger::Tagger;
use news_enricher::enrich::entities::Recogniser;
use news_enricher::enrich::places::{Gazetteer, Options};
use news_enricher::enrich::text::Document;
use news_enricher::enrich::Enrichers;

const ARTICLES: [(&str, &str); 2] = [
    ("ar", include_str!("../benches/fixtures/entities-ar.txt")),
    ("en", include_str!("../benches/fixtures/entities-en.txt")),
];

/// Resident set size in KiB (Linux), 0 elsewhere.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(Enrichers::bundled_models_dir);
    let rounds: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(0);
    let what = args.next().unwrap_or_else(|| "all".into());
    let only = args.next();

    let rss0 = rss_kib();
    let t = Instant::now();
    let recogniser = Recogniser::load(&dir)?;
    let recogniser_time = t.elapsed();
    let rss1 = rss_kib();
    let t = Instant::now();
    let gazetteer = Gazetteer::load(&dir)?;
    let gazetteer_time = t.elapsed();
    let rss2 = rss_kib();
    let mb = |kib: u64| kib as f64 / 1024.0;
    println!(
        "entity models (tagger, patterns): {:.0} ms, +{:.1} MB resident",
        recogniser_time.as_secs_f64() * 1e3,
        mb(rss1.saturating_sub(rss0))
    );
    println!(
        "gazetteer: {:.0} ms, +{:.1} MB resident",
        gazetteer_time.as_secs_f64() * 1e3,
        mb(rss2.saturating_sub(rss1))
    );
    println!(
        "together: {:.0} ms, +{:.1} MB resident (process {:.1} MB)",
        (recogniser_time + gazetteer_time).as_secs_f64() * 1e3,
        mb(rss2.saturating_sub(rss0)),
        mb(rss2)
    );
    // The tagger alone, for `tag` (loaded again, outside the figures above).
    let tagger = if what == "tag" {
        Some(Tagger::load(&dir)?)
    } else {
        None
    };

    if rounds == 0 {
        return Ok(());
    }
    let docs: Vec<(&str, &str, &str)> = ARTICLES
        .iter()
        .filter(|(lang, _)| only.as_deref().is_none_or(|o| o == *lang))
        .map(|(lang, text)| {
            let (title, body) = text.split_once('\n').unwrap_or(("", text));
            (*lang, title, body)
        })
        .collect();
    // Token ranges of the title and of the body, prepared once.
    type Ranges = Vec<std::ops::Range<usize>>;
    let prepared: Vec<(Ranges, Ranges)> = docs
        .iter()
        .map(|&(lang, title, body)| {
            let doc = Document::new(title, body, lang);
            let ranges = |toks: &[news_enricher::enrich::text::Token]| {
                toks.iter().map(|t| t.range()).collect::<Ranges>()
            };
            (ranges(doc.title_tokens()), ranges(doc.body_tokens()))
        })
        .collect();
    let t = Instant::now();
    let mut found = 0usize;
    for _ in 0..rounds {
        for (&(lang, title, body), (title_ranges, body_ranges)) in docs.iter().zip(&prepared) {
            found += match what.as_str() {
                "tag" => tagger.as_ref().map_or(0, |t| {
                    t.tag_ranges(title, title_ranges, lang).len()
                        + t.tag_ranges(body, body_ranges, lang).len()
                }),
                "geotag" => gazetteer
                    .geotag(title, body, lang, Options::default())
                    .places
                    .len(),
                _ => {
                    let doc = Document::new(title, body, lang);
                    let f = recogniser.analyse(&doc, &gazetteer, lang, Options::default());
                    f.entities.len() + f.places.len()
                }
            };
        }
    }
    let per = t.elapsed().as_secs_f64() * 1e6 / (rounds * docs.len()) as f64;
    println!("{what}: {per:.1} µs per article over {rounds} rounds ({found} items)");
    Ok(())
}
