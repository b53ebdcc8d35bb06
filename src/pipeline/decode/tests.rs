//! Decoding: JSON aliases, failures, plain-text layouts, dates.

use super::*;
use chrono::{DateTime, Utc};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn ok(payload: &str) -> Article {
    match decode(payload.as_bytes()) {
        Ok(a) => a,
        Err(e) => panic!("{payload:?} did not decode: {e:?}"),
    }
}

fn utc(s: &str) -> Option<DateTime<Utc>> {
    Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
}

#[test]
fn json_aliases() {
    struct Case {
        name: &'static str,
        json: &'static str,
        check: fn(&Article) -> bool,
    }
    let cases = [
        Case {
            name: "id string",
            json: r#"{"id":"a-1","text":"x"}"#,
            check: |a| a.id.as_deref() == Some("a-1"),
        },
        Case {
            name: "id number",
            json: r#"{"ID":12345,"text":"x"}"#,
            check: |a| a.id.as_deref() == Some("12345"),
        },
        Case {
            name: "url",
            json: r#"{"url":"https://e.com/a","text":"x"}"#,
            check: |a| a.url.as_deref() == Some("https://e.com/a"),
        },
        Case {
            name: "link",
            json: r#"{"Link":"https://e.com/b","text":"x"}"#,
            check: |a| a.url.as_deref() == Some("https://e.com/b"),
        },
        Case {
            name: "title",
            json: r#"{"title":"Floods in Sfax","text":"x"}"#,
            check: |a| a.title.as_deref() == Some("Floods in Sfax"),
        },
        Case {
            name: "headline, newlines collapsed",
            json: r#"{"HEADLINE":"Floods\nin  Sfax","text":"x"}"#,
            check: |a| a.title.as_deref() == Some("Floods in Sfax"),
        },
        Case {
            name: "text",
            json: r#"{"text":"Le texte."}"#,
            check: |a| a.text == "Le texte.",
        },
        Case {
            name: "body",
            json: r#"{"Body":"Le corps."}"#,
            check: |a| a.text == "Le corps.",
        },
        Case {
            name: "content",
            json: r#"{"content":"المحتوى."}"#,
            check: |a| a.text == "المحتوى.",
        },
        Case {
            name: "article",
            json: r#"{"article":"Story."}"#,
            check: |a| a.text == "Story.",
        },
        Case {
            name: "body as paragraphs",
            json: r#"{"body":["One.","Two."]}"#,
            check: |a| a.text == "One.\n\nTwo.",
        },
        Case {
            name: "body CRLF",
            json: r#"{"body":"One.\r\nTwo."}"#,
            check: |a| a.text == "One.\nTwo.",
        },
        Case {
            name: "source",
            json: r#"{"source":"Reuters","text":"x"}"#,
            check: |a| a.outlet.as_deref() == Some("Reuters"),
        },
        Case {
            name: "outlet",
            json: r#"{"Outlet":"Le Monde","text":"x"}"#,
            check: |a| a.outlet.as_deref() == Some("Le Monde"),
        },
        Case {
            name: "site",
            json: r#"{"site":"aljazeera.net","text":"x"}"#,
            check: |a| a.outlet.as_deref() == Some("aljazeera.net"),
        },
        Case {
            name: "source object",
            json: r#"{"source":{"id":"bbc","name":"BBC News"},"text":"x"}"#,
            check: |a| a.outlet.as_deref() == Some("BBC News"),
        },
        Case {
            name: "published_at RFC 3339",
            json: r#"{"published_at":"2020-07-09T10:00:00+03:00","text":"x"}"#,
            check: |a| a.published_at == utc("2020-07-09T07:00:00Z"),
        },
        Case {
            name: "publishedAt camel case",
            json: r#"{"publishedAt":"2020-07-09T10:00:00Z","text":"x"}"#,
            check: |a| a.published_at == utc("2020-07-09T10:00:00Z"),
        },
        Case {
            name: "published RFC 2822",
            json: r#"{"published":"Thu, 09 Jul 2020 10:00:00 GMT","text":"x"}"#,
            check: |a| a.published_at == utc("2020-07-09T10:00:00Z"),
        },
        Case {
            name: "date plain",
            json: r#"{"date":"2020-07-09","text":"x"}"#,
            check: |a| a.published_at == utc("2020-07-09T00:00:00Z"),
        },
        Case {
            name: "pubDate with time",
            json: r#"{"pubDate":"2020-07-09 10:00:00","text":"x"}"#,
            check: |a| a.published_at == utc("2020-07-09T10:00:00Z"),
        },
        Case {
            name: "date as Unix seconds",
            json: r#"{"date":1594288800,"text":"x"}"#,
            check: |a| a.published_at == utc("2020-07-09T10:00:00Z"),
        },
        Case {
            name: "date as Unix milliseconds",
            json: r#"{"date":1594288800000,"text":"x"}"#,
            check: |a| a.published_at == utc("2020-07-09T10:00:00Z"),
        },
        Case {
            name: "unreadable date kept in extra",
            json: r#"{"date":"last Tuesday","text":"x"}"#,
            check: |a| a.published_at.is_none() && a.extra["date"] == "last Tuesday",
        },
        Case {
            name: "language",
            json: r#"{"language":"AR","text":"x"}"#,
            check: |a| a.language_hint.as_deref() == Some("ar"),
        },
        Case {
            name: "lang",
            json: r#"{"lang":"fr","text":"x"}"#,
            check: |a| a.language_hint.as_deref() == Some("fr"),
        },
        Case {
            name: "author string",
            json: r#"{"author":"Jane Doe","text":"x"}"#,
            check: |a| a.authors == ["Jane Doe"],
        },
        Case {
            name: "authors comma and 'and'",
            json: r#"{"authors":"By Jane Doe, John Roe and Ali Hassan","text":"x"}"#,
            check: |a| a.authors == ["Jane Doe", "John Roe", "Ali Hassan"],
        },
        Case {
            name: "authors Arabic",
            json: r#"{"authors":"سارة خليل، محمد نور و ليلى حداد","text":"x"}"#,
            check: |a| a.authors == ["سارة خليل", "محمد نور", "ليلى حداد"],
        },
        Case {
            name: "authors array with objects",
            json: r#"{"authors":["Anne Martin",{"name":"Paul Roy"}],"text":"x"}"#,
            check: |a| a.authors == ["Anne Martin", "Paul Roy"],
        },
        Case {
            name: "unknown fields pass through",
            json: r#"{"text":"x","category":"sport","tags":["a","b"]}"#,
            check: |a| a.extra["category"] == "sport" && a.extra["tags"][1] == "b",
        },
        Case {
            name: "first alias wins, loser kept",
            json: r#"{"headline":"H","title":"T","text":"x"}"#,
            check: |a| a.title.as_deref() == Some("T") && a.extra["headline"] == "H",
        },
        Case {
            name: "empty alias falls back to the next",
            json: r#"{"text":"  ","body":"B."}"#,
            check: |a| a.text == "B." && a.extra["text"] == "  ",
        },
        Case {
            name: "title only",
            json: r#"{"title":"Only a headline"}"#,
            check: |a| a.text.is_empty() && a.title.as_deref() == Some("Only a headline"),
        },
        Case {
            name: "BOM and surrounding space",
            json: "\u{feff}  {\"text\":\"x\"}\n",
            check: |a| a.text == "x",
        },
    ];
    for case in cases {
        let a = ok(case.json);
        assert!((case.check)(&a), "case {:?}: got {a:?}", case.name);
    }
}

