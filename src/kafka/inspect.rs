//! Reading topics and committed offsets back, and feeding topics: for tests, the
//! `demo` summary and operators. Blocking calls: from async code, run them in
//! `spawn_blocking`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message};
use rdkafka::producer::{BaseRecord, DefaultProducerContext, Producer, ThreadedProducer};
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};

use super::KafkaError;
use crate::pipeline::ports::OutRecord;

/// One record read back from a topic.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicRecord {
    pub partition: i32,
    pub offset: i64,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Vec<u8>)>,
}

impl TopicRecord {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| std::str::from_utf8(v).ok())
    }
}

fn plain_consumer(brokers: &str, group: &str) -> Result<BaseConsumer, KafkaError> {
    ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "false")
        .set("auto.offset.reset", "earliest")
        .create()
        .map_err(|e| KafkaError::Create {
            what: "inspection consumer",
            reason: e.to_string(),
        })
}

fn partition_count(c: &BaseConsumer, topic: &str) -> Result<i32, KafkaError> {
    let md = c
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .map_err(|e| KafkaError::op("fetch metadata", e))?;
    let n = md
        .topics()
        .iter()
        .find(|t| t.name() == topic)
        .map(|t| t.partitions().len() as i32)
        .unwrap_or(0);
    Ok(n)
}

/// Reads `topic` from the beginning until `at_least` records were seen or
/// `timeout` passed, then returns them all.
pub fn read_topic(
    brokers: &str,
    topic: &str,
    at_least: usize,
    timeout: Duration,
) -> Result<Vec<TopicRecord>, KafkaError> {
    let c = plain_consumer(brokers, "news-enricher-inspect")?;
    let n = partition_count(&c, topic)?;
    let mut tpl = TopicPartitionList::new();
    for p in 0..n {
        tpl.add_partition_offset(topic, p, Offset::Beginning)
            .map_err(|e| KafkaError::op("assign", e))?;
    }
    c.assign(&tpl).map_err(|e| KafkaError::op("assign", e))?;
    let deadline = Instant::now() + timeout;
    let mut out = Vec::new();
    while out.len() < at_least && Instant::now() < deadline {
        match c.poll(Duration::from_millis(100)) {
            Some(Ok(m)) => out.push(TopicRecord {
                partition: m.partition(),
                offset: m.offset(),
                key: m.key().map(<[u8]>::to_vec),
                value: m.payload().map(<[u8]>::to_vec),
                headers: m
                    .headers()
                    .map(|h| {
                        h.iter()
                            .map(|h| (h.key.to_string(), h.value.unwrap_or(&[]).to_vec()))
                            .collect()
                    })
                    .unwrap_or_default(),
            }),
            Some(Err(e)) => tracing::debug!(error = %e, "inspection consumer"),
            None => {}
        }
    }
    Ok(out)
}

/// The offsets `group` committed on `topic`, per partition (absent: none committed).
pub fn committed_offsets(
    brokers: &str,
    group: &str,
    topic: &str,
) -> Result<BTreeMap<i32, i64>, KafkaError> {
    let c = plain_consumer(brokers, group)?;
    let n = partition_count(&c, topic)?;
    let mut tpl = TopicPartitionList::new();
    for p in 0..n {
        tpl.add_partition(topic, p);
    }
    let committed = c
        .committed_offsets(tpl, Duration::from_secs(10))
        .map_err(|e| KafkaError::op("committed offsets", e))?;
    Ok(committed
        .elements()
        .iter()
        .filter_map(|e| match e.offset() {
            Offset::Offset(o) => Some((e.partition(), o)),
            _ => None,
        })
        .collect())
}

/// The end offset (high watermark) of every partition of `topic`.
pub fn end_offsets(brokers: &str, topic: &str) -> Result<BTreeMap<i32, i64>, KafkaError> {
    let c = plain_consumer(brokers, "news-enricher-inspect")?;
    let n = partition_count(&c, topic)?;
    let mut out = BTreeMap::new();
    for p in 0..n {
        let (_, high) = c
            .fetch_watermarks(topic, p, Duration::from_secs(10))
            .map_err(|e| KafkaError::op("fetch watermarks", e))?;
        out.insert(p, high);
    }
    Ok(out)
}

/// Produces `records` (each to its own topic), waits for every acknowledgement.
/// A plain, non-idempotent producer: only for tests and fixtures.
pub fn produce_all(brokers: &str, records: &[OutRecord]) -> Result<(), KafkaError> {
    let p: ThreadedProducer<DefaultProducerContext> = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("message.max.bytes", "10000000")
        .create()
        .map_err(|e| KafkaError::Create {
            what: "producer",
            reason: e.to_string(),
        })?;
    for r in records {
        let mut br: BaseRecord<'_, [u8], [u8]> = BaseRecord::to(&r.topic);
        if let Some(k) = &r.key {
            br = br.key(k.as_slice());
        }
        if let Some(v) = &r.value {
            br = br.payload(v.as_slice());
        }
        let mut pending = br;
        loop {
            match p.send(pending) {
                Ok(()) => break,
                Err((e, back)) => {
                    if e.rdkafka_error_code() == Some(rdkafka::types::RDKafkaErrorCode::QueueFull) {
                        std::thread::sleep(Duration::from_millis(10));
                        pending = back;
                    } else {
                        return Err(KafkaError::op("produce", e));
                    }
                }
            }
        }
    }
    p.flush(Duration::from_secs(30))
        .map_err(|e| KafkaError::op("flush", e))
}
