//! Labelled sentences in CoNLL files.

use std::path::Path;

use anyhow::Context;

use crate::enrich::entities::tagger::label_index;

/// One labelled sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub tokens: Vec<String>,
    pub labels: Vec<usize>,
}

/// Parses CoNLL text: `token ... TAG` per line (first and last columns),
/// blank lines between sentences, `-DOCSTART-` lines ignored.
pub fn parse_conll(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut cur = Sentence {
        tokens: Vec::new(),
        labels: Vec::new(),
    };
    for line in text.lines() {
        let mut cols = line.split_whitespace();
        let (Some(tok), Some(tag)) = (cols.next(), cols.next_back()) else {
            if !cur.tokens.is_empty() {
                out.push(std::mem::replace(
                    &mut cur,
                    Sentence {
                        tokens: Vec::new(),
                        labels: Vec::new(),
                    },
                ));
            }
            continue;
        };
        if tok == "-DOCSTART-" {
            continue;
        }
        cur.tokens.push(tok.to_string());
        cur.labels.push(label_index(tag));
    }
    if !cur.tokens.is_empty() {
        out.push(cur);
    }
    out
}

pub fn read_conll(path: &Path) -> anyhow::Result<Vec<Sentence>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(parse_conll(&text))
}
