//! The `enrich` command: articles from files (or stdin) → enriched JSONL, no Kafka.
//!
//! Each input is read whole. A `.jsonl` file is one article per line; any other
//! file is one article (plain text, or JSON when it holds an object). Standard
//! input (`-`, or no `--input`) is JSONL when its first line is a JSON object
//! and the whole is not a single JSON value, else one article.
//!
//! One record per article, in input order, with `origin: null`. An article
//! that cannot be decoded, or a file that cannot be read, is reported on
//! stderr with its file and line and counted; the rest go on. The summary
//! `enriched N, failed M` closes the run on stderr.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::Utc;
use rayon::prelude::*;

use crate::cli::EnrichArgs;
use crate::enrich::Enrichers;
use crate::pipeline::decode::decode;
use crate::pipeline::enrich_article;

/// Articles enriched in parallel at once; bounds memory, keeps input order.
const BATCH: usize = 256;

/// What can stop the command as a whole (per-article failures only count).
#[derive(Debug, thiserror::Error)]
pub enum OfflineError {
    #[error("cannot write {target}: {source}")]
    Write {
        target: String,
        source: std::io::Error,
    },
    #[error("cannot encode a record: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("no input could be read")]
    NothingRead,
}

/// Counts reported at the end.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub enriched: usize,
    pub failed: usize,
    /// Inputs (files or stdin) that could be read.
    pub inputs_read: usize,
}

/// One input: a path, or `-` for stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn from_args(paths: &[PathBuf]) -> Vec<Input> {
        if paths.is_empty() {
            return vec![Input::Stdin];
        }
        paths
            .iter()
            .map(|p| {
                if p.as_os_str() == "-" {
                    Input::Stdin
                } else {
                    Input::File(p.clone())
                }
            })
            .collect()
    }

    fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".into(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// One article's payload and where it came from.
struct Item {
    source: String,
    /// 1-based line for JSONL inputs.
    line: Option<usize>,
    payload: Vec<u8>,
}

impl Item {
    fn location(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{l}", self.source),
            None => self.source.clone(),
        }
    }
}

/// Splits one input into article payloads.
fn split_input(source: &str, bytes: Vec<u8>, jsonl: bool) -> Vec<Item> {
    if !jsonl {
        return vec![Item {
            source: source.to_string(),
            line: None,
            payload: bytes,
        }];
    }
    bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .map(|(i, line)| Item {
            source: source.to_string(),
            line: Some(i + 1),
            payload: line.to_vec(),
        })
        .collect()
}

