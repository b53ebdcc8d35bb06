//! Broker tests on the mock cluster: round trip, dead letters, clean shutdown.

#[path = "worker/common.rs"]
mod common;

use std::collections::{BTreeSet, HashMap};

use chrono::DateTime;
use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_trip_enriches_json_and_plain_text_and_dead_letters_poison() {
    let cluster = Cluster::start(1, 3);
    let mut settings = cluster.t.settings();
    settings.kafka.max_message_bytes = 4096;
    let good = articles("rt", 90);
    let poison: Vec<(String, Vec<u8>)> = vec![
        (
            "p-json".into(),
            br#"{"id": "p-json", "text": "unterminated"#.to_vec(),
        ),
        ("p-utf8".into(), vec![0xff, 0xfe, 0x00, 0xc3, 0x28]),
        (
            "p-empty".into(),
            br#"{"id": "p-empty", "text": "   "}"#.to_vec(),
        ),
        ("p-large".into(), "word ".repeat(1000).into_bytes()),
    ];
    let expected_class: HashMap<&str, &str> = [
        ("p-json", "invalid_json"),
        ("p-utf8", "not_utf8"),
        ("p-empty", "empty_text"),
        ("p-large", "too_large"),
    ]
    .into();
    let mut all = good.clone();
    all.extend(poison.iter().cloned());
    cluster.t.feed(&all);

    let worker = Running::start(settings, enrichers());
    let total = all.len() as u64;
    wait_for("every input enriched or dead-lettered", || {
        worker.done() >= total
    })
    .await;
    let report = worker.shutdown().await;
    assert_eq!(report.consumed, total);
    assert_eq!(report.enriched, good.len() as u64);
    assert_eq!(report.dead_lettered, poison.len() as u64);
    assert!(report.committed);

    let input = cluster.t.input.clone();
    let t = cluster.topics();
    let (out, dlq, committed, ends) = blocking(move || {
        let out = t.read(&t.output, 90);
        let dlq = t.read(&t.dead_letter, 4);
        (out, dlq, t.committed(), t.end_offsets())
    })
    .await;

    // Every article published once, keyed by its id.
    let ids: BTreeSet<String> = out.iter().map(record_id).collect();
    let want: BTreeSet<String> = good.iter().map(|(k, _)| k.clone()).collect();
    assert_eq!(ids, want);
    assert_eq!(out.len(), good.len());
    for r in &out {
        assert_eq!(r.key.as_deref(), Some(record_id(r).as_bytes()));
    }

    // Every poison in the dead-letter topic, unchanged, with the headers that say why.
    assert_eq!(dlq.len(), poison.len());
    let originals: HashMap<&str, &Vec<u8>> = poison.iter().map(|(k, v)| (k.as_str(), v)).collect();
    for d in &dlq {
        let key = std::str::from_utf8(d.key.as_deref().unwrap()).unwrap();
        assert_eq!(d.value.as_ref(), Some(originals[key]), "{key}: value bytes");
        assert_eq!(d.header("error.class"), Some(expected_class[key]), "{key}");
        assert!(!d.header("error.message").unwrap().is_empty());
        assert_eq!(d.header("error.stage"), Some("decode"));
        assert_eq!(d.header("origin.topic"), Some(input.as_str()));
        let partition: i32 = d.header("origin.partition").unwrap().parse().unwrap();
        let offset: i64 = d.header("origin.offset").unwrap().parse().unwrap();
        assert!(offset < ends[&partition]);
        assert!(DateTime::parse_from_rfc3339(d.header("failed_at").unwrap()).is_ok());
    }

    // The committed offsets moved past everything, poison included.
    assert_eq!(committed, ends);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_drains_commits_and_a_restart_resumes_without_duplicates() {
    let cluster = Cluster::start(1, 3);
    let input = articles("sd", 600);
    cluster.t.feed(&input);

    let first = Running::start(cluster.t.settings(), enrichers());
    wait_for("some progress", || first.done() >= 50).await;
    let report = first.shutdown().await;
    assert!(report.committed);
    assert_eq!(report.abandoned, 0);
    assert_eq!(report.dead_lettered, 0);
    // Everything received was finished and committed: no more, no less.
    let t = cluster.topics();
    let brokers_view = blocking(move || t.committed()).await;
    let committed: i64 = brokers_view.values().sum();
    assert_eq!(committed as u64, report.enriched, "{brokers_view:?}");
    assert_eq!(report.consumed, report.enriched);

    // A fresh worker resumes from the committed offsets.
    let second = Running::start(cluster.t.settings(), enrichers());
    let rest = input.len() as u64 - report.enriched;
    wait_for("the rest", || second.done() >= rest).await;
    let second_report = second.shutdown().await;
    assert_eq!(second_report.consumed, rest, "no message delivered twice");

    let t = cluster.topics();
    let out = blocking(move || t.read(&t.output, input.len())).await;
    let ids: BTreeSet<String> = out.iter().map(record_id).collect();
    assert_eq!(ids.len(), 600);
    assert_eq!(out.len(), 600, "a clean shutdown leaves no duplicates");
}
