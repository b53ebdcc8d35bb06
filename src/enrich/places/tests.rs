//! Geotagger tests: resolution, spans, case rules and the lookup checked
//! against the substring-scan reference.

use super::*;
use crate::enrich::Enrichers;
use std::sync::OnceLock;

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| match Gazetteer::load(&Enrichers::bundled_models_dir()) {
        Ok(g) => g,
        Err(e) => panic!("bundled gazetteer: {e}"),
    })
}

fn codes(title: &str, body: &str, lang: &str) -> Vec<(String, String, u32)> {
    gazetteer()
        .geotag(title, body, lang, Options::default())
        .places
        .into_iter()
        .map(|p| (p.country_code, p.kind, p.mentions))
        .collect()
}

fn city_code(body: &str, lang: &str, city: &str) -> Option<String> {
    let g = gazetteer();
    let t = g.geotag("", body, lang, Options::default());
    t.mentions
        .iter()
        .find(|m| m.surface == city)
        .and_then(|m| g.country_of(m.place).map(str::to_string))
}

#[test]
fn capitals_and_arabic_display_names() {
    let g = gazetteer();
    let t = g.geotag(
        "",
        "قال مسؤول في واشنطن إن الحجاج بدأوا التوافد على مكة.",
        "ar",
        Options::default(),
    );
    let washington = t.places.iter().find(|p| p.country_code == "US");
    assert_eq!(
        washington.map(|p| (p.name.as_str(), p.kind.as_str())),
        Some(("واشنطن", "capital")),
        "{:#?}",
        t.places
    );
    let makkah = t.places.iter().find(|p| p.country_code == "SA");
    assert_eq!(
        makkah.map(|p| p.name.as_str()),
        Some("مكة"),
        "{:#?}",
        t.places
    );
}

#[test]
fn ambiguous_cities_follow_the_article_countries() {
    let cases = [
        (
            "tripoli alone: largest",
            "Clashes erupted in Tripoli on Monday.",
            "en",
            "Tripoli",
            "LY",
        ),
        (
            "tripoli with lebanon",
            "Clashes erupted in Tripoli, northern Lebanon, on Monday.",
            "en",
            "Tripoli",
            "LB",
        ),
        (
            "tripoli with lebanese",
            "The Lebanese army deployed in Tripoli.",
            "en",
            "Tripoli",
            "LB",
        ),
        (
            "tripoli with libya",
            "Clashes erupted in Tripoli as Libya's rivals met.",
            "en",
            "Tripoli",
            "LY",
        ),
        (
            "طرابلس with لبنان",
            "اندلعت اشتباكات في طرابلس شمال لبنان.",
            "ar",
            "طرابلس",
            "LB",
        ),
        (
            "طرابلس with ليبيا",
            "اندلعت اشتباكات في طرابلس عاصمة ليبيا.",
            "ar",
            "طرابلس",
            "LY",
        ),
        (
            "عمان with الأردن",
            "افتتحت الحكومة الأردنية مستشفى جديدا في عمان، وقال وزير الصحة إن الأردن سيبني مستشفيين آخرين.",
            "ar",
            "عمان",
            "JO",
        ),
        (
            "عمان alone: the country",
            "وصل وزير الخارجية إلى عمان في زيارة رسمية تستمر يومين.",
            "ar",
            "عمان",
            "OM",
        ),
        (
            "عمان with مسقط",
            "وصل الوزير إلى عمان، وعقد في مسقط لقاءات مع المسؤولين.",
            "ar",
            "عمان",
            "OM",
        ),
        (
            "paris alone",
            "The summit opens in Paris tomorrow.",
            "en",
            "Paris",
            "FR",
        ),
        (
            "paris with the US",
            "The American delegation arrived in Paris.",
            "en",
            "Paris",
            "FR",
        ),
        (
            "damascus",
            "Talks were held in Damascus.",
            "en",
            "Damascus",
            "SY",
        ),
    ];
    for (name, body, lang, city, want) in cases {
        assert_eq!(city_code(body, lang, city).as_deref(), Some(want), "{name}");
    }
}

#[test]
fn arabic_proclitics_are_stripped_from_spans() {
    let body = "وصل الوفد إلى دمشق ثم غادر وبدمشق اجتماع آخر، لدمشق دور.";
    let t = gazetteer().geotag("", body, "ar", Options::default());
    let surfaces: Vec<&str> = t.mentions.iter().map(|m| m.surface.as_str()).collect();
    assert_eq!(surfaces, ["دمشق", "دمشق", "دمشق"]);
    for m in &t.mentions {
        let text: String = body
            .chars()
            .skip(m.span.start)
            .take(m.span.end - m.span.start)
            .collect();
        assert_eq!(text, "دمشق");
    }
    assert_eq!(t.places[0].mentions, 3);
    assert_eq!(t.places[0].country_code, "SY");
}

#[test]
fn demonyms_count_for_their_country_when_asked() {
    let body = "قال مسؤول سوري إن القوات السورية والإيرانية انسحبت. iranienne";
    let with = gazetteer().geotag("", body, "ar", Options::default());
    let sy = with.places.iter().find(|p| p.country_code == "SY");
    assert_eq!(sy.map(|p| p.mentions), Some(2));
    assert!(with.places.iter().any(|p| p.country_code == "IR"));
    let without = gazetteer().geotag(
        "",
        body,
        "ar",
        Options {
            demonyms_are_mentions: false,
        },
    );
    assert!(without.places.is_empty());
}

