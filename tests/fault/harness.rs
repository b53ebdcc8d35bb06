//! Building blocks of the fault tests: a tansu broker process, worker processes
//! of the release binary, a feeder and a tally of what reached the output and
//! dead-letter topics.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::thread::sleep;
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message};
use rdkafka::producer::{BaseRecord, DefaultProducerContext, Producer, ThreadedProducer};
use rdkafka::util::Timeout;

/// Number of input articles per scenario (`FAULT_N`, default 20,000).
pub fn scenario_size() -> usize {
    std::env::var("FAULT_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

/// Where logs of brokers and workers go (`FAULT_DIR`, default `.fault-test/`).
pub fn work_dir(scenario: &str) -> PathBuf {
    let base = std::env::var("FAULT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join(".fault-test"));
    let dir = base.join(scenario);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create fault-test directory");
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("find a free port")
}

fn wait_for_port(port: u16, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        sleep(Duration::from_millis(50));
    }
    false
}

/// A tansu broker process on 127.0.0.1 with in-memory storage.
pub struct Broker {
    bin: PathBuf,
    pub port: u16,
    child: Option<Child>,
    dir: PathBuf,
    starts: u32,
}

impl Broker {
    pub fn start(dir: &Path) -> Broker {
        let bin = std::env::var("TANSU_BIN")
            .map(PathBuf::from)
            .expect("TANSU_BIN must point at the tansu binary (see .ci/run)");
        let mut b = Broker {
            bin,
            port: free_port(),
            child: None,
            dir: dir.to_path_buf(),
            starts: 0,
        };
        b.spawn();
        b
    }

    fn spawn(&mut self) {
        let url = format!("tcp://127.0.0.1:{}", self.port);
        self.starts += 1;
        let log = File::create(self.dir.join(format!("tansu-{}.log", self.starts)))
            .expect("broker log file");
        let child = Command::new(&self.bin)
            .args([
                "broker",
                "--listener-url",
                &url,
                "--advertised-listener-url",
                &url,
                "--storage-engine",
                "memory://tansu/",
            ])
            .stdout(log.try_clone().expect("clone log"))
            .stderr(log)
            .spawn()
            .expect("start tansu");
        self.child = Some(child);
        assert!(
            wait_for_port(self.port, Duration::from_secs(20)),
            "tansu did not listen on {}",
            self.port
        );
    }

    pub fn bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// SIGKILL the broker (it keeps no data) and start it again on the same port.
    pub fn kill_and_restart(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        sleep(Duration::from_millis(500));
        self.spawn();
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// The topics and group of one scenario.
#[derive(Clone)]
pub struct Topics {
    pub input: String,
    pub output: String,
    pub dead_letter: String,
    pub group: String,
    pub partitions: i32,
}

impl Topics {
    pub fn new(scenario: &str, partitions: i32) -> Topics {
        let tag: u32 = rand::random();
        Topics {
            input: format!("{scenario}-in-{tag:08x}"),
            output: format!("{scenario}-out-{tag:08x}"),
            dead_letter: format!("{scenario}-dlq-{tag:08x}"),
            group: format!("{scenario}-group-{tag:08x}"),
            partitions,
        }
    }

    pub fn create(&self, bootstrap: &str) {
        let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
            .set("bootstrap.servers", bootstrap)
            .create()
            .expect("admin client");
        let topics: Vec<NewTopic> = [&self.input, &self.output, &self.dead_letter]
            .iter()
            .map(|t| NewTopic::new(t, self.partitions, TopicReplication::Fixed(1)))
            .collect();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let results = rt
            .block_on(admin.create_topics(
                &topics,
                &AdminOptions::new().operation_timeout(Some(Duration::from_secs(10))),
            ))
            .expect("create topics");
        for r in results {
            if let Err((t, e)) = r {
                if e != rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists {
                    panic!("create topic {t}: {e}");
                }
            }
        }
    }
}

/// How a worker process is run.
#[derive(Clone)]
pub struct WorkerSpec {
    pub topics: Topics,
    pub bootstrap: String,
    pub exactly_once: bool,
    pub drain_timeout_ms: u64,
    pub extra_env: Vec<(String, String)>,
}

/// One worker process of the release binary.
pub struct Worker {
    child: Child,
    pub log: PathBuf,
    pub name: String,
}

impl Worker {
    pub fn spawn(spec: &WorkerSpec, dir: &Path, name: &str) -> Worker {
        let log = dir.join(format!("{name}.log"));
        let file = File::create(&log).expect("worker log");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_news-enricher"));
        cmd.args(["--log-format", "json", "run"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NEWS_ENRICHER__KAFKA__BROKERS", &spec.bootstrap)
            .env("NEWS_ENRICHER__KAFKA__INPUT_TOPIC", &spec.topics.input)
            .env("NEWS_ENRICHER__KAFKA__OUTPUT_TOPIC", &spec.topics.output)
            .env(
                "NEWS_ENRICHER__KAFKA__DEAD_LETTER_TOPIC",
                &spec.topics.dead_letter,
            )
            .env("NEWS_ENRICHER__KAFKA__GROUP_ID", &spec.topics.group)
            .env(
                "NEWS_ENRICHER__KAFKA__DRAIN_TIMEOUT_MS",
                spec.drain_timeout_ms.to_string(),
            )
            .env("NEWS_ENRICHER__KAFKA__CONSUMER__SESSION_TIMEOUT_MS", "6000")
            .env(
                "NEWS_ENRICHER__KAFKA__CONSUMER__HEARTBEAT_INTERVAL_MS",
                "1000",
            )
            .env("NEWS_ENRICHER__HTTP__ENABLED", "false")
            .env("NEWS_ENRICHER__LOG__LEVEL", "info")
            .stdout(file.try_clone().expect("clone log"))
            .stderr(file);
        if spec.exactly_once {
            cmd.env("NEWS_ENRICHER__KAFKA__DELIVERY", "exactly-once")
                .env(
                    "NEWS_ENRICHER__KAFKA__TRANSACTIONAL_ID",
                    format!("{}-{name}", spec.topics.group),
                );
        }
        for (k, v) in &spec.extra_env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start worker");
        Worker {
            child,
            log,
            name: name.to_string(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no drain, no commit.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then wait; returns the exit status and how long the exit took.
    pub fn terminate(mut self, limit: Duration) -> (Option<i32>, Duration) {
        let started = Instant::now();
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        while started.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return (status.code(), started.elapsed());
            }
            sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        (None, started.elapsed())
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// How the process ended, once it has.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// JSON log lines of this worker.
    pub fn log_lines(&self) -> Vec<serde_json::Value> {
        read_log(&self.log)
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn read_log(path: &Path) -> Vec<serde_json::Value> {
    let Ok(f) = File::open(path) else {
        return Vec::new();
    };
    BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str(&l).ok())
        .collect()
}

/// One input message: its id (= key) and payload.
#[derive(Clone)]
pub struct Input {
    pub id: String,
    pub payload: Vec<u8>,
    pub poison: bool,
}

const TEXTS: &[(&str, &str, &str)] = &[
    (
        "ar",
        "وزير المالية يعلن خطة لدعم الشركات الصغيرة",
        "أعلن وزير المالية يوم الثلاثاء في الرياض عن خطة بقيمة ملياري ريال لدعم الشركات الصغيرة والمتوسطة. وقال الوزير إن \"الخطة ستوفر آلاف الوظائف خلال العام المقبل\". وأضاف أن البنوك ستقدم قروضا ميسرة للمشاريع الجديدة.",
    ),
    (
        "ar",
        "المنتخب يفوز في مباراة ودية",
        "فاز المنتخب الوطني على نظيره التونسي بهدفين مقابل هدف في مباراة ودية أقيمت مساء الجمعة في القاهرة. وأكد المدرب أن الفريق يستعد لبطولة كأس العالم المقبلة.",
    ),
    (
        "en",
        "City council approves new flood defences",
        "The city council approved on Monday a £40 million plan to build new flood defences along the river. \"We cannot wait for the next storm,\" the mayor said. Work is due to start in March 2027.",
    ),
    (
        "fr",
        "Le gouvernement présente son budget",
        "Le ministre de l'Économie a présenté mardi à Paris un budget prévoyant 12 milliards d'euros d'économies. « Nous tiendrons nos engagements », a déclaré le ministre devant les députés.",
    ),
];

/// `n` inputs for `scenario`; every `poison_every`-th one is poison (0: none),
/// cycling through invalid JSON, bytes that are not UTF-8 and an empty text.
pub fn inputs(scenario: &str, n: usize, poison_every: usize) -> Vec<Input> {
    (0..n)
        .map(|i| {
            let id = format!("{scenario}-{i:06}");
            if poison_every > 0 && i % poison_every == poison_every - 1 {
                let payload = match (i / poison_every) % 3 {
                    0 => format!("{{\"id\": \"{id}\", \"text\": \"unterminated").into_bytes(),
                    1 => {
                        let mut b = vec![0xff, 0xfe, 0x00, 0xc3, 0x28];
                        b.extend_from_slice(id.as_bytes());
                        b
                    }
                    _ => format!("{{\"id\": \"{id}\", \"text\": \"   \"}}").into_bytes(),
                };
                return Input {
                    id,
                    payload,
                    poison: true,
                };
            }
            let (lang, title, text) = TEXTS[i % TEXTS.len()];
            let payload = serde_json::json!({
                "id": id,
                "title": title,
                "text": format!("{text} ({i})"),
                "lang": lang,
                "published_at": "2026-11-24T08:00:00Z",
            })
            .to_string()
            .into_bytes();
            Input {
                id,
                payload,
                poison: false,
            }
        })
        .collect()
}

/// Produces the inputs with keys = ids, idempotently, and waits for every ack.
pub fn feed(bootstrap: &str, topic: &str, inputs: &[Input]) {
    let producer: ThreadedProducer<DefaultProducerContext> = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("enable.idempotence", "true")
        .set("linger.ms", "5")
        .set("queue.buffering.max.messages", "200000")
        .create()
        .expect("feeder producer");
    for input in inputs {
        let mut record = BaseRecord::to(topic).key(&input.id).payload(&input.payload);
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((_, r)) => {
                    record = r;
                    sleep(Duration::from_millis(5));
                }
            }
        }
    }
    producer
        .flush(Timeout::After(Duration::from_secs(120)))
        .expect("feeder flush");
}

/// What the output and dead-letter topics hold, per input id.
#[derive(Default)]
pub struct Tally {
    pub enriched: HashMap<String, u32>,
    pub dead: HashMap<String, u32>,
    /// For records carrying a transaction header: id → transaction tags of each copy.
    pub txn_of_copy: HashMap<String, Vec<String>>,
    pub dead_classes: HashMap<String, String>,
    pub unexpected: usize,
}

impl Tally {
    pub fn seen(&self, id: &str) -> u32 {
        self.enriched.get(id).copied().unwrap_or(0) + self.dead.get(id).copied().unwrap_or(0)
    }
}

/// Reads both topics from the beginning until every expected id is seen and the
/// topics have been quiet for `quiet`, or until `timeout`.
pub fn collect(
    bootstrap: &str,
    topics: &Topics,
    expected: &HashSet<String>,
    timeout: Duration,
    quiet: Duration,
) -> Tally {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set(
            "group.id",
            format!("{}-reader-{:08x}", topics.group, rand::random::<u32>()),
        )
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .set("isolation.level", "read_committed")
        .create()
        .expect("reader consumer");
    consumer
        .subscribe(&[topics.output.as_str(), topics.dead_letter.as_str()])
        .expect("subscribe");
    let mut tally = Tally::default();
    let mut covered: HashSet<String> = HashSet::new();
    let started = Instant::now();
    let mut last_message = Instant::now();
    while started.elapsed() < timeout {
        match consumer.poll(Duration::from_millis(200)) {
            Some(Ok(m)) => {
                last_message = Instant::now();
                if m.topic() == topics.output {
                    let id = m
                        .payload()
                        .and_then(|p| serde_json::from_slice::<serde_json::Value>(p).ok())
                        .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string));
                    match id {
                        Some(id) => {
                            if let Some(h) = m.headers() {
                                for hdr in h.iter() {
                                    if hdr.key == "enricher.txn" {
                                        let tag = hdr
                                            .value
                                            .map(|v| String::from_utf8_lossy(v).into_owned())
                                            .unwrap_or_default();
                                        tally.txn_of_copy.entry(id.clone()).or_default().push(tag);
                                    }
                                }
                            }
                            *tally.enriched.entry(id.clone()).or_default() += 1;
                            covered.insert(id);
                        }
                        None => tally.unexpected += 1,
                    }
                } else {
                    let id = m.key().map(|k| String::from_utf8_lossy(k).into_owned());
                    match id {
                        Some(id) => {
                            if let Some(h) = m.headers() {
                                for hdr in h.iter() {
                                    if hdr.key == "error.class" {
                                        tally.dead_classes.insert(
                                            id.clone(),
                                            hdr.value
                                                .map(|v| String::from_utf8_lossy(v).into_owned())
                                                .unwrap_or_default(),
                                        );
                                    }
                                }
                            }
                            *tally.dead.entry(id.clone()).or_default() += 1;
                            covered.insert(id);
                        }
                        None => tally.unexpected += 1,
                    }
                }
            }
            Some(Err(e)) => eprintln!("reader: {e}"),
            None => {
                if expected.iter().all(|id| covered.contains(id)) && last_message.elapsed() > quiet
                {
                    break;
                }
            }
        }
    }
    tally
}

/// The figures every scenario reports.
#[derive(Debug)]
pub struct Report {
    pub scenario: String,
    pub inputs: usize,
    pub unique_outputs: usize,
    pub duplicates: usize,
    pub missing: usize,
    pub elapsed: Duration,
}

impl Report {
    pub fn new(scenario: &str, inputs: &[Input], tally: &Tally, elapsed: Duration) -> Report {
        let mut unique = 0;
        let mut duplicates = 0;
        let mut missing = 0;
        for input in inputs {
            let n = tally.seen(&input.id);
            if n == 0 {
                missing += 1;
            } else {
                unique += 1;
                duplicates += (n - 1) as usize;
            }
        }
        Report {
            scenario: scenario.to_string(),
            inputs: inputs.len(),
            unique_outputs: unique,
            duplicates,
            missing,
            elapsed,
        }
    }

    pub fn print(&self) {
        println!(
            "FAULT-REPORT scenario={} inputs={} unique_outputs={} duplicates={} missing={} elapsed_s={:.1}",
            self.scenario,
            self.inputs,
            self.unique_outputs,
            self.duplicates,
            self.missing,
            self.elapsed.as_secs_f64()
        );
    }
}

/// Waits until `expected` ids are all in the output or dead-letter topics.
pub fn wait_all(bootstrap: &str, topics: &Topics, inputs: &[Input], timeout: Duration) -> Tally {
    let expected: HashSet<String> = inputs.iter().map(|i| i.id.clone()).collect();
    collect(
        bootstrap,
        topics,
        &expected,
        timeout,
        Duration::from_secs(3),
    )
}

/// How many ids of `inputs` are already in the output or dead-letter topics.
pub fn progress(bootstrap: &str, topics: &Topics) -> usize {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", "progress-probe")
        .create()
        .expect("probe consumer");
    let mut total = 0;
    for topic in [&topics.output, &topics.dead_letter] {
        for p in 0..topics.partitions {
            if let Ok((lo, hi)) = consumer.fetch_watermarks(topic, p, Duration::from_secs(5)) {
                total += (hi - lo).max(0) as usize;
            }
        }
    }
    total
}
