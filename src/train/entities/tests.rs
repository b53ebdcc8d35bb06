//! Training, scoring and the gazetteer on small corpora written for the tests.

use super::lexicon::name_tokens;
use super::*;
use crate::enrich::entities::features::{hash_str, FeatureBuf, Lexicon, Script};
use crate::enrich::entities::tagger::{spans_from_labels, LangModel};

const ENGLISH: &str = "\
Angela B-PER\nMerkel I-PER\nmet O\nEmmanuel B-PER\nMacron I-PER\nin O\nParis B-LOC\n. O\n\n\
John B-PER\nSmith I-PER\nvisited O\nLondon B-LOC\nfor O\nGoogle B-ORG\n. O\n\n\
The O\nUnited B-ORG\nNations I-ORG\nmet O\nin O\nBerlin B-LOC\n. O\n\n\
Mary B-PER\nJones I-PER\nleft O\nMicrosoft B-ORG\nin O\nMadrid B-LOC\n. O\n\n\
President O\nBiden B-PER\nflew O\nto O\nRome B-LOC\non O\nMonday O\n. O\n\n\
Reuters B-ORG\nreported O\nfrom O\nCairo B-LOC\n. O\n\n\
David B-PER\nCameron I-PER\nspoke O\nto O\nthe O\nBBC B-ORG\nin O\nTokyo B-LOC\n. O\n\n";

const ARABIC: &str = "\
قال O\nالرئيس O\nمحمد B-PERS\nمرسي I-PERS\nفي O\nالقاهرة B-LOC\n. O\n\n\
وزار O\nأحمد B-PERS\nعلي I-PERS\nمدينة O\nدمشق B-LOC\n. O\n\n\
أعلنت O\nالأمم B-ORG\nالمتحدة I-ORG\nفي O\nجنيف B-LOC\n. O\n\n\
التقى O\nخالد B-PERS\nسعيد I-PERS\nفي O\nبيروت B-LOC\n. O\n\n\
وقال O\nالوزير O\nسامي B-PERS\nحسن I-PERS\nفي O\nالرياض B-LOC\n. O\n\n";

fn tiny(script: Script, text: &str) -> LangModel {
    let train = parse_conll(text);
    let cfg = TrainConfig {
        bits: 14,
        epochs: 8,
        seed: 7,
    };
    train_model(script, Lexicon::default(), &train, &[], cfg, &mut |_| {})
}

#[test]
fn parses_conll_columns_and_docstart() {
    let s = parse_conll(
        "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\nحمدان B-PERS\n",
    );
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].tokens, vec!["EU", "rejects"]);
    assert_eq!(s[0].labels, vec![3, 0]);
    assert_eq!(s[1].labels, vec![1]);
}

#[test]
fn tiny_models_learn_their_training_sentences() {
    for (script, text) in [(Script::Latin, ENGLISH), (Script::Arabic, ARABIC)] {
        let model = tiny(script, text);
        let train = parse_conll(text);
        let score = evaluate_model(&model, &train);
        assert!(score.overall().f1() > 0.9, "{script:?}: {}", score.report());
    }
}

#[test]
fn tiny_model_generalises_to_a_new_sentence() {
    let model = tiny(Script::Latin, ENGLISH);
    let mut buf = FeatureBuf::default();
    let toks = ["Angela", "Merkel", "visited", "Paris", "."];
    let labels = model.labels(&toks, &mut buf);
    assert_eq!(labels, vec![1, 2, 0, 5, 0]);
}

#[test]
fn training_is_deterministic_and_saves_round_trip() {
    let a = tiny(Script::Arabic, ARABIC);
    let b = tiny(Script::Arabic, ARABIC);
    let (mut x, mut y) = (Vec::new(), Vec::new());
    a.write_to(&mut x).unwrap();
    b.write_to(&mut y).unwrap();
    assert_eq!(x, y);
    let back = LangModel::from_bytes(&x).unwrap();
    assert_eq!(back.version(), a.version());
    assert_eq!(back.script(), Script::Arabic);
}

#[test]
fn score_counts_exact_matches_only() {
    let gold = spans_from_labels(&[1, 2, 0, 5]);
    let pred = spans_from_labels(&[1, 0, 0, 5]);
    let mut s = Score::default();
    s.add(&gold, &pred);
    let o = s.overall();
    assert_eq!((o.gold, o.predicted, o.correct), (2, 2, 1));
    assert!((o.f1() - 0.5).abs() < 1e-9);
}

#[test]
fn clusters_group_words_seen_in_the_same_contexts() {
    let mut texts = Vec::new();
    for city in ["Paris", "Berlin", "Madrid"] {
        for _ in 0..5 {
            texts.push(name_tokens(&format!("he flew to {city} on monday .")));
        }
    }
    for verb in ["said", "added", "stated"] {
        for _ in 0..5 {
            texts.push(name_tokens(&format!(
                "the minister {verb} that it was good ."
            )));
        }
    }
    let cfg = ClusterConfig {
        vocabulary: 100,
        contexts: 20,
        dims: 32,
        fine: 4,
        coarse: 2,
        iterations: 10,
        seed: 3,
    };
    let c = build_clusters(&texts, Script::Latin, cfg);
    let id = |w: &str| c.get(&hash_str(w)).map(|x| x.0);
    assert!(id("paris").is_some());
    assert_eq!(id("paris"), id("berlin"));
    assert_eq!(id("paris"), id("madrid"));
    assert_eq!(id("said"), id("stated"));
    assert_ne!(id("paris"), id("said"));
}

#[test]
fn name_tokens_split_punctuation() {
    assert_eq!(name_tokens("Saint-Denis"), vec!["Saint", "-", "Denis"]);
    assert_eq!(name_tokens("New York"), vec!["New", "York"]);
    assert_eq!(name_tokens("Côte d'Ivoire"), vec!["Côte", "d'Ivoire"]);
}
