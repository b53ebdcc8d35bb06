//! Callbacks librdkafka runs inside the clients: logs and errors (redacted, into
//! `tracing`), statistics (consumer lag), and the consumer-group rebalance.
//!
//! Rebalance: before partitions are revoked, the offsets stored so far are
//! committed synchronously, so nothing acknowledged is redelivered needlessly and
//! nothing stored is lost (unless the assignment was lost, when the group has
//! already moved on and librdkafka refuses commits); each revoked partition's *epoch* is bumped, so work
//! received before the revocation can no longer store its offset (the new owner
//! starts from the committed offset and redelivers it: at-least-once).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::{KafkaError as RdError, KafkaResult};
use rdkafka::statistics::Statistics;
use rdkafka::topic_partition_list::TopicPartitionList;
use rdkafka::types::RDKafkaErrorCode;

use super::client_config::redact;
use crate::metrics::{Health, Metrics};

fn log_line(secrets: &[String], level: RDKafkaLogLevel, fac: &str, message: &str) {
    let message = redact(message, secrets);
    match level {
        RDKafkaLogLevel::Emerg
        | RDKafkaLogLevel::Alert
        | RDKafkaLogLevel::Critical
        | RDKafkaLogLevel::Error => {
            tracing::error!(target: "librdkafka", facility = fac, "{message}")
        }
        RDKafkaLogLevel::Warning => {
            tracing::warn!(target: "librdkafka", facility = fac, "{message}")
        }
        RDKafkaLogLevel::Notice | RDKafkaLogLevel::Info => {
            tracing::info!(target: "librdkafka", facility = fac, "{message}")
        }
        RDKafkaLogLevel::Debug => {
            tracing::debug!(target: "librdkafka", facility = fac, "{message}")
        }
    }
}

fn error_line(secrets: &[String], error: &RdError, reason: &str) {
    let reason = redact(reason, secrets);
    tracing::warn!(target: "librdkafka", error = %error, "{reason}");
}

/// Context of the producers: logs and errors into `tracing`, secrets scrubbed.
#[derive(Clone)]
pub struct ProducerContext {
    secrets: Arc<Vec<String>>,
}

impl ProducerContext {
    pub fn new(secrets: Vec<String>) -> Self {
        ProducerContext {
            secrets: Arc::new(secrets),
        }
    }

    pub fn secrets(&self) -> &[String] {
        &self.secrets
    }
}

impl ClientContext for ProducerContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, log_message: &str) {
        log_line(&self.secrets, level, fac, log_message);
    }

    fn error(&self, error: RdError, reason: &str) {
        error_line(&self.secrets, &error, reason);
    }
}

type Tp = (String, i32);

/// Context of the worker's consumer.
pub struct WorkerContext {
    secrets: Vec<String>,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    /// Per partition, how many times it was revoked.
    epochs: Mutex<HashMap<Tp, u64>>,
    assigned: Mutex<HashSet<Tp>>,
    /// Whether offsets are committed through the consumer (at-least-once) or
    /// through transactions (exactly-once: no commit here).
    commit_on_revoke: bool,
}

impl WorkerContext {
    pub fn new(
        secrets: Vec<String>,
        metrics: Arc<Metrics>,
        health: Arc<Health>,
        commit_on_revoke: bool,
    ) -> Self {
        WorkerContext {
            secrets,
            metrics,
            health,
            epochs: Mutex::new(HashMap::new()),
            assigned: Mutex::new(HashSet::new()),
            commit_on_revoke,
        }
    }

    /// The current epoch of a partition.
    pub fn epoch(&self, topic: &str, partition: i32) -> u64 {
        self.epochs
            .lock()
            .ok()
            .and_then(|m| m.get(&(topic.to_string(), partition)).copied())
            .unwrap_or(0)
    }

    /// Partitions currently assigned.
    pub fn assigned(&self) -> Vec<(String, i32)> {
        let mut v: Vec<Tp> = self
            .assigned
            .lock()
            .map(|a| a.iter().cloned().collect())
            .unwrap_or_default();
        v.sort();
        v
    }

