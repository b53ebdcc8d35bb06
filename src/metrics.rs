//! Prometheus metrics and the readiness state, plus the worker's observable events.
//!
//! One observable event, one place: every method in the "events" block below
//! writes its log line (stable field names) and bumps its counter together, so
//! logs and `/metrics` never disagree. Nothing here ever sees a configuration
//! value, so secrets cannot reach `/metrics`.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::model::ErrorClass;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ClassLabel {
    pub class: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabel {
    pub kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PartitionLabel {
    pub topic: String,
    pub partition: String,
}

/// Where a message came from, for log fields.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    pub topic: &'a str,
    pub partition: i32,
    pub offset: i64,
}

/// Every metric the worker exports, registered once.
pub struct Metrics {
    registry: Registry,
    pub consumed: Counter,
    pub enriched: Counter,
    pub dead_lettered: Family<ClassLabel, Counter>,
    pub publish_failures: Family<KindLabel, Counter>,
    pub retries: Counter,
    pub consumer_errors: Counter,
    pub producers_recreated: Counter,
    pub dropped_revoked: Counter,
    pub abandoned: Counter,
    pub commit_failures: Counter,
    pub transactions_aborted: Counter,
    pub in_flight: Gauge,
    pub partitions_assigned: Gauge,
    pub processing_seconds: Histogram,
    pub end_to_end_seconds: Histogram,
    pub consumer_lag: Family<PartitionLabel, Gauge>,
    dead_lettered_total: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("news_enricher");
        let m = Metrics {
            consumed: Counter::default(),
            enriched: Counter::default(),
            dead_lettered: Family::default(),
            publish_failures: Family::default(),
            retries: Counter::default(),
            consumer_errors: Counter::default(),
            producers_recreated: Counter::default(),
            dropped_revoked: Counter::default(),
            abandoned: Counter::default(),
            commit_failures: Counter::default(),
            transactions_aborted: Counter::default(),
            in_flight: Gauge::default(),
            partitions_assigned: Gauge::default(),
            processing_seconds: Histogram::new(exponential_buckets(0.0005, 2.0, 16)),
            end_to_end_seconds: Histogram::new(exponential_buckets(0.001, 2.0, 20)),
            consumer_lag: Family::default(),
            registry: Registry::default(),
            dead_lettered_total: AtomicU64::new(0),
        };
        registry.register(
            "messages_consumed",
            "Messages received from the input topic",
            m.consumed.clone(),
        );
        registry.register(
            "messages_enriched",
            "Enriched records acknowledged by the broker",
            m.enriched.clone(),
        );
        registry.register(
            "messages_dead_lettered",
            "Dead letters acknowledged by the broker, by error class",
            m.dead_lettered.clone(),
        );
        registry.register(
            "publish_failures",
            "Failed publish attempts, by kind (transient, rejected, fatal)",
            m.publish_failures.clone(),
        );
        registry.register(
            "publish_retries",
            "Publish attempts retried after a transient failure",
            m.retries.clone(),
        );
        registry.register(
            "consumer_errors",
            "Errors reported while consuming",
            m.consumer_errors.clone(),
        );
        registry.register(
            "producers_recreated",
            "Producers rebuilt after a fatal error",
            m.producers_recreated.clone(),
        );
        registry.register(
            "messages_dropped_revoked",
            "In-flight messages dropped because their partition was revoked (redelivered to the new owner)",
            m.dropped_revoked.clone(),
        );
        registry.register(
            "messages_abandoned",
            "In-flight messages abandoned at shutdown after drain_timeout_ms (redelivered after restart)",
            m.abandoned.clone(),
        );
        registry.register(
            "commit_failures",
            "Offset commits that failed",
            m.commit_failures.clone(),
        );
        registry.register(
            "transactions_aborted",
            "Transactions aborted (exactly-once delivery)",
            m.transactions_aborted.clone(),
        );
        registry.register(
            "messages_in_flight",
            "Messages received but not yet acknowledged",
            m.in_flight.clone(),
        );
        registry.register(
            "partitions_assigned",
            "Input partitions currently assigned to this worker",
            m.partitions_assigned.clone(),
        );
        registry.register(
            "processing_seconds",
            "Time from receiving a message to the broker acknowledging its record or dead letter",
            m.processing_seconds.clone(),
        );
        registry.register(
            "end_to_end_seconds",
            "Time from the input message timestamp to the acknowledgement of its output",
            m.end_to_end_seconds.clone(),
        );
        registry.register(
            "consumer_lag",
            "Messages behind the partition end, per input partition",
            m.consumer_lag.clone(),
        );
        Metrics { registry, ..m }
    }

    /// The Prometheus text exposition of every metric.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }

    /// Total dead letters over every class.
    pub fn dead_lettered_total(&self) -> u64 {
        self.dead_lettered_total.load(Ordering::Relaxed)
    }

    // ---- events: one log line and one counter each ----

    pub fn on_consumed(&self) {
        self.consumed.inc();
        self.in_flight.inc();
    }

    pub fn on_enriched(&self, at: At<'_>, key: &str, processing_s: f64, e2e_s: Option<f64>) {
        self.enriched.inc();
        self.in_flight.dec();
        self.observe(processing_s, e2e_s);
        tracing::debug!(
            topic = at.topic,
            partition = at.partition,
            offset = at.offset,
            key,
            "record published"
        );
    }

    pub fn on_dead_lettered(
        &self,
        at: At<'_>,
        class: ErrorClass,
        message: &str,
        processing_s: f64,
        e2e_s: Option<f64>,
    ) {
        self.dead_lettered
            .get_or_create(&ClassLabel {
                class: class.as_str().into(),
            })
            .inc();
        self.dead_lettered_total.fetch_add(1, Ordering::Relaxed);
        self.in_flight.dec();
        self.observe(processing_s, e2e_s);
        tracing::warn!(
            topic = at.topic,
            partition = at.partition,
            offset = at.offset,
            class = class.as_str(),
            error = message,
            "message dead-lettered"
        );
    }

    pub fn on_dropped_revoked(&self, at: At<'_>) {
        self.dropped_revoked.inc();
        self.in_flight.dec();
        tracing::info!(
            topic = at.topic,
            partition = at.partition,
            offset = at.offset,
            "partition revoked: in-flight message dropped, its offset is not stored"
        );
    }

    pub fn on_abandoned(&self, count: usize) {
        self.abandoned.inc_by(count as u64);
        self.in_flight.dec_by(count as i64);
        tracing::warn!(
            count,
            "drain timeout: in-flight messages abandoned, their offsets are not stored"
        );
    }

    pub fn on_publish_failed(&self, kind: &str, topic: &str, attempt: u32, error: &str) {
        self.publish_failures
            .get_or_create(&KindLabel { kind: kind.into() })
            .inc();
        tracing::warn!(topic, attempt, kind, error, "publish failed");
    }

    pub fn on_retry(&self, topic: &str, attempt: u32, backoff_ms: u64) {
        self.retries.inc();
        tracing::info!(topic, attempt, backoff_ms, "retrying publish");
    }

    pub fn on_consumer_error(&self, error: &str) {
        self.consumer_errors.inc();
        tracing::warn!(error, "consumer error");
    }

    pub fn on_producer_recreated(&self, reason: &str) {
        self.producers_recreated.inc();
        tracing::error!(
            reason,
            "producer recreated: unacknowledged records will be retried on the new one"
        );
    }

    pub fn on_commit_failed(&self, error: &str) {
        self.commit_failures.inc();
        tracing::warn!(error, "offset commit failed");
    }

    pub fn on_transaction_aborted(&self, txn: &str, seq: u64, error: &str) {
        self.transactions_aborted.inc();
        tracing::warn!(
            txn,
            txn_seq = seq,
            error,
            "transaction aborted: rewinding to the last committed offsets"
        );
    }

    pub fn set_lag(&self, topic: &str, partition: i32, lag: i64) {
        self.consumer_lag
            .get_or_create(&PartitionLabel {
                topic: topic.into(),
                partition: partition.to_string(),
            })
            .set(lag);
    }

    pub fn clear_lag(&self, topic: &str, partition: i32) {
        self.consumer_lag.remove(&PartitionLabel {
            topic: topic.into(),
            partition: partition.to_string(),
        });
    }

    fn observe(&self, processing_s: f64, e2e_s: Option<f64>) {
        self.processing_seconds.observe(processing_s);
        if let Some(e) = e2e_s {
            self.end_to_end_seconds.observe(e.max(0.0));
        }
    }
}

