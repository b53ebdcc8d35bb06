//! A rule word list: entries of normalised tokens indexed by their first
//! word (without its article), matched against an article's tokens with the
//! proclitics they may carry.

use crate::enrich::text::hash::FxHashMap;
use crate::enrich::text::{arabic, Document, Lang, Token};

use super::gap;

/// A word list, each entry a sequence of normalised tokens.
#[derive(Debug, Default)]
pub(super) struct Lexicon {
    pub(super) entries: Vec<Vec<String>>,
    /// Entries written all in capitals (acronyms) match only in capitals.
    upper: Vec<bool>,
    pub(super) by_first: FxHashMap<String, Vec<usize>>,
}

pub(super) fn strip_article(s: &str) -> &str {
    s.strip_prefix("ال")
        .filter(|r| r.chars().count() >= 2)
        .unwrap_or(s)
}

impl Lexicon {
    pub(super) fn new(list: &str) -> Self {
        let mut lex = Lexicon::default();
        for line in list.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let lang = if line.chars().any(arabic::is_arabic_letter) {
                Lang::Ar
            } else {
                Lang::Other
            };
            let doc = Document::with_lang("", line, lang);
            let toks: Vec<String> = doc
                .body_tokens()
                .iter()
                .map(|t| doc.norm(t).to_string())
                .collect();
            let Some(first) = toks.first() else { continue };
            let i = lex.entries.len();
            lex.by_first
                .entry(strip_article(first).to_string())
                .or_default()
                .push(i);
            lex.upper.push(
                line.chars().filter(|c| c.is_alphabetic()).count() > 1
                    && line
                        .chars()
                        .filter(|c| c.is_alphabetic())
                        .all(char::is_uppercase),
            );
            lex.entries.push(toks);
        }
        lex
    }

    pub(super) fn entry_ok(&self, doc: &Document<'_>, toks: &[Token], i: usize) -> bool {
        let entry = &self.entries[i];
        entry.len() <= toks.len()
            && entry
                .iter()
                .zip(toks)
                .enumerate()
                .all(|(k, (e, t))| token_matches(doc, t, e, k == 0))
            && (!self.upper[i]
                || toks[..entry.len()].iter().all(|t| {
                    doc.surface(t)
                        .chars()
                        .filter(|c| c.is_alphabetic())
                        .all(char::is_uppercase)
                }))
    }

    /// Length in tokens of the longest entry starting at `toks[i]` (no
    /// punctuation inside), among the `candidates` of `toks[i]`.
    pub(super) fn longest_at(
        &self,
        doc: &Document<'_>,
        toks: &[Token],
        i: usize,
        candidates: &[u32],
    ) -> Option<usize> {
        let mut best = None;
        for &e in candidates {
            let e = e as usize;
            let n = self.entries.get(e).map_or(0, Vec::len);
            if n == 0 || i + n > toks.len() || best.is_some_and(|b| b >= n) {
                continue;
            }
            if (i + 1..i + n).any(|k| gap(doc, &toks[k - 1], &toks[k])) {
                continue;
            }
            if self.entry_ok(doc, &toks[i..i + n], e) {
                best = Some(n);
            }
        }
        best
    }
}

/// Whether a text token matches a normalised list token; the first token of an
/// entry may carry proclitics (و ف ب ك ل, لل for ال).
fn token_matches(doc: &Document<'_>, t: &Token, entry: &str, first: bool) -> bool {
    let norm = doc.norm(t);
    if norm == entry {
        return true;
    }
    if !norm.starts_with(|c: char| arabic::is_arabic_letter(c)) {
        return false;
    }
    if first && arabic::proclitic_readings(norm).any(|r| r == entry) {
        return true;
    }
    let p = arabic::proclitics(norm);
    (first || p.particles == 0) && p.article > 0 && entry.strip_prefix("ال") == Some(doc.base(t))
}
