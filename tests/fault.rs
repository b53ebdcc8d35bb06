//! Fault tests: a tansu broker process, worker processes of the release binary,
//! N articles per scenario, faults injected; at the end the output and
//! dead-letter topics are read back and every input must be found.
//!
//! They need a broker binary and take minutes, so they are `#[ignore]`d in a plain
//! `cargo test`; `.ci/run` installs tansu and runs them:
//!
//! ```text
//! TANSU_BIN=/path/to/tansu FAULT_N=20000 \
//!   cargo test --release --test fault -- --ignored --test-threads=1 --nocapture
//! ```
//!
//! Each scenario prints a `FAULT-REPORT` line: inputs, unique outputs,
//! duplicates, missing.

#[path = "fault/harness.rs"]
mod harness;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, sleep};
use std::time::{Duration, Instant};

use harness::*;
use rand::Rng;

const DRAIN_TIMEOUT_MS: u64 = 10_000;
const FINISH_TIMEOUT: Duration = Duration::from_secs(600);

fn spec(broker: &Broker, topics: &Topics, exactly_once: bool) -> WorkerSpec {
    WorkerSpec {
        topics: topics.clone(),
        bootstrap: broker.bootstrap(),
        exactly_once,
        drain_timeout_ms: DRAIN_TIMEOUT_MS,
        extra_env: Vec::new(),
    }
}

/// Feeds `inputs` in the background spread over `over`, so faults land mid-stream.
fn feed_in_background(
    bootstrap: String,
    topic: String,
    inputs: Arc<Vec<Input>>,
    over: Duration,
) -> (thread::JoinHandle<()>, Arc<AtomicBool>) {
    let done = Arc::new(AtomicBool::new(false));
    let flag = done.clone();
    let handle = thread::spawn(move || {
        let chunks = 40;
        let size = inputs.len().div_ceil(chunks).max(1);
        let pause = over / chunks as u32;
        for chunk in inputs.chunks(size) {
            feed(&bootstrap, &topic, chunk);
            sleep(pause);
        }
        flag.store(true, Ordering::SeqCst);
    });
    (handle, done)
}

/// Waits until the topics grow past `from` (the worker is up and publishing), then
/// for a random moment, so that a fault lands mid-stream rather than during start-up.
fn random_moment_mid_stream(bootstrap: &str, topics: &Topics, rng: &mut impl Rng) -> usize {
    let from = progress(bootstrap, topics);
    let deadline = Instant::now() + Duration::from_secs(60);
    while progress(bootstrap, topics) <= from && Instant::now() < deadline {
        sleep(Duration::from_millis(100));
    }
    sleep(Duration::from_millis(rng.random_range(300..2500)));
    progress(bootstrap, topics)
}

fn assert_complete(report: &Report) {
    report.print();
    assert_eq!(report.missing, 0, "{report:?}");
    assert_eq!(report.unique_outputs, report.inputs, "{report:?}");
}

#[test]
#[ignore = "needs a tansu broker (TANSU_BIN); run by .ci/run"]
fn sigkill_five_times_loses_nothing() {
    let scenario = "sigkill";
    let dir = work_dir(scenario);
    let broker = Broker::start(&dir);
    let topics = Topics::new(scenario, 6);
    topics.create(&broker.bootstrap());
    let inputs = Arc::new(inputs(scenario, scenario_size(), 0));
    let started = Instant::now();
    let (feeder, fed) = feed_in_background(
        broker.bootstrap(),
        topics.input.clone(),
        inputs.clone(),
        Duration::from_secs(40),
    );
    let spec = spec(&broker, &topics, false);
    let mut rng = rand::rng();
    let mut worker = Worker::spawn(&spec, &dir, "worker-0");
    for kill in 1..=5 {
        let done = random_moment_mid_stream(&broker.bootstrap(), &topics, &mut rng);
        println!("SIGKILL #{kill} after {done} records published");
        worker.kill();
        worker = Worker::spawn(&spec, &dir, &format!("worker-{kill}"));
    }
    feeder.join().expect("feeder");
    assert!(fed.load(Ordering::SeqCst));
    let tally = wait_all(&broker.bootstrap(), &topics, &inputs, FINISH_TIMEOUT);
    let report = Report::new(scenario, &inputs, &tally, started.elapsed());
    drop(worker);
    assert_complete(&report);
}

