//! Calendar arithmetic: Hijri (Umm al-Qura, the official Saudi calendar, as
//! tabulated by the `hijri_date` crate for 1357–1499 AH) to Gregorian, and the
//! small Gregorian helpers relative dates need.

use chrono::{Datelike, Duration, NaiveDate};
use hijri_date::HijriDate;

/// First and last Hijri years the conversion table covers.
pub const HIJRI_MIN_YEAR: u32 = 1357;
pub const HIJRI_MAX_YEAR: u32 = 1499;

fn hijri(year: u32, month: u32, day: u32) -> Option<HijriDate> {
    if !(HIJRI_MIN_YEAR..=HIJRI_MAX_YEAR).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=30).contains(&day)
    {
        return None;
    }
    let h = HijriDate::from_hijri(year as usize, month as usize, day as usize).ok()?;
    (day as usize <= h.month_len()).then_some(h)
}

/// The Gregorian date of a Hijri date, when the table covers it.
pub fn hijri_to_gregorian(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    let h = hijri(year, month, day)?;
    NaiveDate::from_ymd_opt(h.year_gr() as i32, h.month_gr() as u32, h.day_gr() as u32)
}

/// First and last Gregorian days of a Hijri month.
pub fn hijri_month_range(year: u32, month: u32) -> Option<(NaiveDate, NaiveDate)> {
    let h = hijri(year, month, 1)?;
    let first =
        NaiveDate::from_ymd_opt(h.year_gr() as i32, h.month_gr() as u32, h.day_gr() as u32)?;
    let last = first.checked_add_signed(Duration::days(h.month_len() as i64 - 1))?;
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

pub fn ymd(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

pub fn interval(a: NaiveDate, b: NaiveDate) -> String {
    format!("{}/{}", ymd(a), ymd(b))
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
