//! The speaker a reporting cue points to, before or after it.

use super::lexicon::*;
use super::*;

/// The subject of an Arabic reporting verb: named after it (`قال الأسد`), or
/// before it in a relative clause (`مبارك العصيمي الذي أكد`).
pub(super) fn verb_subject(text: &str, v: &Hit, limit: usize) -> Subject {
    match ar_subject_after(text, v.end, limit) {
        Subject::Unknown => {}
        known => return known,
    }
    let Some(rel) = prev_token(text, v.start).filter(|t| t.is_word()) else {
        return Subject::Unknown;
    };
    if !matches!(strip_conj(rel.text(text)), "الذي" | "التي" | "الذين") {
        return Subject::Unknown;
    }
    ar_name_before(text, rel.start).map_or(Subject::Unknown, Subject::Named)
}

/// A name ending right before `end`, read backwards: at most three words,
/// titles and prepositional words excluded, at least one word without `ال`.
pub(super) fn ar_name_before(text: &str, end: usize) -> Option<ByteRange> {
    let mut p = end;
    let mut span: Option<ByteRange> = None;
    let mut bare = 0;
    for i in 0..3 {
        let Some(t) = prev_token(text, p) else { break };
        if !t.is_word() {
            break;
        }
        let w = t.text(text);
        let definite = w.starts_with("ال");
        if word_sets().ar_titles.contains(w)
            || word_sets().ar_stop.contains(w)
            || (w.starts_with('ل') && !definite)
            || (definite
                && i > 0
                && !matches!(prev_token(text, t.start), Some(x) if x.is_word() && matches!(x.text(text), "عبد" | "أبو" | "بن")))
        {
            break;
        }
        if !definite {
            bare += 1;
        }
        span = Some((t.start, span.map_or(t.end, |s| s.1)));
        p = t.start;
    }
    span.filter(|_| bare > 0)
}

/// Between a closing mark and an after-cue there is only punctuation and at
/// most a few words (`"…"، قال`, `"…," Smith said`).
pub(super) fn close_cue(text: &str, close_end: usize, cue_start: usize) -> bool {
    let mut words = 0;
    let mut p = close_end;
    while let Some(t) = next_token(text, p) {
        if t.start >= cue_start {
            break;
        }
        match t.kind {
            TokKind::Word => words += 1,
            TokKind::Punct('\n') => return false,
            _ => {}
        }
        p = t.end;
    }
    words <= 4
}

/// Skips `لـ`/`ل` after `وفقا`, and `عن` after `نقلا`.
pub(super) fn source_after(text: &str, end: usize) -> usize {
    match next_token(text, end) {
        Some(t) if t.is_word() && matches!(t.text(text), "لـ" | "ل" | "عن" | "ما" | "لما") =>
        {
            let mut e = t.end;
            while char_at(text, e) == Some('\u{0640}') {
                e += 2;
            }
            e
        }
        _ => {
            // "وفقاً لـX" glued: skip the "ل".
            end
        }
    }
}

pub(super) fn strip_conj(w: &str) -> &str {
    match w.strip_prefix('و') {
        Some(r) if r.chars().count() >= 2 => r,
        _ => w,
    }
}

/// The speaker named after an Arabic reporting verb, titles dropped.
pub(super) fn ar_speaker_after(text: &str, from: usize, limit: usize) -> Option<(usize, usize)> {
    match ar_subject_after(text, from, limit) {
        Subject::Named(r) => Some(r),
        Subject::Anonymous | Subject::Unknown => None,
    }
}

/// Who a sentence says is speaking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Subject {
    Named(ByteRange),
    /// `قال مصدر`: someone unnamed; do not look further.
    Anonymous,
    /// No subject here (`وأضاف:`); the speaker may be named earlier.
    Unknown,
}

pub(super) fn ar_subject_after(text: &str, from: usize, limit: usize) -> Subject {
    let mut pos = from;
    let mut name: Option<(usize, usize)> = None;
    let mut name_len = 0;
    let mut title: Option<(usize, usize)> = None;
    let mut first_title: Option<(usize, usize)> = None;
    for _ in 0..16 {
        let Some(t) = next_token(text, pos) else {
            break;
        };
        if t.start >= limit {
            break;
        }
        pos = t.end;
        let w = match t.kind {
            TokKind::Word => t.text(text),
            TokKind::Punct('-') if name.is_some() => continue,
            _ => break,
        };
        // "لـX" glued: a preposition.
        if char_at(text, t.end) == Some('\u{0640}') {
            break;
        }
        let bare = strip_conj(w);
        if word_sets().ar_stop.contains(w) || word_sets().ar_stop.contains(bare) {
            break;
        }
        if name.is_none() && title.is_none() && word_sets().ar_anonymous.contains(w) {
            return Subject::Anonymous;
        }
        if word_sets().ar_titles.contains(w) || (title.is_some() && w.starts_with("لل")) {
            if name.is_some() {
                break;
            }
            title = Some((title.map_or(t.start, |x| x.0), t.end));
            first_title = first_title.or(Some((t.start, t.end)));
            continue;
        }
        let definite = strip_conj(w).starts_with("ال");
        let starts_with_li = w.starts_with('ل') && !definite && w.chars().count() > 3;
        match name {
            Some((s, _)) => {
                if starts_with_li || name_len >= 4 {
                    break;
                }
                name = Some((s, t.end));
                name_len += 1;
            }
            None => {
                if starts_with_li {
                    if title.is_some() {
                        continue;
                    }
                    break;
                }
                if definite && title.is_some() {
                    // A modifier of the title ("الرسمي", "الإيرانية").
                    title = Some((title.map_or(t.start, |x| x.0), t.end));
                    continue;
                }
                name = Some((t.start, t.end));
                name_len = 1;
            }
        }
    }
    match name {
        Some(n) => Subject::Named(n),
        // "قال الوزير إن": the title is all the sentence gives.
        None => match first_title {
            Some((s, e)) if text.get(s..e).is_some_and(|x| x.starts_with("ال")) => {
                Subject::Named((s, e))
            }
            // "ويرى حزب العدالة والتنمية الحاكم أن": an institution speaks.
            Some((s, e)) if text.get(s..e).is_some_and(|x| AR_INSTITUTIONS.contains(&x)) => {
                title.map_or(Subject::Anonymous, Subject::Named)
            }
            Some(_) => Subject::Anonymous,
            None => Subject::Unknown,
        },
    }
}