#[test]
#[ignore = "needs a tansu broker (TANSU_BIN); run by .ci/run"]
fn scale_one_three_one_loses_nothing() {
    let scenario = "scale";
    let dir = work_dir(scenario);
    let broker = Broker::start(&dir);
    let topics = Topics::new(scenario, 6);
    topics.create(&broker.bootstrap());
    let inputs = Arc::new(inputs(scenario, scenario_size(), 0));
    let started = Instant::now();
    let (feeder, _) = feed_in_background(
        broker.bootstrap(),
        topics.input.clone(),
        inputs.clone(),
        Duration::from_secs(24),
    );
    let spec = spec(&broker, &topics, false);
    let first = Worker::spawn(&spec, &dir, "worker-a");
    sleep(Duration::from_secs(6));
    println!(
        "scale 1 -> 3 after {} records",
        progress(&broker.bootstrap(), &topics)
    );
    let second = Worker::spawn(&spec, &dir, "worker-b");
    let third = Worker::spawn(&spec, &dir, "worker-c");
    sleep(Duration::from_secs(10));
    println!(
        "scale 3 -> 1 after {} records",
        progress(&broker.bootstrap(), &topics)
    );
    for w in [second, third] {
        let (code, took) = w.terminate(Duration::from_millis(DRAIN_TIMEOUT_MS + 20_000));
        assert_eq!(
            code,
            Some(0),
            "a scaled-in worker must exit 0 (took {took:?})"
        );
    }
    feeder.join().expect("feeder");
    let tally = wait_all(&broker.bootstrap(), &topics, &inputs, FINISH_TIMEOUT);
    let report = Report::new(scenario, &inputs, &tally, started.elapsed());
    drop(first);
    assert_complete(&report);
}

#[test]
#[ignore = "needs a tansu broker (TANSU_BIN); run by .ci/run"]
fn sigterm_under_load_drains_and_commits_exactly() {
    let scenario = "sigterm";
    let dir = work_dir(scenario);
    let broker = Broker::start(&dir);
    let topics = Topics::new(scenario, 6);
    topics.create(&broker.bootstrap());
    let inputs = inputs(scenario, scenario_size(), 0);
    let started = Instant::now();
    feed(&broker.bootstrap(), &topics.input, &inputs);
    let spec = spec(&broker, &topics, false);
    let worker = Worker::spawn(&spec, &dir, "worker-0");
    let deadline = Instant::now() + Duration::from_secs(300);
    while progress(&broker.bootstrap(), &topics) < inputs.len() / 5 && Instant::now() < deadline {
        sleep(Duration::from_millis(100));
    }
    let at = progress(&broker.bootstrap(), &topics);
    println!("SIGTERM after {at} of {} records", inputs.len());
    assert!(
        at < inputs.len(),
        "the worker finished before SIGTERM: scale FAULT_N up"
    );
    // Exit within the drain timeout, plus the producer flush and the final commit.
    let (code, took) = worker.terminate(Duration::from_millis(DRAIN_TIMEOUT_MS + 15_000));
    println!("exit code {code:?} after {took:?}");
    assert_eq!(code, Some(0), "SIGTERM must exit 0");
    assert!(
        took <= Duration::from_millis(DRAIN_TIMEOUT_MS + 5_000),
        "exit took {took:?}, over drain_timeout_ms"
    );
    // A fresh worker resumes from the committed offsets: nothing again, nothing lost.
    let worker = Worker::spawn(&spec, &dir, "worker-1");
    let tally = wait_all(&broker.bootstrap(), &topics, &inputs, FINISH_TIMEOUT);
    let report = Report::new(scenario, &inputs, &tally, started.elapsed());
    drop(worker);
    assert_complete(&report);
    assert_eq!(
        report.duplicates, 0,
        "a clean shutdown must commit exactly what was published"
    );
}

#[test]
#[ignore = "needs a tansu broker (TANSU_BIN); run by .ci/run"]
fn broker_restart_is_survived_without_manual_action() {
    let scenario = "broker-restart";
    let dir = work_dir(scenario);
    let mut broker = Broker::start(&dir);
    let topics = Topics::new(scenario, 6);
    topics.create(&broker.bootstrap());
    let half = (scenario_size() / 2).max(1);
    let all = inputs(scenario, half * 2, 0);
    let (before, after) = all.split_at(half);
    let started = Instant::now();
    feed(&broker.bootstrap(), &topics.input, before);
    let spec = spec(&broker, &topics, false);
    let mut worker = Worker::spawn(&spec, &dir, "worker-0");
    let tally = wait_all(&broker.bootstrap(), &topics, before, FINISH_TIMEOUT);
    let first = Report::new(
        &format!("{scenario}-before"),
        before,
        &tally,
        started.elapsed(),
    );
    assert_complete(&first);

    // The broker dies and comes back empty (tansu keeps no data): same address,
    // topics recreated, the worker's producer id is unknown to the new broker.
    broker.kill_and_restart();
    topics.create(&broker.bootstrap());
    let restarted = Instant::now();
    feed(&broker.bootstrap(), &topics.input, after);
    let tally = wait_all(&broker.bootstrap(), &topics, after, FINISH_TIMEOUT);
    let report = Report::new(scenario, after, &tally, restarted.elapsed());
    assert!(
        worker.is_running(),
        "the worker must survive a broker restart"
    );
    let log = worker.log_lines();
    let noticed = log.iter().any(|l| {
        let level = l.get("level").and_then(|v| v.as_str()).unwrap_or("");
        let text = l.to_string().to_lowercase();
        matches!(level, "WARN" | "ERROR") && (text.contains("broker") || text.contains("producer"))
    });
    drop(worker);
    assert_complete(&report);
    assert!(noticed, "the worker must log the outage clearly");
}

