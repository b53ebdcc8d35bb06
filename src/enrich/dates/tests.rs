use super::*;
use proptest::prelude::*;

fn extractor() -> DateExtractor {
    match DateExtractor::new() {
        Ok(x) => x,
        Err(e) => panic!("date vocabulary does not build: {e}"),
    }
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

type Case = (
    &'static str,
    &'static str,
    Option<NaiveDate>,
    &'static [(&'static str, &'static str, &'static str)],
);

fn run(cases: &[Case]) {
    let x = extractor();
    let mut failures = Vec::new();
    for (name, text, published, want) in cases {
        let got = x.extract(
            text,
            Field::Body,
            &DateContext {
                published: *published,
            },
        );
        let got: Vec<(String, String, String)> = got
            .into_iter()
            .map(|d| (d.text, d.value, d.precision))
            .collect();
        let want: Vec<(String, String, String)> = want
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect();
        if got != want {
            failures.push(format!("{name}:\n  got  {got:?}\n  want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn arabic_absolute_dates() {
    run(&[
        (
            "gulf month",
            "وقع الاتفاق في 9 يوليو 2020 في الرياض",
            None,
            &[("9 يوليو 2020", "2020-07-09", "day")],
        ),
        (
            "levantine month",
            "في 15 تموز 2019 وصل الوفد",
            None,
            &[("15 تموز 2019", "2019-07-15", "day")],
        ),
        (
            "two-word levantine month",
            "صدر في 3 كانون الثاني 2021.",
            None,
            &[("3 كانون الثاني 2021", "2021-01-03", "day")],
        ),
        (
            "double naming",
            "يوم 2 تموز/يوليو 2020 عقد",
            None,
            &[("2 تموز/يوليو 2020", "2020-07-02", "day")],
        ),
        (
            "maghrebi month",
            "انطلقت في 14 جانفي 2011 الاحتجاجات",
            None,
            &[("14 جانفي 2011", "2011-01-14", "day")],
        ),
        (
            "maghrebi juillet",
            "يوم 25 جويلية 2021",
            None,
            &[("25 جويلية 2021", "2021-07-25", "day")],
        ),
        (
            "arabic-indic digits",
            "بتاريخ ٩ أبريل ٢٠٢٠م",
            None,
            &[("٩ أبريل ٢٠٢٠م", "2020-04-09", "day")],
        ),
        (
            "bare alef month",
            "في 1 ابريل 2015",
            None,
            &[("1 ابريل 2015", "2015-04-01", "day")],
        ),
        (
            "month and year",
            "منذ أغسطس 2014 تراجع النفط",
            None,
            &[("أغسطس 2014", "2014-08", "month")],
        ),
        (
            "weekday before date",
            "وصل الخميس 9 يوليو 2015 إلى",
            None,
            &[("الخميس 9 يوليو 2015", "2015-07-09", "day")],
        ),
        (
            "day without year, published",
            "اجتمع في 5 مارس مع",
            day(2015, 7, 31),
            &[("5 مارس", "2015-03-05", "day")],
        ),
        (
            "day without year, unknown",
            "اجتمع في 5 مارس مع",
            None,
            &[("5 مارس", "XXXX-03-05", "relative")],
        ),
        (
            "month last",
            "في مارس الماضي",
            day(2015, 7, 31),
            &[("مارس الماضي", "2015-03", "month")],
        ),
        (
            "verb marasa is not a month",
            "مارس الضغوط على الحكومة",
            None,
            &[],
        ),
        ("invalid day", "في 31 فبراير 2015", None, &[]),
        (
            "written ordinal",
            "في السابع من يونيو 2015",
            None,
            &[("السابع من يونيو 2015", "2015-06-07", "day")],
        ),
        (
            "compound ordinal",
            "في الحادي عشر من مارس 2011",
            None,
            &[("الحادي عشر من مارس 2011", "2011-03-11", "day")],
        ),
        (
            "day of month of",
            "في الـ 11 من شهر أكتوبر القادم",
            day(2015, 8, 9),
            &[("11 من شهر أكتوبر القادم", "2015-10-11", "day")],
        ),
        (
            "iso date",
            "Le 2020-07-09 à Paris",
            None,
            &[("2020-07-09", "2020-07-09", "day")],
        ),
        (
            "numeric dmy",
            "صدر القرار بتاريخ 15/07/2015 م",
            None,
            &[("15/07/2015 م", "2015-07-15", "day")],
        ),
    ]);
}

#[test]
fn hijri_dates() {
    run(&[
        (
            "day month year",
            "الموافق 15 رمضان 1436هـ",
            None,
            &[("15 رمضان 1436هـ", "2015-07-02", "day")],
        ),
        (
            "spaced mark",
            "في 1 شوال 1436 هـ",
            None,
            &[("1 شوال 1436 هـ", "2015-07-17", "day")],
        ),
        (
            "month year",
            "خلال رمضان 1436هـ",
            None,
            &[("رمضان 1436هـ", "2015-06-18/2015-07-16", "month")],
        ),
        (
            "two-word month",
            "يوم 10 ذو الحجة 1436هـ",
            None,
            &[("10 ذو الحجة 1436هـ", "2015-09-23", "day")],
        ),
        (
            "year with mark",
            "خلال العام 1436هـ",
            None,
            &[("العام 1436هـ", "2014-10-25/2015-10-13", "year")],
        ),
        (
            "numeric ymd",
            "صدر في 1436/10/15هـ",
            None,
            &[("1436/10/15هـ", "2015-07-31", "day")],
        ),
        (
            "day without year",
            "ليلة 27 رمضان",
            day(2015, 7, 1),
            &[("27 رمضان", "2015-07-14", "day")],
        ),
        ("safar needs a year", "نسبة 1 صفر", None, &[]),
        ("ramadan alone", "في شهر رمضان المبارك", None, &[]),
    ]);
}

#[test]
fn years_need_a_cue() {
    run(&[
        (
            "al-aam",
            "منذ بدء الثورة في العام 2011 دعما",
            None,
            &[("العام 2011", "2011", "year")],
        ),
        (
            "aam",
            "عام 2012؛ حيث",
            None,
            &[("عام 2012", "2012", "year")],
        ),
        (
            "proclitic",
            "وفي العام 2011 إلى",
            None,
            &[("العام 2011", "2011", "year")],
        ),
        (
            "li-aam",
            "ميزانية لعام 2016",
            None,
            &[("عام 2016", "2016", "year")],
        ),
        (
            "season",
            "وفي صيف العام 2018، وقع",
            None,
            &[("صيف العام 2018", "2018", "season")],
        ),
        (
            "weak cue",
            "في 2015 ارتفعت",
            None,
            &[("2015", "2015", "year")],
        ),
        ("weak cue amount", "في 2000 شخص", None, &[]),
        ("bare number", "بلغ العدد 2015 شخصا", None, &[]),
        (
            "gregorian mark",
            "تأسست 1932م",
            None,
            &[("1932م", "1932", "year")],
        ),
        (
            "range",
            "في 2015-2016 لتوسعة",
            None,
            &[("2015-2016", "2015/2016", "year")],
        ),
        (
            "english",
            "prices fell in 2015 and since 2011",
            None,
            &[("2015", "2015", "year"), ("2011", "2011", "year")],
        ),
        (
            "english season",
            "in the summer of 2018 the",
            None,
            &[("summer of 2018", "2018", "season")],
        ),
        (
            "french",
            "depuis 2011 et l'été 2018",
            None,
            &[("2011", "2011", "year"), ("été 2018", "2018", "season")],
        ),
        ("money is not a year", "بقيمة 2015 دولار", None, &[]),
    ]);
}

#[test]
fn english_and_french_dates() {
    run(&[
        (
            "month day year",
            "On July 9, 2020, the",
            None,
            &[("July 9, 2020", "2020-07-09", "day")],
        ),
        (
            "day month year",
            "signed 9 July 2020 in",
            None,
            &[("9 July 2020", "2020-07-09", "day")],
        ),
        (
            "ordinal",
            "on March 3rd, 2019.",
            None,
            &[("March 3rd, 2019", "2019-03-03", "day")],
        ),
        (
            "weekday date",
            "on Thursday, July 9, 2020",
            None,
            &[("Thursday, July 9, 2020", "2020-07-09", "day")],
        ),
        ("may is modal", "they may 15 times", None, &[]),
        (
            "french day",
            "le 9 juillet 2020 à Paris",
            None,
            &[("9 juillet 2020", "2020-07-09", "day")],
        ),
        (
            "french 1er",
            "le 1er mars",
            day(2021, 5, 2),
            &[("1er mars", "2021-03-01", "day")],
        ),
        (
            "french month",
            "en février 2019",
            None,
            &[("février 2019", "2019-02", "month")],
        ),
        (
            "french capital",
            "Février 2019 fut froid",
            None,
            &[("Février 2019", "2019-02", "month")],
        ),
    ]);
}

#[test]
fn relative_references() {
    let p = day(2020, 7, 9); // a Thursday
    run(&[
        (
            "arabic weekday",
            "أعرب الأسد، يوم الخميس، عن",
            p,
            &[("يوم الخميس", "2020-07-09", "day")],
        ),
        (
            "arabic wednesday",
            "وقع النظامان، يوم الأربعاء، اتفاقا",
            p,
            &[("يوم الأربعاء", "2020-07-08", "day")],
        ),
        (
            "arabic last month",
            "حيز التنفيذ الشهر الماضي.",
            p,
            &[("الشهر الماضي", "2020-06", "month")],
        ),
        (
            "arabic yesterday",
            "قال أمس إن",
            p,
            &[("أمس", "2020-07-08", "day")],
        ),
        (
            "arabic next week",
            "الأسبوع المقبل",
            p,
            &[("الأسبوع المقبل", "2020-W29", "week")],
        ),
        (
            "arabic this year",
            "خلال العام الجاري",
            p,
            &[("العام الجاري", "2020", "year")],
        ),
        (
            "arabic evening weekday",
            "مساء الأحد الماضي",
            p,
            &[("الأحد الماضي", "2020-07-05", "day")],
        ),
        ("arabic bare weekday", "صلاة الجمعة في المسجد", p, &[]),
        (
            "today",
            "أعلنت اليوم الوزارة",
            p,
            &[("اليوم", "2020-07-09", "day")],
        ),
        ("national day", "احتفالات اليوم الوطني", p, &[]),
        (
            "english",
            "He said yesterday that last Tuesday and next month",
            p,
            &[
                ("yesterday", "2020-07-08", "day"),
                ("last Tuesday", "2020-07-07", "day"),
                ("next month", "2020-08", "month"),
            ],
        ),
        (
            "english weekday",
            "The talks on Monday failed",
            p,
            &[("Monday", "2020-07-06", "day")],
        ),
        (
            "french",
            "hier, mardi dernier et le mois dernier",
            p,
            &[
                ("hier", "2020-07-08", "day"),
                ("mardi dernier", "2020-07-07", "day"),
                ("le mois dernier", "2020-06", "month"),
            ],
        ),
        (
            "unresolved",
            "قال أمس إن الشهر الماضي ويوم الخميس",
            None,
            &[
                ("أمس", "-P1D", "relative"),
                ("الشهر الماضي", "-P1M", "relative"),
                ("يوم الخميس", "XXXX-WXX-4", "relative"),
            ],
        ),
    ]);
}

#[test]
fn spans_are_code_points() {
    let x = extractor();
    let text = "قال في العام 2011 إن";
    let got = x.extract(text, Field::Title, &DateContext::default());
    assert_eq!(got.len(), 1);
    let span = got[0].span.unwrap_or(crate::model::record::Span {
        field: Field::Body,
        start: 0,
        end: 0,
    });
    assert_eq!(span.field, Field::Title);
    let chars: Vec<char> = text.chars().collect();
    let s: String = chars[span.start..span.end].iter().collect();
    assert_eq!(s, "العام 2011");
}

proptest! {
    #[test]
    fn never_panics(s in "\\PC*", published in proptest::option::of(0i64..40000)) {
        let x = extractor();
        let p = published.and_then(|d| NaiveDate::from_ymd_opt(1950, 1, 1).and_then(|b| b.checked_add_signed(Duration::days(d))));
        let _ = x.extract(&s, Field::Body, &DateContext { published: p });
    }

    #[test]
    fn never_panics_on_date_like_text(s in "[0-9٠-٩ /\\-.،,هـم]{0,12}(يوليو|رمضان|العام|الخميس|أمس|July|mars)?[0-9٠-٩ /\\-.هـم]{0,12}") {
        let x = extractor();
        let _ = x.extract(&s, Field::Body, &DateContext { published: NaiveDate::from_ymd_opt(2015, 7, 1) });
        let _ = x.extract(&s, Field::Body, &DateContext::default());
    }
}
