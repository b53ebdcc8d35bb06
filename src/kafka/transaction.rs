//! The transactional producer for exactly-once delivery: records and the consumed
//! offsets of one batch commit atomically (`send_offsets_to_transaction`), or not
//! at all. A fatal error (e.g. fenced by a newer instance with the same
//! `transactional.id`) rebuilds the producer; `init_transactions` then aborts
//! whatever the previous incarnation left open.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rdkafka::config::ClientConfig;
use rdkafka::consumer::Consumer;
use rdkafka::error::KafkaError as RdError;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};

use super::client_config;
use super::consumer::KafkaSource;
use super::context::ProducerContext;
use super::KafkaError;
use crate::config::KafkaSettings;
use crate::pipeline::ports::{OutRecord, PublishError, Publisher, Transactions, TxnError};

/// Header carrying the transaction tag (`<transactional.id>/<instance>/<seq>`).
pub const TXN_HEADER: &str = "enricher.txn";
/// Header carrying the transaction sequence number of this instance.
pub const TXN_SEQ_HEADER: &str = "enricher.txn.seq";

const TXN_TIMEOUT: Duration = Duration::from_secs(30);

fn classify(e: RdError) -> TxnError {
    let fatal = match &e {
        RdError::Transaction(t) => t.is_fatal(),
        _ => false,
    };
    if fatal {
        TxnError::Fatal(e.to_string())
    } else {
        TxnError::Abortable(e.to_string())
    }
}

fn retriable(e: &RdError) -> bool {
    matches!(e, RdError::Transaction(t) if t.is_retriable())
}

/// A transactional producer; records carry the current transaction's tag.
pub struct TransactionalProducer {
    config: ClientConfig,
    context: ProducerContext,
    producer: Mutex<FutureProducer<ProducerContext>>,
    tag: Mutex<(String, u64)>,
}

impl TransactionalProducer {
    /// Creates the producer and registers `transactional_id` with the coordinator.
    pub fn new(k: &KafkaSettings, transactional_id: &str) -> Result<Self, KafkaError> {
        let config = client_config::producer(k, Some(transactional_id));
        let context = ProducerContext::new(client_config::secret_values(k));
        let producer = Self::create(&config, &context)?;
        Ok(TransactionalProducer {
            config,
            context,
            producer: Mutex::new(producer),
            tag: Mutex::new((String::new(), 0)),
        })
    }

    fn create(
        config: &ClientConfig,
        context: &ProducerContext,
    ) -> Result<FutureProducer<ProducerContext>, KafkaError> {
        let p: FutureProducer<ProducerContext> = config
            .create_with_context(context.clone())
            .map_err(|e| KafkaError::Create {
                what: "transactional producer",
                reason: client_config::redact(&e.to_string(), context.secrets()),
            })?;
        p.init_transactions(TXN_TIMEOUT)
            .map_err(|e| KafkaError::op("init transactions", e))?;
        Ok(p)
    }

