use super::*;
use proptest::prelude::*;

fn extractor() -> QuoteExtractor {
    match QuoteExtractor::new() {
        Ok(x) => x,
        Err(e) => panic!("quote vocabulary does not build: {e}"),
    }
}

type Case = (
    &'static str,
    &'static str,
    &'static [(Option<&'static str>, &'static str)],
);

fn run(cases: &[Case]) {
    let x = extractor();
    let mut failures = Vec::new();
    for (name, text, want) in cases {
        let got: Vec<(Option<String>, String)> = x
            .extract(text, Field::Body)
            .into_iter()
            .map(|q| (q.speaker, q.text))
            .collect();
        let want: Vec<(Option<String>, String)> = want
            .iter()
            .map(|(s, t)| (s.map(str::to_string), t.to_string()))
            .collect();
        if got != want {
            failures.push(format!("{name}:\n  got  {got:?}\n  want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn arabic_quotes() {
    run(&[
        (
            "verb, speaker, long aside, inna",
            "وقال الأسد، خلال لقائه الوفد في دمشق، إن \"الاتفاقية تأتي كنتيجة لسنوات من العمل\"، حسب زعمه.",
            &[(Some("الأسد"), "الاتفاقية تأتي كنتيجة لسنوات من العمل")],
        ),
        (
            "reported saying and participle",
            "ونقل التلفزيون الرسمي عن باقري، قوله \"سنعزز نظام الدفاع الجوي\"، مشددا على أن الاتفاق \"سيعزز إرادتنا (..) لمواجهة الضغوط\".",
            &[
                (Some("باقري"), "سنعزز نظام الدفاع الجوي"),
                (Some("باقري"), "سيعزز إرادتنا (..) لمواجهة الضغوط"),
            ],
        ),
        (
            "title dropped",
            "وقال وزير الخارجية السعودي عادل الجبير: «لن نقبل بأي تدخل في شؤوننا».",
            &[(Some("عادل الجبير"), "لن نقبل بأي تدخل في شؤوننا")],
        ),
        (
            "rank dropped",
            "قال اللواء باقري إن \"التعاون سيستمر مع الحلفاء\".",
            &[(Some("باقري"), "التعاون سيستمر مع الحلفاء")],
        ),
        (
            "scare quotes are not speech",
            "كما وقعا اتفاق تعاون اقتصادي \"طويل الأمد\" شمل قطاعات عدة.",
            &[],
        ),
        (
            "names in quotes are not speech",
            "احتلت صحيفة \"سبق\" المركز الأول عبر \"تويتر\" و\"فيس بوك\".",
            &[],
        ),
        (
            "pronoun continues the speaker",
            "وقال الوزير خالد الفالح: \"الأسعار ستتعافى قريبا\".\nوأضاف: \"نحن نراقب السوق عن كثب\".",
            &[
                (Some("خالد الفالح"), "الأسعار ستتعافى قريبا"),
                (Some("خالد الفالح"), "نحن نراقب السوق عن كثب"),
            ],
        ),
        (
            "verb after the quote",
            "\"لن نتراجع عن قرارنا أبدا\"، قال المتحدث باسم الحركة.",
            &[(Some("المتحدث"), "لن نتراجع عن قرارنا أبدا")],
        ),
        (
            "anonymous source",
            "وقال مصدر مطلع لـ\"سبق\": \"الحادث وقع فجر اليوم\".",
            &[(None, "الحادث وقع فجر اليوم")],
        ),
    ]);
}

#[test]
fn english_and_french_quotes() {
    run(&[
        (
            "said after, name before verb",
            "\"We will not back down,\" Bashar al-Assad said on Thursday.",
            &[(Some("Bashar al-Assad"), "We will not back down,")],
        ),
        (
            "said after, name after verb",
            "\"The deal strengthens our air defence,\" said Mohammad Bagheri.",
            &[(
                Some("Mohammad Bagheri"),
                "The deal strengthens our air defence,",
            )],
        ),
        (
            "title dropped",
            "President Emmanuel Macron said: “Europe must stand together now.”",
            &[(Some("Emmanuel Macron"), "Europe must stand together now.")],
        ),
        (
            "pronoun",
            "Smith told Reuters: \"Prices will rise.\" Later he added: \"We are ready for it.\"",
            &[
                (Some("Smith"), "Prices will rise."),
                (Some("Smith"), "We are ready for it."),
            ],
        ),
        (
            "french guillemets",
            "« Nous ne céderons pas aux pressions », a déclaré Jean Dupont.",
            &[(Some("Jean Dupont"), "Nous ne céderons pas aux pressions")],
        ),
        (
            "french selon",
            "Selon Marie Curie, « la science est belle et utile ».",
            &[(Some("Marie Curie"), "la science est belle et utile")],
        ),
        ("title in quotes", "He read \"War and Peace\" twice.", &[]),
    ]);
}

proptest! {
    #[test]
    fn never_panics(s in "\\PC*") {
        let _ = extractor().extract(&s, Field::Body);
    }

    #[test]
    fn never_panics_on_quote_like_text(s in "[\"«»“”„ :،,.قال إن said a déclaré عن قوله مشددا\n]{0,60}") {
        let _ = extractor().extract(&s, Field::Body);
    }

    #[test]
    fn sentence_bounds_agree_with_a_character_walk(
        s in "([a-zA-Z0-9 \n.!?؟،«»]|قال|\\PC){0,80}",
        at in 0usize..200,
    ) {
        bounds_agree_with_a_character_walk(&s, at)?;
    }

    #[test]
    fn long_sentence_bounds_agree_with_a_character_walk(
        s in "([a-z ]|ب|ال|\\PC){500,900}[.؟]?([a-z ]|ب){0,200}",
        at in 0usize..2000,
    ) {
        bounds_agree_with_a_character_walk(&s, at)?;
    }
}

/// The quote finder's sentence bounds around byte `at` (clamped to just past
/// the text) against a walk over the characters with the same limits.
fn bounds_agree_with_a_character_walk(s: &str, at: usize) -> Result<(), TestCaseError> {
    let pos = at.min(s.len() + 1);
    let mut p = pos;
    let floor = pos.saturating_sub(600);
    while p > floor {
        let Some(c) = char_before(s, p) else { break };
        let q = p - c.len_utf8();
        if marks::is_sentence_end(s, q, c) {
            break;
        }
        p = q;
    }
    prop_assert_eq!(marks::sentence_start(s, pos), p);
    let ceil = (pos + 400).min(s.len());
    let mut e = pos;
    while e < ceil {
        let Some(c) = char_at(s, e) else { break };
        if marks::is_sentence_end(s, e, c) {
            break;
        }
        e += c.len_utf8();
    }
    prop_assert_eq!(marks::sentence_end(s, pos), e.min(s.len()));
    Ok(())
}
