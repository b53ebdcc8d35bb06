//! Training and evaluation commands: they read the shared corpora and write the
//! compact models and tables under `models/` that the enrichers load.

use std::path::{Path, PathBuf};

use crate::cli::{EvalArgs, TrainArgs, Trainable};

pub mod entities;
pub mod gazetteer;
pub mod keywords;
pub mod lang;
pub mod place_evidence;
pub(crate) mod sources;
pub mod text_forms;
pub mod topics;

/// Default location of the third-party corpora, relative to the project root.
pub fn default_data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data")
}

pub fn train(args: &TrainArgs) -> anyhow::Result<()> {
    let data = args.data.clone().unwrap_or_else(default_data_dir);
    if args.what == Trainable::Entities {
        let out = args
            .out
            .clone()
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("models"));
        return entities::train_command(&data, &out, args.seed);
    }
    if args.what == Trainable::Keywords {
        let out = args.out.clone().unwrap_or_else(|| {
            crate::enrich::Enrichers::bundled_models_dir().join(keywords::FILE_NAME)
        });
        return keywords::train(&data, &out);
    }
    if args.what == Trainable::TextForms {
        let out = args.out.clone().unwrap_or_else(text_forms::default_out);
        return text_forms::train(&data, &out);
    }
    if args.what == Trainable::Gazetteer {
        let out = args.out.clone().unwrap_or_else(|| {
            crate::enrich::Enrichers::bundled_models_dir().join(crate::enrich::places::TABLE_FILE)
        });
        return gazetteer::train_command(&data, &out);
    }
    if args.what == Trainable::Topics {
        let out = args
            .out
            .clone()
            .unwrap_or_else(|| crate::enrich::Enrichers::bundled_models_dir().join("topics.bin"));
        topics::train(&topics::TrainOptions {
            data,
            out,
            seed: args.seed,
            holdout: topics::Holdout::parse(args.holdout.as_deref())?,
            params: topics::Params::default().with_overrides(&args.params)?,
        })?;
        return Ok(());
    }
    anyhow::bail!("training {:?} is not available in this build", args.what)
}

pub fn eval(args: &EvalArgs, models_dir: &Path) -> anyhow::Result<()> {
    match args.what {
        Trainable::Entities => entities::eval_command(&args.data, models_dir),
        Trainable::Language => lang::eval(&args.data).map(|_| ()),
        Trainable::Topics => match (args.cv, &args.holdout) {
            (Some(_), Some(_)) => anyhow::bail!("--cv and --holdout are alternatives"),
            (Some(k), None) => {
                let train_data = args.train_data.clone().unwrap_or_else(default_data_dir);
                let params = topics::Params::default().with_overrides(&args.params)?;
                topics::cross_validate(&train_data, &args.data, k, &params, args.seed).map(|_| ())
            }
            (None, Some(spec)) => {
                let train_data = args.train_data.clone().unwrap_or_else(default_data_dir);
                let params = topics::Params::default().with_overrides(&args.params)?;
                let holdout = topics::Holdout::parse(Some(spec))?;
                let seeds = if args.seeds.is_empty() {
                    vec![args.seed]
                } else {
                    args.seeds.clone()
                };
                topics::holdout_seeds(&train_data, &args.data, &holdout, &seeds, &params)
                    .map(|_| ())
            }
            (None, None) => {
                let path = models_dir.join(crate::enrich::topic::MODEL_FILE);
                let model = crate::enrich::topic::load(&path)?;
                topics::eval(&model, &args.data)
            }
        },
        Trainable::Gazetteer | Trainable::Keywords | Trainable::TextForms => {
            anyhow::bail!(
                "{:?} is a table, not a model: nothing to evaluate",
                args.what
            )
        }
    }
}
