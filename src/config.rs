//! Settings: `config/default.toml` (compiled in) → `--config FILE` → environment
//! (`NEWS_ENRICHER__SECTION__KEY`). [`load`] reports every problem at once, each
//! naming its key.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use config::{Config, Environment, File, FileFormat};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The defaults, compiled into the binary so it runs from any directory.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

const ENV_PREFIX: &str = "NEWS_ENRICHER";

/// librdkafka options the worker sets itself; pass-through maps may not override them.
pub const OWNED_KAFKA_KEYS: &[&str] = &[
    "bootstrap.servers",
    "group.id",
    "client.id",
    "enable.auto.commit",
    "enable.auto.offset.store",
    "auto.offset.reset",
    "enable.idempotence",
    "acks",
    "request.required.acks",
    "transactional.id",
    "isolation.level",
    "compression.type",
    "compression.codec",
    "message.timeout.ms",
    "delivery.timeout.ms",
];

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub kafka: KafkaSettings,
    pub enrich: EnrichSettings,
    pub http: HttpSettings,
    pub log: LogSettings,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    AtLeastOnce,
    ExactlyOnce,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KafkaSettings {
    pub brokers: String,
    pub group_id: String,
    pub input_topic: String,
    pub output_topic: String,
    pub dead_letter_topic: String,
    pub client_id: String,
    pub auto_offset_reset: String,
    pub compression: String,
    pub delivery: Delivery,
    pub transaction_max_messages: usize,
    pub transaction_max_ms: u64,
    pub transactional_id: String,
    pub max_in_flight: usize,
    pub max_message_bytes: usize,
    pub retry_backoff_initial_ms: u64,
    pub retry_backoff_max_ms: u64,
    pub commit_interval_ms: u64,
    pub drain_timeout_ms: u64,
    pub message_timeout_ms: u64,
    /// librdkafka options for consumer and producer.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// librdkafka options for the consumer only.
    #[serde(default)]
    pub consumer: BTreeMap<String, String>,
    /// librdkafka options for the producer only.
    #[serde(default)]
    pub producer: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EnrichSettings {
    pub models_dir: PathBuf,
    pub threads: usize,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HttpSettings {
    pub listen: String,
    pub enabled: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub format: String,
    pub level: String,
}

/// One configuration problem, naming its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub key: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

/// Configuration could not be loaded; lists every problem found.
#[derive(Debug, thiserror::Error)]
pub struct ConfigError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration ({} problem", self.problems.len())?;
        if self.problems.len() != 1 {
            f.write_str("s")?;
        }
        f.write_str(")")?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl ConfigError {
    fn one(key: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError {
            problems: vec![Problem {
                key: key.into(),
                message: message.into(),
            }],
        }
    }
}

/// Loads settings: defaults, then `file` if given, then the process environment.
pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
    load_from(file, std::env::vars())
}

/// Like [`load`], with the environment given explicitly (for tests).
pub fn load_from(
    file: Option<&Path>,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<Settings, ConfigError> {
    let mut builder = Config::builder().add_source(File::from_str(DEFAULT_TOML, FileFormat::Toml));
    if let Some(path) = file {
        if !path.exists() {
            return Err(ConfigError::one(
                "--config",
                format!("file {} does not exist", path.display()),
            ));
        }
        builder = builder.add_source(File::from(path).format(FileFormat::Toml));
    }
    let env: config::Map<String, String> = env
        .into_iter()
        .filter(|(k, _)| k.starts_with(&format!("{ENV_PREFIX}__")))
        .map(|(k, v)| (pass_through_env_key(&k), v))
        .collect();
    builder = builder.add_source(
        Environment::with_prefix(ENV_PREFIX)
            .prefix_separator("__")
            .separator("__")
            .source(Some(env)),
    );
    let merged = builder
        .build()
        .map_err(|e| ConfigError::one(file_key(file), e.to_string()))?;
    let tree: Value = merged
        .clone()
        .try_deserialize()
        .map_err(|e| ConfigError::one(file_key(file), e.to_string()))?;
    let defaults: Value = Config::builder()
        .add_source(File::from_str(DEFAULT_TOML, FileFormat::Toml))
        .build()
        .and_then(|c| c.try_deserialize())
        .map_err(|e| ConfigError::one("default.toml", e.to_string()))?;

    let mut problems = Vec::new();
    check_shape(&defaults, &tree, "", &mut problems);
    if !problems.is_empty() {
        return Err(ConfigError { problems });
    }
    let settings: Settings = serde_json::from_value(coerce(&defaults, tree))
        .map_err(|e| ConfigError::one(file_key(file), e.to_string()))?;
    settings.validate()?;
    Ok(settings)
}

fn file_key(file: Option<&Path>) -> String {
    file.map(|p| p.display().to_string())
        .unwrap_or_else(|| "configuration".into())
}

/// Environment keys for pass-through maps carry librdkafka names with dots written
/// as underscores: `NEWS_ENRICHER__KAFKA__OPTIONS__SASL_USERNAME` → `sasl.username`.
fn pass_through_env_key(key: &str) -> String {
    let parts: Vec<&str> = key.split("__").collect();
    if parts.len() == 4
        && parts[1].eq_ignore_ascii_case("kafka")
        && ["options", "consumer", "producer"]
            .iter()
            .any(|m| parts[2].eq_ignore_ascii_case(m))
    {
        // The config crate turns the dots into nested tables; `flatten_options`
        // joins them back into the dotted librdkafka name.
        let name = parts[3].to_ascii_lowercase().replace('_', ".");
        return format!("{}__{}__{}__{}", parts[0], parts[1], parts[2], name);
    }
    key.to_string()
}

const MAPS: &[&str] = &["kafka.options", "kafka.consumer", "kafka.producer"];

/// Compares the merged tree against the defaults: unknown keys and values of the
/// wrong type, all of them.
fn check_shape(default: &Value, actual: &Value, path: &str, problems: &mut Vec<Problem>) {
    match (default, actual) {
        (Value::Object(d), Value::Object(a)) => {
            for (k, v) in a {
                let key = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if MAPS.contains(&key.as_str()) {
                    check_pass_through(&key, v, problems);
                    continue;
                }
                match d.get(k) {
                    None => problems.push(Problem {
                        key,
                        message: "unknown key".into(),
                    }),
                    Some(dv) => check_shape(dv, v, &key, problems),
                }
            }
        }
        (Value::Object(_), _) => problems.push(Problem {
            key: path.into(),
            message: "expected a table".into(),
        }),
        (Value::Bool(_), v) if as_bool(v).is_none() => problems.push(Problem {
            key: path.into(),
            message: format!("expected true or false, got {v}"),
        }),
        (Value::Number(_), v) if as_u64(v).is_none() => problems.push(Problem {
            key: path.into(),
            message: format!("expected a non-negative integer, got {v}"),
        }),
        (Value::String(_), v) if !(v.is_string() || v.is_number() || v.is_boolean()) => problems
            .push(Problem {
                key: path.into(),
                message: format!("expected a string, got {v}"),
            }),
        _ => {}
    }
}

fn check_pass_through(key: &str, v: &Value, problems: &mut Vec<Problem>) {
    let Value::Object(map) = v else {
        problems.push(Problem {
            key: key.into(),
            message: "expected a table of librdkafka options".into(),
        });
        return;
    };
    for (name, value) in flatten_options(map) {
        let full = format!("{key}.\"{name}\"");
        if OWNED_KAFKA_KEYS.contains(&name.as_str()) {
            problems.push(Problem {
                key: full,
                message: "is set by the worker itself and cannot be overridden".into(),
            });
        } else if value.is_none() {
            problems.push(Problem {
                key: full,
                message: "expected a string, number or boolean".into(),
            });
        }
    }
}

/// TOML `sasl.username = "x"` inside a table parses as nested tables; flatten them
/// back into dotted librdkafka names.
fn flatten_options(map: &serde_json::Map<String, Value>) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for (k, v) in map {
        match v {
            Value::Object(inner) => {
                for (ik, iv) in flatten_options(inner) {
                    out.push((format!("{k}.{ik}"), iv));
                }
            }
            Value::String(s) => out.push((k.clone(), Some(s.clone()))),
            Value::Number(n) => out.push((k.clone(), Some(n.to_string()))),
            Value::Bool(b) => out.push((k.clone(), Some(b.to_string()))),
            _ => out.push((k.clone(), None)),
        }
    }
    out
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Converts strings from the environment to the type the defaults have.
fn coerce(default: &Value, actual: Value) -> Value {
    match (default, actual) {
        (Value::Object(d), Value::Object(a)) => Value::Object(
            a.into_iter()
                .map(|(k, v)| {
                    let v = match d.get(&k) {
                        Some(dv) if !dv.as_object().is_some_and(|o| o.is_empty()) => coerce(dv, v),
                        _ => match v {
                            Value::Object(m) => Value::Object(
                                flatten_options(&m)
                                    .into_iter()
                                    .map(|(k, v)| (k, Value::String(v.unwrap_or_default())))
                                    .collect(),
                            ),
                            other => other,
                        },
                    };
                    (k, v)
                })
                .collect(),
        ),
        (Value::Bool(_), v) => as_bool(&v).map(Value::Bool).unwrap_or(v),
        (Value::Number(_), v) => as_u64(&v).map(Value::from).unwrap_or(v),
        (Value::String(_), Value::Number(n)) => Value::String(n.to_string()),
        (Value::String(_), Value::Bool(b)) => Value::String(b.to_string()),
        (_, v) => v,
    }
}

impl Settings {
    /// Defaults only (no file, no environment).
    pub fn defaults() -> Settings {
        match load_from(None, std::iter::empty()) {
            Ok(s) => s,
            Err(e) => panic!("config/default.toml is invalid: {e}"),
        }
    }

    /// Semantic checks; every problem at once.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let mut p = Vec::new();
        let mut bad = |key: &str, message: String| {
            p.push(Problem {
                key: key.into(),
                message,
            })
        };
        let k = &self.kafka;
        for (key, value) in [
            ("kafka.brokers", &k.brokers),
            ("kafka.group_id", &k.group_id),
            ("kafka.input_topic", &k.input_topic),
            ("kafka.output_topic", &k.output_topic),
            ("kafka.dead_letter_topic", &k.dead_letter_topic),
            ("kafka.client_id", &k.client_id),
        ] {
            if value.trim().is_empty() {
                bad(key, "must not be empty".into());
            }
        }
        for (key, topic) in [
            ("kafka.input_topic", &k.input_topic),
            ("kafka.output_topic", &k.output_topic),
            ("kafka.dead_letter_topic", &k.dead_letter_topic),
        ] {
            if !topic.is_empty()
                && (topic.len() > 249
                    || !topic
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
            {
                bad(key, format!("{topic:?} is not a valid Kafka topic name"));
            }
        }
        if k.input_topic == k.output_topic || k.input_topic == k.dead_letter_topic {
            bad(
                "kafka.input_topic",
                "must differ from the output and dead-letter topics".into(),
            );
        }
        if !matches!(k.auto_offset_reset.as_str(), "earliest" | "latest") {
            bad(
                "kafka.auto_offset_reset",
                format!(
                    "{:?}: expected \"earliest\" or \"latest\"",
                    k.auto_offset_reset
                ),
            );
        }
        if !matches!(
            k.compression.as_str(),
            "none" | "gzip" | "snappy" | "lz4" | "zstd"
        ) {
            bad(
                "kafka.compression",
                format!(
                    "{:?}: expected none, gzip, snappy, lz4 or zstd",
                    k.compression
                ),
            );
        }
        for (key, v, min) in [
            ("kafka.max_in_flight", k.max_in_flight as u64, 1),
            ("kafka.max_message_bytes", k.max_message_bytes as u64, 64),
            (
                "kafka.transaction_max_messages",
                k.transaction_max_messages as u64,
                1,
            ),
            ("kafka.transaction_max_ms", k.transaction_max_ms, 1),
            (
                "kafka.retry_backoff_initial_ms",
                k.retry_backoff_initial_ms,
                1,
            ),
            ("kafka.commit_interval_ms", k.commit_interval_ms, 1),
            ("kafka.message_timeout_ms", k.message_timeout_ms, 1),
        ] {
            if v < min {
                bad(key, format!("must be at least {min}, got {v}"));
            }
        }
        if k.max_in_flight > 100_000 {
            bad(
                "kafka.max_in_flight",
                format!("must be at most 100000, got {}", k.max_in_flight),
            );
        }
        if k.retry_backoff_max_ms < k.retry_backoff_initial_ms {
            bad(
                "kafka.retry_backoff_max_ms",
                "must be at least kafka.retry_backoff_initial_ms".into(),
            );
        }
        if self.http.enabled && self.http.listen.parse::<std::net::SocketAddr>().is_err() {
            bad(
                "http.listen",
                format!(
                    "{:?} is not an address like 127.0.0.1:9464",
                    self.http.listen
                ),
            );
        }
        if !matches!(self.log.format.as_str(), "text" | "json") {
            bad(
                "log.format",
                format!("{:?}: expected \"text\" or \"json\"", self.log.format),
            );
        }
        if tracing_subscriber::EnvFilter::try_new(&self.log.level).is_err() {
            bad(
                "log.level",
                format!("{:?} is not a valid tracing filter", self.log.level),
            );
        }
        if p.is_empty() {
            Ok(())
        } else {
            Err(ConfigError { problems: p })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    #[test]
    fn defaults_load_and_validate() {
        let s = Settings::defaults();
        assert_eq!(s.kafka.compression, "lz4");
        assert_eq!(s.kafka.delivery, Delivery::AtLeastOnce);
        assert_eq!(s.http.listen, "127.0.0.1:9464");
    }

    #[test]
    fn file_overrides_defaults_and_env_overrides_file() {
        let f = file("[kafka]\nbrokers = \"file:9092\"\ngroup_id = \"from-file\"\n");
        let s = load_from(
            Some(f.path()),
            env(&[("NEWS_ENRICHER__KAFKA__BROKERS", "env:9092")]),
        )
        .unwrap();
        assert_eq!(s.kafka.brokers, "env:9092");
        assert_eq!(s.kafka.group_id, "from-file");
        assert_eq!(s.kafka.output_topic, "articles.enriched");
    }

    #[test]
    fn env_numbers_and_bools_are_parsed() {
        let s = load_from(
            None,
            env(&[
                ("NEWS_ENRICHER__KAFKA__MAX_IN_FLIGHT", "64"),
                ("NEWS_ENRICHER__HTTP__ENABLED", "false"),
                ("NEWS_ENRICHER__KAFKA__DELIVERY", "exactly-once"),
            ]),
        )
        .unwrap();
        assert_eq!(s.kafka.max_in_flight, 64);
        assert!(!s.http.enabled);
        assert_eq!(s.kafka.delivery, Delivery::ExactlyOnce);
    }

    #[test]
    fn pass_through_options_from_file_and_env() {
        let f = file(
            "[kafka.options]\n\"security.protocol\" = \"SASL_SSL\"\nsasl.mechanism = \"PLAIN\"\n",
        );
        let s = load_from(
            Some(f.path()),
            env(&[("NEWS_ENRICHER__KAFKA__CONSUMER__FETCH_MAX_BYTES", "1000000")]),
        )
        .unwrap();
        assert_eq!(s.kafka.options["security.protocol"], "SASL_SSL");
        assert_eq!(s.kafka.options["sasl.mechanism"], "PLAIN");
        assert_eq!(s.kafka.consumer["fetch.max.bytes"], "1000000");
    }

    #[test]
    fn every_problem_is_listed_with_its_key() {
        let f = file(
            "[kafka]\nbrokrs = \"x\"\nmax_in_flight = \"many\"\ncompression = \"rar\"\n\
             [kafka.producer]\nacks = \"1\"\n[http]\nlisten = \"nowhere\"\n[surprise]\nx = 1\n",
        );
        let err = load_from(Some(f.path()), env(&[])).unwrap_err();
        let keys: Vec<&str> = err.problems.iter().map(|p| p.key.as_str()).collect();
        assert!(keys.contains(&"kafka.brokrs"), "{err}");
        assert!(keys.contains(&"kafka.max_in_flight"), "{err}");
        assert!(keys.contains(&"kafka.producer.\"acks\""), "{err}");
        assert!(keys.contains(&"surprise"), "{err}");
        // Type problems stop before semantic validation; fix them and the rest shows.
        let f = file(
            "[kafka]\ncompression = \"rar\"\nmax_in_flight = 0\n[http]\nlisten = \"nowhere\"\n",
        );
        let err = load_from(Some(f.path()), env(&[])).unwrap_err();
        let keys: Vec<&str> = err.problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            ["kafka.compression", "kafka.max_in_flight", "http.listen"],
            "{err}"
        );
    }

    #[test]
    fn unknown_env_key_is_rejected() {
        let err = load_from(None, env(&[("NEWS_ENRICHER__KAFKA__BROKER", "x:1")])).unwrap_err();
        assert_eq!(err.problems[0].key, "kafka.broker");
    }

    #[test]
    fn missing_config_file_is_named() {
        let err = load_from(Some(Path::new("/nonexistent/x.toml")), env(&[])).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/x.toml"));
    }
}
