//! `produce`: feed files into a topic. Directories are walked (sorted); `.jsonl`
//! files give one message per non-blank line, any other file one message. Keys are
//! article ids (the JSON `id` field), else a hash of the content. `--repeat` sends
//! the set again with the ids suffixed (`-r2`, `-r3`, ...); `--rate` throttles.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::stream::{FuturesUnordered, StreamExt};
use sha2::{Digest, Sha256};

use crate::config::Settings;
use crate::kafka::producer::KafkaPublisher;
use crate::kafka::KafkaError;
use crate::metrics::Metrics;
use crate::pipeline::ports::{OutRecord, PublishError, Publisher};
use crate::pipeline::retry::Backoff;

/// Records awaiting their acknowledgement at once.
const MAX_PENDING: usize = 1000;

#[derive(Debug, thiserror::Error)]
pub enum ProduceError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no messages found in {0:?}")]
    Empty(Vec<PathBuf>),
    #[error(transparent)]
    Kafka(#[from] KafkaError),
    #[error("{failed} of {total} messages were rejected by the broker (first: {first})")]
    Rejected {
        failed: u64,
        total: u64,
        first: String,
    },
}

/// One message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileMessage {
    /// `file` or `file:line`.
    pub origin: String,
    pub key: String,
    pub value: Vec<u8>,
}

/// What `produce` did.
#[derive(Debug, Clone)]
pub struct ProduceReport {
    pub sent: u64,
    pub elapsed: Duration,
}

/// The key of a payload: its JSON `id` (string or number), else a content hash.
pub fn key_of(payload: &[u8]) -> String {
    json_id(payload).unwrap_or_else(|| {
        let digest = Sha256::digest(payload);
        hex::encode(&digest[..8])
    })
}

fn json_id(payload: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(payload).ok()?;
    let obj = v.as_object()?;
    let id = obj
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("id"))
        .map(|(_, v)| v)?;
    match id {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn walk(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), ProduceError> {
    let meta = std::fs::metadata(path).map_err(|source| ProduceError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|source| ProduceError::Read {
                path: path.to_path_buf(),
                source,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                !p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            })
            .collect();
        entries.sort();
        for e in entries {
            walk(&e, out)?;
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}

/// Every message in `paths`, in a stable order.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<FileMessage>, ProduceError> {
    let mut files = Vec::new();
    for p in paths {
        walk(p, &mut files)?;
    }
    let mut out = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).map_err(|source| ProduceError::Read {
            path: file.clone(),
            source,
        })?;
        let name = file.display().to_string();
        if file.extension().and_then(|e| e.to_str()) == Some("jsonl") {
            for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                out.push(FileMessage {
                    origin: format!("{name}:{}", i + 1),
                    key: key_of(line),
                    value: line.to_vec(),
                });
            }
        } else {
            out.push(FileMessage {
                origin: name,
                key: key_of(&bytes),
                value: bytes,
            });
        }
    }
    Ok(out)
}

/// The message for round `round` (1-based): from round 2 on, ids get `-r<round>`.
pub fn for_round(m: &FileMessage, round: u32) -> (String, Vec<u8>) {
    if round <= 1 {
        return (m.key.clone(), m.value.clone());
    }
    let key = format!("{}-r{round}", m.key);
    if json_id(&m.value).is_some() {
        if let Ok(serde_json::Value::Object(mut obj)) = serde_json::from_slice(&m.value) {
            if let Some(k) = obj.keys().find(|k| k.eq_ignore_ascii_case("id")).cloned() {
                obj.insert(k, serde_json::Value::String(key.clone()));
                if let Ok(v) = serde_json::to_vec(&obj) {
                    return (key, v);
                }
            }
        }
    }
    (key, m.value.clone())
}

/// Options of one `produce` run.
#[derive(Debug, Clone)]
pub struct ProduceOptions {
    pub topic: String,
    /// Messages per second; 0 = unthrottled.
    pub rate: f64,
    pub repeat: u32,
    pub progress: bool,
}

