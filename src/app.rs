//! The `run` entry point: builds the consumer, the producer and the HTTP listener,
//! runs the worker loop until `shutdown` resolves, then drains, flushes, commits.
//! Tests call [`App::run`] with their own shutdown future.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::config::{Delivery, Settings};
use crate::enrich::Enrichers;
use crate::http::{self, HttpError};
use crate::kafka::consumer::KafkaSource;
use crate::kafka::producer::KafkaPublisher;
use crate::kafka::transaction::{self, KafkaTransactions, TransactionalProducer};
use crate::kafka::KafkaError;
use crate::metrics::{Health, Metrics};
use crate::pipeline::transactional::TxnConfig;
use crate::pipeline::worker::{RunReport, Worker, WorkerConfig, WorkerError};

/// The service could not run.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Kafka(#[from] KafkaError),
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error(transparent)]
    Worker(#[from] WorkerError),
}

/// One worker instance: settings, loaded models, metrics and health state.
pub struct App {
    settings: Settings,
    enrichers: Arc<Enrichers>,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    on_listening: Option<tokio::sync::oneshot::Sender<SocketAddr>>,
}

impl App {
    pub fn new(settings: Settings, enrichers: Arc<Enrichers>) -> Self {
        App {
            settings,
            enrichers,
            metrics: Arc::new(Metrics::new()),
            health: Arc::new(Health::default()),
            on_listening: None,
        }
    }

    /// The metrics this instance updates (shared; read them while it runs).
    pub fn metrics(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    pub fn health(&self) -> Arc<Health> {
        self.health.clone()
    }

    /// Sends the HTTP listener's bound address once it listens (`http.listen`
    /// may use port 0).
    pub fn on_listening(mut self, tx: tokio::sync::oneshot::Sender<SocketAddr>) -> Self {
        self.on_listening = Some(tx);
        self
    }

    /// Runs until `shutdown` resolves; returns what was done.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<RunReport, AppError> {
        let App {
            settings,
            enrichers,
            metrics,
            health,
            on_listening,
        } = self;
        health.set_models_loaded(true);
        let http_stop = CancellationToken::new();
        let http_task = if settings.http.enabled {
            let stop = http_stop.clone();
            let (addr, task) = http::serve(
                &settings.http.listen,
                metrics.clone(),
                health.clone(),
                async move { stop.cancelled().await },
            )
            .await?;
            if let Some(tx) = on_listening {
                let _ = tx.send(addr);
            }
            Some(task)
        } else {
            None
        };

        let result = run_worker(&settings, enrichers, metrics, health, shutdown).await;

        http_stop.cancel();
        if let Some(task) = http_task {
            let _ = task.await;
        }
        result
    }
}

async fn run_worker(
    settings: &Settings,
    enrichers: Arc<Enrichers>,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<RunReport, AppError> {
    let k = &settings.kafka;
    tracing::info!(
        brokers = %k.brokers,
        input = %k.input_topic,
        output = %k.output_topic,
        dead_letter = %k.dead_letter_topic,
        group = %k.group_id,
        delivery = ?k.delivery,
        max_in_flight = k.max_in_flight,
        "starting worker"
    );
    let source = Arc::new(KafkaSource::new(k, metrics.clone(), health.clone())?);
    let report = match k.delivery {
        Delivery::AtLeastOnce => {
            let publisher = Arc::new(KafkaPublisher::new(k, metrics.clone())?);
            Worker::new(
                source,
                publisher,
                enrichers,
                metrics,
                WorkerConfig::from_settings(settings),
            )
            .run(shutdown)
            .await?
        }
        Delivery::ExactlyOnce => {
            let tid = transaction::transactional_id(k);
            tracing::info!(transactional_id = %tid, "exactly-once delivery: transactional producer");
            let producer = Arc::new(TransactionalProducer::new(k, &tid)?);
            let txn = Arc::new(KafkaTransactions {
                source: source.clone(),
                producer: producer.clone(),
                earliest: k.auto_offset_reset == "earliest",
            });
            let tcfg = TxnConfig {
                transactional_id: tid,
                max_messages: k.transaction_max_messages,
                max_duration: Duration::from_millis(k.transaction_max_ms),
            };
            Worker::new(
                source,
                producer,
                enrichers,
                metrics,
                WorkerConfig::from_settings(settings),
            )
            .run_transactional(txn, tcfg, shutdown)
            .await?
        }
    };
    Ok(report)
}
