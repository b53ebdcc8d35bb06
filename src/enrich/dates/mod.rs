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

mod calendar;
pub mod lexicon;
mod numbers;
mod relative;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind, StartKind};
use chrono::{Datelike, Duration, NaiveDate};

use crate::enrich::scan::{
    self, char_at, drop_overlaps, next_token, parse_int, prev_token, starts_word, token_at,
    CharOffsets, Ranged, Tok, TokKind,
};
use crate::model::record::{DateMention, Field};
use lexicon::{Cue, Script, Unit};

/// What the extractor knows about the article besides its text.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateContext {
    /// Publication day, to resolve relative references.
    pub published: Option<NaiveDate>,
}

/// Finds date mentions; build once, share.
pub struct DateExtractor {
    ac: AhoCorasick,
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
        let entries = lexicon::entries();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .start_kind(StartKind::Both)
            .build(entries.iter().map(|e| e.0.as_str()))?;
        let cues = entries.iter().map(|e| (e.1, e.2)).collect();
        let patterns = entries.into_iter().map(|e| e.0).collect();
        Ok(DateExtractor { ac, cues, patterns })
    }

    /// The vocabulary (entries in index order) and whether it ignores ASCII
    /// case, for a [`scan::SharedVocabulary`].
    pub fn vocabulary(&self) -> (&[String], bool) {
        (&self.patterns, true)
    }

    /// The vocabulary entry starting exactly at `pos`, if one ends on a word
    /// boundary.
    fn cue_at(&self, text: &str, pos: usize) -> Option<(usize, Cue)> {
        let (end, i) = scan::entry_at(&self.ac, text, pos)?;
        let (cue, _) = *self.cues.get(i)?;
        scan::ends_word(text, end).then_some((end, cue))
    }

    /// Every date mention of `text`, in text order, spans in code points.
    pub fn extract(&self, text: &str, field: Field, ctx: &DateContext) -> Vec<DateMention> {
        self.extract_from(text, field, ctx, scan::own_matches(&self.ac, text))
    }

    /// [`Self::extract`] given the leftmost-longest matches of the vocabulary
    /// in `text` (from a [`scan::SharedVocabulary`] pass).
    pub fn extract_from(
        &self,
        text: &str,
        field: Field,
        ctx: &DateContext,
        matches: impl Iterator<Item = scan::VocabMatch>,
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
        self.numbers(text, ctx, &mut cands);
        drop_overlaps(&mut cands);
        let mut offsets = CharOffsets::new(text);
        cands
            .into_iter()
            .map(|c| DateMention {
                text: text.get(c.start..c.end).unwrap_or("").to_string(),
                value: c.value,
                precision: c.precision.to_string(),
                season: c.season.map(str::to_string),
                calendar: c.calendar.map(str::to_string),
                span: Some(offsets.span(field, c.start, c.end)),
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

    #[allow(clippy::too_many_arguments)]
    fn gregorian(
        &self,
        text: &str,
        s: usize,
        e: usize,
        mo: u8,
        script: Script,
        ctx: &DateContext,
        out: &mut Vec<Cand>,
    ) {
        let word = text.get(s..e).unwrap_or("");
        if script == Script::Latin
            && (word.eq_ignore_ascii_case("may") || word.eq_ignore_ascii_case("march"))
            && !word.starts_with(['M'])
        {
            return;
        }
        let mut start = s;
        let mut end = self.alternate_month(text, e);
        let mut day: Option<u32> = None;
        if let Some((ds, d)) = self.day_before(text, start) {
            day = Some(d);
            start = ds;
        }
        let mut next = next_token(text, end);
        if day.is_none() && script == Script::Latin {
            if let Some(t) = next.filter(|t| t.kind == TokKind::Number) {
                if let Some(d) = day_number(text, &t) {
                    day = Some(d);
                    end = t.end;
                    if let Some(suf) = token_at(text, end).filter(|x| x.is_word()) {
                        if ORDINAL_SUFFIXES.contains(&suf.text(text)) {
                            end = suf.end;
                        }
                    }
                    next = next_token(text, end);
                    if let Some(c) = next.filter(|t| t.is_punct(',')) {
                        if is_number(&next_token(text, c.end)) {
                            next = next_token(text, c.end);
                        }
                    }
                }
            }
        }
        // "2 يوليو/تموز الجاري" etc.: read a year or a relative modifier.
        let mut year: Option<i32> = None;
        let mut dir: Option<i8> = None;
        if let Some(t) = next {
            if t.kind == TokKind::Number {
                if let Some(y) = year_number(text, &t, 1000, 2200) {
                    year = Some(y);
                    end = gregorian_suffix(text, t.end);
                }
            } else if t.is_word() {
                let w = t.text(text);
                if let Some(d) = modifier_after(w) {
                    dir = Some(d);
                    end = t.end;
                } else if w == "من" {
                    // "يوليو من العام الماضي"
                    if let Some(t2) = next_token(text, t.end) {
                        if let Some((e2, Cue::Rel(Unit::Year, k))) = self.cue_at(text, t2.start) {
                            if let Some(p) = ctx.published {
                                year = Some(p.year() + i32::from(k));
                                end = e2;
                            }
                        }
                    }
                }
            }
        }
        if dir.is_none() && year.is_none() && script == Script::Latin {
            if let Some(t) = prev_token(text, start).filter(|t| t.is_word()) {
                let w = t.text(text).to_ascii_lowercase();
                if w == "last" || w == "next" {
                    dir = Some(if w == "last" { -1 } else { 1 });
                    start = t.start;
                }
            }
        }
        let mo = u32::from(mo);
        let (value, precision) = match (day, year) {
            (Some(d), Some(y)) => match NaiveDate::from_ymd_opt(y, mo, d) {
                Some(date) => {
                    start = self.weekday_before(text, start);
                    (calendar::ymd(date), "day")
                }
                None => return,
            },
            (None, Some(y)) => (format!("{y:04}-{mo:02}"), "month"),
            (Some(d), None) => match ctx.published {
                Some(p) => {
                    let Some(date) = month_day_near(p, mo, d, dir.unwrap_or(0)) else {
                        return;
                    };
                    start = self.weekday_before(text, start);
                    (calendar::ymd(date), "day")
                }
                None => {
                    if d > calendar::days_in_month(2000, mo).unwrap_or(31) {
                        return;
                    }
                    (format!("XXXX-{mo:02}-{d:02}"), "relative")
                }
            },
            (None, None) => match (dir, ctx.published) {
                (Some(dir), Some(p)) => {
                    let (y, m) = month_near(p, mo, dir);
                    (format!("{y:04}-{m:02}"), "month")
                }
                (Some(_), None) => (format!("XXXX-{mo:02}"), "relative"),
                (None, _) => return,
            },
        };
        out.push(Cand::new(start, end, value, precision));
    }

    fn hijri(
        &self,
        text: &str,
        s: usize,
        e: usize,
        mo: u8,
        ctx: &DateContext,
        out: &mut Vec<Cand>,
    ) {
        let mut start = s;
        let mut end = e;
        let mut day = None;
        if let Some((ds, d)) = self.day_before(text, start).filter(|(_, d)| *d <= 30) {
            day = Some(d);
            start = ds;
        }
        let mut year: Option<u32> = None;
        if let Some(t) = next_token(text, end).filter(|t| t.kind == TokKind::Number) {
            let y = parse_int(t.text(text)).unwrap_or(0);
            let (suf_end, marked) = hijri_suffix(text, t.end);
            if (1300..=1600).contains(&y) || marked {
                year = u32::try_from(y).ok();
                end = suf_end;
            }
        }
        let mo = u32::from(mo);
        let year = match (year, day) {
            (Some(y), _) => y,
            // "15 رمضان" without a year: the Hijri year of publication;
            // محرم and صفر are also a name and a word ("zero"): need a year.
            (None, Some(_)) if mo > 2 => match ctx.published.and_then(calendar::hijri_year_of) {
                Some(y) => y,
                None => return,
            },
            _ => return,
        };
        let (value, precision) = match day {
            Some(d) => match calendar::hijri_to_gregorian(year, mo, d) {
                Some(g) => (calendar::ymd(g), "day"),
                None => return,
            },
            None => match calendar::hijri_month_range(year, mo) {
                Some((a, b)) => (calendar::interval(a, b), "month"),
                None => return,
            },
        };
        if day.is_some() {
            start = self.weekday_before(text, start);
        }
        let mut c = Cand::new(start, end, value, precision);
        c.calendar = Some("hijri");
        out.push(c);
    }

    #[allow(clippy::too_many_arguments)]
    fn weekday(
        &self,
        text: &str,
        s: usize,
        e: usize,
        wd: u8,
        cued: bool,
        script: Script,
        ctx: &DateContext,
        out: &mut Vec<Cand>,
    ) {
        let next = next_token(text, e);
        // "الخميس 9 يوليو": the full date is read from the month name.
        if is_number(&next) {
            return;
        }
        let mut start = s;
        let mut end = e;
        let mut dir: i8 = 0;
        let prev = prev_token(text, s);
        match script {
            Script::Arabic => {
                let mut ok = cued;
                if let Some(w) = next.filter(|t| t.is_word()) {
                    if let Some(d) = modifier_after(w.text(text)) {
                        dir = d;
                        end = w.end;
                        ok = true;
                    }
                }
                if let Some(p) = prev {
                    if p.is_word() && in_list(p.text(text), lexicon::AR_BEFORE_WEEKDAY) {
                        ok = true;
                    }
                    let comma_before = p.is_punct('،') || p.is_punct(',');
                    let after_ok = next
                        .is_none_or(|t| matches!(t.kind, TokKind::Punct('،' | ',' | '.' | '\n')));
                    if comma_before && after_ok {
                        ok = true;
                    }
                }
                // A bare weekday in running text ("حذرت الأحد من", "ساريا
                // الخميس.") is a date, except in fixed phrases ("صلاة
                // الجمعة", "الأحد عشر") and "الاثنين" ("the two").
                let word = text.get(s..e).unwrap_or("");
                let ambiguous = matches!(word, "الاثنين" | "الإثنين");
                let fixed_before = prev.is_some_and(|p| {
                    p.is_word() && in_list(p.text(text), lexicon::AR_NOT_BEFORE_WEEKDAY)
                });
                let fixed_after = next.is_some_and(|n| {
                    n.is_word() && matches!(n.text(text), "عشر" | "عشرة" | "المبارك" | "المباركة")
                });
                if !ok && (ambiguous || fixed_before || fixed_after) {
                    return;
                }
            }
            Script::Latin => {
                let word = text.get(s..e).unwrap_or("");
                let english = lexicon::EN_WEEKDAYS
                    .iter()
                    .any(|(w, _)| w.eq_ignore_ascii_case(word));
                if let Some(p) = prev.filter(|t| t.is_word()) {
                    let pw = p.text(text).to_ascii_lowercase();
                    if lexicon::LAT_BEFORE_PAST.contains(&pw.as_str()) {
                        dir = -1;
                        start = p.start;
                    } else if lexicon::LAT_BEFORE_NEXT.contains(&pw.as_str()) {
                        dir = 1;
                        start = p.start;
                    }
                }
                if let Some(w) = next.filter(|t| t.is_word()) {
                    let nw = w.text(text);
                    if lexicon::LAT_AFTER_PAST.contains(&nw) {
                        dir = -1;
                        end = w.end;
                    } else if lexicon::LAT_AFTER_NEXT.contains(&nw) {
                        dir = 1;
                        end = w.end;
                    }
                }
                if english && dir == 0 && !word.starts_with(|c: char| c.is_ascii_uppercase()) {
                    return;
                }
            }
        }
        let c = match ctx.published {
            Some(p) => match calendar::weekday_near(p, wd, dir) {
                Some(d) => Cand::new(start, end, calendar::ymd(d), "day"),
                None => return,
            },
            None => Cand::new(start, end, format!("XXXX-WXX-{wd}"), "relative"),
        };
        out.push(c);
    }
}

/// The weekday `wd` within three days of `d` (before or after).
fn nearest_weekday(d: NaiveDate, wd: u8) -> Option<NaiveDate> {
    let before = calendar::weekday_near(d, wd, 0)?;
    if (d - before).num_days() <= 3 {
        Some(before)
    } else {
        calendar::weekday_near(d, wd, 1)
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

/// A written Arabic ordinal day ending with token `t` (`السابع`, `الحادي عشر`,
/// `الخامس والعشرين`, `العشرين`): its start and value.
fn ordinal_before(text: &str, t: &Tok) -> Option<(usize, u32)> {
    const UNITS: &[(&str, u32)] = &[
        ("الأول", 1),
        ("الاول", 1),
        ("الحادي", 1),
        ("الثاني", 2),
        ("الثالث", 3),
        ("الرابع", 4),
        ("الخامس", 5),
        ("السادس", 6),
        ("السابع", 7),
        ("الثامن", 8),
        ("التاسع", 9),
        ("العاشر", 10),
    ];
    let unit = |w: &str| UNITS.iter().find(|(u, _)| *u == w).map(|(_, v)| *v);
    if !t.is_word() {
        return None;
    }
    let w = t.text(text);
    let tens = match w {
        "عشر" => Some(10),
        "العشرين" | "والعشرين" => Some(20),
        "الثلاثين" | "والثلاثين" => Some(30),
        _ => None,
    };
    match tens {
        None => unit(w).filter(|v| *v <= 10).map(|v| (t.start, v)),
        Some(ten) => {
            let with_unit = w == "عشر" || w.starts_with('و');
            if !with_unit {
                return Some((t.start, ten));
            }
            let u = prev_token(text, t.start).filter(|p| p.is_word())?;
            let v = unit(u.text(text)).filter(|v| *v < 10)?;
            let d = ten + v;
            (d <= 31).then_some((u.start, d))
        }
    }
}

/// A 1–2 digit number 1..=31 (a day of the month).
fn day_number(text: &str, t: &Tok) -> Option<u32> {
    if t.kind != TokKind::Number {
        return None;
    }
    let s = t.text(text);
    if scan::digit_count(s) > 2 {
        return None;
    }
    let d = parse_int(s)? as u32;
    (1..=31).contains(&d).then_some(d)
}

fn year_number(text: &str, t: &Tok, lo: u32, hi: u32) -> Option<i32> {
    let s = t.text(text);
    if scan::digit_count(s) != 4 {
        return None;
    }
    let y = parse_int(s)? as u32;
    if !(lo..=hi).contains(&y) {
        return None;
    }
    // "يوليو 2015.5" or "2015,000": not a year.
    if let Some(c) = char_at(text, t.end) {
        if matches!(c, '.' | ',' | '٫' | '٬')
            && token_at(text, t.end + 1).is_some_and(|x| x.kind == TokKind::Number)
        {
            return None;
        }
    }
    i32::try_from(y).ok()
}

/// Extends over the Gregorian era mark `م` glued or spaced after a year.
fn gregorian_suffix(text: &str, end: usize) -> usize {
    if let Some(t) = token_at(text, end).filter(|t| t.is_word()) {
        if t.text(text) == "م" {
            return t.end;
        }
    }
    if let Some(t) = next_token(text, end).filter(|t| t.is_word()) {
        if t.text(text) == "م" && scan::ends_word(text, t.end) {
            return t.end;
        }
    }
    end
}

/// Extends over a Hijri era mark (`هـ`, `ه`, `هجري`, `هجرية`, `للهجرة`);
/// returns the end and whether one was found.
fn hijri_suffix(text: &str, end: usize) -> (usize, bool) {
    let glued = token_at(text, end).filter(|t| t.is_word());
    let spaced = next_token(text, end).filter(|t| t.is_word());
    for t in [glued, spaced].into_iter().flatten() {
        let w = t.text(text).trim_end_matches('\u{0640}');
        if matches!(
            w,
            "ه" | "هـ" | "هجري" | "هجرية" | "للهجرة" | "هجرياً" | "هجريا"
        ) {
            // Swallow a tatweel ("هـ") and a trailing period.
            let mut e = t.end;
            while char_at(text, e) == Some('\u{0640}') {
                e += '\u{0640}'.len_utf8();
            }
            return (e, true);
        }
    }
    (end, false)
}

/// After a weak year cue: the number counts things ("في 2000 شخص").
fn followed_by_count(text: &str, end: usize) -> bool {
    match next_token(text, end) {
        Some(t) if t.is_word() => {
            let w = t.text(text);
            NOT_AFTER_YEAR.iter().any(|x| w.starts_with(x))
        }
        Some(t) => t.is_punct('%') || t.is_punct('٪') || t.kind == TokKind::Number,
        None => false,
    }
}

/// `الماضي`/`dernier` → -1, `المقبل`/`prochain` → 1, `الجاري` → 0.
fn modifier_after(w: &str) -> Option<i8> {
    if lexicon::AR_AFTER_PAST.contains(&w) || lexicon::LAT_AFTER_PAST.contains(&w) {
        Some(-1)
    } else if lexicon::AR_AFTER_NEXT.contains(&w) || lexicon::LAT_AFTER_NEXT.contains(&w) {
        Some(1)
    } else if lexicon::AR_AFTER_THIS.contains(&w) {
        Some(0)
    } else {
        None
    }
}

/// The occurrence of month `mo` nearest to `p`: `-1` the latest strictly
/// before p's month, `1` the next strictly after, `0` in p's year.
fn month_near(p: NaiveDate, mo: u32, dir: i8) -> (i32, u32) {
    let y = p.year();
    match dir {
        d if d < 0 => {
            if mo < p.month() {
                (y, mo)
            } else {
                (y - 1, mo)
            }
        }
        d if d > 0 => {
            if mo > p.month() {
                (y, mo)
            } else {
                (y + 1, mo)
            }
        }
        _ => (y, mo),
    }
}

/// Day `d` of month `mo` near `p` (a date written without its year).
fn month_day_near(p: NaiveDate, mo: u32, d: u32, dir: i8) -> Option<NaiveDate> {
    let y = p.year();
    let this = NaiveDate::from_ymd_opt(y, mo, d);
    match dir {
        x if x < 0 => match this {
            Some(t) if t < p => Some(t),
            _ => NaiveDate::from_ymd_opt(y - 1, mo, d),
        },
        x if x > 0 => match this {
            Some(t) if t > p => Some(t),
            _ => NaiveDate::from_ymd_opt(y + 1, mo, d),
        },
        _ => this,
    }
}

#[cfg(test)]
mod tests;
