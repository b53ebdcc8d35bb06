//! librdkafka's mock cluster, in-process: for broker tests and the `demo` command.
//! Create topics with [`MockKafka::create_topic`] (the admin API is not implemented
//! by the mock). The mock keeps at most 5 MiB or 100k messages per partition.

use std::time::Duration;

use rdkafka::mocking::MockCluster;
use rdkafka::producer::DefaultProducerContext;

use super::KafkaError;

/// An in-process Kafka cluster; dropped, it stops.
pub struct MockKafka {
    cluster: MockCluster<'static, DefaultProducerContext>,
}

impl MockKafka {
    /// Starts `brokers` mock brokers (ids 1..=brokers) on random local ports.
    pub fn start(brokers: i32) -> Result<Self, KafkaError> {
        let cluster = MockCluster::new(brokers).map_err(|e| KafkaError::Mock(e.to_string()))?;
        Ok(MockKafka { cluster })
    }

    /// The `bootstrap.servers` string.
    pub fn bootstrap_servers(&self) -> String {
        self.cluster.bootstrap_servers()
    }

    pub fn create_topic(&self, topic: &str, partitions: i32) -> Result<(), KafkaError> {
        self.cluster
            .create_topic(topic, partitions, 1)
            .map_err(|e| KafkaError::Mock(format!("create topic {topic}: {e}")))
    }

    /// Takes broker `id` down (connections closed, requests refused).
    pub fn broker_down(&self, id: i32) -> Result<(), KafkaError> {
        self.cluster
            .broker_down(id)
            .map_err(|e| KafkaError::Mock(format!("broker {id} down: {e}")))
    }

    pub fn broker_up(&self, id: i32) -> Result<(), KafkaError> {
        self.cluster
            .broker_up(id)
            .map_err(|e| KafkaError::Mock(format!("broker {id} up: {e}")))
    }

    /// Adds `delay` to every request to broker `id`.
    pub fn broker_round_trip_time(&self, id: i32, delay: Duration) -> Result<(), KafkaError> {
        self.cluster
            .broker_round_trip_time(id, delay)
            .map_err(|e| KafkaError::Mock(format!("broker {id} rtt: {e}")))
    }
}
