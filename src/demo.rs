//! `demo`: librdkafka's mock cluster in-process, the sample articles produced
//! into it, the real worker ([`crate::app::App`]) run against it until every input
//! is accounted for (enriched or dead-lettered), then a summary and one record.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app::{App, AppError};
use crate::config::Settings;
use crate::enrich::Enrichers;
use crate::kafka::inspect::{self, TopicRecord};
use crate::kafka::mock::MockKafka;
use crate::kafka::KafkaError;
use crate::pipeline::worker::RunReport;
use crate::produce::{self, ProduceError, ProduceOptions};

/// Longest the worker may take to account for every sample.
const DEMO_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Kafka(#[from] KafkaError),
    #[error(transparent)]
    Produce(#[from] ProduceError),
    #[error(transparent)]
    App(#[from] AppError),
    #[error("sample directory {0} not found (pass --samples DIR)")]
    NoSamples(PathBuf),
    #[error("only {done} of {expected} inputs accounted for after {secs} s")]
    Timeout { done: u64, expected: u64, secs: u64 },
}

/// What the demo did.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub inputs: u64,
    pub report: RunReport,
    pub dead_letter_classes: BTreeMap<String, u64>,
    pub elapsed: Duration,
    /// From the first message received to the last one accounted for (excludes
    /// start-up and the consumer-group join).
    pub processing: Duration,
    /// One enriched record, pretty-printed.
    pub example: Option<String>,
}

impl DemoSummary {
    pub fn articles_per_second(&self) -> f64 {
        let s = self.processing.as_secs_f64();
        if s > 0.0 {
            self.report.consumed as f64 / s
        } else {
            0.0
        }
    }
}

/// The samples directory: the one given, else `samples/` here or in the source tree.
pub fn samples_dir(given: Option<&Path>) -> Result<PathBuf, DemoError> {
    if let Some(p) = given {
        return if p.exists() {
            Ok(p.to_path_buf())
        } else {
            Err(DemoError::NoSamples(p.to_path_buf()))
        };
    }
    let here = PathBuf::from("samples");
    if here.is_dir() {
        return Ok(here);
    }
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    if bundled.is_dir() {
        return Ok(bundled);
    }
    Err(DemoError::NoSamples(here))
}

/// Runs the demo. `settings` supplies topic names and tuning; brokers are replaced
/// by the mock cluster and the HTTP listener is turned off.
pub async fn run(
    mut settings: Settings,
    samples: &Path,
    repeat: u32,
    enrichers: Arc<Enrichers>,
) -> Result<DemoSummary, DemoError> {
    let repeat = repeat.max(1);
    let mock = MockKafka::start(1)?;
    let k = &mut settings.kafka;
    k.brokers = mock.bootstrap_servers();
    mock.create_topic(&k.input_topic, 3)?;
    mock.create_topic(&k.output_topic, 3)?;
    mock.create_topic(&k.dead_letter_topic, 1)?;
    k.commit_interval_ms = k.commit_interval_ms.min(500);
    settings.http.enabled = false;

    let messages = produce::collect(&[samples.to_path_buf()])?;
    let started = Instant::now();
    produce::produce(
        &settings,
        &messages,
        &ProduceOptions {
            topic: settings.kafka.input_topic.clone(),
            rate: 0.0,
            repeat,
            progress: false,
        },
    )
    .await?;
    let expected = messages.len() as u64 * u64::from(repeat);
    tracing::info!(messages = expected, dir = %samples.display(), "samples produced");

    let app = App::new(settings.clone(), enrichers);
    let metrics = app.metrics();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(app.run(async move {
        let _ = stop_rx.await;
    }));
    let deadline = Instant::now() + DEMO_TIMEOUT;
    let mut done = 0;
    let mut first_received: Option<Instant> = None;
    while Instant::now() < deadline {
        if first_received.is_none() && metrics.consumed.get() > 0 {
            first_received = Some(Instant::now());
        }
        done = metrics.enriched.get() + metrics.dead_lettered_total();
        if done >= expected || worker.is_finished() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let processing = first_received.map(|t| t.elapsed()).unwrap_or_default();
    let _ = stop_tx.send(());
    let report = match worker.await {
        Ok(r) => r?,
        Err(e) => {
            return Err(DemoError::App(AppError::Worker(
                crate::pipeline::worker::WorkerError::TaskFailed {
                    topic: String::new(),
                    partition: -1,
                    offset: -1,
                    reason: e.to_string(),
                },
            )))
        }
    };
    let elapsed = started.elapsed();
    if done < expected {
        return Err(DemoError::Timeout {
            done,
            expected,
            secs: DEMO_TIMEOUT.as_secs(),
        });
    }

    let brokers = settings.kafka.brokers.clone();
    let out_topic = settings.kafka.output_topic.clone();
    let dlq_topic = settings.kafka.dead_letter_topic.clone();
    let (enriched, dead) = (report.enriched as usize, report.dead_lettered as usize);
    let (records, dead_letters) = tokio::task::spawn_blocking(move || {
        let r = inspect::read_topic(&brokers, &out_topic, enriched, Duration::from_secs(10));
        let d = inspect::read_topic(&brokers, &dlq_topic, dead, Duration::from_secs(10));
        (r, d)
    })
    .await
    .map_err(|e| KafkaError::op("read back", e))?;
    let records = records?;
    let mut classes = BTreeMap::new();
    for d in dead_letters? {
        *classes
            .entry(d.header("error.class").unwrap_or("?").to_string())
            .or_insert(0) += 1;
    }
    Ok(DemoSummary {
        inputs: expected,
        report,
        dead_letter_classes: classes,
        elapsed,
        processing,
        example: pick_example(&records),
    })
}

/// An Arabic record if there is one (the service's first language), else the first.
fn pick_example(records: &[TopicRecord]) -> Option<String> {
    let parsed: Vec<serde_json::Value> = records
        .iter()
        .filter_map(|r| r.value.as_deref())
        .filter_map(|v| serde_json::from_slice(v).ok())
        .collect();
    let best = parsed
        .iter()
        .find(|v| v.pointer("/language/code").and_then(|c| c.as_str()) == Some("ar"))
        .or(parsed.first())?;
    serde_json::to_string_pretty(best).ok()
}

/// The summary as printed by the command.
pub fn render(s: &DemoSummary) -> String {
    let classes = s
        .dead_letter_classes
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "inputs:         {}\nconsumed:       {}\nenriched:       {}\ndead-lettered:  {} ({})\nelapsed:        {:.2} s (start-up and group join included)\nprocessing:     {:.3} s\nthroughput:     {:.1} articles/s\n",
        s.inputs,
        s.report.consumed,
        s.report.enriched,
        s.report.dead_lettered,
        if classes.is_empty() { "none".into() } else { classes },
        s.elapsed.as_secs_f64(),
        s.processing.as_secs_f64(),
        s.articles_per_second(),
    )
}
