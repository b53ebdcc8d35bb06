//! Command-line interface: subcommands and their arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "news-enricher",
    version,
    about = "Enrich news articles from Kafka: language, topics, entities, places, dates, quotes, keywords"
)]
pub struct Cli {
    /// Configuration file layered over the defaults (TOML).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Log format: text or json (overrides log.format).
    #[arg(long, global = true, value_enum)]
    pub log_format: Option<LogFormat>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the worker: consume the input topic, enrich, publish.
    Run,
    /// Enrich files offline: JSONL (one article per line) or plain text → JSONL.
    Enrich(EnrichArgs),
    /// Produce articles from files or directories into a topic.
    Produce(ProduceArgs),
    /// No-install demo: an in-process mock Kafka cluster, the sample articles, the real worker.
    Demo(DemoArgs),
    /// Train a model or build a table from the shared corpora.
    Train(TrainArgs),
    /// Evaluate a model on a labelled file.
    Eval(EvalArgs),
    /// Print the JSON Schema of the enriched record.
    Schema,
}

#[derive(Debug, Args)]
pub struct EnrichArgs {
    /// Input file (repeatable); `.jsonl` is one article per line, anything else one
    /// plain-text article; `-` or none reads stdin.
    #[arg(long = "input", short = 'i', value_name = "FILE")]
    pub inputs: Vec<PathBuf>,
    /// Write JSONL here instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Pretty-print each record (not JSONL).
    #[arg(long)]
    pub pretty: bool,
}

#[derive(Debug, Args)]
pub struct ProduceArgs {
    /// Files or directories to send (`.jsonl`: one message per line; `.json`/`.txt`/other: one message per file).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Topic to produce to (default: kafka.input_topic).
    #[arg(long)]
    pub topic: Option<String>,
    /// Messages per second (0 = as fast as possible).
    #[arg(long, default_value_t = 0.0)]
    pub rate: f64,
    /// Send the whole set this many times (ids get a suffix after the first round).
    #[arg(long, default_value_t = 1)]
    pub repeat: u32,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Directory of sample articles (default: the samples shipped in the repository).
    #[arg(long, value_name = "DIR")]
    pub samples: Option<PathBuf>,
    /// Do not print the example record.
    #[arg(long)]
    pub quiet: bool,
    /// Send the samples this many times (ids suffixed after the first round), for a
    /// throughput figure.
    #[arg(long, default_value_t = 1)]
    pub repeat: u32,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Trainable {
    /// IPTC topic classifier.
    Topics,
    /// Named-entity tagger.
    Entities,
    /// Country and city gazetteer tables.
    Gazetteer,
    /// Background document frequencies for keywords.
    Keywords,
    /// Language identifier (built-in models: evaluation only).
    Language,
    /// Frequent word forms for the tokenizer.
    TextForms,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    #[arg(value_enum)]
    pub what: Trainable,
    /// Data directory (default: ../shared/data).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Output file or directory (default: under models/).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Random seed.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Articles kept out of training for evaluation: `source=NAME[,NAME]` or `fold=K/N`.
    #[arg(long, value_name = "SPEC")]
    pub holdout: Option<String>,
    /// Training setting override (topics), repeatable: `epochs=8`, `balance=0.5`, ...
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[arg(value_enum)]
    pub what: Trainable,
    /// Labelled data: a file (or comma-separated files) or a directory.
    #[arg(long, value_name = "PATH")]
    pub data: PathBuf,
    /// Model directory (default: enrich.models_dir).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Topics: k-fold cross-validation instead of a model: trains k models on
    /// `--train-data` without each fold and evaluates them on that fold of `--data`.
    #[arg(long, value_name = "K")]
    pub cv: Option<u64>,
    /// Training corpora for `--cv` (default: ../shared/data).
    #[arg(long, value_name = "DIR")]
    pub train_data: Option<PathBuf>,
    /// Training setting override for `--cv`, as for `train --param`.
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// Random seed for `--cv` and `--holdout`.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Topics: a held-out evaluation instead of a model: trains a model on
    /// `--train-data` without these articles (`source=NAME[,NAME]` or
    /// `fold=K/N`) for each of `--seeds` and evaluates it on them in `--data`.
    #[arg(long, value_name = "SPEC")]
    pub holdout: Option<String>,
    /// Seeds for `--holdout`, comma-separated (default: `--seed`).
    #[arg(long, value_name = "N,N,...", value_delimiter = ',')]
    pub seeds: Vec<u64>,
}
