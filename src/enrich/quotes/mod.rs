//! Quoted speech and its speaker, in Arabic, English and French.
//!
//! A quote is text between quotation marks (`«»`, `""`, `“”`, `„“`) that a
//! reporting cue attributes to someone in the same sentence: a reporting verb
//! before it (`وقال الأسد ... إن "…"`, `Smith said: "…"`), a verb or source
//! after it (`"…"، قال الوزير`, `"…," said Smith`, `», a déclaré X`,
//! `according to X`), a reported-saying noun (`نقل … عن باقري قوله "…"`) or a
//! participle continuing the previous speaker (`مشددا على أن … "…"`).
//! Quotation marks without such a cue are titles, names or scare quotes and
//! are not reported; short quoted phrases (under three words) also need the
//! cue right before them (`:`, `إن`, `قوله`...). Precision comes first:
//! indirect speech without marks is not reported.
//!
//! The speaker is the name the sentence gives, without titles
//! (`قال اللواء محمد باقري` → `محمد باقري`); a pronoun (`وأضاف`, `he said`,
//! `a-t-il ajouté`) continues the speaker of the previous quote nearby;
//! anonymous sources (`مصدر`, `a source`) leave it `None`.

mod lexicon;
mod marks;
mod speaker;
#[cfg(test)]
mod tests;
mod word_sets;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::enrich::scan::{
    char_at, char_before, is_letter, next_token, prev_token, starts_word, TokKind,
};
use crate::enrich::text::CharIndex;
use crate::model::record::{Field, Quote, Span};
use lexicon::*;
use marks::*;
use speaker::*;
use word_sets::word_sets;

/// How a cue relates to the speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// Arabic verb, subject after it: `قال الأسد`.
    ArVerb,
    /// Arabic participle continuing the current speaker: `مشددا`.
    ArParticiple,
    /// `قوله` after `عن X`.
    ArSaying,
    /// `حسب X`, `وفقا لـ X`.
    ArSource,
    /// English or French verb; subject before or after it.
    LatVerb,
    /// `according to X`, `selon X`.
    LatSource,
}

/// Finds quotes; build once, share.
pub struct QuoteExtractor {
    ac: AhoCorasick,
    cues: Vec<Cue>,
    /// The vocabulary's entries, in index order.
    patterns: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
struct Marks {
    open: usize,
    content_start: usize,
    content_end: usize,
    close_end: usize,
}

type ByteRange = (usize, usize);

#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    cue: Cue,
}

#[derive(Debug, Clone, Copy)]
struct Found {
    marks: Marks,
    speaker: Option<(usize, usize)>,
    verb: (usize, usize),
}

impl QuoteExtractor {
    pub fn new() -> Result<Self, aho_corasick::BuildError> {
        // Builds the speaker word sets at load, not in the first article.
        word_sets();
        let mut pats: Vec<String> = Vec::new();
        let mut cues = Vec::new();
        let add = |list: &[&str], cue: Cue, pats: &mut Vec<String>, cues: &mut Vec<Cue>| {
            for w in list {
                pats.push((*w).to_string());
                cues.push(cue);
                if w.contains(['أ', 'إ', 'آ']) {
                    pats.push(w.replace(['أ', 'إ', 'آ'], "ا"));
                    cues.push(cue);
                }
            }
        };
        add(AR_VERBS, Cue::ArVerb, &mut pats, &mut cues);
        add(AR_PARTICIPLES, Cue::ArParticiple, &mut pats, &mut cues);
        add(AR_SAYINGS, Cue::ArSaying, &mut pats, &mut cues);
        add(AR_SOURCES, Cue::ArSource, &mut pats, &mut cues);
        add(LAT_VERBS, Cue::LatVerb, &mut pats, &mut cues);
        add(LAT_SOURCES, Cue::LatSource, &mut pats, &mut cues);
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(&pats)?;
        Ok(QuoteExtractor {
            ac,
            cues,
            patterns: pats,
        })
    }

    /// The vocabulary (entries in index order) and whether it ignores ASCII
    /// case, for a [`crate::enrich::scan::SharedVocabulary`].
    pub fn vocabulary(&self) -> (&[String], bool) {
        (&self.patterns, true)
    }

    /// Every attributed quote of `text`, in text order; spans cover the text
    /// inside the marks, in code points.
    pub fn extract(&self, text: &str, field: Field) -> Vec<Quote> {
        let matches = crate::enrich::scan::own_matches(&self.ac, text);
        let index = CharIndex::new(text);
        let span = |s, e| index.span(text, field, s, e);
        self.extract_from(text, matches, &mark_starts(text), span)
    }

