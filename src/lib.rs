//! # news-enricher
//!
//! Consumes raw news articles from Kafka, analyses each one (language, topics,
//! entities, places, dates, quotes, keywords, summary) natively in Arabic,
//! English and French, and publishes one enriched JSON record per article.
//!
//! # Layout
//!
//! - [`app`]: the `run` entry point: consumer, producer, worker loop, HTTP.
//! - [`cli`]: command-line subcommands and their arguments.
//! - [`config`]: settings, layering (defaults → file → environment) and validation.
//! - [`model`]: wire types: inbound article, enriched record, dead letters.
//! - [`enrich`]: pure analysis (no I/O, no tokio, no rdkafka), built once, shared.
//! - [`offline`]: the `enrich` command: files or stdin → enriched JSONL, no Kafka.
//! - [`pipeline`]: decode → enrich → encode for one message; the worker loop.
//! - [`kafka`]: consumer, producer and dead-letter publisher; rdkafka stays inside.
//! - [`metrics`]: Prometheus counters and histograms.
//! - [`http`]: `/healthz`, `/readyz`, `/metrics`.
//! - [`produce`]: the `produce` command: files into a topic.
//! - [`demo`]: the `demo` command: mock cluster, samples, the real worker.
//! - [`shutdown`]: SIGINT/SIGTERM → cancellation.
//! - [`train`]: training and evaluation commands that build `models/`.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod enrich;
pub mod http;
pub mod kafka;
pub mod metrics;
pub mod model;
pub mod offline;
pub mod pipeline;
pub mod produce;
pub mod shutdown;
pub mod train;
