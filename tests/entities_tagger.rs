//! The bundled entity models on sentences written for these tests.

use std::path::Path;
use std::sync::OnceLock;

use news_enricher::enrich::entities::tagger::{TaggedSpan, Tagger};
use news_enricher::enrich::Enrichers;
use news_enricher::model::record::EntityType;
use news_enricher::train::entities::{evaluate, read_conll};
use proptest::prelude::*;

fn tagger() -> &'static Tagger {
    static TAGGER: OnceLock<Tagger> = OnceLock::new();
    TAGGER.get_or_init(|| {
        Tagger::load(&Enrichers::bundled_models_dir()).expect("bundled entity models load")
    })
}

fn spans(tokens: &[&str], lang: &str) -> Vec<(String, EntityType)> {
    tagger()
        .tag(tokens, lang)
        .into_iter()
        .map(|TaggedSpan { start, end, kind }| (tokens[start..end].join(" "), kind))
        .collect()
}

#[test]
fn english_golden_sentence() {
    let toks = [
        "Angela", "Merkel", "met", "Emmanuel", "Macron", "in", "Paris", ".",
    ];
    assert_eq!(
        spans(&toks, "en"),
        vec![
            ("Angela Merkel".to_string(), EntityType::Person),
            ("Emmanuel Macron".to_string(), EntityType::Person),
            ("Paris".to_string(), EntityType::Location),
        ]
    );
}

#[test]
fn english_organisation_and_place() {
    let toks = [
        "Shares",
        "of",
        "Microsoft",
        "rose",
        "in",
        "New",
        "York",
        "on",
        "Tuesday",
        ",",
        "the",
        "company",
        "said",
        ".",
    ];
    assert_eq!(
        spans(&toks, "en"),
        vec![
            ("Microsoft".to_string(), EntityType::Organization),
            ("New York".to_string(), EntityType::Location),
        ]
    );
}

#[test]
fn arabic_golden_sentence() {
    // "President Abdel Fattah al-Sisi received the Saudi foreign minister in Cairo."
    let toks = [
        "استقبل",
        "الرئيس",
        "عبد",
        "الفتاح",
        "السيسي",
        "وزير",
        "الخارجية",
        "السعودي",
        "في",
        "القاهرة",
        "اليوم",
        ".",
    ];
    let got = spans(&toks, "ar");
    assert!(
        got.contains(&("عبد الفتاح السيسي".to_string(), EntityType::Person)),
        "{got:?}"
    );
    assert!(
        got.contains(&("القاهرة".to_string(), EntityType::Location)),
        "{got:?}"
    );
}

#[test]
fn arabic_clitic_attached_place() {
    // "Talks were held in Riyadh and Damascus."
    let toks = ["وعقدت", "المحادثات", "في", "الرياض", "ودمشق", "."];
    let got = spans(&toks, "ar");
    assert!(
        got.contains(&("الرياض".to_string(), EntityType::Location)),
        "{got:?}"
    );
}

#[test]
fn language_code_and_script_choose_the_model() {
    let t = tagger();
    let ar = ["قال", "الرئيس", "."];
    let en = ["He", "said", "."];
    assert_eq!(
        t.model_for(&ar, "und").script(),
        news_enricher::enrich::entities::features::Script::Arabic
    );
    assert_eq!(
        t.model_for(&en, "fr").script(),
        news_enricher::enrich::entities::features::Script::Latin
    );
}

#[test]
fn french_fixture_through_the_latin_model() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/entities/fr-sentences.conll");
    let sentences = read_conll(&path).expect("fixture");
    let score = evaluate(tagger(), &sentences, "fr");
    // The Latin-script model has never seen French: persons and places carry over.
    let per = score.by_type.get("PER").copied().unwrap_or_default();
    assert!(per.f1() >= 0.7, "{}", score.report());
    assert!(score.overall().f1() >= 0.5, "{}", score.report());
}

/// Byte ranges of the words of `text` (no punctuation), as the text layer gives them.
fn word_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

#[test]
fn ranges_without_punctuation_map_back_to_the_caller_tokens() {
    let text = "Angela Merkel met Emmanuel Macron in Paris, then flew to Berlin.";
    let ranges = word_ranges(text);
    let got: Vec<(&str, EntityType)> = tagger()
        .tag_ranges(text, &ranges, "en")
        .into_iter()
        .map(|s| (&text[ranges[s.start].start..ranges[s.end - 1].end], s.kind))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Angela Merkel", EntityType::Person),
            ("Emmanuel Macron", EntityType::Person),
            ("Paris", EntityType::Location),
            ("Berlin", EntityType::Location),
        ]
    );
}

#[test]
fn empty_input_gives_no_spans() {
    assert!(tagger().tag(&[], "en").is_empty());
    assert!(tagger().tag(&[], "ar").is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn tagging_never_panics_and_spans_are_in_bounds(
        tokens in proptest::collection::vec(".{0,12}", 0..40),
        lang in prop_oneof![Just("ar".to_string()), Just("en".to_string()), Just("und".to_string()), ".{0,3}"],
    ) {
        let t = tagger();
        let toks: Vec<&str> = tokens.iter().map(String::as_str).collect();
        let spans = t.tag(&toks, &lang);
        let mut last_end = 0;
        for s in spans {
            prop_assert!(s.start < s.end && s.end <= toks.len());
            prop_assert!(s.start >= last_end);
            last_end = s.end;
        }
    }

    #[test]
    fn tagging_ranges_never_panics(
        text in ".{0,200}",
        raw in proptest::collection::vec((0usize..220, 0usize..12), 0..30),
    ) {
        let ranges: Vec<std::ops::Range<usize>> = raw.iter().map(|&(s, l)| s..s + l).collect();
        let spans = tagger().tag_ranges(&text, &ranges, "und");
        for s in spans {
            prop_assert!(s.start < s.end && s.end <= ranges.len());
        }
    }
}
