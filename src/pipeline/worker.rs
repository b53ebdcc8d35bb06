//! The async worker loop: receive → enrich (blocking pool) → publish → store offset.
//!
//! # Delivery guarantee: at-least-once
//!
//! - The consumer never stores offsets by itself (`enable.auto.offset.store=false`).
//!   The offset of a message is stored only after the broker acknowledged (acks=all,
//!   idempotent producer) its enriched record or its dead letter.
//! - Offsets are stored in the order messages were received: every message becomes
//!   a task whose handle joins an ordered queue (`FuturesOrdered`), and the loop
//!   finalises from the head only. A message finished early waits for the ones
//!   received before it, so a stored offset `n` always means "everything before `n`
//!   was published". The queue holds at most `kafka.max_in_flight` messages: it is
//!   the backpressure (no receive while it is full) and the memory bound.
//! - Stored offsets are committed in the background every `kafka.commit_interval_ms`,
//!   before partitions are revoked, and synchronously at shutdown.
//! - Deterministic failures (bad JSON, not UTF-8, too large, no text, a record the
//!   broker rejects as too large) go to the dead-letter topic; then the offset is
//!   stored like any other. Transient failures (queue full, broker down, timeouts,
//!   a producer rebuilt after a fatal error) are retried with capped exponential
//!   backoff and never skipped.
//! - A revoked partition bumps its epoch: work received before the revocation is
//!   dropped (not stored), and the partition's new owner redelivers it.
//! - At shutdown the loop stops receiving, waits up to `kafka.drain_timeout_ms` for
//!   in-flight work, abandons what is left (not stored), flushes the producer and
//!   commits.
//!
//! Caveats: after a crash, a rebalance or an abandoned drain, messages published
//! but not yet committed are published again (duplicates, same key). A message
//! whose publish keeps failing transiently holds back its partition's offsets, and
//! once `max_in_flight` messages wait, receiving pauses (a stalled broker pauses
//! the worker rather than losing data).

use std::collections::VecDeque;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use futures::stream::{FuturesOrdered, StreamExt};
use tokio::sync::Semaphore;
use tokio::task::{AbortHandle, JoinError, JoinHandle};

use super::ports::{OutRecord, PublishError, Publisher, Received, Source, Stored};
use super::retry::Backoff;
use super::{process, Outcome};
use crate::config::Settings;
use crate::enrich::Enrichers;
use crate::kafka::dead_letter;
use crate::metrics::{At, Metrics};
use crate::model::{DeadLetter, ErrorClass};

/// The worker stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// A message task died: later offsets of its partition must not be stored, so
    /// the worker stops (its stored offsets so far are safe).
    #[error("message {topic}[{partition}]@{offset} could not be finalised: {reason}")]
    TaskFailed {
        topic: String,
        partition: i32,
        offset: i64,
        reason: String,
    },
    /// After an aborted transaction the consumer could not be moved back to the
    /// committed offsets; the worker stops rather than skip the batch.
    #[error("cannot rewind to the committed offsets: {0}")]
    Rewind(String),
}

/// What the loop needs from the settings.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub output_topic: String,
    pub dead_letter_topic: String,
    pub max_in_flight: usize,
    pub max_message_bytes: usize,
    pub retry_backoff_initial_ms: u64,
    pub retry_backoff_max_ms: u64,
    pub drain_timeout: Duration,
    /// Concurrent enrichments on the blocking pool.
    pub enrich_threads: usize,
    /// Retry transient publish failures in place (at-least-once); when false,
    /// the message fails and its transaction is aborted (exactly-once).
    pub retry_transient: bool,
}

impl WorkerConfig {
    pub fn from_settings(s: &Settings) -> Self {
        let k = &s.kafka;
        WorkerConfig {
            output_topic: k.output_topic.clone(),
            dead_letter_topic: k.dead_letter_topic.clone(),
            max_in_flight: k.max_in_flight.max(1),
            max_message_bytes: k.max_message_bytes,
            retry_backoff_initial_ms: k.retry_backoff_initial_ms,
            retry_backoff_max_ms: k.retry_backoff_max_ms,
            drain_timeout: Duration::from_millis(k.drain_timeout_ms),
            enrich_threads: enrich_threads(s.enrich.threads),
            retry_transient: k.delivery == crate::config::Delivery::AtLeastOnce,
        }
    }
}

