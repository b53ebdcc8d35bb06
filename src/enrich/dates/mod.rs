//! Date mentions in Arabic, English and French article text.
//!
//! One Aho-Corasick pass finds the date vocabulary (month names in their
//! Egyptian/Gulf, Levantine/Iraqi and Maghrebi forms, Hijri months, weekdays,
//! relative expressions, seasons), one byte scan finds numbers in any digit
//! script; each anchor then reads its neighbours with the allocation-free token
//! reader of [`crate::enrich::scan`]. No regular expression, nothing backtracks.
//!
//! # Values
//!
//! `value` is ISO 8601 at the mention's precision:
//!
//! | precision  | value                         | example                          |
//! |------------|-------------------------------|----------------------------------|
//! | `day`      | `YYYY-MM-DD`                  | `9 يوليو 2020` → `2020-07-09`    |
//! | `month`    | `YYYY-MM`                     | `July 2020` → `2020-07`          |
//! | `year`     | `YYYY`, or `YYYY/YYYY` range  | `العام 2011` → `2011`            |
//! | `season`   | `YYYY`, `season` names it     | `صيف العام 2018` → `2018`        |
//! | `week`     | `YYYY-Www`                    | `last week` → `2020-W27`         |
//!
//! Hijri dates (`calendar: "hijri"`) are converted with the Umm al-Qura table:
//! a day becomes its Gregorian day; a Hijri month or year, which straddles
//! Gregorian months, becomes an ISO 8601 interval of days
//! (`رمضان 1436هـ` → `2015-06-18/2015-07-16`, precision `month`).
//!
//! Relative references (`أمس`, `يوم الخميس`, `الشهر الماضي`, `last Tuesday`,
//! `le mois dernier`) are resolved against the article's publication date when
//! it is known; a bare weekday means the latest such day on or before
//! publication, `الماضي`/`last`/`dernier` the one strictly before, `المقبل`/
//! `next`/`prochain` the one strictly after. When the publication date is
//! unknown they keep precision `relative` and a value in one of two forms:
//! a signed ISO 8601 duration from publication (`-P1D` yesterday, `P0D` today,
//! `P1W` next week, `-P1M` last month, `P0Y` this year), or an EDTF pattern
//! with unspecified digits (`XXXX-WXX-4` a Thursday, `XXXX-07` July of an
//! unknown year, `XXXX-07-09` the 9th of July of an unknown year).
//!
//! A bare number is never a year: it needs a cue (`العام`, `عام`, `سنة`, `in`,
//! `since`, `en`, `depuis`, a month name, `م`/`هـ` after it) and, for weak cues
//! such as `في`/`in`, the shape 19xx/20xx.

mod absolute;
mod calendar;
pub mod lexicon;
mod numbers;
mod relative;
mod weekday;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use chrono::{Datelike, Duration, NaiveDate};

use crate::enrich::scan::{
    self, char_at, drop_overlaps, next_token, number_at, parse_int, prev_token, starts_word,
    token_at, Ranged, Tok, TokKind,
};
use crate::enrich::text::CharIndex;
use crate::model::record::{DateMention, Field, Span};
use absolute::*;
use lexicon::{Cue, Script, Unit};
use weekday::*;

/// What the extractor knows about the article besides its text.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateContext {
    /// Publication day, to resolve relative references.
    pub published: Option<NaiveDate>,
}

/// Finds date mentions; build once, share.
pub struct DateExtractor {
    ac: AhoCorasick,
    /// The same vocabulary, for the entry at a given position.
    entry: scan::EntryAt,
    cues: Vec<(Cue, Script)>,
    /// The vocabulary's entries, in index order.
    patterns: Vec<String>,
}

#[derive(Debug)]
struct Cand {
    start: usize,
    end: usize,
    value: String,
    precision: &'static str,
    season: Option<&'static str>,
    calendar: Option<&'static str>,
}

