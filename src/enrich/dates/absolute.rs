//! Absolute dates: day, month and year in Gregorian and Hijri months.

use super::*;

impl DateExtractor {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn gregorian(
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

    pub(super) fn hijri(
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
}

/// A written Arabic ordinal day ending with token `t` (`السابع`, `الحادي عشر`,
/// `الخامس والعشرين`, `العشرين`): its start and value.
pub(super) fn ordinal_before(text: &str, t: &Tok) -> Option<(usize, u32)> {
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
pub(super) fn day_number(text: &str, t: &Tok) -> Option<u32> {
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

pub(super) fn year_number(text: &str, t: &Tok, lo: u32, hi: u32) -> Option<i32> {
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
pub(super) fn gregorian_suffix(text: &str, end: usize) -> usize {
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
pub(super) fn hijri_suffix(text: &str, end: usize) -> (usize, bool) {
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
pub(super) fn followed_by_count(text: &str, end: usize) -> bool {
    match next_token(text, end) {
        Some(t) if t.is_word() => {
            let w = t.text(text);
            NOT_AFTER_YEAR.iter().any(|x| w.starts_with(x))
        }
        Some(t) => t.is_punct('%') || t.is_punct('٪') || t.kind == TokKind::Number,
        None => false,
    }
}
