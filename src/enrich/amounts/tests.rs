use super::*;
use proptest::prelude::*;

fn extractor() -> AmountExtractor {
    match AmountExtractor::new() {
        Ok(x) => x,
        Err(e) => panic!("amount vocabulary does not build: {e}"),
    }
}

type Case = (
    &'static str,
    &'static str,
    bool,
    &'static [(&'static str, f64, Option<&'static str>)],
);

#[test]
fn golden_amounts() {
    let cases: &[Case] = &[
        (
            "billion dollars",
            "بقيمة 2.5 مليار دولار",
            false,
            &[("2.5 مليار دولار", 2.5e9, Some("USD"))],
        ),
        (
            "million dollars",
            "لإنفاق نحو 200 مليون دولار في",
            false,
            &[("200 مليون دولار", 2e8, Some("USD"))],
        ),
        (
            "percent word",
            "ارتفع الدخل 31 بالمئة إلى",
            false,
            &[("31 بالمئة", 31.0, Some("percent"))],
        ),
        (
            "percent sign",
            "بنسبة 41% من",
            false,
            &[("41%", 41.0, Some("percent"))],
        ),
        (
            "fi al-mia",
            "بزيادة ستة في المئة",
            false,
            &[("ستة في المئة", 6.0, Some("percent"))],
        ),
        (
            "scaled count",
            "حوالي 11.5 مليون مشترك",
            false,
            &[("11.5 مليون", 11.5e6, None)],
        ),
        (
            "arabic-indic",
            "بلغت ٣٫٥ مليار ريال سعودي",
            false,
            &[("٣٫٥ مليار ريال سعودي", 3.5e9, Some("SAR"))],
        ),
        (
            "written number",
            "خصصت ثلاثة ملايين يورو",
            false,
            &[("ثلاثة ملايين يورو", 3e6, Some("EUR"))],
        ),
        (
            "single scale",
            "تبرع بمليون دولار",
            false,
            &[("مليون دولار", 1e6, Some("USD"))],
        ),
        (
            "vague lower bound",
            "كلفت مئات الملايين من الدولارات",
            false,
            &[("مئات الملايين من الدولارات", 1e8, Some("USD"))],
        ),
        (
            "bare riyal",
            "غرامة 500 ريال",
            false,
            &[("500 ريال", 500.0, Some("riyal"))],
        ),
        (
            "egyptian pound",
            "بسعر 10 جنيهات مصرية",
            false,
            &[("10 جنيهات مصرية", 10.0, Some("EGP"))],
        ),
        (
            "dollar sign",
            "raised $2.5 billion last year",
            false,
            &[("$2.5 billion", 2.5e9, Some("USD"))],
        ),
        (
            "glued scale",
            "a $3bn deal",
            false,
            &[("$3bn", 3e9, Some("USD"))],
        ),
        (
            "grouped",
            "paid 1,500,000 dollars",
            false,
            &[("1,500,000 dollars", 1.5e6, Some("USD"))],
        ),
        (
            "english percent",
            "rose 4.5 percent",
            false,
            &[("4.5 percent", 4.5, Some("percent"))],
        ),
        (
            "french",
            "un plan de 1,5 milliard d'euros",
            true,
            &[("1,5 milliard d'euros", 1.5e9, Some("EUR"))],
        ),
        (
            "french millions",
            "12 millions de dollars",
            true,
            &[("12 millions de dollars", 12e6, Some("USD"))],
        ),
        (
            "euro sign",
            "coûte 20 €",
            true,
            &[("20 €", 20.0, Some("EUR"))],
        ),
        ("bare number", "في العام 2015 وقع 12 شخصا", false, &[]),
        ("written number alone", "ثلاثة أشخاص", false, &[]),
    ];
    let x = extractor();
    let mut failures = Vec::new();
    for (name, text, fr, want) in cases {
        let got: Vec<(String, f64, Option<String>)> = x
            .extract(text, Field::Body, *fr)
            .into_iter()
            .map(|a| (a.text, a.value, a.unit))
            .collect();
        let ok = got.len() == want.len()
            && got.iter().zip(want.iter()).all(|(g, w)| {
                g.0 == w.0
                    && (g.1 - w.1).abs() <= 1e-6 * w.1.abs().max(1.0)
                    && g.2.as_deref() == w.2
            });
        if !ok {
            failures.push(format!("{name}:\n  got  {got:?}\n  want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

proptest! {
    #[test]
    fn never_panics(s in "\\PC*", fr in any::<bool>()) {
        let _ = extractor().extract(&s, Field::Body, fr);
    }

    #[test]
    fn never_panics_on_number_like_text(s in "[0-9٠-٩.,٫٬ $€£%مليارندولرa-z]{0,40}", fr in any::<bool>()) {
        let _ = extractor().extract(&s, Field::Body, fr);
    }
}
