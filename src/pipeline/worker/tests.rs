//! The worker against in-memory ports: ordering of stored offsets, retries,
//! rejections, drain, revocation and back-pressure.

use super::*;
use crate::pipeline::ports::SourceError;
use crate::pipeline::Inbound;
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::mpsc;

/// A source fed from a channel; records every store and commit.
pub(crate) struct FakeSource {
    rx: tokio::sync::Mutex<mpsc::UnboundedReceiver<Received>>,
    epochs: Mutex<HashMap<i32, u64>>,
    stored: Mutex<Vec<(i32, i64)>>,
    commits: Mutex<u32>,
}

impl FakeSource {
    pub(crate) fn new(messages: Vec<Inbound>) -> Arc<Self> {
        let (tx, rx) = mpsc::unbounded_channel();
        for inbound in messages {
            tx.send(Received { inbound, epoch: 0 }).unwrap();
        }
        // Keep the sender alive so recv() pends instead of ending.
        std::mem::forget(tx);
        Arc::new(FakeSource {
            rx: tokio::sync::Mutex::new(rx),
            epochs: Mutex::new(HashMap::new()),
            stored: Mutex::new(Vec::new()),
            commits: Mutex::new(0),
        })
    }

    fn revoke(&self, partition: i32) {
        *self.epochs.lock().unwrap().entry(partition).or_insert(0) += 1;
    }

    pub(crate) fn stored(&self) -> Vec<(i32, i64)> {
        self.stored.lock().unwrap().clone()
    }
}

impl Source for FakeSource {
    async fn recv(&self) -> Result<Received, SourceError> {
        match self.rx.lock().await.recv().await {
            Some(r) => Ok(r),
            None => std::future::pending().await,
        }
    }

    fn is_current(&self, inbound: &Inbound, epoch: u64) -> bool {
        self.epochs
            .lock()
            .unwrap()
            .get(&inbound.partition)
            .copied()
            .unwrap_or(0)
            == epoch
    }

    fn store(&self, inbound: &Inbound, epoch: u64) -> Result<Stored, SourceError> {
        if !self.is_current(inbound, epoch) {
            return Ok(Stored::Revoked);
        }
        self.stored
            .lock()
            .unwrap()
            .push((inbound.partition, inbound.offset));
        Ok(Stored::Stored)
    }

    fn commit(&self) -> Result<(), SourceError> {
        *self.commits.lock().unwrap() += 1;
        Ok(())
    }
}

/// A publisher that can be slow, fail transiently, reject, or hang, per key.
#[derive(Default)]
pub(crate) struct FakePublisher {
    published: Mutex<Vec<OutRecord>>,
    attempts: Mutex<HashMap<Vec<u8>, u32>>,
    /// key → transient failures before success
    flaky: HashMap<Vec<u8>, u32>,
    /// keys whose enriched record the broker rejects
    reject_output: Vec<Vec<u8>>,
    /// keys that never get acknowledged
    hang: Vec<Vec<u8>>,
    random_delay_ms: u64,
    pub(crate) output_topic: String,
}

impl FakePublisher {
    /// Acknowledges everything at once.
    pub(crate) fn reliable() -> Self {
        FakePublisher {
            output_topic: "out".into(),
            ..Default::default()
        }
    }
}

impl Publisher for FakePublisher {
    async fn publish(&self, record: &OutRecord) -> Result<(), PublishError> {
        let key = record.key.clone().unwrap_or_default();
        if self.random_delay_ms > 0 {
            let d = rand::random_range(0..self.random_delay_ms);
            tokio::time::sleep(Duration::from_millis(d)).await;
        }
        if self.hang.contains(&key) {
            std::future::pending::<()>().await;
        }
        let attempt = {
            let mut a = self.attempts.lock().unwrap();
            let n = a.entry(key.clone()).or_insert(0);
            *n += 1;
            *n
        };
        if attempt <= self.flaky.get(&key).copied().unwrap_or(0) {
            return Err(PublishError::Transient("broker down".into()));
        }
        if record.topic == self.output_topic && self.reject_output.contains(&key) {
            return Err(PublishError::Rejected("MessageSizeTooLarge".into()));
        }
        self.published.lock().unwrap().push(record.clone());
        Ok(())
    }

    fn flush(&self, _timeout: Duration) -> Result<(), PublishError> {
        Ok(())
    }
}