    fn producer(&self) -> FutureProducer<ProducerContext> {
        match self.producer.lock() {
            Ok(p) => p.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces a producer that hit a fatal error.
    pub fn recreate(&self) -> Result<(), KafkaError> {
        let fresh = Self::create(&self.config, &self.context)?;
        match self.producer.lock() {
            Ok(mut p) => *p = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(())
    }

    /// Opens a transaction; records published until commit or abort carry `tag`.
    pub fn begin(&self, tag: &str, seq: u64) -> Result<(), TxnError> {
        if let Ok(mut t) = self.tag.lock() {
            *t = (tag.to_string(), seq);
        }
        self.producer().begin_transaction().map_err(classify)
    }

    /// Adds the consumed offsets (next offset to read, per partition) to the
    /// transaction and commits it.
    pub fn commit(
        &self,
        source: &KafkaSource,
        offsets: &BTreeMap<(String, i32), i64>,
    ) -> Result<(), TxnError> {
        let producer = self.producer();
        let mut tpl = TopicPartitionList::new();
        for ((topic, partition), next) in offsets {
            tpl.add_partition_offset(topic, *partition, Offset::Offset(*next))
                .map_err(|e| TxnError::Abortable(e.to_string()))?;
        }
        let group = source
            .consumer
            .group_metadata()
            .ok_or_else(|| TxnError::Abortable("no consumer group metadata".into()))?;
        producer
            .send_offsets_to_transaction(&tpl, &group, TXN_TIMEOUT)
            .map_err(classify)?;
        let mut attempts = 0;
        loop {
            match producer.commit_transaction(TXN_TIMEOUT) {
                Ok(()) => return Ok(()),
                Err(e) if retriable(&e) && attempts < 3 => attempts += 1,
                Err(e) => return Err(classify(e)),
            }
        }
    }

    /// Aborts the open transaction, if any.
    pub fn abort(&self) -> Result<(), TxnError> {
        self.producer()
            .abort_transaction(TXN_TIMEOUT)
            .map_err(classify)
    }

    fn headers(&self, record: &OutRecord) -> OwnedHeaders {
        let (tag, seq) = self.tag.lock().map(|t| t.clone()).unwrap_or_default();
        let seq = seq.to_string();
        let mut h = OwnedHeaders::new_with_capacity(record.headers.len() + 2);
        for (k, v) in &record.headers {
            h = h.insert(Header {
                key: k.as_str(),
                value: Some(v.as_slice()),
            });
        }
        h.insert(Header {
            key: TXN_HEADER,
            value: Some(tag.as_bytes()),
        })
        .insert(Header {
            key: TXN_SEQ_HEADER,
            value: Some(seq.as_bytes()),
        })
    }
}

impl Publisher for TransactionalProducer {
    async fn publish(&self, record: &OutRecord) -> Result<(), PublishError> {
        let producer = self.producer();
        let mut fr: FutureRecord<'_, [u8], [u8]> =
            FutureRecord::to(&record.topic).headers(self.headers(record));
        if let Some(k) = &record.key {
            fr = fr.key(k.as_slice());
        }
        if let Some(v) = &record.value {
            fr = fr.payload(v.as_slice());
        }
        let outcome = match producer.send_result(fr) {
            Ok(delivery) => match delivery.await {
                Ok(Ok(_)) => return Ok(()),
                Ok(Err((e, _))) => e,
                Err(_) => return Err(PublishError::Transient("producer dropped".into())),
            },
            Err((e, _)) => e,
        };
        match outcome.rdkafka_error_code() {
            Some(
                rdkafka::types::RDKafkaErrorCode::MessageSizeTooLarge
                | rdkafka::types::RDKafkaErrorCode::InvalidMessageSize,
            ) => Err(PublishError::Rejected(outcome.to_string())),
            _ => Err(PublishError::Transient(outcome.to_string())),
        }
    }

    fn flush(&self, timeout: Duration) -> Result<(), PublishError> {
        self.producer()
            .flush(timeout)
            .map_err(|e| PublishError::Transient(e.to_string()))
    }
}

/// The transactional id: `kafka.transactional_id`, else `<group_id>-<hostname>`.
pub fn transactional_id(k: &KafkaSettings) -> String {
    if !k.transactional_id.trim().is_empty() {
        return k.transactional_id.clone();
    }
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_string())
        })
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    format!("{}-{host}", k.group_id)
}

/// Rewinds every assigned partition to its last committed offset (or to
/// `auto.offset.reset` when none), after an abort.
pub fn rewind(source: &KafkaSource, earliest: bool) -> Result<(), KafkaError> {
    let c = &source.consumer;
    let assignment = c
        .assignment()
        .map_err(|e| KafkaError::op("assignment", e))?;
    if assignment.count() == 0 {
        return Ok(());
    }
    let committed = c
        .committed_offsets(assignment, TXN_TIMEOUT)
        .map_err(|e| KafkaError::op("committed offsets", e))?;
    for e in committed.elements() {
        let to = match e.offset() {
            Offset::Offset(o) => Offset::Offset(o),
            _ if earliest => Offset::Beginning,
            _ => Offset::End,
        };
        c.seek(e.topic(), e.partition(), to, Duration::from_secs(10))
            .map_err(|err| KafkaError::op("seek", err))?;
    }
    Ok(())
}

/// [`Transactions`] over the worker's consumer and a transactional producer.
pub struct KafkaTransactions {
    pub source: Arc<KafkaSource>,
    pub producer: Arc<TransactionalProducer>,
    /// `auto.offset.reset = earliest`: where to rewind a partition with no commit.
    pub earliest: bool,
}

impl Transactions for KafkaTransactions {
    fn begin(&self, tag: &str, seq: u64) -> Result<(), TxnError> {
        self.producer.begin(tag, seq)
    }

    fn commit(&self, offsets: &BTreeMap<(String, i32), i64>) -> Result<(), TxnError> {
        self.producer.commit(&self.source, offsets)
    }

    fn abort(&self) -> Result<(), TxnError> {
        self.producer.abort()
    }

    fn rewind(&self) -> Result<(), String> {
        rewind(&self.source, self.earliest).map_err(|e| e.to_string())
    }

    fn recreate(&self) -> Result<(), String> {
        self.producer.recreate().map_err(|e| e.to_string())
    }
}
