//! [`KafkaPublisher`]: idempotent producer (acks=all), one delivery report awaited
//! per record. After a fatal error (e.g. `UnknownProducerId` when the broker lost
//! the producer's state) the producer is rebuilt and the failed publish reported
//! as transient, so the worker retries it on the new producer: no manual action.
//! The same happens when nothing at all was delivered for a whole
//! `message.timeout.ms` and records keep timing out: a broker that came back
//! without the producer's state may answer `UnknownProducerId` until every message
//! times out, without librdkafka raising a fatal error; a fresh producer (new
//! producer id) recovers, and during a plain outage the rebuild is harmless (at
//! most one per `message.timeout.ms`).

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use rdkafka::config::ClientConfig;
use rdkafka::error::KafkaError as RdError;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord, Producer, PurgeConfig};
use rdkafka::types::RDKafkaErrorCode;

use super::client_config;
use super::context::ProducerContext;
use super::KafkaError;
use crate::config::KafkaSettings;
use crate::metrics::Metrics;
use crate::pipeline::ports::{OutRecord, PublishError, Publisher};

type Inner = FutureProducer<ProducerContext>;

/// The current producer and its generation (bumped at every rebuild).
struct Current {
    generation: u64,
    producer: Inner,
}

pub struct KafkaPublisher {
    config: ClientConfig,
    context: ProducerContext,
    current: RwLock<Arc<Current>>,
    metrics: Arc<Metrics>,
    /// Last delivery acknowledged (or producer rebuilt).
    last_progress: Mutex<Instant>,
    /// No delivery for this long while records time out: rebuild the producer.
    stall_after: Duration,
}

/// Errors for which retrying the same record cannot help.
fn is_rejection(code: RDKafkaErrorCode) -> bool {
    matches!(
        code,
        RDKafkaErrorCode::MessageSizeTooLarge
            | RDKafkaErrorCode::InvalidRecord
            | RDKafkaErrorCode::InvalidMessageSize
    )
}

fn code_of(e: &RdError) -> Option<RDKafkaErrorCode> {
    e.rdkafka_error_code()
}

impl KafkaPublisher {
    pub fn new(k: &KafkaSettings, metrics: Arc<Metrics>) -> Result<Self, KafkaError> {
        let mut p = Self::with_config(
            client_config::producer(k, None),
            client_config::secret_values(k),
            metrics,
        )?;
        p.stall_after = Duration::from_millis(k.message_timeout_ms);
        Ok(p)
    }

    /// A publisher from a ready configuration (used by `produce` and tests).
    pub fn with_config(
        config: ClientConfig,
        secrets: Vec<String>,
        metrics: Arc<Metrics>,
    ) -> Result<Self, KafkaError> {
        tracing::debug!(config = ?client_config::describe(&config), "producer configuration");
        let context = ProducerContext::new(secrets);
        let producer = create(&config, &context)?;
        Ok(KafkaPublisher {
            config,
            context,
            current: RwLock::new(Arc::new(Current {
                generation: 0,
                producer,
            })),
            metrics,
            last_progress: Mutex::new(Instant::now()),
            stall_after: Duration::from_secs(30),
        })
    }

    fn progressed(&self) {
        if let Ok(mut t) = self.last_progress.lock() {
            *t = Instant::now();
        }
    }

    fn stalled_for(&self) -> Duration {
        self.last_progress
            .lock()
            .map(|t| t.elapsed())
            .unwrap_or_default()
    }

    fn current(&self) -> Arc<Current> {
        match self.current.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Rebuilds the producer if `generation` is still the current one.
    fn recreate(&self, generation: u64, reason: &str) {
        let mut guard = match self.current.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if guard.generation != generation {
            return; // another task already rebuilt it
        }
        match create(&self.config, &self.context) {
            Ok(producer) => {
                let old = std::mem::replace(
                    &mut *guard,
                    Arc::new(Current {
                        generation: generation + 1,
                        producer,
                    }),
                );
                // Fail whatever the dead producer still holds, so its waiters retry.
                old.producer
                    .purge(PurgeConfig::default().queue().inflight());
                self.progressed();
                self.metrics.on_producer_recreated(reason);
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot recreate the producer; will try again")
            }
        }
    }

    fn classify(&self, current: &Current, topic: &str, e: RdError) -> PublishError {
        if let Some((code, reason)) = current.producer.client().fatal_error() {
            let reason = format!("fatal producer error {code:?}: {reason}");
            self.metrics.on_publish_failed("fatal", topic, 0, &reason);
            self.recreate(current.generation, &reason);
            return PublishError::Transient(reason);
        }
        match code_of(&e) {
            Some(code) if is_rejection(code) => PublishError::Rejected(e.to_string()),
            Some(RDKafkaErrorCode::MessageTimedOut) if self.stalled_for() > self.stall_after => {
                let reason = format!(
                    "no record delivered for {} s while records time out: the producer looks stuck",
                    self.stalled_for().as_secs()
                );
                self.recreate(current.generation, &reason);
                PublishError::Transient(reason)
            }
            _ => PublishError::Transient(e.to_string()),
        }
    }
}

fn create(config: &ClientConfig, context: &ProducerContext) -> Result<Inner, KafkaError> {
    config
        .create_with_context(context.clone())
        .map_err(|e| KafkaError::Create {
            what: "producer",
            reason: client_config::redact(&e.to_string(), context.secrets()),
        })
}

fn headers(record: &OutRecord) -> Option<OwnedHeaders> {
    if record.headers.is_empty() {
        return None;
    }
    let mut h = OwnedHeaders::new_with_capacity(record.headers.len());
    for (k, v) in &record.headers {
        h = h.insert(Header {
            key: k.as_str(),
            value: Some(v.as_slice()),
        });
    }
    Some(h)
}

/// Builds the rdkafka record for `r`.
pub(crate) fn future_record(r: &OutRecord) -> FutureRecord<'_, [u8], [u8]> {
    let mut fr: FutureRecord<'_, [u8], [u8]> = FutureRecord::to(&r.topic);
    if let Some(k) = &r.key {
        fr = fr.key(k.as_slice());
    }
    if let Some(v) = &r.value {
        fr = fr.payload(v.as_slice());
    }
    if let Some(h) = headers(r) {
        fr = fr.headers(h);
    }
    fr
}

impl Publisher for KafkaPublisher {
    async fn publish(&self, record: &OutRecord) -> Result<(), PublishError> {
        let current = self.current();
        let delivery = match current.producer.send_result(future_record(record)) {
            Ok(d) => d,
            Err((e, _)) => return Err(self.classify(&current, &record.topic, e)),
        };
        match delivery.await {
            Ok(Ok(_)) => {
                self.progressed();
                Ok(())
            }
            Ok(Err((e, _))) => Err(self.classify(&current, &record.topic, e)),
            Err(_canceled) => Err(PublishError::Transient(
                "producer dropped before the delivery report".into(),
            )),
        }
    }

    fn flush(&self, timeout: Duration) -> Result<(), PublishError> {
        self.current()
            .producer
            .flush(timeout)
            .map_err(|e| PublishError::Transient(e.to_string()))
    }
}