/// What `/readyz` reports: models loaded and partitions assigned.
#[derive(Debug, Default)]
pub struct Health {
    models_loaded: AtomicBool,
    partitions: Mutex<usize>,
    consumer_started: AtomicBool,
}

impl Health {
    pub fn set_models_loaded(&self, loaded: bool) {
        self.models_loaded.store(loaded, Ordering::Relaxed);
    }

    pub fn set_consumer_started(&self, started: bool) {
        self.consumer_started.store(started, Ordering::Relaxed);
    }

    pub fn set_partitions(&self, n: usize) {
        if let Ok(mut p) = self.partitions.lock() {
            *p = n;
        }
    }

    pub fn partitions(&self) -> usize {
        self.partitions.lock().map(|p| *p).unwrap_or(0)
    }

    /// `Ok` when ready, else the reason.
    pub fn readiness(&self) -> Result<(), String> {
        if !self.models_loaded.load(Ordering::Relaxed) {
            return Err("models not loaded".into());
        }
        if !self.consumer_started.load(Ordering::Relaxed) {
            return Err("consumer not started".into());
        }
        if self.partitions() == 0 {
            return Err("no input partitions assigned (joining the group or idle member)".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_names_every_family() {
        let m = Metrics::new();
        m.on_consumed();
        m.on_dead_lettered(
            At {
                topic: "t",
                partition: 0,
                offset: 1,
            },
            ErrorClass::InvalidJson,
            "bad",
            0.01,
            Some(0.2),
        );
        m.set_lag("t", 3, 42);
        let text = m.encode();
        for name in [
            "news_enricher_messages_consumed_total 1",
            "news_enricher_messages_dead_lettered_total{class=\"invalid_json\"} 1",
            "news_enricher_consumer_lag{topic=\"t\",partition=\"3\"} 42",
            "news_enricher_processing_seconds_bucket",
            "news_enricher_end_to_end_seconds_count 1",
            "news_enricher_messages_in_flight 0",
        ] {
            assert!(text.contains(name), "missing {name} in\n{text}");
        }
        assert_eq!(m.dead_lettered_total(), 1);
    }

    #[test]
    fn readiness_explains_why_not() {
        let h = Health::default();
        assert_eq!(h.readiness().unwrap_err(), "models not loaded");
        h.set_models_loaded(true);
        assert_eq!(h.readiness().unwrap_err(), "consumer not started");
        h.set_consumer_started(true);
        assert!(h.readiness().unwrap_err().contains("no input partitions"));
        h.set_partitions(2);
        assert!(h.readiness().is_ok());
    }
}
