//! Canonical numbers: the digits of a number token in ASCII with a `.`
//! decimal point, its grouping and decimal separators told apart.

use super::super::{arabic, Lang};
use super::chars::is_digit;

/// Appends the canonical form of a number (ASCII digits, `.` decimal point,
/// no grouping) to `out`. Grouping and decimal separators are told apart by
/// position and count, then by the language: `1,250` is 1250 in English and
/// Arabic but 1.25 in French.
pub fn push_number(surface: &str, lang: Lang, out: &mut String) {
    // Plain ASCII digits (most numbers) are their own canonical form.
    if surface.bytes().all(|b| b.is_ascii_digit()) {
        out.push_str(surface);
        return;
    }
    let mut dots = 0;
    let mut commas = 0;
    let mut last_sep = None;
    let mut digits_after_last = 0;
    let mut arabic_decimal = false;
    for c in surface.chars() {
        match c {
            '.' => {
                dots += 1;
                last_sep = Some('.');
                digits_after_last = 0;
            }
            ',' => {
                commas += 1;
                last_sep = Some(',');
                digits_after_last = 0;
            }
            '٫' => arabic_decimal = true,
            c if is_digit(c) => digits_after_last += 1,
            _ => {}
        }
    }
    let decimal = if arabic_decimal {
        Some('٫')
    } else {
        match (dots, commas) {
            (0, 0) => None,
            (d, c) if d > 0 && c > 0 => last_sep,
            (1, 0) if digits_after_last == 3 && lang == Lang::Fr => None,
            (1, 0) => Some('.'),
            (0, 1) if digits_after_last == 3 && lang != Lang::Fr => None,
            (0, 1) => Some(','),
            _ => None,
        }
    };
    for c in surface.chars() {
        if let Some(d) = arabic::digit_value(c) {
            out.push((b'0' + d) as char);
        } else if c.is_ascii_digit() {
            out.push(c);
        } else if Some(c) == decimal {
            out.push('.');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(s: &str, lang: Lang) -> String {
        let mut out = String::new();
        push_number(s, lang, &mut out);
        out
    }

    #[test]
    fn numbers() {
        let cases = [
            ("1,250.5", Lang::En, "1250.5"),
            ("1 250,5", Lang::Fr, "1250.5"),
            ("1\u{202F}250,5", Lang::Fr, "1250.5"),
            ("1,250", Lang::En, "1250"),
            ("1,250", Lang::Fr, "1.250"),
            ("3.5", Lang::En, "3.5"),
            ("1.000.000", Lang::Fr, "1000000"),
            ("١٬٢٥٠٫٥", Lang::Ar, "1250.5"),
            ("٢٠١٨", Lang::Ar, "2018"),
        ];
        for (s, lang, want) in cases {
            assert_eq!(number(s, lang), want, "{s} {lang:?}");
        }
    }
}
