use std::process::ExitCode;

use clap::Parser;

use news_enricher::cli::{Cli, Command};
use news_enricher::{config, train};

mod service;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = config::load(cli.config.as_deref())?;
    service::init_tracing(&settings, cli.log_format);
    match cli.command {
        Command::Train(args) => train::train(&args)?,
        Command::Eval(args) => {
            let dir = args
                .models
                .clone()
                .unwrap_or(settings.enrich.models_dir.clone());
            train::eval(&args, &dir)?
        }
        Command::Schema => {
            let schema = schemars::schema_for!(news_enricher::model::EnrichedRecord);
            println!("{}", serde_json::to_string_pretty(&schema)?);
        }
        Command::Run => return service::run(settings),
        Command::Produce(args) => service::produce(settings, &args)?,
        Command::Demo(args) => service::demo(settings, &args)?,
        Command::Enrich(args) => return service::enrich(settings, &args),
    }
    Ok(ExitCode::SUCCESS)
}
