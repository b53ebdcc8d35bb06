//! The exactly-once loop (`kafka.delivery = "exactly-once"`): consume-transform-
//! produce in transactions.
//!
//! # Delivery guarantee: exactly-once (for `read_committed` readers)
//!
//! - Messages are taken in batches of up to `kafka.transaction_max_messages`, or
//!   whatever arrived within `kafka.transaction_max_ms` of the batch's first one.
//! - One transaction per batch: every enriched record and dead letter of the batch,
//!   and the next offset of every partition it read (`send_offsets_to_transaction`),
//!   commit together or not at all. The consumer never commits by itself.
//! - Records carry the headers `enricher.txn` (a tag unique to the transaction:
//!   `<transactional.id>/<instance start ms>/<seq>`) and `enricher.txn.seq` (the
//!   batch's sequence number in this instance). Each commit and each abort is
//!   logged with `txn` and `txn_seq`.
//! - Any failure in a batch (a publish error, a failed commit, a rebalance that
//!   fences the group generation) aborts the transaction and rewinds the consumer
//!   to the last committed offsets; the batch is then read again. A fatal producer
//!   error rebuilds the producer first. The `transactional.id` is stable per
//!   instance (`kafka.transactional_id`, else `<group_id>-<hostname>`), so a
//!   restarted instance fences its predecessor and aborts its open transaction.
//! - Enrichment is deterministic, so a replayed batch publishes the same records.
//!
//! Caveats: readers must use `isolation.level=read_committed`, else they also see
//! aborted records. Dead letters are part of the transaction too.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use futures::stream::{FuturesOrdered, StreamExt};
use tokio::task::{AbortHandle, JoinHandle};

use super::ports::{Publisher, Source, Transactions, TxnError};
use super::retry::Backoff;
use super::worker::{count_outcome, handle, Done, Finished, RunReport, Worker, WorkerError};

/// Batch limits of the exactly-once loop.
#[derive(Debug, Clone)]
pub struct TxnConfig {
    /// `transactional.id`, the prefix of every transaction tag.
    pub transactional_id: String,
    pub max_messages: usize,
    pub max_duration: Duration,
}

/// How a batch ended.
enum BatchEnd {
    /// Committed (or empty).
    Committed,
    /// Aborted: retry after a backoff.
    Aborted,
}

