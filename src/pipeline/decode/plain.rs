//! Plain text as scrapers paste it: title line, body, outlet line.

use super::values::one_line;
use super::{OUTLET_MAX_CHARS, OUTLET_MAX_WORDS, TITLE_MAX_CHARS, TITLE_MAX_WORDS};
use crate::model::Article;

/// Sentence-final or clause-final marks: a line ending with one is prose.
fn ends_with_punctuation(line: &str) -> bool {
    line.chars().last().is_some_and(|c| {
        matches!(
            c,
            '.' | '!'
                | '?'
                | '؟'
                | '…'
                | ':'
                | ';'
                | ','
                | '،'
                | '؛'
                | '。'
                | '"'
                | '\''
                | '»'
                | '”'
                | ')'
                | ']'
        )
    })
}

fn is_title_line(line: &str) -> bool {
    let prose_end = line.ends_with(['.', '。', ':', ';', ',', '،', '؛']) && !line.ends_with("...");
    line.chars().count() <= TITLE_MAX_CHARS
        && line.split_whitespace().count() <= TITLE_MAX_WORDS
        && line.chars().any(char::is_alphabetic)
        && !prose_end
}

/// The outlet named on a line, if the line is one: short, no final punctuation.
fn outlet_of(line: &str) -> Option<String> {
    let mut t = line
        .trim()
        .trim_start_matches(['-', '—', '–', '•', '*', ' '])
        .trim();
    for prefix in ["source:", "source :", "المصدر:", "المصدر :"] {
        if t.len() > prefix.len()
            && t.is_char_boundary(prefix.len())
            && t[..prefix.len()].to_lowercase() == prefix
        {
            t = t[prefix.len()..].trim();
        }
    }
    let ok = !t.is_empty()
        && t.chars().count() <= OUTLET_MAX_CHARS
        && t.split_whitespace().count() <= OUTLET_MAX_WORDS
        && t.chars().any(char::is_alphabetic)
        && !ends_with_punctuation(t)
        && !t.starts_with(['"', '«', '“', '\'', '(']);
    ok.then(|| t.to_string())
}

/// A line that closes a paragraph: final punctuation, or long enough to be prose.
fn ends_paragraph(line: &str) -> bool {
    ends_with_punctuation(line) || line.chars().count() > 100
}

pub(super) fn from_plain_text(text: &str) -> Article {
    // (byte start, byte end) of every non-empty line, trimmed.
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut offset = 0;
    for raw in text.split('\n') {
        let start = offset + (raw.len() - raw.trim_start().len());
        let end = offset + raw.trim_end().len();
        if end > start {
            lines.push((start, end));
        }
        offset += raw.len() + 1;
    }
    let line = |i: usize| -> &str { lines.get(i).map_or("", |&(s, e)| &text[s..e]) };

    let mut first = 0;
    let mut last = lines.len();
    let mut article = Article::default();

    if lines.len() >= 2 && is_title_line(line(0)) {
        article.title = Some(one_line(line(0)));
        first = 1;
    }
    if last >= first + 2 && ends_paragraph(line(last - 2)) {
        if let Some(outlet) = outlet_of(line(last - 1)) {
            article.outlet = Some(outlet);
            last -= 1;
        }
    }
    if first < last {
        let start = lines[first].0;
        let end = lines[last - 1].1;
        article.text = text[start..end].to_string();
    }
    article
}