    /// [`Self::extract`] given the leftmost-longest matches of the vocabulary
    /// in `text` and where its line breaks and quotation marks start (from a
    /// [`crate::enrich::scan::SharedVocabulary`] pass).
    pub fn extract_from(
        &self,
        text: &str,
        matches: impl Iterator<Item = crate::enrich::scan::VocabMatch>,
        mark_starts: &[u32],
        mut span: impl FnMut(usize, usize) -> Span,
    ) -> Vec<Quote> {
        let marks = find_marks(text, mark_starts);
        if marks.is_empty() {
            return Vec::new();
        }
        let hits: Vec<Hit> = matches
            .filter_map(|(start, end, i)| {
                let cue = *self.cues.get(i)?;
                let arabic = matches!(
                    cue,
                    Cue::ArVerb | Cue::ArParticiple | Cue::ArSaying | Cue::ArSource
                );
                (starts_word(text, start, arabic) && crate::enrich::scan::ends_word(text, end))
                    .then_some(Hit { start, end, cue })
            })
            .collect();
        let mut found: Vec<Found> = Vec::new();
        for (i, mk) in marks.iter().enumerate() {
            let sent_start = sentence_start(text, mk.open);
            let sent_end = sentence_end(text, mk.close_end);
            let prev_found = found.last().copied();
            // The previous speaker continues when the last quote is close by.
            // A quote nearby before this one: its speaker (even unnamed) is
            // who a pronoun continues.
            let near_prev = prev_found.filter(|f| mk.open.saturating_sub(f.marks.close_end) < 900);
            let carry = near_prev.and_then(|f| f.speaker);
            let words = text
                .get(mk.content_start..mk.content_end)
                // Only compared with 2 and 5 below.
                .map_or(0, |s| s.split_whitespace().take(5).count());
            // Cue before the quote, in the same sentence, not inside another quote.
            let before = hits
                .iter()
                .rev()
                .filter(|h| h.start >= sent_start && h.end <= mk.open)
                .find(|h| !inside_marks(&marks[..i], h.start));
            let mut result: Option<(Option<ByteRange>, ByteRange)> = None;
            if let Some(h) = before {
                let lead_in = has_lead_in(text, mk.open);
                // Short quoted phrases are speech only when introduced as such
                // and closing their clause (not `أن «معرض وظائف 2015» الذي`).
                let short_ok =
                    lead_in && (content_ends(text, mk) || ends_clause(text, mk.close_end, &hits));
                if words >= 5 || short_ok {
                    let earlier = |before: usize, floor: usize| {
                        hits.iter()
                            .rev()
                            .filter(|v| v.cue == Cue::ArVerb && v.start >= floor && v.end <= before)
                            .find_map(|v| match verb_subject(text, v, before) {
                                Subject::Named(r) => Some(r),
                                _ => None,
                            })
                    };
                    let far = mk.open.saturating_sub(700);
                    let speaker = match h.cue {
                        Cue::ArVerb => match verb_subject(text, h, mk.open) {
                            Subject::Named(r) => Some(r),
                            Subject::Anonymous => None,
                            Subject::Unknown => earlier(h.start, sent_start).or_else(|| {
                                near_prev.map_or_else(|| earlier(h.start, far), |f| f.speaker)
                            }),
                        },
                        Cue::ArParticiple => {
                            match near_prev.filter(|f| f.marks.close_end >= sent_start) {
                                Some(f) => f.speaker,
                                None => earlier(h.start, sent_start).or_else(|| {
                                    near_prev.map_or_else(|| earlier(h.start, far), |f| f.speaker)
                                }),
                            }
                        }
                        Cue::ArSaying => ar_speaker_before_saying(text, h.start, sent_start),
                        Cue::ArSource => ar_speaker_after(text, source_after(text, h.end), mk.open),
                        Cue::LatVerb => lat_speaker_around(text, h.start, h.end, mk.open).or(carry),
                        Cue::LatSource => lat_name_after(text, h.end, mk.open).or(carry),
                    };
                    result = Some((speaker, (h.start, h.end)));
                }
            }
            if result.is_none() && words >= 2 {
                // Cue after the quote: `"…"، قال X`, `"…," said X`, `"…", X said`.
                let limit = marks.get(i + 1).map_or(sent_end, |n| n.open.min(sent_end));
                let after = hits.iter().find(|h| {
                    h.start >= mk.close_end && h.end <= limit && h.start - mk.close_end < 120
                });
                if let Some(h) = after {
                    let speaker = match h.cue {
                        Cue::ArVerb | Cue::ArSource => {
                            let from = if h.cue == Cue::ArSource {
                                source_after(text, h.end)
                            } else {
                                h.end
                            };
                            ar_speaker_after(text, from, limit).or(carry)
                        }
                        Cue::LatVerb => lat_name_between(text, mk.close_end, h.start)
                            .or_else(|| lat_name_after(text, h.end, limit))
                            .or(carry),
                        Cue::LatSource => lat_name_after(text, h.end, limit),
                        Cue::ArParticiple | Cue::ArSaying => None,
                    };
                    if matches!(
                        h.cue,
                        Cue::ArVerb | Cue::ArSource | Cue::LatVerb | Cue::LatSource
                    ) && close_cue(text, mk.close_end, h.start)
                        && (content_ends(text, mk) || ends_clause(text, mk.close_end, &hits))
                    {
                        result = Some((speaker, (h.start, h.end)));
                    }
                }
            }
            if let Some((speaker, verb)) = result {
                found.push(Found {
                    marks: *mk,
                    speaker,
                    verb,
                });
            }
        }
        found
            .into_iter()
            .map(|f| Quote {
                speaker: f
                    .speaker
                    .and_then(|(s, e)| text.get(s..e))
                    .map(str::to_string),
                text: text
                    .get(f.marks.content_start..f.marks.content_end)
                    .unwrap_or("")
                    .trim()
                    .to_string(),
                verb: text.get(f.verb.0..f.verb.1).map(str::to_string),
                span: Some(span(f.marks.content_start, f.marks.content_end)),
            })
            .collect()
    }
}