/// `enrich.threads`, 0 meaning one per core.
pub fn enrich_threads(configured: usize) -> usize {
    if configured > 0 {
        configured
    } else {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    }
}

/// Counts of one run of the loop.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    pub consumed: u64,
    pub enriched: u64,
    pub dead_lettered: u64,
    /// Dropped because their partition was revoked (redelivered to the new owner).
    pub dropped: u64,
    /// Abandoned at the drain timeout (redelivered after restart).
    pub abandoned: u64,
    /// Whether the final synchronous commit succeeded.
    pub committed: bool,
}

/// How one message ended.
#[derive(Debug)]
pub(super) enum Done {
    Enriched {
        key: String,
    },
    DeadLettered(DeadLetter),
    /// The partition was revoked meanwhile: not published (or not confirmed), not stored.
    Revoked,
    /// A transient failure with `retry_transient` off: the transaction must abort.
    Failed(String),
}

#[derive(Debug)]
pub(super) struct Finished {
    pub(super) received: Arc<Received>,
    pub(super) done: Done,
    pub(super) started: Instant,
}

pub(super) struct Shared<S, P> {
    pub(super) source: Arc<S>,
    publisher: Arc<P>,
    enrichers: Arc<Enrichers>,
    pub(super) metrics: Arc<Metrics>,
    pub(super) cfg: WorkerConfig,
    cpu: Arc<Semaphore>,
}

/// The loop, generic over where messages come from and where records go.
pub struct Worker<S, P> {
    pub(super) shared: Arc<Shared<S, P>>,
}

impl<S: Source, P: Publisher> Worker<S, P> {
    pub fn new(
        source: Arc<S>,
        publisher: Arc<P>,
        enrichers: Arc<Enrichers>,
        metrics: Arc<Metrics>,
        cfg: WorkerConfig,
    ) -> Self {
        let cpu = Arc::new(Semaphore::new(cfg.enrich_threads.max(1)));
        Worker {
            shared: Arc::new(Shared {
                source,
                publisher,
                enrichers,
                metrics,
                cfg,
                cpu,
            }),
        }
    }

    /// Runs until `shutdown` resolves, then drains, flushes and commits.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<RunReport, WorkerError> {
        let sh = self.shared;
        let mut report = RunReport::default();
        let mut pending: FuturesOrdered<JoinHandle<Finished>> = FuturesOrdered::new();
        let mut aborts: VecDeque<AbortHandle> = VecDeque::new();
        let mut shutdown = std::pin::pin!(shutdown);
        let mut drain_deadline: Option<tokio::time::Instant> = None;
        let far = tokio::time::Instant::now() + Duration::from_secs(100 * 365 * 86_400);

        loop {
            if drain_deadline.is_some() && pending.is_empty() {
                break;
            }
            let can_recv = drain_deadline.is_none() && pending.len() < sh.cfg.max_in_flight;
            tokio::select! {
                biased;
                _ = &mut shutdown, if drain_deadline.is_none() => {
                    tracing::info!(in_flight = pending.len(), "stopping: no more fetching, draining in-flight work");
                    drain_deadline = Some(tokio::time::Instant::now() + sh.cfg.drain_timeout);
                }
                _ = tokio::time::sleep_until(drain_deadline.unwrap_or(far)), if drain_deadline.is_some() => {
                    let n = aborts.len();
                    for a in aborts.drain(..) {
                        a.abort();
                    }
                    sh.metrics.on_abandoned(n);
                    report.abandoned += n as u64;
                    break;
                }
                Some(joined) = pending.next(), if !pending.is_empty() => {
                    aborts.pop_front();
                    finalise(&sh, joined, &mut report)?;
                }
                r = sh.source.recv(), if can_recv => match r {
                    Ok(received) => {
                        sh.metrics.on_consumed();
                        report.consumed += 1;
                        let task = tokio::spawn(handle(sh.clone(), Arc::new(received), Instant::now()));
                        aborts.push_back(task.abort_handle());
                        pending.push_back(task);
                    }
                    Err(e) => sh.metrics.on_consumer_error(&e.0),
                },
            }
        }