impl Ranged for Cand {
    fn range(&self) -> (usize, usize) {
        (self.start, self.end)
    }
}

impl Cand {
    fn new(start: usize, end: usize, value: String, precision: &'static str) -> Self {
        Cand {
            start,
            end,
            value,
            precision,
            season: None,
            calendar: None,
        }
    }
}

/// Strips one or two Arabic proclitics (و ف ب ل) from a word when what is
/// left is in `list`.
fn cue_word<'a>(word: &'a str, list: &[&str]) -> Option<&'a str> {
    if list.contains(&word) {
        return Some(word);
    }
    let mut w = word;
    for _ in 0..2 {
        let mut it = w.chars();
        match it.next() {
            Some(c @ ('و' | 'ف' | 'ب' | 'ل')) => {
                w = &w[c.len_utf8()..];
                if w.chars().count() >= 2 && list.contains(&w) {
                    return Some(w);
                }
            }
            _ => return None,
        }
    }
    None
}

fn in_list(word: &str, list: &[&str]) -> bool {
    cue_word(word, list).is_some()
}

fn is_number(t: &Option<Tok>) -> bool {
    matches!(
        t,
        Some(Tok {
            kind: TokKind::Number,
            ..
        })
    )
}

/// Latin ordinal suffixes glued to a day number (`1er`, `9th`).
const ORDINAL_SUFFIXES: &[&str] = &["er", "ère", "re", "e", "ème", "th", "st", "nd", "rd"];

/// Words before `اليوم` that make it a name (`صحيفة اليوم`, the outlet `عين اليوم`).
const NOT_TODAY_BEFORE: &[&str] = &["صحيفة", "جريدة", "صحيفتي", "موقع", "قناة", "عين"];

/// Adjectives after `اليوم` that make it "the day" rather than "today".
const NOT_TODAY_AFTER: &[&str] = &[
    "الوطني",
    "العالمي",
    "التالي",
    "الأول",
    "الاول",
    "الثاني",
    "الثالث",
    "الرابع",
    "الخامس",
    "الأخير",
    "الاخير",
    "السابق",
    "الذي",
    "الموعود",
    "المفتوح",
    "الدراسي",
    "الواحد",
    "نفسه",
    "ذاته",
    "الختامي",
    "الافتتاحي",
    "الدولي",
    "العربي",
    "الخليجي",
];

/// Words after a number that make a weak year cue unlikely (`في 2000 شخص`).
const NOT_AFTER_YEAR: &[&str] = &[
    "مليون",
    "مليار",
    "ألف",
    "الف",
    "آلاف",
    "دولار",
    "ريال",
    "يورو",
    "جنيه",
    "دينار",
    "درهم",
    "شخص",
    "مواطن",
    "طالب",
    "طالبة",
    "متر",
    "كيلو",
    "كيلومتر",
    "million",
    "billion",
    "people",
    "euros",
    "dollars",
    "personnes",
    "metres",
    "meters",
];

impl DateExtractor {
    /// Builds the matcher from the vocabulary in [`lexicon`].
    pub fn new() -> Result<Self, aho_corasick::BuildError> {
        calendar::warm_up();
        let entries = lexicon::entries();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(entries.iter().map(|e| e.0.as_str()))?;
        let cues = entries.iter().map(|e| (e.1, e.2)).collect();
        let patterns: Vec<String> = entries.into_iter().map(|e| e.0).collect();
        let entry = scan::EntryAt::new(&patterns, true)?;
        Ok(DateExtractor {
            ac,
            entry,
            cues,
            patterns,
        })
    }

    /// The vocabulary (entries in index order) and whether it ignores ASCII
    /// case, for a [`scan::SharedVocabulary`].
    pub fn vocabulary(&self) -> (&[String], bool) {
        (&self.patterns, true)
    }