/// Sends `messages` `repeat` times to `topic`, each awaited until acknowledged.
pub async fn produce(
    settings: &Settings,
    messages: &[FileMessage],
    opts: &ProduceOptions,
) -> Result<ProduceReport, ProduceError> {
    let publisher = Arc::new(KafkaPublisher::new(
        &settings.kafka,
        Arc::new(Metrics::new()),
    )?);
    let total = messages.len() as u64 * u64::from(opts.repeat.max(1));
    let bar = if opts.progress {
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} messages ({per_sec}, eta {eta})",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let started = Instant::now();
    let interval = (opts.rate > 0.0).then(|| Duration::from_secs_f64(1.0 / opts.rate));
    let mut pending = FuturesUnordered::new();
    let mut sent = 0u64;
    let mut rejected = 0u64;
    let mut first_rejection = String::new();
    let mut index = 0u64;
    for round in 1..=opts.repeat.max(1) {
        for m in messages {
            if let Some(every) = interval {
                let due = started + every.mul_f64(index as f64);
                tokio::time::sleep_until(due.into()).await;
            }
            index += 1;
            while pending.len() >= MAX_PENDING {
                if let Some(r) = pending.next().await {
                    tally(r, &bar, &mut sent, &mut rejected, &mut first_rejection);
                }
            }
            let (key, value) = for_round(m, round);
            let record = OutRecord {
                topic: opts.topic.clone(),
                key: Some(key.into_bytes()),
                value: Some(value),
                headers: Vec::new(),
            };
            let p = publisher.clone();
            let backoff = (
                settings.kafka.retry_backoff_initial_ms,
                settings.kafka.retry_backoff_max_ms,
            );
            pending.push(async move { send(&*p, record, backoff).await });
        }
    }
    while let Some(r) = pending.next().await {
        tally(r, &bar, &mut sent, &mut rejected, &mut first_rejection);
    }
    bar.finish_and_clear();
    if let Err(e) = publisher.flush(Duration::from_secs(30)) {
        tracing::warn!(error = %e, "flush");
    }
    if rejected > 0 {
        return Err(ProduceError::Rejected {
            failed: rejected,
            total,
            first: first_rejection,
        });
    }
    Ok(ProduceReport {
        sent,
        elapsed: started.elapsed(),
    })
}

fn tally(
    r: Result<(), String>,
    bar: &indicatif::ProgressBar,
    sent: &mut u64,
    rejected: &mut u64,
    first: &mut String,
) {
    match r {
        Ok(()) => {
            *sent += 1;
            bar.inc(1);
        }
        Err(e) => {
            if first.is_empty() {
                *first = e;
            }
            *rejected += 1;
        }
    }
}

/// Sends one record, retrying transient failures with capped backoff.
async fn send<P: Publisher>(p: &P, record: OutRecord, backoff: (u64, u64)) -> Result<(), String> {
    let mut b = Backoff::new(backoff.0, backoff.1);
    loop {
        match p.publish(&record).await {
            Ok(()) => return Ok(()),
            Err(PublishError::Rejected(e)) => return Err(e),
            Err(PublishError::Transient(e)) => {
                let delay = b.next_delay();
                tracing::warn!(error = %e, attempt = b.attempt(), "produce failed; retrying");
                tokio::time::sleep(delay).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn keys_from_ids_else_hash() {
        assert_eq!(key_of(br#"{"id": "a-1", "text": "x"}"#), "a-1");
        assert_eq!(key_of(br#"{"ID": 42}"#), "42");
        let h = key_of(b"plain text");
        assert_eq!(h.len(), 16);
        assert_eq!(h, key_of(b"plain text"));
        assert_ne!(h, key_of(b"other text"));
    }

    #[test]
    fn jsonl_lines_files_and_directories() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = std::fs::File::create(dir.path().join("b.jsonl")).unwrap();
        writeln!(
            f,
            "{{\"id\":\"x1\",\"text\":\"a\"}}\n\n{{\"id\":\"x2\",\"text\":\"b\"}}\r"
        )
        .unwrap();
        std::fs::write(dir.path().join("a.txt"), "Title\n\nBody").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/c.json"), r#"{"id":"c","text":"c"}"#).unwrap();
        let msgs = collect(&[dir.path().to_path_buf()]).unwrap();
        let keys: Vec<&str> = msgs.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys.len(), 4);
        assert_eq!(&keys[1..], ["x1", "x2", "c"]);
        assert!(msgs[2].origin.ends_with("b.jsonl:3"));
        assert_eq!(msgs[2].value, br#"{"id":"x2","text":"b"}"#);
    }

    #[test]
    fn unreadable_path_is_named() {
        let err = collect(&[PathBuf::from("/nonexistent/articles")]).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/articles"), "{err}");
    }

    #[test]
    fn repeated_rounds_get_new_ids() {
        let m = FileMessage {
            origin: "f".into(),
            key: "a1".into(),
            value: br#"{"id":"a1","text":"t"}"#.to_vec(),
        };
        assert_eq!(for_round(&m, 1).0, "a1");
        let (k, v) = for_round(&m, 3);
        assert_eq!(k, "a1-r3");
        assert_eq!(key_of(&v), "a1-r3");
    }
}