#[test]
fn failures() {
    let cases: [(&str, &[u8], ErrorClass); 9] = [
        ("broken JSON", b"{\"text\": \"x\"", ErrorClass::InvalidJson),
        ("array", b"[{\"text\":\"x\"}]", ErrorClass::InvalidJson),
        ("number", b"42", ErrorClass::InvalidJson),
        ("null", b"null", ErrorClass::InvalidJson),
        ("binary", b"\xff\xfe\x00\x01abc", ErrorClass::NotUtf8),
        ("empty", b"", ErrorClass::EmptyText),
        ("whitespace", b" \n\t\r\n ", ErrorClass::EmptyText),
        (
            "JSON without text",
            b"{\"id\":1,\"text\":\"\"}",
            ErrorClass::EmptyText,
        ),
        ("BOM only", b"\xEF\xBB\xBF", ErrorClass::EmptyText),
    ];
    for (name, payload, class) in cases {
        match decode(payload) {
            Err(dl) => {
                assert_eq!(dl.class, class, "case {name}: {dl:?}");
                assert_eq!(dl.stage, "decode");
                assert!(!dl.message.is_empty());
            }
            Ok(a) => panic!("case {name} decoded: {a:?}"),
        }
    }
    let dl = decode(b"[1,2]").unwrap_err();
    assert!(dl.message.contains("array"), "{}", dl.message);
    let dl = decode(b"ab\xffcd").unwrap_err();
    assert!(dl.message.contains("byte 2"), "{}", dl.message);
}

