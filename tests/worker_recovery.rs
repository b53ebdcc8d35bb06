//! Broker tests on the mock cluster: a worker killed mid-stream and restarted, two
//! workers sharing a group, a broker outage. Duplicates are allowed (at-least-once)
//! and counted; a missing input fails the test.

#[path = "worker/common.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use common::*;

/// Waits until the group committed everything in the input topic, then returns
/// how many times each id was published.
async fn published_ids(t: &Topics) -> BTreeMap<String, u32> {
    let t = t.clone();
    blocking(move || {
        let deadline = std::time::Instant::now() + GUARD;
        loop {
            let ends = t.end_offsets();
            if t.committed() == ends {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "inputs never all committed: {:?} vs {ends:?}",
                t.committed()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let out_end: i64 = news_enricher::kafka::inspect::end_offsets(&t.brokers, &t.output)
            .unwrap()
            .values()
            .sum();
        let mut ids = BTreeMap::new();
        for r in t.read(&t.output, out_end as usize) {
            *ids.entry(record_id(&r)).or_insert(0) += 1;
        }
        ids
    })
    .await
}

fn assert_all_published(inputs: &[(String, Vec<u8>)], ids: &BTreeMap<String, u32>, scenario: &str) {
    let want: BTreeSet<&str> = inputs.iter().map(|(k, _)| k.as_str()).collect();
    let missing: Vec<&&str> = want.iter().filter(|k| !ids.contains_key(**k)).collect();
    let duplicates: u32 = ids.values().map(|n| n - 1).sum();
    println!(
        "{scenario}: inputs {}, unique outputs {}, duplicates {duplicates}, missing {}",
        want.len(),
        ids.len(),
        missing.len()
    );
    assert!(missing.is_empty(), "{scenario}: missing {missing:?}");
    assert_eq!(ids.len(), want.len(), "{scenario}: unexpected outputs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_aborted_mid_stream_and_restarted_loses_nothing() {
    let cluster = Cluster::start(1, 3);
    let inputs = articles("ab", 1500);
    cluster.t.feed(&inputs);

    let first = Running::start(cluster.t.settings(), enrichers());
    wait_for("some progress", || first.done() >= 300).await;
    // No drain, no final commit: the task is dropped where it stands.
    first.task.abort();
    let _ = first.task.await;

    let second = Running::start(cluster.t.settings(), enrichers());
    let ids = published_ids(&cluster.t).await;
    second.shutdown().await;
    assert_all_published(&inputs, &ids, "abort-restart");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_in_one_group_split_partitions_and_publish_everything() {
    let cluster = Cluster::start(1, 4);
    let a = Running::start(cluster.t.settings(), enrichers());
    let b = Running::start(cluster.t.settings(), enrichers());
    let (ha, hb) = (a.health.clone(), b.health.clone());
    wait_for("both workers own partitions", || {
        ha.partitions() > 0 && hb.partitions() > 0 && ha.partitions() + hb.partitions() == 4
    })
    .await;
    let inputs = articles("two", 1200);
    cluster.t.feed(&inputs);
    let ids = published_ids(&cluster.t).await;
    let (ra, rb) = (a.shutdown().await, b.shutdown().await);
    assert!(ra.consumed > 0 && rb.consumed > 0, "{ra:?} {rb:?}");
    assert_all_published(&inputs, &ids, "two-workers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_outage_mid_stream_is_survived() {
    let cluster = Cluster::start(1, 3);
    let inputs = articles("out", 1600);
    let (before, after) = inputs.split_at(800);
    cluster.t.feed(before);

    let worker = Running::start(cluster.t.settings(), enrichers());
    wait_for("some progress", || worker.done() >= 200).await;
    cluster.mock.broker_down(1).unwrap();
    tokio::time::sleep(Duration::from_secs(4)).await;
    cluster.mock.broker_up(1).unwrap();
    cluster.t.feed(after);

    let ids = published_ids(&cluster.t).await;
    let metrics = worker.metrics.clone();
    let report = worker.shutdown().await;
    println!(
        "outage: retries {}, publish failures {:?}, consumer errors {}, report {report:?}",
        metrics.retries.get(),
        metrics
            .encode()
            .lines()
            .filter(|l| l.starts_with("news_enricher_publish_failures_total"))
            .collect::<Vec<_>>(),
        metrics.consumer_errors.get()
    );
    assert_all_published(&inputs, &ids, "broker-outage");
}
