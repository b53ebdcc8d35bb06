//! Precision and recall of the date and quote extractors against the hand
//! annotations in `eval/annotations/dates-quotes.jsonl` (ids, spans and values
//! only; the texts are read from the SaudiNewsNet corpus in the data directory).
//!
//! ```text
//! cargo run --release --example eval_dates_quotes -- [DATA_DIR] [ANNOTATIONS] [--verbose]
//! ```
//!
//! A prediction matches an annotation when their spans overlap in the same
//! field (one to one, in text order). Dates are then checked for their value;
//! quotes for their speaker, exactly (after white space and alef folding) and
//! leniently (one name's words contain the other's: `باقري` ~ `محمد باقري`).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use news_enricher::enrich::dates::{DateContext, DateExtractor};
use news_enricher::enrich::quotes::QuoteExtractor;
use news_enricher::model::record::{Field, Span};
use serde::Deserialize;

#[derive(Deserialize)]
struct Gold {
    id: String,
    dates: Vec<GoldDate>,
    quotes: Vec<GoldQuote>,
}

#[derive(Deserialize)]
struct GoldDate {
    field: Field,
    start: usize,
    end: usize,
    value: String,
}

#[derive(Deserialize)]
struct GoldQuote {
    field: Field,
    start: usize,
    end: usize,
    speaker: Option<String>,
}

#[derive(Deserialize)]
struct Doc {
    id: String,
    #[serde(default)]
    title: String,
    text: String,
    #[serde(default)]
    published: Option<String>,
}

#[derive(Default)]
struct Counts {
    predicted: usize,
    gold: usize,
    matched: usize,
    /// Matched with the right value (dates) or the exact speaker (quotes).
    right: usize,
    /// Matched with a leniently right speaker (quotes).
    lenient: usize,
}

impl Counts {
    fn report(&self, what: &str, right: &str) {
        let p = ratio(self.matched, self.predicted);
        let r = ratio(self.matched, self.gold);
        println!(
            "{what}: predicted {} gold {} matched {}  precision {:.3}  recall {:.3}  F1 {:.3}",
            self.predicted,
            self.gold,
            self.matched,
            p,
            r,
            f1(p, r)
        );
        let sp = ratio(self.right, self.predicted);
        let sr = ratio(self.right, self.gold);
        println!(
            "  with {right}: {} of {} matched ({:.3}); strict precision {:.3} recall {:.3} F1 {:.3}",
            self.right,
            self.matched,
            ratio(self.right, self.matched),
            sp,
            sr,
            f1(sp, sr)
        );
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn overlaps(a: &Span, field: Field, start: usize, end: usize) -> bool {
    a.field == field && a.start < end && start < a.end
}

fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['أ', 'إ', 'آ'], "ا")
}

fn lenient_same(a: &str, b: &str) -> bool {
    let (a, b) = (fold(a), fold(b));
    let wa: Vec<&str> = a.split(' ').collect();
    let wb: Vec<&str> = b.split(' ').collect();
    wa.iter().all(|w| wb.contains(w)) || wb.iter().all(|w| wa.contains(w))
}

