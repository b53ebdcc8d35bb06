//! Kafka consumer, producer and dead-letter publisher. No rdkafka type leaves this module:
//! the worker loop sees the [`crate::pipeline::ports`] traits, tests and the demo see
//! [`mock::MockKafka`] and [`inspect`].
//!
//! - [`client_config`]: librdkafka settings the worker owns, pass-through options, secrets.
//! - [`context`]: consumer callbacks: rebalance (commit before revoke), statistics
//!   (lag), logs (redacted).
//! - [`consumer`]: [`consumer::KafkaSource`], the [`crate::pipeline::ports::Source`].
//! - [`producer`]: [`producer::KafkaPublisher`], idempotent, recreated after a fatal error.
//! - [`dead_letter`]: the dead-letter record: original key and value, error headers.
//! - [`transaction`]: the transactional producer for exactly-once delivery.
//! - [`mock`]: librdkafka's in-process mock cluster, for tests and `demo`.
//! - [`inspect`]: read a topic and committed offsets back (tests, `demo`).

pub mod client_config;
pub mod consumer;
pub mod context;
pub mod dead_letter;
pub mod inspect;
pub mod mock;
pub mod producer;
pub mod transaction;

/// A Kafka client could not be built or used.
#[derive(Debug, thiserror::Error)]
pub enum KafkaError {
    #[error("cannot create the Kafka {what}: {reason}")]
    Create { what: &'static str, reason: String },
    #[error("cannot subscribe to {topic:?}: {reason}")]
    Subscribe { topic: String, reason: String },
    #[error("mock cluster: {0}")]
    Mock(String),
    #[error("{op}: {reason}")]
    Op { op: &'static str, reason: String },
}

impl KafkaError {
    pub(crate) fn op(op: &'static str, e: impl std::fmt::Display) -> Self {
        KafkaError::Op {
            op,
            reason: e.to_string(),
        }
    }
}
