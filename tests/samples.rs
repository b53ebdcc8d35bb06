//! The shipped sample articles decode as intended, and the poison messages fail
//! with the intended dead-letter class.

use std::path::{Path, PathBuf};

use news_enricher::model::ErrorClass;
use news_enricher::pipeline::decode::decode;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    out.sort();
    out
}

/// Every payload in the article samples: one per `.jsonl` line, else one per file.
fn article_payloads() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for path in files(&samples().join("articles")) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        if name.ends_with(".jsonl") {
            for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
                if !line.iter().all(u8::is_ascii_whitespace) {
                    out.push((format!("{name}:{}", i + 1), line.to_vec()));
                }
            }
        } else {
            out.push((name, bytes));
        }
    }
    out
}

#[test]
fn every_sample_article_decodes() {
    let payloads = article_payloads();
    assert!(
        payloads.len() >= 15,
        "only {} sample articles",
        payloads.len()
    );
    let mut by_lang = std::collections::BTreeMap::<&str, usize>::new();
    for (name, bytes) in &payloads {
        let a = decode(bytes).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(a.text.chars().count() > 400, "{name}: body too short");
        assert!(a.outlet.is_some(), "{name}: no outlet");
        let lang = ["ar", "en", "fr"]
            .into_iter()
            .find(|l| name.starts_with(l) || a.id.as_deref().is_some_and(|id| id.starts_with(l)));
        *by_lang.entry(lang.unwrap_or("other")).or_default() += 1;
    }
    assert!(by_lang["ar"] >= 6, "{by_lang:?}");
    assert!(by_lang["en"] >= 5, "{by_lang:?}");
    assert!(by_lang["fr"] >= 4, "{by_lang:?}");
}

#[test]
fn plain_text_samples_follow_the_layout() {
    let cases = [
        ("ar-02-amman-hospital.txt", None, "وكالة الأنباء المحلية"),
        (
            "ar-04-rabat-marathon.txt",
            Some("عداء مغربي يفوز بماراثون الرباط الدولي ويحطم الرقم القياسي للسباق"),
            "موقع الرياضة المغاربية",
        ),
        ("en-02-nairobi-fintech.txt", None, "Tech Africa Weekly"),
        (
            "fr-02-tunis-recolte.txt",
            Some("Tunisie : la récolte de céréales en forte baisse à cause de la sécheresse"),
            "Maghreb Info",
        ),
    ];
    for (file, title, outlet) in cases {
        let bytes = std::fs::read(samples().join("articles").join(file)).unwrap();
        let a = decode(&bytes).unwrap();
        assert_eq!(a.title.as_deref(), title, "{file}");
        assert_eq!(a.outlet.as_deref(), Some(outlet), "{file}");
        assert!(!a.text.contains(outlet), "{file}: outlet left in the body");
    }
}

#[test]
fn json_samples_use_the_aliases() {
    let payloads = article_payloads();
    let get = |id: &str| {
        payloads
            .iter()
            .map(|(_, b)| decode(b).unwrap())
            .find(|a| a.id.as_deref() == Some(id))
            .unwrap_or_else(|| panic!("no sample {id}"))
    };
    let a = get("ar-01");
    assert_eq!(a.authors, ["سلمى فؤاد", "عمرو الشناوي"]);
    assert_eq!(
        a.published_at.map(|d| d.to_rfc3339()),
        Some("2024-11-14T16:30:00+00:00".into())
    );
    assert_eq!(a.extra["category"], "اقتصاد");
    let a = get("20241203");
    assert_eq!(a.outlet.as_deref(), Some("مكتب الخليج الإخباري"));
    assert_eq!(a.authors, ["ريم العتيبي", "ماجد القحطاني"]);
    let a = get("ar-07");
    assert_eq!(a.authors, ["جنى عيتاني"]);
    assert_eq!(a.extra["word_count"], 215);
    let a = get("en-05");
    assert_eq!(a.authors, ["Rohan Kapoor", "Meera Iyer"]);
    let a = get("fr-03");
    assert_eq!(a.authors, ["Fatou Diallo"]);
    assert_eq!(a.extra["rubrique"], "Économie");
    let a = get("fr-04");
    assert_eq!(a.authors, ["Awa Konaté"]);
}

#[test]
fn poison_samples_are_dead_letters() {
    let cases = [
        ("blank.txt", ErrorClass::EmptyText),
        ("empty-text.json", ErrorClass::EmptyText),
        ("invalid-json.json", ErrorClass::InvalidJson),
        ("json-array.json", ErrorClass::InvalidJson),
        ("not-utf8.bin", ErrorClass::NotUtf8),
    ];
    let dir = samples().join("poison");
    assert_eq!(
        files(&dir).len(),
        cases.len(),
        "a poison sample without a case"
    );
    for (file, class) in cases {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        match decode(&bytes) {
            Err(dl) => assert_eq!(dl.class, class, "{file}: {}", dl.message),
            Ok(a) => panic!("{file} decoded: {a:?}"),
        }
    }
}