        if let Err(e) = sh.publisher.flush(sh.cfg.drain_timeout) {
            tracing::warn!(error = %e, "producer flush at shutdown");
        }
        match sh.source.commit() {
            Ok(()) => {
                report.committed = true;
                tracing::info!(
                    consumed = report.consumed,
                    enriched = report.enriched,
                    dead_lettered = report.dead_lettered,
                    "stopped: stored offsets committed"
                );
            }
            Err(e) => sh.metrics.on_commit_failed(&e.0),
        }
        Ok(report)
    }
}

fn finalise<S: Source, P: Publisher>(
    sh: &Shared<S, P>,
    joined: Result<Finished, JoinError>,
    report: &mut RunReport,
) -> Result<(), WorkerError> {
    let f = match joined {
        Ok(f) => f,
        Err(e) => {
            // Unknown which message: the handle is gone. Stop storing anything.
            return Err(WorkerError::TaskFailed {
                topic: String::new(),
                partition: -1,
                offset: -1,
                reason: e.to_string(),
            });
        }
    };
    let inbound = &f.received.inbound;
    let at = At {
        topic: &inbound.topic,
        partition: inbound.partition,
        offset: inbound.offset,
    };
    match &f.done {
        Done::Revoked => {
            sh.metrics.on_dropped_revoked(at);
            report.dropped += 1;
            return Ok(());
        }
        Done::Failed(reason) => {
            return Err(WorkerError::TaskFailed {
                topic: inbound.topic.clone(),
                partition: inbound.partition,
                offset: inbound.offset,
                reason: reason.clone(),
            })
        }
        Done::Enriched { .. } | Done::DeadLettered(_) => {}
    }
    match sh.source.store(inbound, f.received.epoch) {
        Ok(Stored::Stored) => {}
        Ok(Stored::Revoked) => tracing::debug!(
            topic = at.topic,
            partition = at.partition,
            offset = at.offset,
            "published after its partition was revoked: offset not stored"
        ),
        Err(e) => tracing::warn!(
            topic = at.topic,
            partition = at.partition,
            offset = at.offset,
            error = %e,
            "cannot store offset"
        ),
    }
    count_outcome(&sh.metrics, &f, report);
    Ok(())
}

/// The event of a message whose output was acknowledged (and committed):
/// counters, latencies, log line.
pub(super) fn count_outcome(metrics: &Metrics, f: &Finished, report: &mut RunReport) {
    let inbound = &f.received.inbound;
    let at = At {
        topic: &inbound.topic,
        partition: inbound.partition,
        offset: inbound.offset,
    };
    let processing = f.started.elapsed().as_secs_f64();
    let e2e = inbound
        .timestamp_ms
        .map(|ts| (Utc::now().timestamp_millis() - ts) as f64 / 1000.0);
    match &f.done {
        Done::Enriched { key } => {
            metrics.on_enriched(at, key, processing, e2e);
            report.enriched += 1;
        }
        Done::DeadLettered(dl) => {
            metrics.on_dead_lettered(at, dl.class, &dl.message, processing, e2e);
            report.dead_lettered += 1;
        }
        Done::Revoked | Done::Failed(_) => {}
    }
}

/// One message: enrich on the blocking pool, publish, and dead-letter what cannot be enriched.
pub(super) async fn handle<S: Source, P: Publisher>(
    sh: Arc<Shared<S, P>>,
    received: Arc<Received>,
    started: Instant,
) -> Finished {
    let done = handle_inner(&sh, &received).await;
    Finished {
        received,
        done,
        started,
    }
}

