//! The librdkafka configuration of each client: what the worker owns, then the
//! pass-through options (`kafka.options`, then `kafka.consumer` / `kafka.producer`).
//! Secrets (any key naming a password, secret or private key) are never logged.

use std::collections::BTreeMap;

use rdkafka::config::ClientConfig;

use crate::config::{Delivery, KafkaSettings};

/// Statistics (consumer lag) every 5 s unless `statistics.interval.ms` is passed through.
const DEFAULT_STATISTICS_INTERVAL_MS: &str = "5000";

/// librdkafka pre-fetches into a local queue of 64 MiB by default; 16 MiB keeps
/// the worker's memory bound close to `max_in_flight × max_message_bytes`
/// while still holding thousands of average articles. Pass
/// `queued.max.messages.kbytes` through `kafka.consumer` to change it.
const DEFAULT_QUEUED_MAX_KBYTES: &str = "16384";

/// Whether a librdkafka option holds a secret.
pub fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("password")
        || k.contains("secret")
        || k.contains("sasl.oauthbearer.config")
        || k.contains("ssl.key.pem")
        || k.contains("ssl_key")
        || k.contains("token")
}

/// Every secret value in the pass-through maps, so log lines can be scrubbed.
pub fn secret_values(k: &KafkaSettings) -> Vec<String> {
    [&k.options, &k.consumer, &k.producer]
        .into_iter()
        .flat_map(|m| m.iter())
        .filter(|(key, v)| is_secret_key(key) && !v.is_empty())
        .map(|(_, v)| v.clone())
        .collect()
}

/// Replaces every secret value in `text` with `[redacted]`.
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        if !s.is_empty() && out.contains(s.as_str()) {
            out = out.replace(s.as_str(), "[redacted]");
        }
    }
    out
}

/// The options a client ends up with, secrets replaced, for logging.
pub fn describe(config: &ClientConfig) -> BTreeMap<String, String> {
    config
        .config_map()
        .iter()
        .map(|(k, v)| {
            let v = if is_secret_key(k) {
                "[redacted]".to_string()
            } else {
                v.to_string()
            };
            (k.to_string(), v)
        })
        .collect()
}

fn common(k: &KafkaSettings) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", &k.brokers)
        .set("client.id", &k.client_id);
    c
}

fn pass_through(c: &mut ClientConfig, maps: &[&BTreeMap<String, String>]) {
    for map in maps {
        for (key, value) in map.iter() {
            c.set(key, value);
        }
    }
}

/// The consumer: manual offset store, background commit of stored offsets
/// (at-least-once) or no commit at all (exactly-once commits through transactions).
pub fn consumer(k: &KafkaSettings) -> ClientConfig {
    let mut c = common(k);
    c.set("group.id", &k.group_id)
        .set("enable.auto.offset.store", "false")
        .set("auto.offset.reset", &k.auto_offset_reset)
        .set("enable.partition.eof", "false")
        .set("statistics.interval.ms", DEFAULT_STATISTICS_INTERVAL_MS)
        .set("queued.max.messages.kbytes", DEFAULT_QUEUED_MAX_KBYTES);
    match k.delivery {
        Delivery::AtLeastOnce => {
            c.set("enable.auto.commit", "true")
                .set("auto.commit.interval.ms", k.commit_interval_ms.to_string());
        }
        Delivery::ExactlyOnce => {
            c.set("enable.auto.commit", "false")
                .set("isolation.level", "read_committed");
        }
    }
    pass_through(&mut c, &[&k.options, &k.consumer]);
    c
}

/// The producer: idempotent, acks=all, compression from settings.
pub fn producer(k: &KafkaSettings, transactional_id: Option<&str>) -> ClientConfig {
    let mut c = common(k);
    c.set("enable.idempotence", "true")
        .set("acks", "all")
        .set("compression.type", &k.compression)
        .set("message.timeout.ms", k.message_timeout_ms.to_string());
    if let Some(id) = transactional_id {
        c.set("transactional.id", id);
    }
    pass_through(&mut c, &[&k.options, &k.producer]);
    c
}

/// A plain producer for feeding topics (`produce`, `demo`, tests): idempotent too.
pub fn feeder(brokers: &str, k: &KafkaSettings) -> ClientConfig {
    let mut k = k.clone();
    k.brokers = brokers.to_string();
    producer(&k, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    #[test]
    fn owned_keys_then_pass_through() {
        let mut s = Settings::defaults().kafka;
        s.options
            .insert("security.protocol".into(), "SASL_SSL".into());
        s.options
            .insert("sasl.password".into(), "hunter2-xyz".into());
        s.consumer
            .insert("statistics.interval.ms".into(), "1000".into());
        let c = consumer(&s);
        assert_eq!(c.get("enable.auto.offset.store"), Some("false"));
        assert_eq!(c.get("enable.auto.commit"), Some("true"));
        assert_eq!(c.get("statistics.interval.ms"), Some("1000"));
        assert_eq!(c.get("queued.max.messages.kbytes"), Some("16384"));
        assert_eq!(c.get("security.protocol"), Some("SASL_SSL"));
        let p = producer(&s, None);
        assert_eq!(p.get("enable.idempotence"), Some("true"));
        assert_eq!(p.get("acks"), Some("all"));
        assert_eq!(p.get("compression.type"), Some("lz4"));
        assert_eq!(p.get("statistics.interval.ms"), None);
        let shown = format!("{:?}", describe(&p));
        assert!(!shown.contains("hunter2-xyz"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn secrets_are_scrubbed_from_text() {
        let mut s = Settings::defaults().kafka;
        s.producer
            .insert("ssl.key.password".into(), "pa55word".into());
        s.options
            .insert("sasl.oauthbearer.client.secret".into(), "s3cr3t".into());
        s.options.insert("sasl.username".into(), "alice".into());
        let secrets = secret_values(&s);
        assert_eq!(secrets.len(), 2);
        let line = redact("user alice pass pa55word and s3cr3t", &secrets);
        assert_eq!(line, "user alice pass [redacted] and [redacted]");
    }

    #[test]
    fn exactly_once_disables_auto_commit() {
        let mut s = Settings::defaults().kafka;
        s.delivery = Delivery::ExactlyOnce;
        let c = consumer(&s);
        assert_eq!(c.get("enable.auto.commit"), Some("false"));
        assert_eq!(c.get("isolation.level"), Some("read_committed"));
        let p = producer(&s, Some("g-host"));
        assert_eq!(p.get("transactional.id"), Some("g-host"));
    }
}