    /// The vocabulary entry starting exactly at `pos`, if one ends on a word
    /// boundary.
    fn cue_at(&self, text: &str, pos: usize) -> Option<(usize, Cue)> {
        let (end, i) = self.entry.at(text, pos)?;
        let (cue, _) = *self.cues.get(i)?;
        scan::ends_word(text, end).then_some((end, cue))
    }

    /// Every date mention of `text`, in text order, spans in code points.
    pub fn extract(&self, text: &str, field: Field, ctx: &DateContext) -> Vec<DateMention> {
        let digits = scan::digit_starts(text);
        let index = CharIndex::new(text);
        let span = |s, e| index.span(text, field, s, e);
        self.extract_from(text, ctx, scan::own_matches(&self.ac, text), &digits, span)
    }

    /// [`Self::extract`] given the leftmost-longest matches of the vocabulary
    /// in `text` and where its digits start (from a [`scan::SharedVocabulary`]
    /// pass).
    pub fn extract_from(
        &self,
        text: &str,
        ctx: &DateContext,
        matches: impl Iterator<Item = scan::VocabMatch>,
        digits: &[u32],
        mut span: impl FnMut(usize, usize) -> Span,
    ) -> Vec<DateMention> {
        let mut cands: Vec<Cand> = Vec::new();
        let hits: Vec<(usize, usize, Cue, Script)> = matches
            .filter_map(|(s, e, i)| {
                let &(cue, script) = self.cues.get(i)?;
                (starts_word(text, s, script == Script::Arabic) && scan::ends_word(text, e))
                    .then_some((s, e, cue, script))
            })
            .collect();
        let anchored = DateContext {
            published: self.today_anchor(text, &hits, ctx),
        };
        let ctx = &anchored;
        for &(s, e, cue, script) in &hits {
            match cue {
                Cue::Month(mo) => self.gregorian(text, s, e, mo, script, ctx, &mut cands),
                Cue::HijriMonth(mo) => self.hijri(text, s, e, mo, ctx, &mut cands),
                Cue::Weekday(wd, cued) => {
                    self.weekday(text, s, e, wd, cued, script, ctx, &mut cands)
                }
                Cue::Rel(unit, k) => self.relative(text, s, e, unit, k, ctx, &mut cands),
                Cue::Season(_) => {}
            }
        }
        self.numbers(text, digits, ctx, &mut cands);
        drop_overlaps(&mut cands);
        cands
            .into_iter()
            .map(|c| DateMention {
                text: text.get(c.start..c.end).unwrap_or("").to_string(),
                value: c.value,
                precision: c.precision.to_string(),
                season: c.season.map(str::to_string),
                calendar: c.calendar.map(str::to_string),
                span: Some(span(c.start, c.end)),
            })
            .collect()
    }

    /// The day the article calls "today": the publication day, unless the text
    /// names today's weekday (`اليوم الأربعاء`, `today (Wednesday)`) and that
    /// weekday falls within three days before it (articles are often stamped
    /// after they were written).
    fn today_anchor(
        &self,
        text: &str,
        hits: &[(usize, usize, Cue, Script)],
        ctx: &DateContext,
    ) -> Option<NaiveDate> {
        let p = ctx.published?;
        for &(_, e, cue, _) in hits {
            if cue != Cue::Rel(Unit::Day, 0) {
                continue;
            }
            if let Some((_, wd)) = self.weekday_after(text, e) {
                return nearest_weekday(p, wd).or(Some(p));
            }
        }
        Some(p)
    }

    /// A weekday right after `end`, bare or in parentheses (`اليوم (الخميس)`):
    /// its end and ISO number.
    fn weekday_after(&self, text: &str, end: usize) -> Option<(usize, u8)> {
        let mut t = next_token(text, end)?;
        let paren = t.is_punct('(');
        if paren {
            t = next_token(text, t.end)?;
        }
        let (e, cue) = self.cue_at(text, t.start)?;
        let Cue::Weekday(wd, _) = cue else {
            return None;
        };
        if paren {
            let c = next_token(text, e).filter(|c| c.is_punct(')'))?;
            return Some((c.end, wd));
        }
        Some((e, wd))
    }

