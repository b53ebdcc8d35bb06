//! Training settings of the topic classifier and their `--param KEY=VALUE`
//! overrides.

use std::path::PathBuf;

use anyhow::{bail, Context};

use super::{default_lexicon_dir, default_tune_dir};
use crate::enrich::topic::features::{self, FeatureConfig};

/// Training settings; `--param KEY=VALUE` overrides the defaults (the
/// shipped model uses the defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub epochs: usize,
    /// AdaGrad's step size (0.4 over 6 epochs scores higher than 0.5 over 5
    /// on whole outlets held out of training).
    pub learning_rate: f32,
    /// log2 of the number of feature hash buckets.
    pub bits: u8,
    /// Feature flags ([`features`]).
    pub flags: u32,
    pub max_body_bytes: u32,
    /// A label's positives weigh `(negatives / positives)^balance`, within
    /// `1..=max_pos_weight` (0 = no class balance).
    pub balance: f32,
    pub max_pos_weight: f32,
    /// Loss weight of articles with weak labels only (lexicon labels are
    /// noisier than corpus labels: a topic none of its terms names is taken
    /// as absent; at half weight, models generalise better to outlets they
    /// were not trained on).
    pub weak_weight: f32,
    /// Self-training rounds after the first model.
    pub self_rounds: usize,
    /// Self-training: an unknown entry becomes positive / negative at or
    /// over / under these probabilities.
    pub self_pos: f32,
    pub self_neg: f32,
    /// Thresholds per label (else one for all), chosen on dev.
    pub label_thresholds: bool,
    pub lexicons: PathBuf,
    /// Hand-labelled tuning articles ([`data::tune_labels`]).
    pub tune: PathBuf,
    /// Strength of the prior that keeps a label's calibration offset at
    /// its dev fit when the tuning articles move it (0 = they do not).
    pub tune_prior: f32,
    /// Fits averaged in each round ([`fit::fit_averaged`]).
    pub average: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            epochs: 6,
            learning_rate: 0.4,
            bits: 18,
            flags: features::WORDS | features::BIGRAMS | features::STEMS | features::CHAR4,
            max_body_bytes: 3000,
            balance: 0.0,
            max_pos_weight: 1.0,
            weak_weight: 0.5,
            self_rounds: 1,
            self_pos: 0.95,
            self_neg: 0.1,
            label_thresholds: true,
            lexicons: default_lexicon_dir(),
            tune: default_tune_dir(),
            tune_prior: 10.0,
            average: 3,
        }
    }
}

const FLAG_NAMES: [(&str, u32); 6] = [
    ("words", features::WORDS),
    ("bigrams", features::BIGRAMS),
    ("stems", features::STEMS),
    ("char3", features::CHAR3),
    ("char4", features::CHAR4),
    ("char5", features::CHAR5),
];

impl Params {
    /// Applies `KEY=VALUE` overrides.
    pub fn with_overrides(mut self, overrides: &[String]) -> anyhow::Result<Self> {
        for o in overrides {
            let Some((k, v)) = o.split_once('=') else {
                bail!("--param takes KEY=VALUE, not {o:?}");
            };
            self.set(k.trim(), v.trim())
                .with_context(|| format!("--param {o}"))?;
        }
        Ok(self)
    }

    fn set(&mut self, key: &str, v: &str) -> anyhow::Result<()> {
        match key {
            "epochs" => self.epochs = v.parse()?,
            "learning_rate" => self.learning_rate = v.parse()?,
            "bits" => self.bits = v.parse()?,
            "features" => {
                let mut flags = 0;
                for name in v.split('+') {
                    let Some((_, f)) = FLAG_NAMES.iter().find(|(n, _)| *n == name) else {
                        bail!("unknown feature {name:?}");
                    };
                    flags |= f;
                }
                self.flags = flags;
            }
            "max_body_bytes" => self.max_body_bytes = v.parse()?,
            "balance" => self.balance = v.parse()?,
            "max_pos_weight" => self.max_pos_weight = v.parse()?,
            "weak_weight" => self.weak_weight = v.parse()?,
            "self_rounds" => self.self_rounds = v.parse()?,
            "self_pos" => self.self_pos = v.parse()?,
            "self_neg" => self.self_neg = v.parse()?,
            "label_thresholds" => self.label_thresholds = v.parse()?,
            "lexicons" => self.lexicons = PathBuf::from(v),
            "tune" => self.tune = PathBuf::from(v),
            "tune_prior" => self.tune_prior = v.parse()?,
            "average" => self.average = v.parse()?,
            _ => bail!("unknown training parameter {key:?}"),
        }
        let cfg = self.feature_config();
        if !cfg.is_valid() {
            bail!("invalid feature configuration {cfg:?}");
        }
        Ok(())
    }

    pub fn feature_config(&self) -> FeatureConfig {
        FeatureConfig {
            bits: self.bits,
            flags: self.flags,
            max_body_bytes: self.max_body_bytes,
        }
    }

    /// The settings as `KEY=VALUE` pairs (the model's metadata records them).
    pub fn describe(&self) -> String {
        let features: Vec<&str> = FLAG_NAMES
            .iter()
            .filter(|(_, f)| self.flags & f != 0)
            .map(|(n, _)| *n)
            .collect();
        format!(
            "epochs={} learning_rate={} bits={} features={} max_body_bytes={} balance={} \
             max_pos_weight={} weak_weight={} self_rounds={} self_pos={} self_neg={} \
             label_thresholds={} tune_prior={} average={}",
            self.epochs,
            self.learning_rate,
            self.bits,
            features.join("+"),
            self.max_body_bytes,
            self.balance,
            self.max_pos_weight,
            self.weak_weight,
            self.self_rounds,
            self.self_pos,
            self.self_neg,
            self.label_thresholds,
            self.tune_prior,
            self.average
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_overrides_and_description() {
        let p = Params::default()
            .with_overrides(&["epochs=7".into(), "features=words+char3".into()])
            .unwrap_or_else(|e| panic!("{e:#}"));
        assert_eq!(p.epochs, 7);
        assert_eq!(p.flags, features::WORDS | features::CHAR3);
        assert!(p.describe().contains("features=words+char3"));
        for bad in ["epochs", "nope=1", "bits=40", "features=words+x"] {
            assert!(
                Params::default().with_overrides(&[bad.into()]).is_err(),
                "{bad}"
            );
        }
    }
}