async fn handle_inner<S: Source, P: Publisher>(
    sh: &Shared<S, P>,
    received: &Arc<Received>,
) -> Done {
    if !sh.source.is_current(&received.inbound, received.epoch) {
        return Done::Revoked;
    }
    let outcome = enrich(sh, received.clone()).await;
    let dead = match outcome {
        Outcome::Enriched { key, json } => {
            let record = OutRecord {
                topic: sh.cfg.output_topic.clone(),
                key: Some(key.clone().into_bytes()),
                value: Some(json),
                headers: Vec::new(),
            };
            match publish(sh, received, &record).await {
                Ok(()) => return Done::Enriched { key },
                Err(Failure::Revoked) => return Done::Revoked,
                Err(Failure::Transient(reason)) => return Done::Failed(reason),
                Err(Failure::Rejected(reason)) => DeadLetter {
                    class: ErrorClass::Rejected,
                    message: format!("broker rejected the enriched record: {reason}"),
                    stage: "publish",
                },
            }
        }
        Outcome::DeadLetter(dl) => dl,
    };
    let record = dead_letter::record(
        &received.inbound,
        &dead,
        &sh.cfg.dead_letter_topic,
        Utc::now(),
    );
    match publish(sh, received, &record).await {
        Ok(()) => Done::DeadLettered(dead),
        Err(Failure::Revoked) => Done::Revoked,
        Err(Failure::Transient(reason)) => Done::Failed(reason),
        Err(Failure::Rejected(reason)) => {
            tracing::warn!(error = %reason, "dead letter rejected: sending it without its value");
            let slim = dead_letter::without_value(record);
            loop {
                match publish(sh, received, &slim).await {
                    Ok(()) => return Done::DeadLettered(dead),
                    Err(Failure::Revoked) => return Done::Revoked,
                    Err(Failure::Transient(reason)) => return Done::Failed(reason),
                    Err(Failure::Rejected(reason)) => {
                        // Cannot happen for a headers-only record; never skip it.
                        tracing::error!(error = %reason, "dead letter without value rejected; retrying");
                        tokio::time::sleep(Duration::from_millis(sh.cfg.retry_backoff_max_ms))
                            .await;
                    }
                }
            }
        }
    }
}

/// CPU-bound work, off the async executor, at most `enrich_threads` at once.
async fn enrich<S: Source, P: Publisher>(sh: &Shared<S, P>, received: Arc<Received>) -> Outcome {
    let permit = sh.cpu.clone().acquire_owned().await;
    let enrichers = sh.enrichers.clone();
    let max = sh.cfg.max_message_bytes;
    let job = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        process(&received.inbound, &enrichers, max, Utc::now())
    });
    match job.await {
        Ok(outcome) => outcome,
        Err(e) => Outcome::DeadLetter(DeadLetter {
            class: ErrorClass::Internal,
            message: format!("enrichment failed: {e}"),
            stage: "enrich",
        }),
    }
}

enum Failure {
    Rejected(String),
    Revoked,
    /// Only when `retry_transient` is off.
    Transient(String),
}

/// Publishes until the broker acknowledges; transient failures are retried with
/// capped exponential backoff, for as long as the message's partition is ours.
async fn publish<S: Source, P: Publisher>(
    sh: &Shared<S, P>,
    received: &Received,
    record: &OutRecord,
) -> Result<(), Failure> {
    let mut backoff = Backoff::new(sh.cfg.retry_backoff_initial_ms, sh.cfg.retry_backoff_max_ms);
    loop {
        match sh.publisher.publish(record).await {
            Ok(()) => return Ok(()),
            Err(PublishError::Rejected(reason)) => {
                sh.metrics.on_publish_failed(
                    "rejected",
                    &record.topic,
                    backoff.attempt() + 1,
                    &reason,
                );
                return Err(Failure::Rejected(reason));
            }
            Err(PublishError::Transient(reason)) => {
                let attempt = backoff.attempt() + 1;
                sh.metrics
                    .on_publish_failed("transient", &record.topic, attempt, &reason);
                if !sh.cfg.retry_transient {
                    return Err(Failure::Transient(reason));
                }
                let delay = backoff.next_delay();
                sh.metrics
                    .on_retry(&record.topic, attempt, delay.as_millis() as u64);
                tokio::time::sleep(delay).await;
                if !sh.source.is_current(&received.inbound, received.epoch) {
                    return Err(Failure::Revoked);
                }
            }
        }
    }
}

#[cfg(test)]
pub(super) mod tests;
