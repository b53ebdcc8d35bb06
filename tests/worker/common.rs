//! Shared helpers of the broker tests: a mock cluster with random topic and group
//! names, settings pointing at it, a worker started in-process, read-back helpers.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use news_enricher::app::App;
use news_enricher::config::Settings;
use news_enricher::enrich::Enrichers;
use news_enricher::kafka::inspect::{self, TopicRecord};
use news_enricher::kafka::mock::MockKafka;
use news_enricher::metrics::{Health, Metrics};
use news_enricher::pipeline::ports::OutRecord;
use news_enricher::pipeline::worker::RunReport;
use tokio_util::sync::CancellationToken;

pub const GUARD: Duration = Duration::from_secs(120);

pub fn enrichers() -> Arc<Enrichers> {
    Arc::new(Enrichers::load(&Enrichers::bundled_models_dir()).expect("bundled models load"))
}

/// A mock cluster (not `Send`: keep it on the test's own task).
pub struct Cluster {
    pub mock: MockKafka,
    pub t: Topics,
}

impl Cluster {
    pub fn start(brokers: i32, input_partitions: i32) -> Cluster {
        let tag: u32 = rand::random();
        let mock = MockKafka::start(brokers).expect("mock cluster");
        let t = Topics {
            brokers: mock.bootstrap_servers(),
            input: format!("in-{tag:08x}"),
            output: format!("out-{tag:08x}"),
            dead_letter: format!("dlq-{tag:08x}"),
            group: format!("group-{tag:08x}"),
        };
        mock.create_topic(&t.input, input_partitions).unwrap();
        mock.create_topic(&t.output, 3).unwrap();
        mock.create_topic(&t.dead_letter, 1).unwrap();
        Cluster { mock, t }
    }

    /// The names and address, to move into blocking helpers.
    pub fn topics(&self) -> Topics {
        self.t.clone()
    }
}

/// Random topic and group names of one test, and the cluster address.
#[derive(Debug, Clone)]
pub struct Topics {
    pub brokers: String,
    pub input: String,
    pub output: String,
    pub dead_letter: String,
    pub group: String,
}

impl Topics {
    pub fn brokers(&self) -> String {
        self.brokers.clone()
    }

    pub fn settings(&self) -> Settings {
        let mut s = Settings::defaults();
        let k = &mut s.kafka;
        k.brokers = self.brokers();
        k.input_topic = self.input.clone();
        k.output_topic = self.output.clone();
        k.dead_letter_topic = self.dead_letter.clone();
        k.group_id = self.group.clone();
        k.commit_interval_ms = 200;
        k.retry_backoff_initial_ms = 50;
        k.retry_backoff_max_ms = 1000;
        k.drain_timeout_ms = 20_000;
        k.message_timeout_ms = 5_000;
        k.consumer
            .insert("session.timeout.ms".into(), "6000".into());
        k.consumer
            .insert("heartbeat.interval.ms".into(), "500".into());
        s.http.enabled = false;
        s
    }

    /// Produces `(key, value)` pairs to the input topic.
    pub fn feed(&self, messages: &[(String, Vec<u8>)]) {
        let records: Vec<OutRecord> = messages
            .iter()
            .map(|(k, v)| OutRecord {
                topic: self.input.clone(),
                key: Some(k.clone().into_bytes()),
                value: Some(v.clone()),
                headers: Vec::new(),
            })
            .collect();
        inspect::produce_all(&self.brokers(), &records).expect("feed input");
    }

    pub fn read(&self, topic: &str, at_least: usize) -> Vec<TopicRecord> {
        inspect::read_topic(&self.brokers(), topic, at_least, Duration::from_secs(30))
            .expect("read topic")
    }

    pub fn committed(&self) -> BTreeMap<i32, i64> {
        inspect::committed_offsets(&self.brokers(), &self.group, &self.input).expect("committed")
    }

    pub fn end_offsets(&self) -> BTreeMap<i32, i64> {
        inspect::end_offsets(&self.brokers(), &self.input).expect("end offsets")
    }
}

/// A worker running in-process.
pub struct Running {
    pub stop: CancellationToken,
    pub metrics: Arc<Metrics>,
    pub health: Arc<Health>,
    pub task: tokio::task::JoinHandle<Result<RunReport, news_enricher::app::AppError>>,
}

impl Running {
    pub fn start(settings: Settings, enrichers: Arc<Enrichers>) -> Running {
        let app = App::new(settings, enrichers);
        let metrics = app.metrics();
        let health = app.health();
        let stop = CancellationToken::new();
        let token = stop.clone();
        let task = tokio::spawn(app.run(async move { token.cancelled().await }));
        Running {
            stop,
            metrics,
            health,
            task,
        }
    }

    /// Enriched plus dead-lettered messages so far.
    pub fn done(&self) -> u64 {
        self.metrics.enriched.get() + self.metrics.dead_lettered_total()
    }

    /// Clean shutdown: drain, flush, commit.
    pub async fn shutdown(self) -> RunReport {
        self.stop.cancel();
        tokio::time::timeout(GUARD, self.task)
            .await
            .expect("worker stops within the guard")
            .expect("worker task")
            .expect("worker run")
    }
}

/// Waits until `cond` holds; panics with `what` after the guard timeout.
pub async fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + GUARD;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Runs blocking read-back helpers off the runtime.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f)
        .await
        .expect("blocking helper")
}

const EN: &str = "The city council approved on Monday a new plan to build flood defences along the river. The mayor said work would start in March.";
const FR: &str = "Le conseil municipal a approuvé lundi un plan pour construire des digues le long du fleuve. Le maire a déclaré que les travaux commenceraient en mars.";
const AR: &str = "وافق المجلس البلدي يوم الاثنين على خطة لبناء سدود على طول النهر. وقال رئيس البلدية إن العمل سيبدأ في شهر مارس.";

/// `n` valid articles: JSON (ids `{prefix}-{i}`) and, every third, plain text.
pub fn articles(prefix: &str, n: usize) -> Vec<(String, Vec<u8>)> {
    (0..n)
        .map(|i| {
            let id = format!("{prefix}-{i:05}");
            let body = [EN, FR, AR][i % 3];
            let value = if i % 3 == 2 {
                format!("Headline number {i}\n\n{body} ({i})\n").into_bytes()
            } else {
                serde_json::json!({"id": id, "title": format!("Title {i}"), "text": format!("{body} ({i})")})
                    .to_string()
                    .into_bytes()
            };
            (id, value)
        })
        .collect()
}

/// The id of an enriched record.
pub fn record_id(r: &TopicRecord) -> String {
    let v: serde_json::Value =
        serde_json::from_slice(r.value.as_deref().expect("record value")).expect("record JSON");
    v["id"].as_str().expect("id").to_string()
}

/// (partition, offset) of the input each output came from.
pub fn origin_of(r: &TopicRecord) -> (i64, i64) {
    let v: serde_json::Value =
        serde_json::from_slice(r.value.as_deref().expect("record value")).expect("record JSON");
    (
        v["origin"]["partition"].as_i64().expect("partition"),
        v["origin"]["offset"].as_i64().expect("offset"),
    )
}