    /// Extends a month name over a second name of the same month
    /// (`تموز/يوليو`, `يوليو (تموز)`).
    fn alternate_month(&self, text: &str, end: usize) -> usize {
        let Some(t) = next_token(text, end) else {
            return end;
        };
        let (open, close) = match t.kind {
            TokKind::Punct('/') | TokKind::Punct('-') => (t, None),
            TokKind::Punct('(') => (t, Some(')')),
            _ => return end,
        };
        let Some(w) = next_token(text, open.end) else {
            return end;
        };
        match self.cue_at(text, w.start) {
            Some((e2, Cue::Month(_))) => match close {
                Some(c) => match next_token(text, e2) {
                    Some(ct) if ct.is_punct(c) => ct.end,
                    _ => end,
                },
                None => e2,
            },
            _ => end,
        }
    }

    /// The day number before a month name (`9 يوليو`, `1er mars`), with its start.
    fn day_before(&self, text: &str, start: usize) -> Option<(usize, u32)> {
        let mut t = prev_token(text, start)?;
        // "11 من شهر أكتوبر", "السابع من يونيو", "الـ 11 من أكتوبر".
        if t.is_word() && t.text(text) == "شهر" {
            t = prev_token(text, t.start)?;
        }
        if t.is_word() && t.text(text) == "من" {
            t = prev_token(text, t.start)?;
            if let Some((s, d)) = ordinal_before(text, &t) {
                return Some((s, d));
            }
        }
        if t.is_word() && ORDINAL_SUFFIXES.contains(&t.text(text)) {
            let n = prev_token(text, t.start)?;
            if n.end != t.start {
                return None;
            }
            t = n;
        }
        day_number(text, &t).map(|d| (t.start, d))
    }

    /// A weekday (optionally `يوم` before it) just before `start`, ignoring a comma.
    fn weekday_before(&self, text: &str, start: usize) -> usize {
        let mut p = start;
        if let Some(t) = prev_token(text, p) {
            if t.is_punct(',') || t.is_punct('،') {
                p = t.start;
            }
        }
        let Some(w) = prev_token(text, p) else {
            return start;
        };
        if !w.is_word() {
            return start;
        }
        // The weekday may be two words ("يوم الخميس"): try the previous word too.
        let mut best = start;
        let mut cand = Some(w);
        for _ in 0..2 {
            let Some(c) = cand else { break };
            if let Some((e, Cue::Weekday(..))) = self.cue_at(text, c.start) {
                if e == w.end {
                    best = c.start;
                }
            }
            cand = prev_token(text, c.start).filter(|t| t.is_word());
        }
        best
    }
}

fn is_after_tatweel(text: &str, pos: usize) -> bool {
    scan::char_before(text, pos) == Some('\u{0640}')
}

/// Start of a cue word without its proclitics ("وفي العام" → "العام").
fn cue_start(text: &str, t: &Tok) -> usize {
    cue_start_pos(text, t.start).max(t.start)
}

fn cue_start_pos(text: &str, start: usize) -> usize {
    let Some(t) = token_at(text, start) else {
        return start;
    };
    let w = t.text(text);
    let mut off = 0;
    for c in w.chars().take(2) {
        if matches!(c, 'و' | 'ف' | 'ب' | 'ل') {
            let rest = &w[off + c.len_utf8()..];
            if rest.chars().count() >= 3
                && (rest.starts_with("ال")
                    || rest.starts_with("عام")
                    || rest.starts_with("سنة")
                    || rest.starts_with("صيف")
                    || rest.starts_with("شتاء")
                    || rest.starts_with("ربيع")
                    || rest.starts_with("خريف"))
            {
                off += c.len_utf8();
                continue;
            }
        }
        break;
    }
    start + off
}

#[cfg(test)]
mod tests;
