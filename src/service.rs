//! The service subcommands (`run`, `produce`, `demo`) and logging set-up, at the
//! binary edge: errors become `anyhow` here and nowhere else.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use news_enricher::app::App;
use news_enricher::cli::{DemoArgs, LogFormat, ProduceArgs};
use news_enricher::config::Settings;
use news_enricher::enrich::Enrichers;
use news_enricher::{demo, produce, shutdown};

/// Structured logs on stderr: text or JSON (`--log-format` over `log.format`),
/// filtered by `RUST_LOG` or else `log.level`.
pub fn init_tracing(settings: &Settings, format: Option<LogFormat>) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.log.level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let json = match format {
        Some(f) => f == LogFormat::Json,
        None => settings.log.format == "json",
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().with_current_span(false).try_init()
    } else {
        builder.try_init()
    };
}

/// `enrich.models_dir`, or the models shipped with the source tree when the
/// configured directory is relative and absent (running from another directory).
fn models_dir(settings: &Settings) -> PathBuf {
    let dir = &settings.enrich.models_dir;
    if dir.is_relative() && !dir.exists() {
        let bundled = Enrichers::bundled_models_dir();
        tracing::info!(configured = %dir.display(), using = %bundled.display(), "models directory not found here; using the bundled models");
        return bundled;
    }
    dir.clone()
}

fn load_enrichers(settings: &Settings) -> anyhow::Result<Arc<Enrichers>> {
    let dir = models_dir(settings);
    let started = std::time::Instant::now();
    let e =
        Enrichers::load(&dir).with_context(|| format!("loading models from {}", dir.display()))?;
    tracing::info!(dir = %dir.display(), ms = started.elapsed().as_millis() as u64, "models loaded");
    Ok(Arc::new(e))
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// `run`: the worker until SIGINT/SIGTERM.
pub fn run(settings: Settings) -> anyhow::Result<ExitCode> {
    let enrichers = load_enrichers(&settings)?;
    let rt = runtime()?;
    let report = rt.block_on(async move {
        let token = shutdown::install();
        App::new(settings, enrichers)
            .run(async move { token.cancelled().await })
            .await
    })?;
    tracing::info!(
        consumed = report.consumed,
        enriched = report.enriched,
        dead_lettered = report.dead_lettered,
        abandoned = report.abandoned,
        committed = report.committed,
        "worker stopped"
    );
    // Do not wait for stray blocking tasks (abandoned enrichments) at exit.
    rt.shutdown_timeout(std::time::Duration::from_secs(1));
    Ok(ExitCode::SUCCESS)
}

/// `produce`: files into a topic.
pub fn produce(settings: Settings, args: &ProduceArgs) -> anyhow::Result<()> {
    let messages = produce::collect(&args.paths)?;
    if messages.is_empty() {
        anyhow::bail!("no messages found in {:?}", args.paths);
    }
    if !(args.rate >= 0.0 && args.rate.is_finite()) {
        anyhow::bail!("--rate must be a non-negative number, got {}", args.rate);
    }
    let topic = args
        .topic
        .clone()
        .unwrap_or_else(|| settings.kafka.input_topic.clone());
    let opts = produce::ProduceOptions {
        topic: topic.clone(),
        rate: args.rate,
        repeat: args.repeat.max(1),
        progress: !args.quiet,
    };
    let report = runtime()?.block_on(produce::produce(&settings, &messages, &opts))?;
    println!(
        "produced {} messages to {topic} in {:.2} s",
        report.sent,
        report.elapsed.as_secs_f64()
    );
    Ok(())
}

/// `demo`: mock cluster, samples, the real worker, a summary.
pub fn demo(settings: Settings, args: &DemoArgs) -> anyhow::Result<()> {
    let samples = demo::samples_dir(args.samples.as_deref())?;
    let enrichers = load_enrichers(&settings)?;
    let rt = runtime()?;
    let summary = rt.block_on(demo::run(settings, &samples, args.repeat, enrichers))?;
    print!("{}", demo::render(&summary));
    if !args.quiet {
        if let Some(example) = &summary.example {
            println!("\nexample record:\n{example}");
        }
    }
    rt.shutdown_timeout(std::time::Duration::from_secs(1));
    Ok(())
}

/// `enrich`: files or stdin → enriched JSONL, offline. Fails only when no input
/// could be read; articles that fail are reported and counted.
pub fn enrich(
    settings: Settings,
    args: &news_enricher::cli::EnrichArgs,
) -> anyhow::Result<ExitCode> {
    let enrichers = load_enrichers(&settings)?;
    news_enricher::offline::run_command(args, &enrichers)?;
    Ok(ExitCode::SUCCESS)
}