#[test]
fn plain_text_layouts() {
    struct Case {
        name: &'static str,
        text: &'static str,
        title: Option<&'static str>,
        outlet: Option<&'static str>,
        body: &'static str,
    }
    let long_first = "The regional council of Tangier approved on Tuesday a plan worth 2.3 billion dirhams to extend the tramway to the airport, the port and three new residential districts by 2028.";
    assert!(long_first.chars().count() > TITLE_MAX_CHARS);
    let cases = [
        Case {
            name: "title, body, outlet",
            text: "Port strike enters third day\nDockers in Marseille kept the cranes idle on Wednesday.\nThe union said talks would resume.\nLa Provence",
            title: Some("Port strike enters third day"),
            outlet: Some("La Provence"),
            body: "Dockers in Marseille kept the cranes idle on Wednesday.\nThe union said talks would resume.",
        },
        Case {
            name: "long first paragraph is not a title",
            text: "The regional council of Tangier approved on Tuesday a plan worth 2.3 billion dirhams to extend the tramway to the airport, the port and three new residential districts by 2028.\nWork starts in spring.\nHespress",
            title: None,
            outlet: Some("Hespress"),
            body: "The regional council of Tangier approved on Tuesday a plan worth 2.3 billion dirhams to extend the tramway to the airport, the port and three new residential districts by 2028.\nWork starts in spring.",
        },
        Case {
            name: "Arabic, outlet last",
            text: "أعلنت وزارة الصحة في عمّان، يوم الأحد، عن افتتاح مستشفى جديد في مدينة الزرقاء بكلفة تبلغ أربعين مليون دينار أردني، وذلك ضمن خطة حكومية لتوسيع الخدمات الطبية في المحافظات الشمالية.\nوقال الوزير إن المستشفى سيخدم نصف مليون نسمة.\nصحيفة الغد",
            title: None,
            outlet: Some("صحيفة الغد"),
            body: "أعلنت وزارة الصحة في عمّان، يوم الأحد، عن افتتاح مستشفى جديد في مدينة الزرقاء بكلفة تبلغ أربعين مليون دينار أردني، وذلك ضمن خطة حكومية لتوسيع الخدمات الطبية في المحافظات الشمالية.\nوقال الوزير إن المستشفى سيخدم نصف مليون نسمة.",
        },
        Case {
            name: "last line is prose, not an outlet",
            text: "Storm hits coast\nWinds reached 120 km/h overnight.\nSchools are closed.",
            title: Some("Storm hits coast"),
            outlet: None,
            body: "Winds reached 120 km/h overnight.\nSchools are closed.",
        },
        Case {
            name: "short last line after a heading is not an outlet",
            text: "The minister spoke for an hour.\nNext steps\nBudget talks",
            title: None,
            outlet: None,
            body: "The minister spoke for an hour.\nNext steps\nBudget talks",
        },
        Case {
            name: "blank lines, CRLF, BOM",
            text: "\u{feff}Élections à Lyon\r\n\r\nLe scrutin a eu lieu dimanche.\r\n\r\nLe Progrès\r\n",
            title: Some("Élections à Lyon"),
            outlet: Some("Le Progrès"),
            body: "Le scrutin a eu lieu dimanche.",
        },
        Case {
            name: "single line is body",
            text: "Only one line here",
            title: None,
            outlet: None,
            body: "Only one line here",
        },
        Case {
            name: "title and one body line, no outlet",
            text: "Headline here\nBody line that ends.",
            title: Some("Headline here"),
            outlet: None,
            body: "Body line that ends.",
        },
        Case {
            name: "first line ending with a full stop is prose",
            text: "Rain fell.\nMore rain fell.",
            title: None,
            outlet: None,
            body: "Rain fell.\nMore rain fell.",
        },
        Case {
            name: "outlet with source prefix and dash",
            text: "Prices rose by 3 percent in May, the statistics office said.\n— Source: Reuters",
            title: None,
            outlet: Some("Reuters"),
            body: "Prices rose by 3 percent in May, the statistics office said.",
        },
        Case {
            name: "bracketed tag is text, not a JSON array",
            text: "[Video] Floods in Valencia\nRescue teams worked through the night.",
            title: Some("[Video] Floods in Valencia"),
            outlet: None,
            body: "Rescue teams worked through the night.",
        },
        Case {
            name: "plain text in quotes stays text",
            text: "\"We will rebuild\"",
            title: None,
            outlet: None,
            body: "\"We will rebuild\"",
        },
    ];
    for case in cases {
        let a = ok(case.text);
        assert_eq!(a.title.as_deref(), case.title, "case {}: title", case.name);
        assert_eq!(
            a.outlet.as_deref(),
            case.outlet,
            "case {}: outlet",
            case.name
        );
        assert_eq!(a.text, case.body, "case {}: body", case.name);
    }
}

