//! The exactly-once code path on the mock cluster. The mock accepts the
//! transactional calls but does not store transactional offsets nor hide aborted
//! records, so this checks the path runs end to end and tags every record; the
//! exactly-once guarantee itself is tested against a real broker process.

#[path = "worker/common.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use news_enricher::config::Delivery;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactional_batches_publish_every_record_with_its_transaction_tag() {
    let cluster = Cluster::start(1, 3);
    let mut settings = cluster.t.settings();
    settings.kafka.delivery = Delivery::ExactlyOnce;
    settings.kafka.transactional_id = format!("{}-eos-0", cluster.t.group);
    settings.kafka.transaction_max_messages = 50;
    settings.kafka.transaction_max_ms = 200;
    let mut inputs = articles("eos", 300);
    inputs.push((
        "eos-poison".into(),
        b"{\"id\": \"eos-poison\", \"text\":".to_vec(),
    ));
    cluster.t.feed(&inputs);

    let worker = Running::start(settings, enrichers());
    wait_for("every input", || worker.done() >= inputs.len() as u64).await;
    let report = worker.shutdown().await;
    assert_eq!(report.enriched, 300);
    assert_eq!(report.dead_lettered, 1);

    let t = cluster.topics();
    let (out, dlq) = blocking(move || (t.read(&t.output, 300), t.read(&t.dead_letter, 1))).await;
    let ids: BTreeSet<String> = out.iter().map(record_id).collect();
    assert_eq!(ids.len(), 300);
    let mut per_txn: BTreeMap<String, usize> = BTreeMap::new();
    for r in out.iter().chain(dlq.iter()) {
        let tag = r
            .header("enricher.txn")
            .expect("transaction tag")
            .to_string();
        let seq: u64 = r.header("enricher.txn.seq").unwrap().parse().unwrap();
        assert!(
            tag.starts_with(&format!("{}-eos-0/", cluster.t.group)),
            "{tag}"
        );
        assert!(tag.ends_with(&format!("/{seq}")), "{tag} vs {seq}");
        *per_txn.entry(tag).or_insert(0) += 1;
    }
    assert!(per_txn.len() >= 301 / 50, "{per_txn:?}");
    assert!(per_txn.values().all(|n| *n <= 50), "{per_txn:?}");
    assert_eq!(dlq[0].header("error.class"), Some("invalid_json"));
}