    fn set_assigned(&self, tpl: &TopicPartitionList, assigned: bool) {
        let Ok(mut set) = self.assigned.lock() else {
            return;
        };
        for e in tpl.elements() {
            let tp = (e.topic().to_string(), e.partition());
            if assigned {
                set.insert(tp);
            } else {
                self.metrics.clear_lag(&tp.0, tp.1);
                set.remove(&tp);
            }
        }
        self.health.set_partitions(set.len());
        self.metrics.partitions_assigned.set(set.len() as i64);
    }
}

fn partitions(tpl: &TopicPartitionList) -> String {
    tpl.elements()
        .iter()
        .map(|e| format!("{}[{}]", e.topic(), e.partition()))
        .collect::<Vec<_>>()
        .join(",")
}

impl ClientContext for WorkerContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, log_message: &str) {
        log_line(&self.secrets, level, fac, log_message);
    }

    fn error(&self, error: RdError, reason: &str) {
        error_line(&self.secrets, &error, reason);
    }

    fn stats(&self, statistics: Statistics) {
        let Ok(assigned) = self.assigned.lock() else {
            return;
        };
        for (topic, t) in &statistics.topics {
            for (partition, p) in &t.partitions {
                let tp = (topic.clone(), *partition);
                if *partition >= 0 && p.consumer_lag >= 0 && assigned.contains(&tp) {
                    self.metrics.set_lag(topic, *partition, p.consumer_lag);
                }
            }
        }
    }
}

impl ConsumerContext for WorkerContext {
    fn pre_rebalance(&self, base_consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Revoke(tpl) => {
                if let Ok(mut epochs) = self.epochs.lock() {
                    for e in tpl.elements() {
                        *epochs
                            .entry((e.topic().to_string(), e.partition()))
                            .or_insert(0) += 1;
                    }
                }
                if self.commit_on_revoke && base_consumer.assignment_lost() {
                    // The group has already given these partitions to another
                    // member (session timed out, coordinator restarted): a commit
                    // would be refused, and librdkafka asks for none in this state.
                    // The new owner resumes from the last committed offsets.
                    tracing::warn!(
                        partitions = %partitions(tpl),
                        "partitions lost: stored offsets not committed; their records may be redone"
                    );
                } else if self.commit_on_revoke {
                    match base_consumer.commit_consumer_state(CommitMode::Sync) {
                        Ok(()) => tracing::info!(
                            partitions = %partitions(tpl),
                            "partitions revoked: stored offsets committed"
                        ),
                        Err(RdError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) => {
                            tracing::info!(partitions = %partitions(tpl), "partitions revoked: no new offsets to commit")
                        }
                        Err(e) => self.metrics.on_commit_failed(&e.to_string()),
                    }
                } else {
                    tracing::info!(partitions = %partitions(tpl), "partitions revoked");
                }
            }
            Rebalance::Assign(tpl) => {
                tracing::info!(partitions = %partitions(tpl), "partitions assigned")
            }
            Rebalance::Error(e) => tracing::warn!(error = %e, "rebalance error"),
        }
    }

    fn post_rebalance(&self, _base_consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Assign(tpl) => self.set_assigned(tpl, true),
            Rebalance::Revoke(tpl) => self.set_assigned(tpl, false),
            Rebalance::Error(_) => {}
        }
    }

    fn commit_callback(&self, result: KafkaResult<()>, offsets: &TopicPartitionList) {
        match result {
            Ok(()) => tracing::debug!(offsets = ?offsets_of(offsets), "offsets committed"),
            Err(RdError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) => {}
            Err(e) => self.metrics.on_commit_failed(&e.to_string()),
        }
    }
}

fn offsets_of(tpl: &TopicPartitionList) -> Vec<(i32, String)> {
    tpl.elements()
        .iter()
        .map(|e| (e.partition(), format!("{:?}", e.offset())))
        .collect()
}
