//! Dates found from their digits: numeric dates (`2016-12-31`, `31/12/2016`)
//! and cued years.

use super::*;

impl DateExtractor {
    /// Numeric dates and cued years, found from the digits.
    pub(super) fn numbers(
        &self,
        text: &str,
        digits: &[u32],
        ctx: &DateContext,
        out: &mut Vec<Cand>,
    ) {
        scan::walk_numbers(digits, |i| {
            let t = number_at(text, i).or_else(|| token_at(text, i))?;
            if starts_word(text, t.start, true) || is_after_tatweel(text, t.start) {
                if let Some(end) = self.numeric_date(text, &t, out) {
                    return Some(end);
                }
                self.year(text, &t, ctx, out);
            }
            Some(t.end)
        });
    }

    /// `2020-07-09`, `09/07/2020`, `1436/10/15هـ`, `15/10/1436هـ`. Returns the
    /// end of what it consumed.
    pub(super) fn numeric_date(&self, text: &str, t: &Tok, out: &mut Vec<Cand>) -> Option<usize> {
        let sep = char_at(text, t.end)?;
        if !matches!(sep, '-' | '/' | '.') {
            return None;
        }
        let b = number_at(text, t.end + sep.len_utf8())?;
        if char_at(text, b.end)? != sep {
            return None;
        }
        let c = number_at(text, b.end + sep.len_utf8())?;
        if !(scan::ends_word(text, c.end)
            || hijri_suffix(text, c.end).1
            || gregorian_suffix(text, c.end) != c.end)
        {
            return None;
        }
        // Refuse longer chains (phone numbers, versions).
        if let Some(after) = char_at(text, c.end) {
            if matches!(after, '-' | '/' | '.') && number_at(text, c.end + 1).is_some() {
                return None;
            }
        }
        let (na, nb, nc) = (
            scan::digit_count(t.text(text)),
            scan::digit_count(b.text(text)),
            scan::digit_count(c.text(text)),
        );
        let (va, vb, vc) = (
            parse_int(t.text(text))? as u32,
            parse_int(b.text(text))? as u32,
            parse_int(c.text(text))? as u32,
        );
        let (y, m, d) = if na == 4 && nb <= 2 && nc <= 2 {
            (va, vb, vc)
        } else if na <= 2 && nb <= 2 && nc == 4 {
            if va <= 12 && vb > 12 {
                (vc, va, vb)
            } else {
                (vc, vb, va)
            }
        } else {
            return None;
        };
        let (suf_end, marked) = hijri_suffix(text, c.end);
        let cand = if marked || (1300..=1500).contains(&y) {
            let g = calendar::hijri_to_gregorian(y, m, d)?;
            let mut cand = Cand::new(t.start, suf_end, calendar::ymd(g), "day");
            cand.calendar = Some("hijri");
            cand
        } else if (1000..=2200).contains(&y) {
            let g = NaiveDate::from_ymd_opt(y as i32, m, d)?;
            Cand::new(
                t.start,
                gregorian_suffix(text, c.end),
                calendar::ymd(g),
                "day",
            )
        } else {
            return None;
        };
        let end = cand.end;
        out.push(cand);
        Some(end)
    }

    /// A 4-digit number with a year cue.
    pub(super) fn year(&self, text: &str, t: &Tok, ctx: &DateContext, out: &mut Vec<Cand>) {
        let _ = ctx;
        let digits = scan::digit_count(t.text(text));
        if digits != 4 {
            return;
        }
        let Some(y) = parse_int(t.text(text)) else {
            return;
        };
        let y = y as u32;
        // Glued to something numeric ("2015.5", "2015,000"): not a year.
        if let Some(c) = char_at(text, t.end) {
            if matches!(c, '.' | ',' | '٫' | '٬') && number_at(text, t.end + 1).is_some() {
                return;
            }
        }
        // Hijri year: "1436هـ", "1436 هـ", "1436 للهجرة".
        let (hend, hijri) = hijri_suffix(text, t.end);
        if hijri {
            if let Some((a, b)) = calendar::hijri_year_range(y) {
                let mut start = t.start;
                if let Some(p) = prev_token(text, t.start).filter(|p| p.is_word()) {
                    if in_list(p.text(text), &["العام", "عام", "سنة", "السنة"]) {
                        start = cue_start(text, &p);
                    }
                }
                let mut c = Cand::new(start, hend, calendar::interval(a, b), "year");
                c.calendar = Some("hijri");
                out.push(c);
            }
            return;
        }
        if !(1000..=2200).contains(&y) {
            return;
        }
        let gend = gregorian_suffix(text, t.end);
        let marked = gend != t.end;
        let prev = prev_token(text, t.start);
        let prev_word = prev.filter(|p| p.is_word());
        let strong = prev_word.and_then(|p| {
            cue_word(
                p.text(text),
                &["العام", "عام", "عامي", "السنة", "سنة", "year", "année"],
            )
            .map(|_| p)
        });
        let weak = prev_word.filter(|p| {
            let w = p.text(text);
            // The cues are lower case: compare without lowering a copy.
            cue_word(w, lexicon::WEAK_YEAR_CUES).is_some()
                || lexicon::WEAK_YEAR_CUES
                    .iter()
                    .any(|c| w.eq_ignore_ascii_case(c))
        });
        // Range "2015-2016", "2015/2016".
        let mut end = gend;
        if let Some(sep) = char_at(text, t.end).filter(|c| matches!(c, '-' | '/' | '–')) {
            if let Some(t2) = number_at(text, t.end + sep.len_utf8()) {
                if scan::digit_count(t2.text(text)) == 4 {
                    let y2 = parse_int(t2.text(text)).unwrap_or(0) as u32;
                    let consecutive = y2 == y + 1;
                    if !(consecutive
                        || (y2 > y && y2 - y < 100 && (strong.is_some() || weak.is_some())))
                    {
                        return;
                    }
                    end = gregorian_suffix(text, t2.end);
                    let value = format!("{y:04}/{y2:04}");
                    let start = strong.map_or(t.start, |p| cue_start(text, &p));
                    out.push(Cand::new(start, end, value, "year"));
                    return;
                }
            }
        }
        let mut start = t.start;
        let cued = if let Some(p) = strong {
            start = cue_start(text, &p);
            true
        } else if marked {
            (1900..=2100).contains(&y)
        } else if weak.is_some() {
            (1900..=2099).contains(&y) && !followed_by_count(text, end)
        } else {
            false
        };
        // "summer 2018", "l'été 2018", "صيف 2018", "صيف العام 2018".
        let season_anchor = match (strong, weak) {
            (Some(p), _) => Some(p.start),
            (None, None) => Some(t.start),
            _ => None,
        };
        let mut season = None;
        if let Some(anchor) = season_anchor {
            let mut q = prev_token(text, cue_start_pos(text, anchor));
            if let Some(of) = q.filter(|w| w.is_word() && matches!(w.text(text), "of" | "de")) {
                q = prev_token(text, of.start);
            }
            if let Some(w) = q.filter(|w| w.is_word()) {
                let ws = cue_start(text, &w);
                if let Some((we, Cue::Season(name))) = self.cue_at(text, ws) {
                    if we == w.end {
                        season = Some(name);
                        start = ws;
                    }
                }
            }
        }
        if !cued && season.is_none() {
            return;
        }
        let mut c = Cand::new(
            start,
            end,
            format!("{y:04}"),
            if season.is_some() { "season" } else { "year" },
        );
        c.season = season;
        out.push(c);
    }
}
