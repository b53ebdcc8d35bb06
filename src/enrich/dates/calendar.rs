//! Calendar arithmetic: Hijri (Umm al-Qura, the official Saudi calendar, as
//! tabulated by the `hijri_date` crate for 1357–1499 AH) to Gregorian, and the
//! small Gregorian helpers relative dates need.

use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate};
use hijri_date::HijriDate;

/// First and last Hijri years the conversion table covers.
pub const HIJRI_MIN_YEAR: u32 = 1357;
pub const HIJRI_MAX_YEAR: u32 = 1499;

/// The Gregorian first day and the length of every Hijri month the table
/// covers, from month 1 of [`HIJRI_MIN_YEAR`]; read once from `hijri_date`
/// (whose conversions format and parse dates) on first use.
fn months() -> &'static [Option<(NaiveDate, u32)>] {
    static MONTHS: OnceLock<Vec<Option<(NaiveDate, u32)>>> = OnceLock::new();
    MONTHS.get_or_init(|| {
        (HIJRI_MIN_YEAR..=HIJRI_MAX_YEAR)
            .flat_map(|y| (1..=12).map(move |m| (y, m)))
            .map(|(y, m)| {
                let h = HijriDate::from_hijri(y as usize, m as usize, 1).ok()?;
                let first = NaiveDate::from_ymd_opt(
                    h.year_gr() as i32,
                    h.month_gr() as u32,
                    h.day_gr() as u32,
                )?;
                Some((first, h.month_len() as u32))
            })
            .collect()
    })
}

/// Reads the Hijri month table now rather than on the first Hijri date.
pub fn warm_up() {
    let _ = months();
}

/// First Gregorian day and length of a Hijri month.
fn month(year: u32, month: u32) -> Option<(NaiveDate, u32)> {
    if !(HIJRI_MIN_YEAR..=HIJRI_MAX_YEAR).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    let i = (year - HIJRI_MIN_YEAR) * 12 + month - 1;
    months().get(i as usize).copied().flatten()
}

/// The Gregorian date of a Hijri date, when the table covers it. Day 30 of
/// a 29-day month is read as `hijri_date` reads it: the first day of the
/// next month, accepted when that month has 30 days (after the table's last
/// month, 1499-12, there is no next month to ask, so it is not accepted).
pub fn hijri_to_gregorian(year: u32, month_no: u32, day: u32) -> Option<NaiveDate> {
    if !(1..=30).contains(&day) {
        return None;
    }
    let (first, len) = month(year, month_no)?;
    let date = first.checked_add_signed(Duration::days(i64::from(day) - 1))?;
    let len_there = if day <= len {
        len
    } else if month_no == 12 {
        month(year + 1, 1)?.1
    } else {
        month(year, month_no + 1)?.1
    };
    (day <= len_there).then_some(date)
}

/// First and last Gregorian days of a Hijri month.
pub fn hijri_month_range(year: u32, month_no: u32) -> Option<(NaiveDate, NaiveDate)> {
    let (first, len) = month(year, month_no)?;
    let last = first.checked_add_signed(Duration::days(i64::from(len) - 1))?;
    Some((first, last))
}

/// First and last Gregorian days of a Hijri year.
pub fn hijri_year_range(year: u32) -> Option<(NaiveDate, NaiveDate)> {
    let (first, _) = hijri_month_range(year, 1)?;
    let (_, last) = hijri_month_range(year, 12)?;
    Some((first, last))
}

/// The Hijri year in progress on a Gregorian date.
pub fn hijri_year_of(date: NaiveDate) -> Option<u32> {
    let y = date.year();
    if !(1938..=2076).contains(&y) {
        return None;
    }
    let h = HijriDate::from_gr(y as usize, date.month() as usize, date.day() as usize).ok()?;
    u32::try_from(h.year()).ok()
}

/// `YYYY-MM-DD`.
pub fn ymd(d: NaiveDate) -> String {
    let mut s = String::with_capacity(10);
    push_ymd(&mut s, d);
    s
}

/// `YYYY-MM-DD/YYYY-MM-DD`.
pub fn interval(a: NaiveDate, b: NaiveDate) -> String {
    let mut s = String::with_capacity(21);
    push_ymd(&mut s, a);
    s.push('/');
    push_ymd(&mut s, b);
    s
}

/// Appends `YYYY-MM-DD` (as `{:04}-{:02}-{:02}` formats it) without the
/// formatting machinery.
fn push_ymd(s: &mut String, d: NaiveDate) {
    let y = d.year();
    let Ok(year @ 0..=9999) = u32::try_from(y) else {
        s.push_str(&format!("{:04}-{:02}-{:02}", y, d.month(), d.day()));
        return;
    };
    push_digits(s, year, 4);
    s.push('-');
    push_digits(s, d.month(), 2);
    s.push('-');
    push_digits(s, d.day(), 2);
}

