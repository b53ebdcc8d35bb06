//! `/healthz`, `/readyz` and `/metrics` of a running worker, and secrets kept out
//! of logs and metrics. One test per binary: it installs the global log subscriber.

#[path = "worker/common.rs"]
mod common;

use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use common::*;
use news_enricher::app::App;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SECRET: &str = "Zq9-very-secret-pa55word";

/// Every log line, captured.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: x\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).await.unwrap();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

/// A client-creation error quotes the offending option: its value must not leak.
fn creation_errors_are_redacted() {
    let mut k = news_enricher::config::Settings::defaults().kafka;
    k.producer.insert("ssl.key.password".into(), SECRET.into());
    let metrics = Arc::new(news_enricher::metrics::Metrics::new());
    if let Err(e) = news_enricher::kafka::producer::KafkaPublisher::new(&k, metrics) {
        let shown = e.to_string();
        assert!(!shown.contains(SECRET), "{shown}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoints_report_health_and_metrics_and_never_a_secret() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .json()
        .with_env_filter("debug")
        .with_writer(move || writer.clone())
        .init();

    creation_errors_are_redacted();
    let cluster = Cluster::start(1, 2);
    let mut settings = cluster.t.settings();
    settings.http.enabled = true;
    settings.http.listen = "127.0.0.1:0".into();
    let k = &mut settings.kafka;
    k.options
        .insert("sasl.username".into(), "svc-enricher".into());
    k.options.insert("sasl.password".into(), SECRET.into());
    k.consumer.insert("debug".into(), "conf,cgrp".into());
    k.consumer
        .insert("statistics.interval.ms".into(), "200".into());
    let inputs = articles("obs", 20);
    cluster.t.feed(&inputs);

    let (tx, rx) = tokio::sync::oneshot::channel();
    let app = App::new(settings, enrichers()).on_listening(tx);
    let metrics = app.metrics();
    let stop = tokio_util::sync::CancellationToken::new();
    let token = stop.clone();
    let task = tokio::spawn(app.run(async move { token.cancelled().await }));
    let addr = rx.await.expect("HTTP listener address");

    assert_eq!(get(addr, "/healthz").await.0, 200);
    wait_for("all enriched", || metrics.enriched.get() >= 20).await;
    let (status, body) = get(addr, "/readyz").await;
    assert_eq!((status, body.trim()), (200, "ready"));
    wait_for("consumer lag from the statistics", || {
        metrics.encode().contains("news_enricher_consumer_lag{")
    })
    .await;
    let (status, text) = get(addr, "/metrics").await;
    assert_eq!(status, 200);
    for family in [
        "news_enricher_messages_consumed_total 20",
        "news_enricher_messages_enriched_total 20",
        "news_enricher_messages_in_flight 0",
        "news_enricher_partitions_assigned 2",
        "news_enricher_processing_seconds_count 20",
        "news_enricher_end_to_end_seconds_count 20",
        "news_enricher_publish_retries_total",
        "news_enricher_consumer_lag{topic=",
    ] {
        assert!(text.contains(family), "{family} missing from\n{text}");
    }

    stop.cancel();
    task.await.unwrap().unwrap();
    // The worker is gone: not ready any more is not checked (the listener stops too).

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("svc-enricher"),
        "the configuration was logged (with its secrets redacted)"
    );
    assert!(logs.contains("[redacted]"));
    assert!(!logs.contains(SECRET), "a secret reached the logs");
    assert!(!text.contains(SECRET), "a secret reached /metrics");
    assert!(!text.contains("svc-enricher"));
}
