//! Relative expressions (`أمس`, `الشهر الماضي`, `yesterday`, `le mois
//! dernier`), resolved against the publication day.

use super::*;

impl DateExtractor {
    /// A relative expression (`أمس`, `الشهر الماضي`, `yesterday`, `le mois
    /// dernier`, `قبل عامين`), with a weekday after a day word folded in
    /// (`يوم أمس الخميس`, `غدًا الجمعة`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn relative(
        &self,
        text: &str,
        s: usize,
        mut e: usize,
        unit: Unit,
        k: i8,
        ctx: &DateContext,
        out: &mut Vec<Cand>,
    ) {
        let surface = text.get(s..e).unwrap_or("");
        let next = next_token(text, e);
        // "قبل عام 2015" is "before the year 2015", not "a year ago".
        if unit != Unit::Day && is_number(&next) {
            return;
        }
        if surface == "اليوم" {
            // "اليوم الوطني", "اليوم التالي", "صحيفة اليوم": not today.
            if let Some(n) = next {
                if n.is_word() && NOT_TODAY_AFTER.contains(&n.text(text)) {
                    return;
                }
                if n.kind == TokKind::Number {
                    return;
                }
            }
            if let Some(p) = prev_token(text, s).filter(|p| p.is_word()) {
                if in_list(p.text(text), NOT_TODAY_BEFORE) {
                    return;
                }
            }
        }
        let weekday = if unit == Unit::Day {
            self.weekday_after(text, e)
        } else {
            None
        };
        if let Some((we, _)) = weekday {
            e = we;
        }
        let c = match ctx.published {
            Some(p) => {
                let (value, precision) = match unit {
                    Unit::Day => {
                        let Some(d) = p.checked_add_signed(Duration::days(i64::from(k))) else {
                            return;
                        };
                        let d = match weekday {
                            Some((_, wd)) => nearest_weekday(d, wd).unwrap_or(d),
                            None => d,
                        };
                        (calendar::ymd(d), "day")
                    }
                    Unit::Week => match p.checked_add_signed(Duration::days(7 * i64::from(k))) {
                        Some(d) => {
                            let w = d.iso_week();
                            (format!("{:04}-W{:02}", w.year(), w.week()), "week")
                        }
                        None => return,
                    },
                    Unit::Month => {
                        let (y, m) = calendar::add_months(p.year(), p.month(), i32::from(k));
                        (format!("{y:04}-{m:02}"), "month")
                    }
                    Unit::Year => (format!("{:04}", p.year() + i32::from(k)), "year"),
                };
                Cand::new(s, e, value, precision)
            }
            None => {
                if let Some((_, wd)) = weekday {
                    out.push(Cand::new(s, e, format!("XXXX-WXX-{wd}"), "relative"));
                    return;
                }
                let u = match unit {
                    Unit::Day => 'D',
                    Unit::Week => 'W',
                    Unit::Month => 'M',
                    Unit::Year => 'Y',
                };
                let value = if k < 0 {
                    format!("-P{}{u}", -i32::from(k))
                } else {
                    format!("P{k}{u}")
                };
                Cand::new(s, e, value, "relative")
            }
        };
        out.push(c);
    }
}