/// Whether stdin content is JSONL: its first non-blank line is a JSON object
/// and the whole is not one JSON value.
fn looks_like_jsonl(bytes: &[u8]) -> bool {
    if serde_json::from_slice::<serde_json::Value>(bytes).is_ok() {
        return false;
    }
    bytes
        .split(|b| *b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
        .and_then(|l| serde_json::from_slice::<serde_json::Value>(l).ok())
        .is_some_and(|v| v.is_object())
}

fn is_jsonl_path(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"))
}

/// Enriches every input; records go to `out`, reports and the summary to `err`.
pub fn run(
    inputs: &[Input],
    enrichers: &Enrichers,
    pretty: bool,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Summary, OfflineError> {
    let mut summary = Summary::default();
    let mut items = Vec::new();
    for input in inputs {
        let name = input.name();
        let read = match input {
            Input::Stdin => {
                let mut buf = Vec::new();
                stdin.read_to_end(&mut buf).map(|_| {
                    let jsonl = looks_like_jsonl(&buf);
                    (buf, jsonl)
                })
            }
            Input::File(p) => std::fs::read(p).map(|b| (b, is_jsonl_path(p))),
        };
        match read {
            Ok((bytes, jsonl)) => {
                summary.inputs_read += 1;
                items.extend(split_input(&name, bytes, jsonl));
            }
            Err(e) => {
                summary.failed += 1;
                report(err, &format!("{name}: cannot read: {e}"))?;
            }
        }
    }

    for chunk in items.chunks(BATCH) {
        let results: Vec<_> = chunk
            .par_iter()
            .map(|item| {
                decode(&item.payload).map(|article| {
                    let record = enrich_article(&article, None, None, enrichers, Utc::now());
                    if pretty {
                        serde_json::to_string_pretty(&record)
                    } else {
                        serde_json::to_string(&record)
                    }
                })
            })
            .collect();
        for (item, result) in chunk.iter().zip(results) {
            match result {
                Ok(json) => {
                    let json = json?;
                    writeln!(out, "{json}").map_err(|source| OfflineError::Write {
                        target: "output".into(),
                        source,
                    })?;
                    summary.enriched += 1;
                }
                Err(dl) => {
                    summary.failed += 1;
                    report(
                        err,
                        &format!("{}: {}: {}", item.location(), dl.class, dl.message),
                    )?;
                }
            }
        }
    }
    out.flush().map_err(|source| OfflineError::Write {
        target: "output".into(),
        source,
    })?;
    report(
        err,
        &format!("enriched {}, failed {}", summary.enriched, summary.failed),
    )?;
    if summary.inputs_read == 0 {
        return Err(OfflineError::NothingRead);
    }
    Ok(summary)
}

fn report(err: &mut dyn Write, line: &str) -> Result<(), OfflineError> {
    writeln!(err, "{line}").map_err(|source| OfflineError::Write {
        target: "stderr".into(),
        source,
    })
}

/// The command: reads `args`, writes to `--output` or stdout.
pub fn run_command(args: &EnrichArgs, enrichers: &Enrichers) -> Result<Summary, OfflineError> {
    let inputs = Input::from_args(&args.inputs);
    let stdin = std::io::stdin();
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|source| OfflineError::Write {
                target: path.display().to_string(),
                source,
            })?;
            Box::new(std::io::BufWriter::new(file))
        }
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    run(
        &inputs,
        enrichers,
        args.pretty,
        &mut stdin.lock(),
        &mut out,
        &mut err,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enrichers() -> Enrichers {
        Enrichers::load(&Enrichers::bundled_models_dir()).unwrap()
    }

    fn run_on(inputs: &[Input], stdin: &str) -> (Result<Summary, OfflineError>, String, String) {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let r = run(
            inputs,
            &enrichers(),
            false,
            &mut stdin.as_bytes(),
            &mut out,
            &mut err,
        );
        (
            r,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn stdin_jsonl_in_order_with_failures_reported() {
        let stdin = "{\"id\":\"a\",\"text\":\"The council met on Monday to approve the budget.\"}\n\nnot json at all {\n{\"id\":\"b\",\"text\":\"\"}\n{\"id\":\"c\",\"title\":\"Only a title here\"}\n";
        let (r, out, err) = run_on(&[Input::Stdin], stdin);
        let s = r.unwrap();
        assert_eq!((s.enriched, s.failed), (3, 1), "{err}");
        let ids: Vec<String> = out
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
            .collect();
        // Line 3 is plain text in a JSONL stream: still an article.
        assert_eq!(ids.len(), 3);
        assert_eq!(ids[0], "\"a\"");
        assert_eq!(ids[2], "\"c\"");
        assert!(err.contains("<stdin>:4: empty_text"), "{err}");
        assert!(err.trim_end().ends_with("enriched 3, failed 1"), "{err}");
    }

    #[test]
    fn stdin_single_plain_text_article() {
        let (r, out, _) = run_on(&Input::from_args(&[]), "");
        assert_eq!(r.unwrap().failed, 1);
        assert!(out.is_empty());
        let text = "Port strike enters third day\nDockers in Marseille kept the cranes idle.\nLa Provence\n";
        let (r, out, _) = run_on(&Input::from_args(&["-".into()]), text);
        assert_eq!(r.unwrap().enriched, 1);
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["article"]["title"], "Port strike enters third day");
        assert_eq!(v["article"]["outlet"], "La Provence");
        assert!(v["origin"].is_null());
    }

    #[test]
    fn unreadable_input_is_reported_and_others_go_on() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("a.txt");
        std::fs::write(&good, "Rain fell on Paris for a third day on Sunday.").unwrap();
        let missing = dir.path().join("missing.jsonl");
        let (r, out, err) = run_on(&[Input::File(missing.clone()), Input::File(good)], "");
        let s = r.unwrap();
        assert_eq!((s.enriched, s.failed, s.inputs_read), (1, 1, 1));
        assert_eq!(out.lines().count(), 1);
        assert!(err.contains("missing.jsonl: cannot read"), "{err}");
        let (r, _, _) = run_on(&[Input::File(missing)], "");
        assert!(matches!(r, Err(OfflineError::NothingRead)));
    }
}