/// The last `width` decimal digits of `v`, zero-padded.
fn push_digits(s: &mut String, v: u32, width: u32) {
    for k in (0..width).rev() {
        let digit = (v / 10u32.pow(k)) % 10;
        s.push(char::from(b'0' + digit as u8));
    }
}

/// Adds `k` months to the month `(year, month)`.
pub fn add_months(year: i32, month: u32, k: i32) -> (i32, u32) {
    let idx = year * 12 + month as i32 - 1 + k;
    (idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1)
}

/// The weekday `iso_wd` (1 = Monday) nearest to `p` in the direction given:
/// `-1` strictly before, `1` strictly after, `0` on or before `p`.
pub fn weekday_near(p: NaiveDate, iso_wd: u8, dir: i8) -> Option<NaiveDate> {
    let cur = p.weekday().number_from_monday() as i64;
    let want = i64::from(iso_wd);
    let days = match dir {
        d if d < 0 => -((cur - want - 1).rem_euclid(7) + 1),
        d if d > 0 => (want - cur - 1).rem_euclid(7) + 1,
        _ => -(cur - want).rem_euclid(7),
    };
    p.checked_add_signed(Duration::days(days))
}

/// Days in a Gregorian month.
pub fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let (ny, nm) = add_months(year, month, 1);
    let first_next = NaiveDate::from_ymd_opt(ny, nm, 1)?;
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    u32::try_from((first_next - first).num_days()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn hijri_conversion_matches_umm_al_qura() {
        // 1 Ramadan 1436 AH = 18 June 2015; 1 Muharram 1437 = 14 October 2015.
        assert_eq!(hijri_to_gregorian(1436, 9, 1), Some(d(2015, 6, 18)));
        assert_eq!(hijri_to_gregorian(1437, 1, 1), Some(d(2015, 10, 14)));
        assert_eq!(hijri_to_gregorian(1300, 1, 1), None);
        assert_eq!(hijri_to_gregorian(1436, 13, 1), None);
        assert_eq!(hijri_to_gregorian(1436, 0, 1), None);
        assert_eq!(
            hijri_month_range(1436, 9),
            Some((d(2015, 6, 18), d(2015, 7, 16)))
        );
        assert_eq!(hijri_year_of(d(2015, 7, 31)), Some(1436));
    }

    /// The conversion straight from `hijri_date`, day by day.
    fn from_crate(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
        let h = HijriDate::from_hijri(year as usize, month as usize, day as usize).ok()?;
        (day as usize <= h.month_len()).then_some(())?;
        NaiveDate::from_ymd_opt(h.year_gr() as i32, h.month_gr() as u32, h.day_gr() as u32)
    }

    #[test]
    fn month_table_agrees_with_the_crate() {
        for year in (HIJRI_MIN_YEAR..HIJRI_MAX_YEAR).step_by(3) {
            for month in 1..=12 {
                for day in [1, 2, 15, 28, 29, 30] {
                    assert_eq!(
                        hijri_to_gregorian(year, month, day),
                        from_crate(year, month, day),
                        "{year}-{month}-{day}"
                    );
                }
            }
        }
    }

    #[test]
    fn writes_days_as_iso_8601() {
        for day in [d(2015, 7, 9), d(1, 1, 1), d(999, 12, 31), d(2200, 2, 28)] {
            let want = format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day());
            assert_eq!(ymd(day), want);
            assert_eq!(interval(day, day), format!("{want}/{want}"));
        }
        let early = NaiveDate::from_ymd_opt(-44, 3, 15).unwrap_or_default();
        assert_eq!(ymd(early), format!("{:04}-03-15", -44));
    }

    #[test]
    fn weekdays_around_a_date() {
        let thu = d(2020, 7, 9);
        assert_eq!(weekday_near(thu, 4, 0), Some(thu));
        assert_eq!(weekday_near(thu, 4, -1), Some(d(2020, 7, 2)));
        assert_eq!(weekday_near(thu, 4, 1), Some(d(2020, 7, 16)));
        assert_eq!(weekday_near(thu, 3, 0), Some(d(2020, 7, 8)));
        assert_eq!(weekday_near(thu, 2, -1), Some(d(2020, 7, 7)));
        assert_eq!(weekday_near(thu, 5, 0), Some(d(2020, 7, 3)));
        assert_eq!(add_months(2020, 1, -1), (2019, 12));
        assert_eq!(days_in_month(2020, 2), Some(29));
    }
}
