//! The seed article: every date, quote and speaker a reader sees in it.
//! Skipped when the shared seed file is absent (a clone without shared data).

use std::path::Path;

use news_enricher::enrich::dates::{DateContext, DateExtractor};
use news_enricher::enrich::quotes::QuoteExtractor;
use news_enricher::model::record::Field;

fn seed() -> Option<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/000_992054940200dc08.txt");
    let alt = Path::new("/work/shared/seed/000_992054940200dc08.txt");
    std::fs::read_to_string(&path)
        .or_else(|_| std::fs::read_to_string(alt))
        .ok()
}

#[test]
fn seed_article_dates() {
    let Some(text) = seed() else {
        eprintln!("seed article absent: skipped");
        return;
    };
    let x = DateExtractor::new().expect("date vocabulary builds");
    let got: Vec<(String, String, String)> = x
        .extract(&text, Field::Body, &DateContext::default())
        .into_iter()
        .map(|d| (d.text, d.value, d.precision))
        .collect();
    let want = [
        ("يوم الخميس", "XXXX-WXX-4", "relative"),
        ("يوم الأربعاء", "XXXX-WXX-3", "relative"),
        ("الشهر الماضي", "-P1M", "relative"),
        ("العام 2011", "2011", "year"),
        ("العام 2011", "2011", "year"),
        ("صيف العام 2018", "2018", "season"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn seed_article_quotes() {
    let Some(text) = seed() else {
        eprintln!("seed article absent: skipped");
        return;
    };
    let x = QuoteExtractor::new().expect("quote vocabulary builds");
    let got = x.extract(&text, Field::Body);
    let speakers: Vec<Option<&str>> = got.iter().map(|q| q.speaker.as_deref()).collect();
    assert_eq!(speakers, [Some("الأسد"), Some("باقري"), Some("باقري")]);
    assert!(got[0].text.starts_with("اتفاقية التعاون العسكري والتقني"));
    assert!(got[1].text.starts_with("سنعزز نظام الدفاع الجوي السوري"));
    assert_eq!(got[2].text, "سيعزز إرادتنا (..) لمواجهة الضغوط الأميركية");
    assert_eq!(got[2].verb.as_deref(), Some("مشددا"));
    // Spans point at the quoted text, in code points.
    let chars: Vec<char> = text.chars().collect();
    for q in &got {
        let span = q.span.expect("quotes carry a span");
        let s: String = chars[span.start..span.end].iter().collect();
        assert_eq!(s.trim(), q.text);
    }
}