pub(crate) fn article(partition: i32, offset: i64) -> Inbound {
    let id = format!("a-{partition}-{offset}");
    Inbound {
        topic: "in".into(),
        partition,
        offset,
        timestamp_ms: Some(Utc::now().timestamp_millis()),
        key: Some(id.clone().into_bytes()),
        payload: Some(
            format!(r#"{{"id":"{id}","title":"Council vote","text":"The council voted on the new budget on Monday."}}"#)
                .into_bytes(),
        ),
    }
}

pub(crate) fn config(max_in_flight: usize, drain_ms: u64) -> WorkerConfig {
    WorkerConfig {
        output_topic: "out".into(),
        dead_letter_topic: "dlq".into(),
        max_in_flight,
        max_message_bytes: 1 << 20,
        retry_backoff_initial_ms: 1,
        retry_backoff_max_ms: 5,
        drain_timeout: Duration::from_millis(drain_ms),
        enrich_threads: 2,
        retry_transient: true,
    }
}

pub(crate) fn enrichers() -> Arc<Enrichers> {
    Arc::new(Enrichers::load(&Enrichers::bundled_models_dir()).unwrap())
}

struct Run {
    source: Arc<FakeSource>,
    publisher: Arc<FakePublisher>,
    metrics: Arc<Metrics>,
    report: RunReport,
}

/// Runs the loop over `n` messages of partition 0 (or `messages`) until `done`.
async fn scenario(
    messages: Vec<Inbound>,
    publisher: FakePublisher,
    cfg: WorkerConfig,
    done: impl Fn(&FakeSource, &Metrics) -> bool + Send + 'static,
) -> Run {
    let source = FakeSource::new(messages);
    let publisher = Arc::new(FakePublisher {
        output_topic: "out".into(),
        ..publisher
    });
    let metrics = Arc::new(Metrics::new());
    let (s, m) = (source.clone(), metrics.clone());
    let worker = Worker::new(
        source.clone(),
        publisher.clone(),
        enrichers(),
        metrics.clone(),
        cfg,
    );
    let stop = async move {
        while !done(&s, &m) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    let report = tokio::time::timeout(Duration::from_secs(60), worker.run(stop))
        .await
        .expect("worker finished")
        .expect("worker ok");
    Run {
        source,
        publisher,
        metrics,
        report,
    }
}

fn partition0(n: i64) -> Vec<Inbound> {
    (0..n).map(|i| article(0, i)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offsets_are_stored_in_receive_order_despite_out_of_order_acks() {
    let messages: Vec<Inbound> = (0..200).map(|i| article(i % 3, i as i64 / 3)).collect();
    let order: Vec<(i32, i64)> = messages.iter().map(|m| (m.partition, m.offset)).collect();
    let publisher = FakePublisher {
        random_delay_ms: 20,
        ..Default::default()
    };
    let run = scenario(messages, publisher, config(32, 10_000), |_, m| {
        m.enriched.get() >= 200
    })
    .await;
    assert_eq!(run.report.enriched, 200);
    assert_eq!(run.source.stored(), order);
    assert_eq!(*run.source.commits.lock().unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_failures_are_retried_never_skipped() {
    let publisher = FakePublisher {
        flaky: [(b"a-0-3".to_vec(), 5), (b"a-0-7".to_vec(), 2)].into(),
        ..Default::default()
    };
    let run = scenario(partition0(10), publisher, config(4, 10_000), |_, m| {
        m.enriched.get() >= 10
    })
    .await;
    assert_eq!((run.report.enriched, run.report.dead_lettered), (10, 0));
    assert_eq!(run.metrics.retries.get(), 7);
    assert_eq!(run.source.stored().len(), 10);
    assert_eq!(run.publisher.published.lock().unwrap().len(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_the_broker_rejects_is_dead_lettered_as_rejected() {
    let publisher = FakePublisher {
        reject_output: vec![b"a-0-1".to_vec()],
        ..Default::default()
    };
    let run = scenario(partition0(3), publisher, config(4, 10_000), |_, m| {
        m.enriched.get() + m.dead_lettered_total() >= 3
    })
    .await;
    assert_eq!((run.report.enriched, run.report.dead_lettered), (2, 1));
    let published = run.publisher.published.lock().unwrap();
    let dead = published.iter().find(|r| r.topic == "dlq").unwrap();
    assert_eq!(dead.header("error.class"), Some(&b"rejected"[..]));
    assert_eq!(dead.header("error.stage"), Some(&b"publish"[..]));
    assert_eq!(dead.key.as_deref(), Some(&b"a-0-1"[..]));
    assert_eq!(dead.value, article(0, 1).payload);
    assert_eq!(run.source.stored(), [(0, 0), (0, 1), (0, 2)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drain_timeout_abandons_stuck_work_and_stores_nothing_after_it() {
    let publisher = FakePublisher {
        hang: vec![b"a-0-2".to_vec()],
        ..Default::default()
    };
    let run = scenario(partition0(6), publisher, config(16, 200), |_, m| {
        m.consumed.get() >= 6
    })
    .await;
    // 0 and 1 done; 2 hangs; 3..5 finished but wait behind it: abandoned.
    assert_eq!(run.source.stored(), [(0, 0), (0, 1)]);
    assert_eq!(run.report.enriched, 2);
    assert_eq!(run.report.abandoned, 4);
    assert_eq!(run.metrics.in_flight.get(), 0);
    assert_eq!(*run.source.commits.lock().unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_of_a_revoked_partition_is_not_stored() {
    // Partition 0 is revoked while message 1 keeps failing, once message 0
    // is stored (on a loaded machine its publication can still be on its way
    // when message 1 has failed three times).
    let publisher = FakePublisher {
        flaky: [(b"a-0-1".to_vec(), 1_000_000)].into(),
        ..Default::default()
    };
    let run = scenario(partition0(4), publisher, config(16, 10_000), |s, m| {
        if m.retries.get() >= 3 && !s.stored().is_empty() {
            s.revoke(0);
        }
        m.enriched.get() + m.dropped_revoked.get() >= 4
    })
    .await;
    // Message 1 dropped: nothing after it on the partition may be stored.
    assert_eq!(run.source.stored(), [(0, 0)]);
    assert_eq!(run.report.dropped, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_in_flight_bounds_what_is_received() {
    let publisher = FakePublisher {
        hang: vec![b"a-0-0".to_vec()],
        ..Default::default()
    };
    // The head never finishes, so the window never slides: had the loop
    // received more than 5, the count would be past 5 by the next check.
    let run = scenario(partition0(20), publisher, config(5, 50), |_, m| {
        m.consumed.get() >= 5
    })
    .await;
    assert_eq!(run.metrics.consumed.get(), 5);
    assert_eq!(run.report.consumed, 5);
    assert_eq!(run.report.abandoned, 5);
    assert!(run.source.stored().is_empty());
}