#[test]
fn short_forms_and_case_rules() {
    let got = codes(
        "",
        "Britain and the US back the UAE plan; États-Unis et Royaume-Uni.",
        "en",
    );
    let cc: Vec<&str> = got.iter().map(|c| c.0.as_str()).collect();
    assert!(
        cc.contains(&"GB") && cc.contains(&"US") && cc.contains(&"AE"),
        "{got:?}"
    );
    // The pronoun "us" is not the country.
    assert!(codes("", "He told us nothing.", "en").is_empty());
    let ar = codes("", "أمريكا وأميركا والولايات المتحدة", "ar");
    assert_eq!(ar, [("US".to_string(), "country".to_string(), 3)]);
}

#[test]
fn common_words_are_not_cities() {
    // كان (Cannes), مدينة and وأن are ordinary words in Arabic news.
    assert!(codes("", "كان الوفد في مدينة كبيرة وأن الأمر انتهى", "ar").is_empty());
}

fn reference() -> &'static reference::Scanner {
    static R: OnceLock<reference::Scanner> = OnceLock::new();
    R.get_or_init(|| reference::Scanner::new(gazetteer()))
}

/// The word-level lookup finds exactly what the substring scan finds.
fn assert_same_hits(text: &str) {
    let g = gazetteer();
    let mut want = reference().hits(g, text, Field::Body);
    let mut lists = Lists::default();
    let mut got: Vec<(Span, String, Vec<Candidate>)> = g
        .all_hits(text, Field::Body, &mut lists, &mut Scratch::default())
        .into_iter()
        .map(|h| {
            let surface = text[h.bytes.0..h.bytes.1].to_string();
            (h.span, surface, lists.get(h.list).to_vec())
        })
        .collect();
    let key = |h: &(Span, String, Vec<Candidate>)| {
        (
            h.0.start,
            h.0.end,
            h.1.clone(),
            h.2.iter().map(|c| (c.target, c.flags)).collect::<Vec<_>>(),
        )
    };
    want.sort_by_key(key);
    got.sort_by_key(key);
    assert_eq!(got, want, "{text}");
}

#[test]
fn lookup_finds_what_the_substring_scan_finds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = 0;
    for dir in [
        "benches/fixtures",
        "tests/fixtures/text",
        "tests/fixtures/assembly",
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            panic!("fixture directory {dir}");
        };
        for e in entries.flatten() {
            let Ok(text) = std::fs::read_to_string(e.path()) else {
                continue;
            };
            for line in text.lines() {
                assert_same_hits(line);
            }
            assert_same_hits(&text);
            files += 1;
        }
    }
    assert!(files >= 10, "{files} fixture files");
    for text in [
        "وصل الوفد إلى دمشق ثم غادر وبدمشق اجتماع آخر، لدمشق دور. وللجزائر، فبالجزائر",
        "Near São-Paulo, in 'Afrin and Al Bayda' (town) or N'Djamena; d'Alger, l'Iran.",
        "في دمشـــق وَبِدِمَشْق ولـلـجزائر the UAE, US, us and Tel-Aviv, tel  aviv.",
        "Al Bayda'x Al Bayda'. al bayda' 'Afrin x'afrin و'ت هوفكه x'ت هوفكه 'ت هوفكه",
        "ازامبوجا (مدينة)x ازامبوجا (مدينة). وازامبوجا (مدينة)",
    ] {
        assert_same_hits(text);
    }
}

proptest::proptest! {
    #[test]
    fn geotag_never_panics(title in "\\PC{0,40}", body in "(\\PC|[ دمشقوبلال\\-])*") {
        let g = gazetteer().geotag(&title, &body, "ar", Options::default());
        for m in &g.mentions {
            let len = match m.span.field { Field::Title => title.chars().count(), Field::Body => body.chars().count() };
            proptest::prop_assert!(m.span.start < m.span.end && m.span.end <= len);
        }
    }
}

proptest::proptest! {
    #[test]
    fn lookup_matches_the_substring_scan(
        parts in proptest::collection::vec(
            "(دمشق|الجزائر|جزائر|عمان|الأردن|و|ف|ب|ل|ك|ال|ـ|َ|'|’|\\(|\\)|-| |  |\\.|,|،|'afrin|Al Bayda'|'ت هوفكه|ازامبوجا (مدينة)|abu|Abu Dhabi|New York|US|us|Tel|Aviv|São|n'djamena|x|1|\u{200C}|\u{200D}|\\PC)",
            0..24,
        )
    ) {
        assert_same_hits(&parts.concat());
    }
}

#[test]
fn seed_places_when_available() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seed/000_992054940200dc08.txt");
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let got = codes("", &text, "ar");
    let g = gazetteer().geotag("", &text, "ar", Options::default());
    let names: Vec<(&str, &str)> = g
        .places
        .iter()
        .map(|p| (p.name.as_str(), p.country_code.as_str()))
        .collect();
    for want in [
        ("سوريا", "SY"),
        ("دمشق", "SY"),
        ("إيران", "IR"),
        ("طهران", "IR"),
        ("تل أبيب", "IL"),
    ] {
        assert!(
            names.contains(&want),
            "{want:?} missing from {names:?} {got:?}"
        );
    }
}