fn snippet(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take((end - start).min(60))
        .collect()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let data = positional
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data")));
    let ann = positional.get(1).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/eval/annotations/dates-quotes.jsonl"
        ))
    });
    let golds: Vec<Gold> = std::fs::read_to_string(&ann)
        .with_context(|| format!("reading {}", ann.display()))?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .context("parsing annotations")?;
    let wanted: HashMap<&str, usize> = golds
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    let corpus = data.join("unlabeled/saudinewsnet-ar.jsonl.gz");
    let file =
        std::fs::File::open(&corpus).with_context(|| format!("opening {}", corpus.display()))?;
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));
    let mut docs: HashMap<usize, Doc> = HashMap::new();
    for line in reader.lines() {
        let line = line?;
        let doc: Doc = serde_json::from_str(&line)?;
        if let Some(&i) = wanted.get(doc.id.as_str()) {
            docs.insert(i, doc);
            if docs.len() == golds.len() {
                break;
            }
        }
    }
    anyhow::ensure!(
        docs.len() == golds.len(),
        "{} annotated articles not found in {}",
        golds.len() - docs.len(),
        corpus.display()
    );
    let dx = DateExtractor::new()?;
    let qx = QuoteExtractor::new()?;
    let mut dc = Counts::default();
    let mut qc = Counts::default();
    for (i, gold) in golds.iter().enumerate() {
        let Some(doc) = docs.get(&i) else { continue };
        let ctx = DateContext {
            published: doc
                .published
                .as_deref()
                .and_then(|p| p.get(..10))
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        };
        let field_text = |f: Field| {
            if f == Field::Title {
                &doc.title
            } else {
                &doc.text
            }
        };
        let mut dates = dx.extract(&doc.title, Field::Title, &ctx);
        dates.extend(dx.extract(&doc.text, Field::Body, &ctx));
        let mut quotes = qx.extract(&doc.title, Field::Title);
        quotes.extend(qx.extract(&doc.text, Field::Body));

        dc.predicted += dates.len();
        dc.gold += gold.dates.len();
        let mut used = vec![false; dates.len()];
        for g in &gold.dates {
            let hit = dates.iter().enumerate().find(|(k, d)| {
                !used[*k]
                    && d.span
                        .is_some_and(|s| overlaps(&s, g.field, g.start, g.end))
            });
            match hit {
                Some((k, d)) => {
                    used[k] = true;
                    dc.matched += 1;
                    if d.value == g.value {
                        dc.right += 1;
                    } else if verbose {
                        println!(
                            "  [{}] date value: {:?} = {} (want {})",
                            gold.id, d.text, d.value, g.value
                        );
                    }
                }
                None if verbose => println!(
                    "  [{}] date missed: {:?} ({})",
                    gold.id,
                    snippet(field_text(g.field), g.start, g.end),
                    g.value
                ),
                None => {}
            }
        }
        if verbose {
            for (k, d) in dates.iter().enumerate() {
                if !used[k] {
                    println!("  [{}] date spurious: {:?} = {}", gold.id, d.text, d.value);
                }
            }
        }

        qc.predicted += quotes.len();
        qc.gold += gold.quotes.len();
        let mut used = vec![false; quotes.len()];
        for g in &gold.quotes {
            let hit = quotes.iter().enumerate().find(|(k, q)| {
                !used[*k]
                    && q.span
                        .is_some_and(|s| overlaps(&s, g.field, g.start, g.end))
            });
            match hit {
                Some((k, q)) => {
                    used[k] = true;
                    qc.matched += 1;
                    let (exact, lenient) = match (&q.speaker, &g.speaker) {
                        (None, None) => (true, true),
                        (Some(a), Some(b)) => (fold(a) == fold(b), lenient_same(a, b)),
                        _ => (false, false),
                    };
                    qc.right += usize::from(exact);
                    qc.lenient += usize::from(lenient);
                    if verbose && !exact {
                        println!(
                            "  [{}] speaker: {:?} (want {:?})",
                            gold.id, q.speaker, g.speaker
                        );
                    }
                }
                None if verbose => println!(
                    "  [{}] quote missed: {:?} ({:?})",
                    gold.id,
                    snippet(field_text(g.field), g.start, g.end),
                    g.speaker
                ),
                None => {}
            }
        }
        if verbose {
            for (k, q) in quotes.iter().enumerate() {
                if !used[k] {
                    let t: String = q.text.chars().take(60).collect();
                    println!("  [{}] quote spurious: {:?} by {:?}", gold.id, t, q.speaker);
                }
            }
        }
    }
    println!(
        "{} annotated articles from {}",
        golds.len(),
        corpus.display()
    );
    dc.report("dates", "the right value");
    qc.report("quotes", "the exact speaker");
    let lp = ratio(qc.lenient, qc.predicted);
    let lr = ratio(qc.lenient, qc.gold);
    println!(
        "  with a lenient speaker match: {} of {} matched; precision {:.3} recall {:.3} F1 {:.3}",
        qc.lenient,
        qc.matched,
        lp,
        lr,
        f1(lp, lr)
    );
    Ok(())
}
