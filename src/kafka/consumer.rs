//! [`KafkaSource`]: the worker's consumer. Offsets are stored explicitly (never
//! automatically) and committed in the background from the store.

use std::sync::Arc;

use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::error::KafkaError as RdError;
use rdkafka::message::Message;
use rdkafka::types::RDKafkaErrorCode;

use super::client_config;
use super::context::WorkerContext;
use super::KafkaError;
use crate::config::{Delivery, KafkaSettings};
use crate::metrics::{Health, Metrics};
use crate::pipeline::ports::{Received, Source, SourceError, Stored};
use crate::pipeline::Inbound;

/// The consumer of the input topic, subscribed at construction.
pub struct KafkaSource {
    pub(crate) consumer: StreamConsumer<WorkerContext>,
}

impl KafkaSource {
    pub fn new(
        k: &KafkaSettings,
        metrics: Arc<Metrics>,
        health: Arc<Health>,
    ) -> Result<Self, KafkaError> {
        let config = client_config::consumer(k);
        tracing::debug!(config = ?client_config::describe(&config), "consumer configuration");
        let secrets = client_config::secret_values(k);
        let context = WorkerContext::new(
            secrets.clone(),
            metrics,
            health.clone(),
            k.delivery == Delivery::AtLeastOnce,
        );
        let consumer: StreamConsumer<WorkerContext> =
            config
                .create_with_context(context)
                .map_err(|e| KafkaError::Create {
                    what: "consumer",
                    reason: e.to_string(),
                })?;
        consumer
            .subscribe(&[&k.input_topic])
            .map_err(|e| KafkaError::Subscribe {
                topic: k.input_topic.clone(),
                reason: e.to_string(),
            })?;
        health.set_consumer_started(true);
        tracing::info!(topic = %k.input_topic, group = %k.group_id, "subscribed");
        Ok(KafkaSource { consumer })
    }

    /// Partitions currently assigned to this consumer.
    pub fn assigned(&self) -> Vec<(String, i32)> {
        self.consumer.context().assigned()
    }
}

impl Source for KafkaSource {
    async fn recv(&self) -> Result<Received, SourceError> {
        let m = self
            .consumer
            .recv()
            .await
            .map_err(|e| SourceError(e.to_string()))?;
        let inbound = Inbound {
            topic: m.topic().to_string(),
            partition: m.partition(),
            offset: m.offset(),
            timestamp_ms: m.timestamp().to_millis(),
            key: m.key().map(<[u8]>::to_vec),
            payload: m.payload().map(<[u8]>::to_vec),
        };
        let epoch = self.consumer.context().epoch(m.topic(), m.partition());
        Ok(Received { inbound, epoch })
    }

    fn is_current(&self, inbound: &Inbound, epoch: u64) -> bool {
        self.consumer
            .context()
            .epoch(&inbound.topic, inbound.partition)
            == epoch
    }

    fn store(&self, inbound: &Inbound, epoch: u64) -> Result<Stored, SourceError> {
        if !self.is_current(inbound, epoch) {
            return Ok(Stored::Revoked);
        }
        // `rd_kafka_offset_store` stores offset + 1, the next message to read.
        match self
            .consumer
            .store_offset(&inbound.topic, inbound.partition, inbound.offset)
        {
            Ok(()) => Ok(Stored::Stored),
            Err(RdError::StoreOffset(RDKafkaErrorCode::State)) => Ok(Stored::Revoked),
            Err(e) => Err(SourceError(e.to_string())),
        }
    }

    fn commit(&self) -> Result<(), SourceError> {
        match self.consumer.commit_consumer_state(CommitMode::Sync) {
            Ok(()) => Ok(()),
            Err(RdError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) => Ok(()),
            Err(e) => Err(SourceError(e.to_string())),
        }
    }
}
