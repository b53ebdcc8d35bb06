//! Reading the training sources: JSON files (plain or gzip-compressed),
//! gzip-compressed lines, and the few value shapes the sources use.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use anyhow::Context;
use serde_json::Value;

pub(crate) fn read_json(path: &Path) -> anyhow::Result<Value> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut s = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut s)
            .with_context(|| format!("decompressing {}", path.display()))?;
        Ok(serde_json::from_slice(&s)?)
    } else {
        Ok(serde_json::from_slice(&bytes)?)
    }
}

pub(crate) fn gz_lines(
    path: &Path,
) -> anyhow::Result<impl Iterator<Item = std::io::Result<String>>> {
    let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    Ok(BufReader::new(flate2::read::GzDecoder::new(f)).lines())
}

/// A string or the strings of an array.
pub(crate) fn strs(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The non-blank string at `path` in nested objects.
pub(crate) fn s(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    cur.as_str()
        .map(str::to_string)
        .filter(|x| !x.trim().is_empty())
}

/// A number, or a string holding one.
pub(crate) fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
