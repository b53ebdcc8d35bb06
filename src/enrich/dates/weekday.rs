//! Weekdays and months relative to the published date.

use super::*;

impl DateExtractor {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn weekday(
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
pub(super) fn nearest_weekday(d: NaiveDate, wd: u8) -> Option<NaiveDate> {
    let before = calendar::weekday_near(d, wd, 0)?;
    if (d - before).num_days() <= 3 {
        Some(before)
    } else {
        calendar::weekday_near(d, wd, 1)
    }
}

/// `الماضي`/`dernier` → -1, `المقبل`/`prochain` → 1, `الجاري` → 0.
pub(super) fn modifier_after(w: &str) -> Option<i8> {
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
pub(super) fn month_near(p: NaiveDate, mo: u32, dir: i8) -> (i32, u32) {
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
pub(super) fn month_day_near(p: NaiveDate, mo: u32, d: u32, dir: i8) -> Option<NaiveDate> {
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
