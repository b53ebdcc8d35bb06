//! Language identification: script analysis, then character-trigram models.
//!
//! 1. The letters of a bounded prefix of title and body ([`PREFIX_CHARS`]) are
//!    counted per script. Too few letters, or no script holding
//!    [`MIN_SCRIPT_SHARE`] of them (mixed text), gives `und`.
//! 2. Arabic script is split into Arabic, Persian and Urdu by the letters each
//!    orthography has and the others lack: Persian `پ چ ژ گ` and the Persian
//!    forms `ی ک`; Urdu `ٹ ڈ ڑ ں ے ھ`. Text with none of them is Arabic; text
//!    with a few stray ones (a transliterated name) goes to the trigram models
//!    restricted to the three languages.
//! 3. Han is Chinese unless kana make it Japanese; Hangul is Korean.
//! 4. Every other script goes to the `whatlang` trigram models (69 languages,
//!    those written in the script found).
//!
//! The payload's language hint only breaks ties: when the models hesitate
//! between their answer and the hinted language, the hint wins.

use whatlang::{Detector, Lang};

use crate::model::record::Language;

/// Reported in the record's `enricher.models`: the trigram models and the
/// Arabic-script rules this detector applies.
pub const MODEL_VERSION: &str = "whatlang-0.16+arabic-script-letters";
/// Characters of title + body that are classified.
pub const PREFIX_CHARS: usize = 600;
/// Fewer letters than this is too short to tell.
pub const MIN_LETTERS: usize = 12;
/// The main script must hold this share of the letters, else the text is mixed.
pub const MIN_SCRIPT_SHARE: f32 = 0.6;
/// Below this confidence the answer is `und`.
pub const MIN_CONFIDENCE: f32 = 0.35;
/// Below this confidence the models hesitate, and a language hint may break the tie.
pub const TIE_CONFIDENCE: f32 = 0.6;
/// Between the detected and the hinted language alone, a margin this small is a tie.
const PAIR_TIE_CONFIDENCE: f32 = 0.2;
/// The trigram models first look at this many characters ...
const QUICK_PREFIX_CHARS: usize = 200;
/// ... and stop there when at least this confident.
const QUICK_CONFIDENCE: f32 = 0.95;
/// Letters needed for full confidence; fewer scale it down.
const FULL_CONFIDENCE_LETTERS: usize = 40;

/// Scripts told apart by the detector (ISO 15924).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Arab,
    Latn,
    Cyrl,
    Grek,
    Hebr,
    Deva,
    Hani,
    Kana,
    Hang,
    Thai,
    Other,
}

impl Script {
    const ALL: [Script; 11] = [
        Script::Arab,
        Script::Latn,
        Script::Cyrl,
        Script::Grek,
        Script::Hebr,
        Script::Deva,
        Script::Hani,
        Script::Kana,
        Script::Hang,
        Script::Thai,
        Script::Other,
    ];

    fn of(c: char) -> Script {
        match c as u32 {
            0x0041..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF => Script::Latn,
            0x0600..=0x06FF
            | 0x0750..=0x077F
            | 0x08A0..=0x08FF
            | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFF => Script::Arab,
            0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrl,
            0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Grek,
            0x0590..=0x05FF => Script::Hebr,
            0x0900..=0x097F => Script::Deva,
            0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Script::Kana,
            0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => Script::Hani,
            0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => Script::Hang,
            0x0E00..=0x0E7F => Script::Thai,
            _ => Script::Other,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Script::Arab => "Arab",
            Script::Latn => "Latn",
            Script::Cyrl => "Cyrl",
            Script::Grek => "Grek",
            Script::Hebr => "Hebr",
            Script::Deva => "Deva",
            Script::Hani => "Hani",
            Script::Kana => "Jpan",
            Script::Hang => "Hang",
            Script::Thai => "Thai",
            Script::Other => "Zyyy",
        }
    }