/// `عن X قوله`: the name between `عن` and the saying noun.
pub(super) fn ar_speaker_before_saying(
    text: &str,
    saying: usize,
    floor: usize,
) -> Option<(usize, usize)> {
    let mut p = saying;
    for _ in 0..10 {
        let t = prev_token(text, p)?;
        if t.start < floor {
            return None;
        }
        if t.is_word() && matches!(t.text(text), "عن" | "وعن") {
            return ar_speaker_after(text, t.end, saying);
        }
        p = t.start;
    }
    None
}

pub(super) fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// A capitalised name ending right before `end` (`… Bashar al-Assad said`).
pub(super) fn lat_name_before(text: &str, end: usize, floor: usize) -> Option<(usize, usize)> {
    let mut p = end;
    // Skip auxiliaries: "has said", "a déclaré", "a-t-il".
    if let Some(t) = prev_token(text, p) {
        if t.is_word() && matches!(t.text(text), "has" | "had" | "a" | "ont" | "have" | "avait") {
            p = t.start;
        }
    }
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let mut q = p;
    for _ in 0..8 {
        let Some(t) = prev_token(text, q) else { break };
        if t.start < floor {
            break;
        }
        let w = t.text(text);
        let ok = match t.kind {
            TokKind::Word => {
                (is_capitalised(w) && !word_sets().lat_titles.contains(w))
                    || (start.is_some() && word_sets().lat_particles.contains(w))
            }
            TokKind::Punct('-') | TokKind::Punct('\'') => {
                start.is_some()
                    && t.end == start.unwrap_or(0)
                    && char_before(text, t.start).is_some_and(is_letter)
            }
            _ => false,
        };
        if !ok {
            break;
        }
        if start.is_none() {
            last_end = t.end;
        }
        start = Some(t.start);
        q = t.start;
    }
    let s = start?;
    // Leading particles or hyphens are not a name.
    let first = next_token(text, s)?;
    if !(first.is_word() && is_capitalised(first.text(text))) {
        return None;
    }
    Some((s, last_end))
}

/// A capitalised name starting right after `from` (`said Bashar al-Assad`).
pub(super) fn lat_name_after(text: &str, from: usize, limit: usize) -> Option<(usize, usize)> {
    let mut p = from;
    let mut start: Option<usize> = None;
    let mut end = 0;
    for _ in 0..10 {
        let Some(t) = next_token(text, p) else { break };
        if t.start >= limit {
            break;
        }
        let w = t.text(text);
        match t.kind {
            TokKind::Word if word_sets().lat_titles.contains(w) && start.is_none() => {}
            TokKind::Word if w == "the" && start.is_none() => {}
            TokKind::Word if is_capitalised(w) => {
                if start.is_none() {
                    start = Some(t.start);
                }
                end = t.end;
            }
            TokKind::Word if start.is_some() && word_sets().lat_particles.contains(w) => {}
            TokKind::Punct('-') | TokKind::Punct('\'') if start.is_some() && t.start == end => {}
            _ => break,
        }
        p = t.end;
    }
    start.map(|s| (s, end))
}

/// A name between a closing mark and its verb (`"…," Smith said`).
pub(super) fn lat_name_between(
    text: &str,
    close_end: usize,
    verb: usize,
) -> Option<(usize, usize)> {
    let n = lat_name_before(text, verb, close_end)?;
    Some(n)
}

/// Speaker of an English/French verb before a quote: the name before the verb
/// (`Smith said`), after it (`a déclaré Jean Dupont`), or the previous speaker
/// for a pronoun (`he said`, `a-t-il ajouté`).
pub(super) fn lat_speaker_around(
    text: &str,
    start: usize,
    end: usize,
    limit: usize,
) -> Option<(usize, usize)> {
    if let Some(t) = prev_token(text, start) {
        let w = t.text(text);
        if t.is_word() && PRONOUNS.iter().any(|p| p.eq_ignore_ascii_case(w)) {
            return None;
        }
    }
    let floor = sentence_start(text, start);
    lat_name_before(text, start, floor).or_else(|| lat_name_after(text, end, limit))
}
