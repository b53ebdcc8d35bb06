//! Kafka consumer, producer and dead-letter publisher. No rdkafka type leaves this module.
