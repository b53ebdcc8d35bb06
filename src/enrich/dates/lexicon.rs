//! Date vocabulary in Arabic (Egyptian/Gulf, Levantine/Iraqi and Maghrebi month
//! names, Hijri months), English and French. Each surface form maps to a
//! [`Cue`]; Arabic forms are also registered with bare alef (أ/إ/آ → ا) since
//! news text writes both.

/// A unit of a relative expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// What a lexicon entry means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// Gregorian month 1..=12.
    Month(u8),
    /// Hijri month 1..=12.
    HijriMonth(u8),
    /// ISO weekday 1 (Monday) ..= 7 (Sunday); `true` when the form already
    /// carries its cue (`يوم الخميس`, `on Tuesday`, `jeudi`).
    Weekday(u8, bool),
    /// A relative reference: unit and offset from the publication date.
    Rel(Unit, i8),
    /// A season name (`summer`...), used before a year.
    Season(&'static str),
}

/// Which conventions apply to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Arabic,
    Latin,
}

pub const AR_MONTHS: &[(&str, u8)] = &[
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("إبريل", 4),
    ("ابريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يونيه", 6),
    ("يوليو", 7),
    ("يوليه", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("أغسطوس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    // Levantine and Iraqi.
    ("كانون الثاني", 1),
    ("شباط", 2),
    ("آذار", 3),
    ("نيسان", 4),
    ("أيار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("آب", 8),
    ("أيلول", 9),
    ("تشرين الأول", 10),
    ("تشرين الثاني", 11),
    ("كانون الأول", 12),
    // Maghrebi.
    ("جانفي", 1),
    ("فيفري", 2),
    ("أفريل", 4),
    ("ماي", 5),
    ("جوان", 6),
    ("جويلية", 7),
    ("جويليه", 7),
    ("أوت", 8),
];

pub const HIJRI_MONTHS: &[(&str, u8)] = &[
    ("محرم", 1),
    ("صفر", 2),
    ("ربيع الأول", 3),
    ("ربيع أول", 3),
    ("ربيع الثاني", 4),
    ("ربيع الآخر", 4),
    ("ربيع ثاني", 4),
    ("جمادى الأولى", 5),
    ("جمادى الأول", 5),
    ("جمادي الأولى", 5),
    ("جمادي الأول", 5),
    ("جمادى الآخرة", 6),
    ("جمادى الثانية", 6),
    ("جمادى الآخر", 6),
    ("جمادى الثاني", 6),
    ("جمادي الآخرة", 6),
    ("جمادي الثانية", 6),
    ("جمادي الآخر", 6),
    ("جمادي الثاني", 6),
    ("رجب", 7),
    ("شعبان", 8),
    ("رمضان", 9),
    ("شوال", 10),
    ("ذو القعدة", 11),
    ("ذي القعدة", 11),
    ("ذو الحجة", 12),
    ("ذي الحجة", 12),
];

pub const AR_WEEKDAYS: &[(&str, u8)] = &[
    ("الاثنين", 1),
    ("الإثنين", 1),
    ("الثلاثاء", 2),
    ("الأربعاء", 3),
    ("الخميس", 4),
    ("الجمعة", 5),
    ("السبت", 6),
    ("الأحد", 7),
];

pub const AR_RELATIVE: &[(&str, Unit, i8)] = &[
    ("أمس", Unit::Day, -1),
    ("الأمس", Unit::Day, -1),
    ("يوم أمس", Unit::Day, -1),
    ("أمس الأول", Unit::Day, -2),
    ("أول أمس", Unit::Day, -2),
    ("أول من أمس", Unit::Day, -2),
    ("اليوم", Unit::Day, 0),
    ("غدا", Unit::Day, 1),
    ("غداً", Unit::Day, 1),
    ("غدًا", Unit::Day, 1),
    ("غدٍ", Unit::Day, 1),
    ("بعد غد", Unit::Day, 2),
    ("الأسبوع الماضي", Unit::Week, -1),
    ("الأسبوع المنصرم", Unit::Week, -1),
    ("الأسبوع الفائت", Unit::Week, -1),
    ("الأسبوع المقبل", Unit::Week, 1),
    ("الأسبوع القادم", Unit::Week, 1),
    ("الأسبوع الجاري", Unit::Week, 0),
    ("الأسبوع الحالي", Unit::Week, 0),
    ("هذا الأسبوع", Unit::Week, 0),
    ("الشهر الماضي", Unit::Month, -1),
    ("الشهر المنصرم", Unit::Month, -1),
    ("الشهر الفائت", Unit::Month, -1),
    ("الشهر المقبل", Unit::Month, 1),
    ("الشهر القادم", Unit::Month, 1),
    ("الشهر الجاري", Unit::Month, 0),
    ("الشهر الحالي", Unit::Month, 0),
    ("هذا الشهر", Unit::Month, 0),
    ("العام الماضي", Unit::Year, -1),
    ("العام المنصرم", Unit::Year, -1),
    ("العام الفائت", Unit::Year, -1),
    ("السنة الماضية", Unit::Year, -1),
    ("العام المقبل", Unit::Year, 1),
    ("العام القادم", Unit::Year, 1),
    ("السنة المقبلة", Unit::Year, 1),
    ("السنة القادمة", Unit::Year, 1),
    ("العام الجاري", Unit::Year, 0),
    ("العام الحالي", Unit::Year, 0),
    ("السنة الحالية", Unit::Year, 0),
    ("السنة الجارية", Unit::Year, 0),
    ("هذا العام", Unit::Year, 0),
    ("هذه السنة", Unit::Year, 0),
];

/// `قبل عامين` ("two years ago"): unit words after `قبل`, with their count.
pub const AR_AGO_UNITS: &[(&str, Unit, i8)] = &[
    ("يوم", Unit::Day, 1),
    ("يومين", Unit::Day, 2),
    ("أسبوع", Unit::Week, 1),
    ("أسبوعين", Unit::Week, 2),
    ("شهر", Unit::Month, 1),
    ("شهرين", Unit::Month, 2),
    ("عام", Unit::Year, 1),
    ("عامين", Unit::Year, 2),
    ("سنة", Unit::Year, 1),
    ("سنتين", Unit::Year, 2),
];

/// Plural unit words after a count (`قبل ثلاثة أعوام`).
pub const AR_AGO_PLURALS: &[(&str, Unit)] = &[
    ("أيام", Unit::Day),
    ("أسابيع", Unit::Week),
    ("أشهر", Unit::Month),
    ("شهور", Unit::Month),
    ("أعوام", Unit::Year),
    ("سنوات", Unit::Year),
];

/// Written counts 3..=10 in both genders.
pub const AR_COUNTS: &[(&str, i8)] = &[
    ("ثلاث", 3),
    ("ثلاثة", 3),
    ("أربع", 4),
    ("أربعة", 4),
    ("خمس", 5),
    ("خمسة", 5),
    ("ست", 6),
    ("ستة", 6),
    ("سبع", 7),
    ("سبعة", 7),
    ("ثماني", 8),
    ("ثمانية", 8),
    ("تسع", 9),
    ("تسعة", 9),
    ("عشر", 10),
    ("عشرة", 10),
];

pub const AR_SEASONS: &[(&str, &str)] = &[
    ("صيف", "summer"),
    ("شتاء", "winter"),
    ("ربيع", "spring"),
    ("خريف", "autumn"),
];

/// Words after a weekday or month that make it relative.
pub const AR_AFTER_PAST: &[&str] = &["الماضي", "المنصرم", "الفائت", "الماضية", "المنصرمة"];
pub const AR_AFTER_NEXT: &[&str] = &["المقبل", "القادم", "المقبلة", "القادمة"];
pub const AR_AFTER_THIS: &[&str] = &["الجاري", "الحالي"];

/// Words before a bare Arabic weekday that make it a date (`مساء الخميس`).
pub const AR_BEFORE_WEEKDAY: &[&str] = &[
    "يوم",
    "مساء",
    "صباح",
    "ظهر",
    "عصر",
    "فجر",
    "ليلة",
    "ليل",
    "منذ",
    "حتى",
    "نهار",
    "اليوم",
];

/// Words before a bare Arabic weekday that make it part of a fixed phrase.
pub const AR_NOT_BEFORE_WEEKDAY: &[&str] = &[
    "صلاة",
    "صلاتي",
    "خطبة",
    "خطيب",
    "خطب",
    "سوق",
    "كل",
    "أيام",
    "ايام",
    "مسجد",
    "جامع",
    "بين",
    "كلا",
    "يومي",
    "يوما",
    "ليلتي",
];

/// Words right before a 4-digit number that make it a year.
pub const YEAR_CUES: &[&str] = &[
    "العام",
    "عام",
    "عامي",
    "السنة",
    "سنة",
    "سنتي",
    "منذ",
    "في",
    "خلال",
    "حتى",
    "مطلع",
    "بداية",
    "نهاية",
    "أواخر",
    "اواخر",
    "أوائل",
    "اوائل",
    "منتصف",
    "قبل",
    "بعد",
    "in",
    "since",
    "until",
    "during",
    "by",
    "year",
    "en",
    "depuis",
    "jusqu",
    "année",
    "l'année",
    "an",
];

/// Weak cues accept only 19xx/20xx years followed by a boundary.
pub const WEAK_YEAR_CUES: &[&str] = &[
    "في", "منذ", "خلال", "حتى", "قبل", "بعد", "in", "since", "until", "during", "by", "en",
    "depuis", "jusqu",
];

pub const EN_MONTHS: &[(&str, u8)] = &[
    ("January", 1),
    ("Jan.", 1),
    ("February", 2),
    ("Feb.", 2),
    ("March", 3),
    ("April", 4),
    ("May", 5),
    ("June", 6),
    ("July", 7),
    ("August", 8),
    ("Aug.", 8),
    ("September", 9),
    ("Sept.", 9),
    ("Sep.", 9),
    ("October", 10),
    ("Oct.", 10),
    ("November", 11),
    ("Nov.", 11),
    ("December", 12),
    ("Dec.", 12),
];

pub const FR_MONTHS: &[(&str, u8)] = &[
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
];

pub const EN_WEEKDAYS: &[(&str, u8)] = &[
    ("Monday", 1),
    ("Tuesday", 2),
    ("Wednesday", 3),
    ("Thursday", 4),
    ("Friday", 5),
    ("Saturday", 6),
    ("Sunday", 7),
];

pub const FR_WEEKDAYS: &[(&str, u8)] = &[
    ("lundi", 1),
    ("mardi", 2),
    ("mercredi", 3),
    ("jeudi", 4),
    ("vendredi", 5),
    ("samedi", 6),
    ("dimanche", 7),
];

pub const EN_RELATIVE: &[(&str, Unit, i8)] = &[
    ("yesterday", Unit::Day, -1),
    ("today", Unit::Day, 0),
    ("tomorrow", Unit::Day, 1),
    ("the day before yesterday", Unit::Day, -2),
    ("last week", Unit::Week, -1),
    ("next week", Unit::Week, 1),
    ("this week", Unit::Week, 0),
    ("last month", Unit::Month, -1),
    ("next month", Unit::Month, 1),
    ("this month", Unit::Month, 0),
    ("last year", Unit::Year, -1),
    ("next year", Unit::Year, 1),
    ("this year", Unit::Year, 0),
];

pub const FR_RELATIVE: &[(&str, Unit, i8)] = &[
    ("hier", Unit::Day, -1),
    ("avant-hier", Unit::Day, -2),
    ("aujourd'hui", Unit::Day, 0),
    ("aujourd’hui", Unit::Day, 0),
    ("demain", Unit::Day, 1),
    ("après-demain", Unit::Day, 2),
    ("la semaine dernière", Unit::Week, -1),
    ("la semaine passée", Unit::Week, -1),
    ("la semaine prochaine", Unit::Week, 1),
    ("cette semaine", Unit::Week, 0),
    ("le mois dernier", Unit::Month, -1),
    ("le mois passé", Unit::Month, -1),
    ("le mois prochain", Unit::Month, 1),
    ("ce mois-ci", Unit::Month, 0),
    ("l'année dernière", Unit::Year, -1),
    ("l’année dernière", Unit::Year, -1),
    ("l'an dernier", Unit::Year, -1),
    ("l’an dernier", Unit::Year, -1),
    ("l'année prochaine", Unit::Year, 1),
    ("l’année prochaine", Unit::Year, 1),
    ("l'an prochain", Unit::Year, 1),
    ("l’an prochain", Unit::Year, 1),
    ("cette année", Unit::Year, 0),
];

pub const EN_SEASONS: &[(&str, &str)] = &[
    ("summer", "summer"),
    ("winter", "winter"),
    ("spring", "spring"),
    ("autumn", "autumn"),
];

pub const FR_SEASONS: &[(&str, &str)] = &[
    ("été", "summer"),
    ("hiver", "winter"),
    ("printemps", "spring"),
    ("automne", "autumn"),
];

/// Latin words before a weekday or month that make it relative or cue it.
pub const LAT_BEFORE_PAST: &[&str] = &["last"];
pub const LAT_BEFORE_NEXT: &[&str] = &["next"];
pub const LAT_AFTER_PAST: &[&str] = &["dernier", "dernière"];
pub const LAT_AFTER_NEXT: &[&str] = &["prochain", "prochaine"];

/// Arabic forms with hamza-carrying alefs also appear with a bare alef.
pub fn alef_variant(s: &str) -> Option<String> {
    if s.contains(['أ', 'إ', 'آ']) {
        Some(s.replace(['أ', 'إ', 'آ'], "ا"))
    } else {
        None
    }
}

/// Capitalised form of a lowercase Latin word with a non-ASCII first letter
/// (`été` → `Été`); ASCII case is handled by the matcher.
pub fn capitalised(s: &str) -> Option<String> {
    let mut it = s.chars();
    let first = it.next()?;
    if first.is_ascii() || !first.is_lowercase() {
        return None;
    }
    Some(first.to_uppercase().chain(it).collect())
}

/// Every `(form, cue, script)` of the date vocabulary, with variants.
pub fn entries() -> Vec<(String, Cue, Script)> {
    let mut out: Vec<(String, Cue, Script)> = Vec::new();
    let mut push = |s: &str, cue: Cue, script: Script| {
        out.push((s.to_string(), cue, script));
        if script == Script::Arabic {
            if let Some(v) = alef_variant(s) {
                out.push((v, cue, script));
            }
            // "للشهر القادم": the preposition ل absorbs the alef of ال.
            if let Some(rest) = s.strip_prefix("ال") {
                if matches!(cue, Cue::Rel(..)) {
                    out.push((format!("لل{rest}"), cue, script));
                }
            }
        } else if let Some(v) = capitalised(s) {
            out.push((v, cue, script));
        }
    };
    for &(s, m) in AR_MONTHS {
        push(s, Cue::Month(m), Script::Arabic);
    }
    for &(s, m) in HIJRI_MONTHS {
        push(s, Cue::HijriMonth(m), Script::Arabic);
    }
    for &(s, d) in AR_WEEKDAYS {
        push(s, Cue::Weekday(d, false), Script::Arabic);
        push(&format!("يوم {s}"), Cue::Weekday(d, true), Script::Arabic);
    }
    for &(s, u, k) in AR_RELATIVE {
        push(s, Cue::Rel(u, k), Script::Arabic);
    }
    for &(s, u, n) in AR_AGO_UNITS {
        push(&format!("قبل {s}"), Cue::Rel(u, -n), Script::Arabic);
    }
    for &(s, u) in AR_AGO_PLURALS {
        for &(c, n) in AR_COUNTS {
            push(&format!("قبل {c} {s}"), Cue::Rel(u, -n), Script::Arabic);
        }
    }
    for &(s, name) in AR_SEASONS {
        push(s, Cue::Season(name), Script::Arabic);
    }
    for &(s, m) in EN_MONTHS.iter().chain(FR_MONTHS) {
        push(s, Cue::Month(m), Script::Latin);
    }
    for &(s, d) in EN_WEEKDAYS {
        push(s, Cue::Weekday(d, true), Script::Latin);
    }
    for &(s, d) in FR_WEEKDAYS {
        push(s, Cue::Weekday(d, true), Script::Latin);
    }
    for &(s, u, k) in EN_RELATIVE.iter().chain(FR_RELATIVE) {
        push(s, Cue::Rel(u, k), Script::Latin);
    }
    for &(s, name) in EN_SEASONS.iter().chain(FR_SEASONS) {
        push(s, Cue::Season(name), Script::Latin);
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}
