//! Quotation marks and the sentence around them.

use super::*;

pub(super) fn inside_marks(marks: &[Marks], pos: usize) -> bool {
    marks
        .iter()
        .any(|m| pos >= m.content_start && pos < m.content_end)
}

/// Where each line break and quotation mark ([`crate::enrich::scan::MARKS`])
/// starts in `text`; the shared pass gives the same list.
pub(super) fn mark_starts(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len().min(u32::MAX as usize) {
        // Only " \n « » (C2 ..) and “ ” „ (E2 ..) matter.
        i = crate::enrich::text::bytes::find_any(bytes, i, [b'"', b'\n', 0xC2, 0xE2]);
        let Some(c) = char_at(text, i) else {
            i += 1;
            continue;
        };
        if matches!(c, '\n' | '"' | '«' | '»' | '“' | '”' | '„') {
            out.push(i as u32);
        }
        i += c.len_utf8();
    }
    out
}

/// Quotation mark pairs within one paragraph, from where the line breaks
/// and quotation marks start ([`mark_starts`]).
pub(super) fn find_marks(text: &str, starts: &[u32]) -> Vec<Marks> {
    let mut out = Vec::new();
    // Pending openers: (opener char, byte offset).
    let mut pending: Option<(char, usize)> = None;
    for &at in starts {
        let i = at as usize;
        let Some(c) = char_at(text, i) else {
            continue;
        };
        match c {
            '\n' => pending = None,
            '«' | '“' | '„' if pending.is_none() => pending = Some((c, i)),
            '»' | '”' | '“' => {
                if let Some((o, at)) = pending {
                    let ok = matches!((o, c), ('«', '»') | ('“', '”') | ('„', '“') | ('„', '”'));
                    if ok {
                        push_marks(&mut out, at, o.len_utf8(), i, c.len_utf8());
                        pending = None;
                    }
                }
            }
            '"' => match pending {
                Some(('"', at)) => {
                    push_marks(&mut out, at, 1, i, 1);
                    pending = None;
                }
                None => {
                    // An opener is glued to what follows; a stray closer is
                    // glued to what precedes and followed by a space.
                    let next = char_at(text, i + 1);
                    let prev = char_before(text, i);
                    let looks_closing = next
                        .is_none_or(|n| n.is_whitespace() || n.is_ascii_punctuation() || n == '،')
                        && prev.is_some_and(|p| !p.is_whitespace());
                    if !looks_closing {
                        pending = Some(('"', i));
                    }
                }
                Some(_) => {}
            },
            _ => {}
        }
    }
    out
}

pub(super) fn push_marks(
    out: &mut Vec<Marks>,
    open: usize,
    olen: usize,
    close: usize,
    clen: usize,
) {
    let content_start = open + olen;
    if close <= content_start || close - content_start > 2000 {
        return;
    }
    out.push(Marks {
        open,
        content_start,
        content_end: close,
        close_end: close + clen,
    });
}

pub(super) fn is_sentence_end(text: &str, pos: usize, c: char) -> bool {
    match c {
        '\n' | '!' | '?' | '؟' => true,
        '.' => {
            // Not a decimal point or an initial ("U.S.", "2.5").
            let prev = char_before(text, pos);
            let next = char_at(text, pos + 1);
            !(prev.is_some_and(|p| p.is_ascii_digit() || p.is_ascii_uppercase())
                && next.is_some_and(|n| !n.is_whitespace()))
        }
        _ => false,
    }
}

/// The bytes of `'؟'` in UTF-8; every other character that ends a sentence
/// is ASCII. A `0xD8` byte always leads a character, so the pair is found
/// byte by byte without decoding.
const ARABIC_QUESTION: [u8; 2] = [0xD8, 0x9F];

/// Whether the byte at `i` may end a sentence ([`is_sentence_end`]).
#[inline]
fn ends_sentence_at(text: &str, i: usize) -> bool {
    let bytes = text.as_bytes();
    match bytes.get(i) {
        Some(&b @ (b'\n' | b'!' | b'?' | b'.')) => is_sentence_end(text, i, char::from(b)),
        _ => false,
    }
}

/// Start of the sentence containing `pos` (at most 600 bytes back, rounded
/// down to a character), read byte by byte: only ASCII bytes and `'؟'` can
/// end a sentence.
pub(super) fn sentence_start(text: &str, pos: usize) -> usize {
    if !text.is_char_boundary(pos) {
        return pos;
    }
    let bytes = text.as_bytes();
    let floor = pos.saturating_sub(600);
    let mut j = pos;
    while j > floor {
        j -= 1;
        let question = bytes.get(j) == Some(&ARABIC_QUESTION[1])
            && j > 0
            && bytes.get(j - 1) == Some(&ARABIC_QUESTION[0]);
        if question || ends_sentence_at(text, j) {
            return j + 1;
        }
    }
    let mut p = floor;
    while !text.is_char_boundary(p) {
        p -= 1;
    }
    p
}

/// End of the sentence containing `pos` (at most 400 bytes ahead, rounded up
/// to a character).
pub(super) fn sentence_end(text: &str, pos: usize) -> usize {
    if !text.is_char_boundary(pos) {
        return pos.min(text.len());
    }
    let bytes = text.as_bytes();
    let ceil = (pos + 400).min(text.len());
    for j in pos..ceil {
        let question = bytes.get(j) == Some(&ARABIC_QUESTION[0])
            && bytes.get(j + 1) == Some(&ARABIC_QUESTION[1]);
        if question || ends_sentence_at(text, j) {
            return j;
        }
    }
    let mut p = ceil;
    while !text.is_char_boundary(p) {
        p += 1;
    }
    p
}

/// What stands right before an opening mark introduces speech: `:`, `إن`,
/// `أن`, `قوله`, `قائلا`, a reporting verb.
pub(super) fn has_lead_in(text: &str, open: usize) -> bool {
    let Some(t) = prev_token(text, open) else {
        return false;
    };
    match t.kind {
        TokKind::Punct(':') => true,
        TokKind::Punct(',') | TokKind::Punct('،') => {
            prev_token(text, t.start).is_some_and(|w| w.is_word() && is_intro_word(w.text(text)))
        }
        TokKind::Word => is_intro_word(t.text(text)),
        _ => false,
    }
}

pub(super) fn is_intro_word(w: &str) -> bool {
    let w = w
        .strip_prefix('و')
        .filter(|r| r.chars().count() >= 2)
        .unwrap_or(w);
    matches!(
        w,
        "إن" | "أن"
            | "ان"
            | "بأن"
            | "بان"
            | "قوله"
            | "قولها"
            | "بقوله"
            | "بقولها"
            | "القول"
            | "قائلا"
            | "قائلاً"
            | "قائلة"
            | "said"
            | "says"
            | "added"
            | "told"
            | "que"
            | "qu"
    ) || word_sets().ar_verbs.contains(w)
}

/// The quoted text ends with punctuation (`"…," said X`, `"Prices will rise."`).
pub(super) fn content_ends(text: &str, mk: &Marks) -> bool {
    text.get(mk.content_start..mk.content_end)
        .and_then(|c| c.trim_end().chars().next_back())
        .is_some_and(|c| matches!(c, ',' | '.' | '!' | '?' | '،' | '؟'))
}

/// What follows a closing mark ends the clause: punctuation, the end of the
/// text, or an attribution cue.
pub(super) fn ends_clause(text: &str, close_end: usize, hits: &[Hit]) -> bool {
    match next_token(text, close_end) {
        None => true,
        Some(t) if t.kind == TokKind::Word => hits.iter().any(|h| h.start == t.start),
        Some(t) => !t.is_punct('('),
    }
}