impl<S: Source, P: Publisher> Worker<S, P> {
    /// Runs transactional batches until `shutdown` resolves. The open batch is
    /// finished and committed (within `drain_timeout_ms`) before returning.
    pub async fn run_transactional<T: Transactions>(
        self,
        txn: Arc<T>,
        tcfg: TxnConfig,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<RunReport, WorkerError> {
        let instance = Utc::now().timestamp_millis();
        let mut report = RunReport::default();
        let mut shutdown = std::pin::pin!(shutdown);
        let mut stopping = false;
        let mut seq = 0u64;
        let mut backoff = Backoff::new(
            self.shared.cfg.retry_backoff_initial_ms,
            self.shared.cfg.retry_backoff_max_ms,
        );
        while !stopping {
            // Wait for the first message of the next batch.
            let first = tokio::select! {
                biased;
                _ = &mut shutdown => break,
                r = self.shared.source.recv() => r,
            };
            let first = match first {
                Ok(f) => f,
                Err(e) => {
                    self.shared.metrics.on_consumer_error(&e.0);
                    continue;
                }
            };
            seq += 1;
            let tag = format!("{}/{instance}/{seq}", tcfg.transactional_id);
            let end = self
                .batch(
                    &*txn,
                    &tcfg,
                    &tag,
                    seq,
                    first,
                    &mut shutdown,
                    &mut stopping,
                    &mut report,
                )
                .await?;
            match end {
                BatchEnd::Committed => {
                    backoff = Backoff::new(
                        self.shared.cfg.retry_backoff_initial_ms,
                        self.shared.cfg.retry_backoff_max_ms,
                    )
                }
                BatchEnd::Aborted => tokio::time::sleep(backoff.next_delay()).await,
            }
        }
        report.committed = true;
        tracing::info!(
            consumed = report.consumed,
            enriched = report.enriched,
            dead_lettered = report.dead_lettered,
            "stopped: every transaction closed"
        );
        Ok(report)
    }

    #[allow(clippy::too_many_arguments)]
    async fn batch<T: Transactions>(
        &self,
        txn: &T,
        tcfg: &TxnConfig,
        tag: &str,
        seq: u64,
        first: super::ports::Received,
        shutdown: &mut std::pin::Pin<&mut (impl Future<Output = ()> + Send)>,
        stopping: &mut bool,
        report: &mut RunReport,
    ) -> Result<BatchEnd, WorkerError> {
        let sh = &self.shared;
        if let Err(e) = txn.begin(tag, seq) {
            // Nothing was published: put the message back by rewinding.
            sh.metrics.on_consumed();
            sh.metrics.in_flight.dec();
            self.abort_on(txn, tag, seq, e)?;
            return Ok(BatchEnd::Aborted);
        }
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + tcfg.max_duration;
        let mut drain_deadline: Option<tokio::time::Instant> = None;
        let far = tokio::time::Instant::now() + Duration::from_secs(100 * 365 * 86_400);
        let mut pending: FuturesOrdered<JoinHandle<Finished>> = FuturesOrdered::new();
        let mut aborts: Vec<AbortHandle> = Vec::new();
        let mut received = 0usize;
        let mut closed = false; // no more receiving for this batch
        let mut finished: Vec<Finished> = Vec::new();
        let mut failure: Option<String> = None;
        let mut abandoned = 0usize;

        let spawn = |r: super::ports::Received,
                     pending: &mut FuturesOrdered<JoinHandle<Finished>>,
                     aborts: &mut Vec<AbortHandle>| {
            sh.metrics.on_consumed();
            let task = tokio::spawn(handle(sh.clone(), Arc::new(r), Instant::now()));
            aborts.push(task.abort_handle());
            pending.push_back(task);
        };
        spawn(first, &mut pending, &mut aborts);
        received += 1;
        report.consumed += 1;

        loop {
            if received >= tcfg.max_messages {
                closed = true;
            }
            if (closed || *stopping) && pending.is_empty() {
                break;
            }
            let can_recv = !closed && !*stopping && pending.len() < sh.cfg.max_in_flight;
            tokio::select! {
                biased;
                _ = shutdown.as_mut(), if !*stopping => {
                    *stopping = true;
                    drain_deadline = Some(tokio::time::Instant::now() + sh.cfg.drain_timeout);
                }
                _ = tokio::time::sleep_until(drain_deadline.unwrap_or(far)), if drain_deadline.is_some() => {
                    for a in &aborts {
                        a.abort();
                    }
                    abandoned = pending.len();
                    sh.metrics.on_abandoned(abandoned);
                    report.abandoned += abandoned as u64;
                    failure = Some("drain timeout".into());
                    break;
                }
                Some(joined) = pending.next(), if !pending.is_empty() => match joined {
                    Ok(f) => match &f.done {
                        Done::Failed(reason) => {
                            failure.get_or_insert_with(|| reason.clone());
                            closed = true;
                        }
                        Done::Revoked => {
                            failure.get_or_insert_with(|| "partition revoked".into());
                            closed = true;
                        }
                        Done::Enriched { .. } | Done::DeadLettered(_) => finished.push(f),
                    },
                    Err(e) => {
                        failure = Some(format!("message task failed: {e}"));
                        closed = true;
                    }
                },
                _ = tokio::time::sleep_until(deadline), if !closed => closed = true,
                r = sh.source.recv(), if can_recv => match r {
                    Ok(r) => {
                        spawn(r, &mut pending, &mut aborts);
                        received += 1;
                        report.consumed += 1;
                    }
                    Err(e) => sh.metrics.on_consumer_error(&e.0),
                },
            }
        }

        if let Some(reason) = failure {
            sh.metrics.in_flight.dec_by((received - abandoned) as i64);
            self.abort(txn, tag, seq, &reason, false)?;
            return Ok(BatchEnd::Aborted);
        }
        let mut offsets: BTreeMap<(String, i32), i64> = BTreeMap::new();
        for f in &finished {
            let i = &f.received.inbound;
            let next = offsets.entry((i.topic.clone(), i.partition)).or_insert(0);
            *next = (*next).max(i.offset + 1);
        }
        if let Err(e) = txn.commit(&offsets) {
            sh.metrics.in_flight.dec_by(received as i64);
            self.abort_on(txn, tag, seq, e)?;
            return Ok(BatchEnd::Aborted);
        }
        for f in &finished {
            count_outcome(&sh.metrics, f, report);
        }
        tracing::info!(
            txn = tag,
            txn_seq = seq,
            messages = finished.len(),
            ms = started.elapsed().as_millis() as u64,
            "transaction committed"
        );
        Ok(BatchEnd::Committed)
    }

    fn abort_on<T: Transactions>(
        &self,
        txn: &T,
        tag: &str,
        seq: u64,
        e: TxnError,
    ) -> Result<(), WorkerError> {
        let fatal = matches!(e, TxnError::Fatal(_));
        self.abort(txn, tag, seq, &e.to_string(), fatal)
    }

    /// Aborts the open transaction and rewinds; rebuilds the producer first when
    /// the error was fatal (or the abort itself fails). A failed rewind stops the
    /// worker: going on from the current position would skip the aborted batch.
    fn abort<T: Transactions>(
        &self,
        txn: &T,
        tag: &str,
        seq: u64,
        reason: &str,
        fatal: bool,
    ) -> Result<(), WorkerError> {
        let metrics = &self.shared.metrics;
        metrics.on_transaction_aborted(tag, seq, reason);
        let mut rebuild = fatal;
        if !fatal {
            if let Err(e) = txn.abort() {
                tracing::warn!(txn = tag, txn_seq = seq, error = %e, "abort failed: rebuilding the producer");
                rebuild = true;
            }
        }
        if rebuild {
            match txn.recreate() {
                Ok(()) => metrics.on_producer_recreated(reason),
                Err(e) => tracing::error!(error = %e, "cannot rebuild the transactional producer"),
            }
        }
        txn.rewind().map_err(WorkerError::Rewind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metrics;
    use crate::pipeline::worker::tests::{article, config, enrichers, FakePublisher, FakeSource};
    use std::sync::Mutex;

    /// Transactions whose first commit fails; records every call.
    #[derive(Default)]
    struct FakeTxn {
        calls: Mutex<Vec<String>>,
        commits: Mutex<Vec<BTreeMap<(String, i32), i64>>>,
    }

    impl Transactions for FakeTxn {
        fn begin(&self, tag: &str, seq: u64) -> Result<(), TxnError> {
            self.calls
                .lock()
                .unwrap()
                .push(format!("begin {tag} {seq}"));
            Ok(())
        }
        fn commit(&self, offsets: &BTreeMap<(String, i32), i64>) -> Result<(), TxnError> {
            let mut calls = self.calls.lock().unwrap();
            let first = !calls.iter().any(|c| c.starts_with("commit"));
            calls.push("commit".into());
            if first {
                return Err(TxnError::Abortable("coordinator moved".into()));
            }
            self.commits.lock().unwrap().push(offsets.clone());
            Ok(())
        }
        fn abort(&self) -> Result<(), TxnError> {
            self.calls.lock().unwrap().push("abort".into());
            Ok(())
        }
        fn rewind(&self) -> Result<(), String> {
            self.calls.lock().unwrap().push("rewind".into());
            Ok(())
        }
        fn recreate(&self) -> Result<(), String> {
            self.calls.lock().unwrap().push("recreate".into());
            Ok(())
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_commit_aborts_rewinds_and_the_next_batches_commit() {
        let messages = (0..15).map(|i| article(0, i)).collect();
        let source = FakeSource::new(messages);
        let publisher = Arc::new(FakePublisher::reliable());
        let metrics = Arc::new(Metrics::new());
        let mut cfg = config(16, 10_000);
        cfg.retry_transient = false;
        let worker = Worker::new(source, publisher, enrichers(), metrics.clone(), cfg);
        let txn = Arc::new(FakeTxn::default());
        let tcfg = TxnConfig {
            transactional_id: "g-host".into(),
            max_messages: 5,
            max_duration: Duration::from_secs(30),
        };
        let m = metrics.clone();
        let stop = async move {
            while m.enriched.get() < 10 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        let report = tokio::time::timeout(
            Duration::from_secs(60),
            worker.run_transactional(txn.clone(), tcfg, stop),
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(report.enriched, 10);
        assert_eq!(metrics.transactions_aborted.get(), 1);
        assert_eq!(metrics.in_flight.get(), 0);
        let calls = txn.calls.lock().unwrap().clone();
        assert!(calls[0].starts_with("begin g-host/") && calls[0].ends_with("/1 1"));
        assert_eq!(&calls[1..4], ["commit", "abort", "rewind"]);
        assert!(calls[4].starts_with("begin g-host/") && calls[4].ends_with("/2 2"));
        let commits = txn.commits.lock().unwrap().clone();
        assert_eq!(commits[0][&("in".to_string(), 0)], 10);
        assert_eq!(commits[1][&("in".to_string(), 0)], 15);
    }
}