#[test]
fn parses_dates() {
    let cases = [
        ("2020-07-09", Some("2020-07-09T00:00:00Z")),
        ("2020-07-09 10:00:00", Some("2020-07-09T10:00:00Z")),
        ("2020-07-09T10:00:00", Some("2020-07-09T10:00:00Z")),
        ("2020-07-09T10:00:00.250Z", Some("2020-07-09T10:00:00.250Z")),
        (
            "Thu, 9 Jul 2020 12:00:00 +0200",
            Some("2020-07-09T10:00:00Z"),
        ),
        ("2020/07/09", Some("2020-07-09T00:00:00Z")),
        ("09 juillet 2020", None),
        ("", None),
    ];
    for (input, want) in cases {
        assert_eq!(parse_date(input), want.and_then(utc), "input {input:?}");
    }
}

/// The shared seed article, when present: long first paragraph (no title),
/// body, outlet alone on the last line. Skips where the file is absent.
#[test]
fn shared_seed_layout() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seed/000_992054940200dc08.txt");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let a = decode(&bytes).unwrap();
    assert_eq!(a.title, None);
    assert_eq!(a.outlet.as_deref(), Some("إيران إنسايدر"));
    assert!(a.text.starts_with("أعرب رئيس النظام السوري"));
    assert!(!a.text.contains("إيران إنسايدر"));
    // The subheading in the middle stays in the body.
    assert!(a.text.contains("\nاتفاقية تعاون مشترك\n"));
}

proptest! {
    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode(&bytes);
    }

    #[test]
    fn never_panics_on_text(s in "\\PC{0,300}") {
        let _ = decode(s.as_bytes());
    }

    #[test]
    fn never_panics_on_lines(lines in proptest::collection::vec("[ a-zA-Zء-ي.,:،؟\"«»—-]{0,60}", 0..8)) {
        let text = lines.join("\n");
        if let Ok(a) = decode(text.as_bytes()) {
            prop_assert!(!a.text.trim().is_empty() || a.title.is_some());
        }
    }

    #[test]
    fn never_panics_on_json_objects(
        key in "(?i)(id|url|link|title|headline|text|body|content|article|source|outlet|site|published_at|published|date|pubdate|language|lang|author|authors|x)",
        value in prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            "\\PC{0,40}".prop_map(serde_json::Value::from),
            proptest::collection::vec("\\PC{0,10}", 0..4).prop_map(serde_json::Value::from),
        ],
    ) {
        let mut m = Map::new();
        m.insert(key, value);
        m.insert("title".into(), "t".into());
        let json = serde_json::to_vec(&Value::Object(m)).unwrap();
        prop_assert!(decode(&json).is_ok());
    }
}