    fn index(self) -> usize {
        Script::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// Letters that only Persian (and Urdu) spelling uses within Arabic script.
pub const PERSIAN_LETTERS: [char; 6] = ['پ', 'چ', 'ژ', 'گ', 'ی', 'ک'];
/// Letters that only Urdu spelling uses.
pub const URDU_LETTERS: [char; 6] = ['ٹ', 'ڈ', 'ڑ', 'ں', 'ے', 'ھ'];

/// Letter counts of a text prefix.
#[derive(Debug, Default)]
struct ScriptCounts {
    per_script: [usize; 11],
    letters: usize,
    persian: usize,
    urdu: usize,
}

impl ScriptCounts {
    fn of(text: &str) -> Self {
        let mut c = ScriptCounts::default();
        for ch in text.chars().filter(|ch| ch.is_alphabetic()) {
            let s = Script::of(ch);
            c.per_script[s.index()] += 1;
            c.letters += 1;
            if s == Script::Arab {
                if URDU_LETTERS.contains(&ch) {
                    c.urdu += 1;
                } else if PERSIAN_LETTERS.contains(&ch) {
                    c.persian += 1;
                }
            }
        }
        c
    }

    fn count(&self, s: Script) -> usize {
        self.per_script[s.index()]
    }

    /// The script with most letters, and its share. Kana and Han count together.
    fn main_script(&self) -> (Script, f32) {
        let mut best = (Script::Other, 0usize);
        for s in Script::ALL {
            let mut n = self.count(s);
            if s == Script::Hani || s == Script::Kana {
                n = self.count(Script::Hani) + self.count(Script::Kana);
            }
            if n > best.1 {
                best = (s, n);
            }
        }
        let (mut script, n) = best;
        if script == Script::Kana || script == Script::Hani {
            // Japanese when kana make up a real part of the text.
            let kana = self.count(Script::Kana) as f32 / n.max(1) as f32;
            script = if kana > 0.1 {
                Script::Kana
            } else {
                Script::Hani
            };
        }
        (script, n as f32 / self.letters.max(1) as f32)
    }
}

/// Identifies the language of an article. Cheap to build, shared by reference.
/// Latin-script languages the trigram models do not consider.
const RARE_LATIN: [Lang; 14] = [
    Lang::Jav,
    Lang::Uzb,
    Lang::Aze,
    Lang::Zul,
    Lang::Aka,
    Lang::Sna,
    Lang::Tgl,
    Lang::Tuk,
    Lang::Epo,
    Lang::Lat,
    Lang::Lav,
    Lang::Lit,
    Lang::Est,
    Lang::Slv,
];

pub struct LanguageDetector {
    any: Detector,
    arabic_script: Detector,
}

impl LanguageDetector {
    pub fn new() -> Self {
        LanguageDetector {
            // Latin-script languages rarely seen in news feeds are left out: the
            // trigram comparison costs one pass per candidate language.
            any: Detector::with_denylist(RARE_LATIN.to_vec()),
            arabic_script: Detector::with_allowlist(vec![Lang::Ara, Lang::Pes, Lang::Urd]),
        }
    }

    /// The language of title + body. `hint` (from the payload) only breaks ties.
    pub fn detect(&self, title: &str, body: &str, hint: Option<&str>) -> Language {
        let sample = prefix(title, body, PREFIX_CHARS);
        self.detect_text(&sample, hint)
    }

    /// The language of one text (already bounded by the caller).
    pub fn detect_text(&self, text: &str, hint: Option<&str>) -> Language {
        let counts = ScriptCounts::of(text);
        let (script, share) = counts.main_script();
        let undetermined = |script: Option<Script>| Language {
            code: "und".into(),
            confidence: 0.0,
            script: script.map(|s| s.code().to_string()),
        };
        if counts.letters < MIN_LETTERS {
            return undetermined((counts.letters > 0).then_some(script));
        }
        if share < MIN_SCRIPT_SHARE {
            return undetermined(Some(script));
        }
        let length_factor = (counts.letters as f32 / FULL_CONFIDENCE_LETTERS as f32).min(1.0);
        let hint = hint.and_then(hint_lang);

        let guess = match script {
            Script::Arab => self.arabic_script_language(text, &counts),
            Script::Hani => Some((Lang::Cmn, 1.0)),
            Script::Kana => Some((Lang::Jpn, 1.0)),
            Script::Hang => Some((Lang::Kor, 1.0)),
            _ => self.trigram_language(text),
        };
        let Some((mut lang, model_confidence)) = guess else {
            return undetermined(Some(script));
        };
        let mut confidence = model_confidence * length_factor;

        if let Some(h) = hint {
            if h != lang && model_confidence < TIE_CONFIDENCE && self.is_tie(text, lang, h) {
                lang = h;
            }
            if h == lang {
                // The models and the payload agree (or the hint broke a tie).
                confidence = confidence.max(MIN_CONFIDENCE);
            }
        }
        if confidence < MIN_CONFIDENCE {
            return undetermined(Some(script));
        }
        match iso639_1(lang) {
            Some(code) => Language {
                code: code.into(),
                confidence: (confidence * 1000.0).round() / 1000.0,
                script: Some(script.code().into()),
            },
            None => undetermined(Some(script)),
        }
    }

    /// The trigram models on a short prefix first, on the whole sample when
    /// the short one leaves them unsure (most articles are settled early).
    fn trigram_language(&self, text: &str) -> Option<(Lang, f32)> {
        let short_end = text
            .char_indices()
            .nth(QUICK_PREFIX_CHARS)
            .map_or(text.len(), |(i, _)| i);
        let run = |t: &str| {
            self.any
                .detect(t)
                .map(|info| (info.lang(), info.confidence() as f32))
        };
        if short_end < text.len() {
            if let Some(quick) = run(&text[..short_end]).filter(|(_, c)| *c >= QUICK_CONFIDENCE) {
                return Some(quick);
            }
        }
        run(text)
    }

    /// Arabic, Persian or Urdu, from the letters only one orthography uses.
    fn arabic_script_language(&self, text: &str, c: &ScriptCounts) -> Option<(Lang, f32)> {
        let arab = c.count(Script::Arab).max(1) as f32;
        let urdu = c.urdu as f32 / arab;
        let persian = c.persian as f32 / arab;
        if urdu >= 0.01 {
            return Some((Lang::Urd, (urdu / 0.03).min(1.0)));
        }
        if persian >= 0.015 {
            return Some((Lang::Pes, (persian / 0.04).min(1.0)));
        }
        if c.urdu + c.persian == 0 || urdu + persian < 0.004 {
            return Some((Lang::Ara, 1.0 - (urdu + persian) / 0.01));
        }
        // A few stray letters: let the trigram models decide among the three.
        self.arabic_script
            .detect(text)
            .map(|info| (info.lang(), info.confidence() as f32))
    }

    /// Whether the models find `detected` and `hinted` about equally likely.
    fn is_tie(&self, text: &str, detected: Lang, hinted: Lang) -> bool {
        let pair = Detector::with_allowlist(vec![detected, hinted]);
        match pair.detect(text) {
            Some(info) if info.lang() == hinted => true,
            Some(info) => (info.confidence() as f32) < PAIR_TIE_CONFIDENCE,
            None => false,
        }
    }
}

impl Default for LanguageDetector {
    fn default() -> Self {
        Self::new()
    }
}

/// Title and body joined, cut to at most `max_chars` characters.
fn prefix(title: &str, body: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(max_chars.min(title.len() + body.len() + 2) * 2);
    let mut n = 0;
    let title = title.trim();
    let parts: [&str; 3] = [title, if title.is_empty() { "" } else { "\n" }, body];
    for part in parts {
        for ch in part.chars() {
            if n == max_chars {
                return out;
            }
            out.push(ch);
            n += 1;
        }
    }
    out
}

/// The language a payload hint names (`ar`, `ara`, `ar-SA`, `Arabic`, `fa_IR`, ...).
fn hint_lang(hint: &str) -> Option<Lang> {
    let h = hint.trim().to_ascii_lowercase();
    let primary = h.split(['-', '_']).next().unwrap_or("");
    if let Some(lang) = Lang::all().iter().copied().find(|l| {
        iso639_1(*l) == Some(primary)
            || l.code() == primary
            || l.eng_name().eq_ignore_ascii_case(primary)
    }) {
        return Some(lang);
    }
    match primary {
        "zh" | "zho" | "chi" | "chinese" => Some(Lang::Cmn),
        "fa" | "fas" | "per" | "farsi" => Some(Lang::Pes),
        "fre" => Some(Lang::Fra),
        "ger" => Some(Lang::Deu),
        _ => None,
    }
}

/// ISO 639-1 code of a model language (`None` for those without one).
pub fn iso639_1(lang: Lang) -> Option<&'static str> {
    Some(match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn detect(text: &str) -> Language {
        LanguageDetector::new().detect("", text, None)
    }

    #[test]
    fn ten_languages() {
        let cases = [
            ("ar", "Arab", "أعلنت وزارة الصحة في عمّان عن افتتاح مستشفى جديد في مدينة الزرقاء يخدم نصف مليون نسمة."),
            ("ar", "Arab", "قال الوزير إن الحكومة ستخصص ثلاثة مليارات دولار لإعادة بناء الطرق والجسور في الجنوب."),
            ("en", "Latn", "The central bank kept interest rates unchanged on Thursday and said inflation would keep falling next year."),
            ("fr", "Latn", "Le gouvernement a annoncé mardi une hausse du prix du cacao payé aux planteurs pour la prochaine campagne."),
            ("fa", "Arab", "وزیر امور خارجه ایران روز یکشنبه در سفر به پکن با همتای چینی خود درباره گسترش همکاری‌های اقتصادی گفتگو کرد."),
            ("ur", "Arab", "پاکستان کے وزیر اعظم نے کہا ہے کہ حکومت مہنگائی کم کرنے کے لیے نئے اقدامات کرے گی اور بجلی سستی ہوگی۔"),
            ("tr", "Latn", "Cumhurbaşkanı bugün Ankara'da düzenlenen toplantıda yeni ekonomi programının ayrıntılarını açıkladı ve yatırımcılara güvence verdi."),
            ("es", "Latn", "El presidente del Gobierno anunció este lunes un plan de ayudas para los agricultores afectados por la sequía en Andalucía."),
            ("de", "Latn", "Die Bundesregierung hat am Mittwoch beschlossen, die Förderung für Elektroautos im kommenden Jahr deutlich zu erhöhen."),
            ("ru", "Cyrl", "Правительство России объявило в понедельник о новых мерах поддержки малого бизнеса в регионах страны."),
            ("zh", "Hani", "中国国家统计局周一公布的数据显示，今年第三季度国内生产总值同比增长百分之四点六。"),
        ];
        let d = LanguageDetector::new();
        for (code, script, text) in cases {
            let got = d.detect("", text, None);
            assert_eq!(got.code, code, "{text}: {got:?}");
            assert_eq!(got.script.as_deref(), Some(script), "{text}");
            assert!(
                got.confidence >= MIN_CONFIDENCE && got.confidence <= 1.0,
                "{got:?}"
            );
        }
    }

    #[test]
    fn unsure_is_und() {
        let cases = [
            ("empty", ""),
            ("digits and punctuation", "2024 — 12/03 !!! 45%"),
            ("too short", "Oui merci"),
            (
                "mixed scripts",
                "Hello everyone مرحبا بالجميع Привет всем 你好大家",
            ),
        ];
        for (name, text) in cases {
            let got = detect(text);
            assert_eq!(got.code, "und", "case {name}: {got:?}");
            assert_eq!(got.confidence, 0.0, "case {name}");
        }
        assert_eq!(
            detect("Hello everyone مرحبا بالجميع Привет всем")
                .script
                .as_deref(),
            Some("Latn")
        );
    }

    #[test]
    fn arabic_with_a_transliterated_name_stays_arabic() {
        // One Persian letter (گ) in a foreign name must not flip the language.
        let got = detect("التقى رئيس الوزراء العراقي في بغداد وفد شركة غوغل برئاسة جورج لويس وبحث معه الاستثمار في قطاع الاتصالات والتعليم الرقمي في البلاد.");
        assert_eq!(got.code, "ar", "{got:?}");
    }

    #[test]
    fn title_counts_and_prefix_is_bounded() {
        let d = LanguageDetector::new();
        let got = d.detect(
            "Les agriculteurs manifestent à Paris contre la baisse des prix",
            "",
            None,
        );
        assert_eq!(got.code, "fr");
        let long = "The council met again on Monday to discuss the budget. ".repeat(200);
        assert_eq!(
            prefix("", &long, PREFIX_CHARS).chars().count(),
            PREFIX_CHARS
        );
        assert_eq!(d.detect("", &long, None).code, "en");
    }

    #[test]
    fn hint_breaks_ties_only() {
        let d = LanguageDetector::new();
        // A clear English sentence stays English whatever the hint says.
        let en =
            "The minister said the new bridge would open to traffic before the end of the summer.";
        assert_eq!(d.detect("", en, Some("fr")).code, "en");
        // Too short for the models alone; the hint settles it.
        let text = "La situación del gobierno";
        assert_eq!(d.detect("", text, None).code, "und");
        assert_eq!(d.detect("", text, Some("es-ES")).code, "es");
        // A hint the script rules out is ignored.
        let ar = "أعلنت الحكومة عن خطة جديدة لدعم المزارعين في المناطق الريفية خلال العام المقبل.";
        assert_eq!(d.detect("", ar, Some("en")).code, "ar");
    }

    #[test]
    fn hint_names() {
        assert_eq!(hint_lang("AR"), Some(Lang::Ara));
        assert_eq!(hint_lang("fr-FR"), Some(Lang::Fra));
        assert_eq!(hint_lang("eng"), Some(Lang::Eng));
        assert_eq!(hint_lang("fa_IR"), Some(Lang::Pes));
        assert_eq!(hint_lang("Arabic"), Some(Lang::Ara));
        assert_eq!(hint_lang("klingon"), None);
    }

    proptest! {
        #[test]
        fn never_panics(title in "\\PC{0,80}", body in "\\PC{0,700}", hint in proptest::option::of("[a-zA-Z_-]{0,8}")) {
            let got = LanguageDetector::new().detect(&title, &body, hint.as_deref());
            prop_assert!((0.0..=1.0).contains(&got.confidence));
            prop_assert!(got.code == "und" || got.code.len() == 2);
        }
    }
}