#[test]
#[ignore = "needs a tansu broker (TANSU_BIN); run by .ci/run"]
fn poison_heavy_stream_dead_letters_every_poison() {
    let scenario = "poison";
    let dir = work_dir(scenario);
    let broker = Broker::start(&dir);
    let topics = Topics::new(scenario, 6);
    topics.create(&broker.bootstrap());
    let inputs = inputs(scenario, scenario_size(), 10);
    let started = Instant::now();
    feed(&broker.bootstrap(), &topics.input, &inputs);
    let worker = Worker::spawn(&spec(&broker, &topics, false), &dir, "worker-0");
    let tally = wait_all(&broker.bootstrap(), &topics, &inputs, FINISH_TIMEOUT);
    let report = Report::new(scenario, &inputs, &tally, started.elapsed());
    drop(worker);
    let mut classes: HashMap<&str, usize> = HashMap::new();
    for input in &inputs {
        if input.poison {
            assert!(
                tally.dead.contains_key(&input.id) && !tally.enriched.contains_key(&input.id),
                "poison {} must be dead-lettered only",
                input.id
            );
            let class = tally
                .dead_classes
                .get(&input.id)
                .map(String::as_str)
                .unwrap_or("");
            *classes.entry(class).or_default() += 1;
        } else {
            assert!(
                tally.enriched.contains_key(&input.id) && !tally.dead.contains_key(&input.id),
                "valid {} must be enriched",
                input.id
            );
        }
    }
    println!("dead letters by class: {classes:?}");
    assert_eq!(
        classes.keys().copied().collect::<HashSet<_>>(),
        ["invalid_json", "not_utf8", "empty_text"]
            .into_iter()
            .collect()
    );
    assert_complete(&report);
}

#[test]
#[ignore = "needs a tansu broker (TANSU_BIN); run by .ci/run"]
fn exactly_once_sigkill_has_no_committed_duplicates() {
    let scenario = "eos-sigkill";
    let dir = work_dir(scenario);
    let broker = Broker::start(&dir);
    let topics = Topics::new(scenario, 6);
    topics.create(&broker.bootstrap());
    let inputs = Arc::new(inputs(scenario, scenario_size(), 0));
    let started = Instant::now();
    let (feeder, _) = feed_in_background(
        broker.bootstrap(),
        topics.input.clone(),
        inputs.clone(),
        Duration::from_secs(40),
    );
    let spec = spec(&broker, &topics, true);
    let mut rng = rand::rng();
    let mut logs = Vec::new();
    // One stable instance name: a restarted instance fences its predecessor.
    let mut worker = Worker::spawn(&spec, &dir, "eos-0");
    for kill in 1..=5 {
        let done = random_moment_mid_stream(&broker.bootstrap(), &topics, &mut rng);
        println!("SIGKILL #{kill} after {done} records");
        logs.push(worker.log.clone());
        worker.kill();
        let dir_k = dir.join(format!("run-{kill}"));
        std::fs::create_dir_all(&dir_k).expect("run dir");
        worker = Worker::spawn(&spec, &dir_k, "eos-0");
    }
    feeder.join().expect("feeder");
    let tally = wait_all(&broker.bootstrap(), &topics, &inputs, FINISH_TIMEOUT);
    logs.push(worker.log.clone());
    drop(worker);
    let report = Report::new(scenario, &inputs, &tally, started.elapsed());

    // Transactions the workers committed, from their logs.
    let mut committed: HashSet<String> = HashSet::new();
    let mut aborted = 0usize;
    for log in &logs {
        for line in read_log(log) {
            let text = line.to_string();
            let txn = line
                .get("fields")
                .and_then(|f| f.get("txn"))
                .and_then(|v| v.as_str())
                .map(str::to_string);
            if let Some(txn) = txn {
                if text.contains("transaction committed") {
                    committed.insert(txn);
                } else if text.contains("transaction aborted") {
                    aborted += 1;
                }
            }
        }
    }
    let mut committed_duplicates = 0;
    let mut aborted_leftovers = 0;
    // A copy whose commit was not logged: the process died between the commit and
    // its log line, or the transaction was aborted when the successor fenced it.
    let mut unconfirmed = 0;
    for input in inputs.iter() {
        let tags = tally
            .txn_of_copy
            .get(&input.id)
            .cloned()
            .unwrap_or_default();
        let in_committed = tags.iter().filter(|t| committed.contains(*t)).count();
        committed_duplicates += in_committed.saturating_sub(1);
        if in_committed == 0 {
            unconfirmed += 1;
            aborted_leftovers += tags.len().saturating_sub(1);
        } else {
            aborted_leftovers += tags.len() - in_committed;
        }
    }
    println!(
        "exactly-once: committed transactions {}, aborts logged {aborted}, committed duplicates {committed_duplicates}, aborted leftovers {aborted_leftovers}, inputs without a logged commit {unconfirmed}",
        committed.len()
    );
    assert_complete(&report);
    assert_eq!(
        report.duplicates,
        committed_duplicates + aborted_leftovers,
        "every copy carries a transaction tag"
    );
    assert_eq!(
        committed_duplicates, 0,
        "no input in two committed transactions"
    );
}
