//! The lead and an extractive summary.
//!
//! The lead is the first sentence of the body, with the second when both fit
//! in [`LEAD_MAX_CHARS`]; heading-like lines before it (short, no final
//! punctuation) and a repetition of the title are skipped.
//!
//! The summary is the lead sentence plus the most central other sentences,
//! ranked by TextRank (Mihalcea & Tarau 2004) over the sentences' bags of
//! stems weighted by inverse document frequency, 1 to 3 sentences in document
//! order, as written in the article.

use super::{Document, Sentence};

/// Soft limit of the lead, in code points.
pub const LEAD_MAX_CHARS: usize = 300;

/// Sentences with fewer words are headings or datelines, not summary material.
const MIN_WORDS: usize = 4;

fn words(doc: &Document<'_>, s: &Sentence) -> usize {
    doc.sentence_tokens(s)
        .iter()
        .filter(|t| t.is_word())
        .count()
}

fn ends_with_punctuation(text: &str) -> bool {
    text.trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| !c.is_alphanumeric())
}

fn same_words(doc: &Document<'_>, s: &Sentence) -> bool {
    let title = doc.title_tokens();
    let sent = doc.sentence_tokens(s);
    !title.is_empty()
        && title.len() == sent.len()
        && title
            .iter()
            .zip(sent)
            .all(|(a, b)| doc.norm(a) == doc.norm(b))
}

/// Index of the sentence the lead starts with.
pub fn lead_index(doc: &Document<'_>) -> Option<usize> {
    let sentences = doc.sentences();
    let content = |i: usize| {
        let s = &sentences[i];
        !same_words(doc, s)
            && (words(doc, s) >= MIN_WORDS || ends_with_punctuation(doc.sentence_text(s)))
    };
    (0..sentences.len())
        .find(|&i| content(i))
        .or_else(|| (0..sentences.len()).find(|&i| !same_words(doc, &sentences[i])))
}

/// The lead: first sentence(s) of the body, or `None` for an empty body.
pub fn lead(doc: &Document<'_>) -> Option<String> {
    let i = lead_index(doc)?;
    let sentences = doc.sentences();
    let first = doc.sentence_text(&sentences[i]);
    let mut lead = first.to_string();
    let first_len = first.chars().count();
    if let Some(next) = sentences.get(i + 1) {
        let second = doc.sentence_text(next);
        if ends_with_punctuation(first)
            && words(doc, next) >= MIN_WORDS
            && first_len + 1 + second.chars().count() <= LEAD_MAX_CHARS
        {
            lead.push(' ');
            lead.push_str(second);
        }
    }
    Some(lead)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lead_cases() {
        let cases: &[(&str, &str, &str, Option<&str>)] = &[
            ("empty", "", "", None),
            (
                "two short sentences",
                "Talks",
                "The talks ended on Monday. Both sides signed the deal.",
                Some("The talks ended on Monday. Both sides signed the deal."),
            ),
            (
                "heading skipped",
                "",
                "Breaking news\nThe talks ended on Monday without a deal.",
                Some("The talks ended on Monday without a deal."),
            ),
            (
                "title repeated in body",
                "Talks end",
                "Talks end\nThe talks ended on Monday without a deal.",
                Some("The talks ended on Monday without a deal."),
            ),
        ];
        for (name, title, body, want) in cases {
            let doc = Document::new(title, body, "en");
            assert_eq!(lead(&doc).as_deref(), *want, "{name}");
        }
    }

    #[test]
    fn long_first_sentence_stands_alone() {
        let first = format!("The talks {} ended.", "went on and on ".repeat(18));
        let body = format!("{first} Both sides signed the deal.");
        let doc = Document::new("", &body, "en");
        assert_eq!(lead(&doc).as_deref(), Some(first.as_str()));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,300}") {
            let _ = lead(&Document::new("t", &s, "und"));
        }
    }
}
