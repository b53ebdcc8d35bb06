//! The two seams of the worker loop: where messages come from ([`Source`]) and
//! where records go ([`Publisher`]). The Kafka implementations live in
//! `crate::kafka`; tests can plug in slow or failing ones.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use super::process::Inbound;

/// A received message and the assignment epoch of its partition at receipt.
#[derive(Debug, Clone)]
pub struct Received {
    pub inbound: Inbound,
    /// Bumped by the source every time the partition is revoked; work from an
    /// older epoch must not store its offset.
    pub epoch: u64,
}

/// A consumer error; the loop logs it and carries on (librdkafka recovers).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct SourceError(pub String);

/// What storing an offset did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    Stored,
    /// The partition was revoked since the message was received: not stored.
    Revoked,
}

/// Where messages come from and where their offsets are stored.
pub trait Source: Send + Sync + 'static {
    /// The next message. Cancel-safe: dropping the future loses nothing.
    fn recv(&self) -> impl Future<Output = Result<Received, SourceError>> + Send;
    /// Whether `epoch` is still the current assignment of the message's partition.
    fn is_current(&self, inbound: &Inbound, epoch: u64) -> bool;
    /// Marks `inbound` (and everything before it on its partition) as done.
    fn store(&self, inbound: &Inbound, epoch: u64) -> Result<Stored, SourceError>;
    /// Commits the stored offsets synchronously.
    fn commit(&self) -> Result<(), SourceError>;
}

/// One record to publish.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutRecord {
    pub topic: String,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Vec<u8>)>,
}

impl OutRecord {
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_slice())
    }
}

/// Why a publish failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    /// The broker refused the record for good (e.g. too large): dead-letter it.
    #[error("rejected: {0}")]
    Rejected(String),
    /// Worth retrying: queue full, broker down, timeout, producer recreated.
    #[error("transient: {0}")]
    Transient(String),
}

/// Where records go. `publish` resolves when the broker acknowledged the record.
pub trait Publisher: Send + Sync + 'static {
    fn publish(&self, record: &OutRecord) -> impl Future<Output = Result<(), PublishError>> + Send;
    /// Waits for every queued record to be acknowledged, up to `timeout`.
    fn flush(&self, timeout: Duration) -> Result<(), PublishError>;
}

/// Why a transaction step failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TxnError {
    /// Abort the transaction, rewind, try again.
    #[error("abortable: {0}")]
    Abortable(String),
    /// The producer is unusable: rebuild it, rewind, try again.
    #[error("fatal: {0}")]
    Fatal(String),
}

/// Transactions over the publisher and the source (exactly-once delivery).
pub trait Transactions: Send + Sync + 'static {
    /// Opens a transaction; records published until commit or abort carry `tag`.
    fn begin(&self, tag: &str, seq: u64) -> Result<(), TxnError>;
    /// Commits the records and the next offsets to read, atomically.
    fn commit(&self, offsets: &BTreeMap<(String, i32), i64>) -> Result<(), TxnError>;
    fn abort(&self) -> Result<(), TxnError>;
    /// Moves the source back to the last committed offsets (after an abort).
    fn rewind(&self) -> Result<(), String>;
    /// Rebuilds the producer after a fatal error.
    fn recreate(&self) -> Result<(), String>;
}
