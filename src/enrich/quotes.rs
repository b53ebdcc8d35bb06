//! Quoted speech and its speaker, in Arabic, English and French.
//!
//! A quote is text between quotation marks (`«»`, `""`, `“”`, `„“`) that a
//! reporting cue attributes to someone in the same sentence: a reporting verb
//! before it (`وقال الأسد ... إن "…"`, `Smith said: "…"`), a verb or source
//! after it (`"…"، قال الوزير`, `"…," said Smith`, `», a déclaré X`,
//! `according to X`), a reported-saying noun (`نقل … عن باقري قوله "…"`) or a
//! participle continuing the previous speaker (`مشددا على أن … "…"`).
//! Quotation marks without such a cue are titles, names or scare quotes and
//! are not reported; short quoted phrases (under three words) also need the
//! cue right before them (`:`, `إن`, `قوله`...). Precision comes first:
//! indirect speech without marks is not reported.
//!
//! The speaker is the name the sentence gives, without titles
//! (`قال اللواء محمد باقري` → `محمد باقري`); a pronoun (`وأضاف`, `he said`,
//! `a-t-il ajouté`) continues the speaker of the previous quote nearby;
//! anonymous sources (`مصدر`, `a source`) leave it `None`.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::enrich::scan::{
    char_at, char_before, is_letter, next_token, prev_token, starts_word, CharOffsets, TokKind,
};
use crate::model::record::{Field, Quote};

/// How a cue relates to the speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// Arabic verb, subject after it: `قال الأسد`.
    ArVerb,
    /// Arabic participle continuing the current speaker: `مشددا`.
    ArParticiple,
    /// `قوله` after `عن X`.
    ArSaying,
    /// `حسب X`, `وفقا لـ X`.
    ArSource,
    /// English or French verb; subject before or after it.
    LatVerb,
    /// `according to X`, `selon X`.
    LatSource,
}

const AR_VERBS: &[&str] = &[
    "يرى",
    "ترى",
    "يعتبر",
    "تعتبر",
    "يشير",
    "تشير",
    "يوضح",
    "توضح",
    "يضيف",
    "تضيف",
    "قال",
    "قالت",
    "قالوا",
    "يقول",
    "تقول",
    "أضاف",
    "أضافت",
    "أضافوا",
    "يضيف",
    "تضيف",
    "أكد",
    "أكدت",
    "أكدوا",
    "يؤكد",
    "تؤكد",
    "أوضح",
    "أوضحت",
    "صرح",
    "صرحت",
    "أفاد",
    "أفادت",
    "تابع",
    "تابعت",
    "لفت",
    "لفتت",
    "شدد",
    "شددت",
    "أشار",
    "أشارت",
    "ذكر",
    "ذكرت",
    "اعتبر",
    "اعتبرت",
    "رأى",
    "رأت",
    "أعلن",
    "أعلنت",
    "كشف",
    "كشفت",
    "نفى",
    "نفت",
    "زعم",
    "زعمت",
    "حذر",
    "حذرت",
    "كتب",
    "كتبت",
    "غرد",
    "غردت",
    "ختم",
    "ختمت",
    "اختتم",
    "اختتمت",
    "استطرد",
    "استطردت",
    "أردف",
    "أردفت",
    "علق",
    "علقت",
    "أجاب",
    "أجابت",
    "تساءل",
    "تساءلت",
    "أعرب",
    "أعربت",
];

const AR_PARTICIPLES: &[&str] = &[
    "مشددا",
    "مشدداً",
    "مؤكدا",
    "مؤكداً",
    "مضيفا",
    "مضيفاً",
    "موضحا",
    "موضحاً",
    "قائلا",
    "قائلاً",
    "لافتا",
    "لافتاً",
    "مشيرا",
    "مشيراً",
    "معتبرا",
    "معتبراً",
    "منوها",
    "منوهاً",
    "مبينا",
    "مبيناً",
    "محذرا",
    "محذراً",
    "متابعا",
    "متابعاً",
    "مستدركا",
    "مستدركاً",
    "مشددة",
    "مؤكدة",
    "مضيفة",
    "موضحة",
    "قائلة",
    "مشيرة",
    "معربا",
    "معرباً",
    "مطالبا",
    "مطالباً",
    "داعيا",
    "داعياً",
    "متسائلا",
    "متسائلاً",
];

const AR_SAYINGS: &[&str] = &["قوله", "قولها", "قولهم", "القول", "تصريحه", "تصريحها"];

const AR_SOURCES: &[&str] = &[
    "حسب",
    "بحسب",
    "وفق",
    "وفقا",
    "وفقاً",
    "طبقا",
    "طبقاً",
    "نقلا",
    "نقلاً",
];

const LAT_VERBS: &[&str] = &[
    "said",
    "says",
    "added",
    "adds",
    "told",
    "stated",
    "declared",
    "insisted",
    "noted",
    "explained",
    "warned",
    "tweeted",
    "wrote",
    "asked",
    "stressed",
    "argued",
    "claimed",
    "announced",
    "replied",
    "déclaré",
    "affirmé",
    "ajouté",
    "indiqué",
    "expliqué",
    "souligné",
    "estimé",
    "assuré",
    "précisé",
    "averti",
    "lancé",
    "insisté",
    "martelé",
    "déclare",
    "affirme",
    "ajoute",
    "indique",
    "explique",
    "souligne",
    "estime",
    "assure",
    "précise",
    "confié",
    "dit",
    "répondu",
    "écrit",
];

const LAT_SOURCES: &[&str] = &["according to", "selon", "d'après", "d’après"];

/// Words that end an Arabic speaker phrase.
const AR_STOP: &[&str] = &[
    "إن",
    "أن",
    "ان",
    "بأن",
    "بان",
    "إنه",
    "أنه",
    "انه",
    "إنها",
    "أنها",
    "انها",
    "إنهم",
    "أنهم",
    "في",
    "على",
    "عن",
    "خلال",
    "من",
    "إلى",
    "الى",
    "مع",
    "لدى",
    "أمام",
    "عبر",
    "حول",
    "بعد",
    "قبل",
    "حيث",
    "الذي",
    "التي",
    "لـ",
    "ل",
    "أمس",
    "اليوم",
    "يوم",
    "الخميس",
    "الجمعة",
    "السبت",
    "الأحد",
    "الاثنين",
    "الإثنين",
    "الثلاثاء",
    "الأربعاء",
    "مساء",
    "صباح",
    "ظهر",
    "بدوره",
    "بدورها",
    "كما",
    "أيضا",
    "أيضاً",
    "وأن",
    "وإن",
    "ان",
    "إنّ",
    "أنّ",
    "بعدما",
    "عندما",
    "بينما",
    "لقناة",
    "لصحيفة",
    "لوكالة",
    "للصحفيين",
    "لـ\"",
    "ردا",
    "رداً",
    "تعليقا",
    "تعليقاً",
];

/// Titles and institutions that precede a name (skipped: the speaker is the name).
const AR_TITLES: &[&str] = &[
    "متحدثة",
    "المتحدثة",
    "ناطقة",
    "الناطقة",
    "مسؤولة",
    "المسؤولة",
    "المسؤول",
    "وكيل",
    "الوكيل",
    "الرئيس",
    "رئيس",
    "رئيسة",
    "الرئيسة",
    "الوزير",
    "وزير",
    "وزيرة",
    "الوزيرة",
    "اللواء",
    "العميد",
    "العقيد",
    "المقدم",
    "الرائد",
    "النقيب",
    "الملازم",
    "الفريق",
    "المشير",
    "الجنرال",
    "الدكتور",
    "الدكتورة",
    "د",
    "الشيخ",
    "الشيخة",
    "الأمير",
    "الأميرة",
    "الملك",
    "العاهل",
    "ولي",
    "السفير",
    "سفير",
    "المتحدث",
    "متحدث",
    "الناطق",
    "ناطق",
    "المستشار",
    "مستشار",
    "مدير",
    "المدير",
    "مديرة",
    "المديرة",
    "الأمين",
    "أمين",
    "النائب",
    "نائب",
    "القائد",
    "قائد",
    "السيد",
    "السيدة",
    "المهندس",
    "الأستاذ",
    "البروفيسور",
    "سمو",
    "صاحب",
    "المفتي",
    "الإمام",
    "القاضي",
    "المحامي",
    "عضو",
    "المبعوث",
    "مبعوث",
    "المندوب",
    "مندوب",
    "الممثل",
    "ممثل",
    "المحلل",
    "الخبير",
    "الكاتب",
    "الصحفي",
    "المنسق",
    "منسق",
    "محافظ",
    "المحافظ",
    "أمير",
    "نائبة",
    "رئيسي",
    "مساعد",
    "المساعد",
    "زعيم",
    "الزعيم",
    "قائد",
    "مفوض",
    "المفوض",
    "هيئة",
    "وزارة",
    "مجلس",
    "لجنة",
    "شركة",
    "جهاز",
    "مكتب",
    "إدارة",
    "جامعة",
    "منظمة",
    "حركة",
    "حزب",
    "مركز",
    "دائرة",
    "بنك",
    "مصرف",
    "صندوق",
    "مؤسسة",
    "منطقة",
    "شرطة",
    "الرسمي",
    "باسم",
    "العام",
    "العامة",
    "التنفيذي",
    "الأعلى",
    "للشؤون",
    "لشؤون",
    "الدولة",
    "أركان",
    "الأركان",
    "سماحة",
    "فضيلة",
    "معالي",
    "سعادة",
];

/// Institutions that speak in their own name when no person is named.
const AR_INSTITUTIONS: &[&str] = &[
    "حزب",
    "حركة",
    "وزارة",
    "هيئة",
    "مجلس",
    "لجنة",
    "شركة",
    "منظمة",
    "جامعة",
    "وكالة",
    "صحيفة",
    "جماعة",
    "جبهة",
    "مؤسسة",
    "مركز",
    "بنك",
    "مصرف",
    "صندوق",
];

/// Anonymous sources: no speaker.
const AR_ANONYMOUS: &[&str] = &[
    "موظف",
    "موظفة",
    "موظفون",
    "دبلوماسي",
    "دبلوماسيون",
    "دبلوماسيين",
    "ضابط",
    "مسؤولة",
    "متحدثة",
    "مواطن",
    "مواطنون",
    "مصدر",
    "مصادر",
    "مسؤول",
    "مسؤولون",
    "مسؤولين",
    "شهود",
    "شاهد",
    "ناشطون",
    "ناشطين",
    "مراقبون",
    "محللون",
    "خبراء",
    "سكان",
    "مصدرا",
    "مصدراً",
];

const LAT_TITLES: &[&str] = &[
    "President",
    "Prime",
    "Minister",
    "Secretary",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "General",
    "Gen",
    "Sen",
    "Senator",
    "Rep",
    "Governor",
    "Gov",
    "Chancellor",
    "King",
    "Prince",
    "Sheikh",
    "Ambassador",
    "Foreign",
    "Defence",
    "Defense",
    "Interior",
    "Finance",
    "Chief",
    "Executive",
    "CEO",
    "Director",
    "Spokesman",
    "Spokeswoman",
    "Vice",
    "Deputy",
    "Colonel",
    "Col",
    "Lt",
    "Major",
    "Maj",
    "Mayor",
    "Judge",
    "Pope",
    "Queen",
    "Emir",
    "Crown",
    "M",
    "Mme",
    "Président",
    "Premier",
    "Ministre",
    "ministre",
    "président",
    "Général",
    "Le",
    "La",
    "Les",
    "The",
    "porte-parole",
    "Porte-parole",
    "Dans",
    "In",
    "But",
    "And",
    "Mais",
    "Et",
];

const LAT_PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "de", "du", "van", "von", "der", "da", "di", "le", "la", "des",
];

const PRONOUNS: &[&str] = &["he", "she", "they", "il", "elle", "ils", "elles", "we", "I"];

/// Finds quotes; build once, share.
pub struct QuoteExtractor {
    ac: AhoCorasick,
    cues: Vec<Cue>,
    /// The vocabulary's entries, in index order.
    patterns: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
struct Marks {
    open: usize,
    content_start: usize,
    content_end: usize,
    close_end: usize,
}

type ByteRange = (usize, usize);

#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    cue: Cue,
}

#[derive(Debug, Clone, Copy)]
struct Found {
    marks: Marks,
    speaker: Option<(usize, usize)>,
    verb: (usize, usize),
}

impl QuoteExtractor {
    pub fn new() -> Result<Self, aho_corasick::BuildError> {
        let mut pats: Vec<String> = Vec::new();
        let mut cues = Vec::new();
        let add = |list: &[&str], cue: Cue, pats: &mut Vec<String>, cues: &mut Vec<Cue>| {
            for w in list {
                pats.push((*w).to_string());
                cues.push(cue);
                if w.contains(['أ', 'إ', 'آ']) {
                    pats.push(w.replace(['أ', 'إ', 'آ'], "ا"));
                    cues.push(cue);
                }
            }
        };
        add(AR_VERBS, Cue::ArVerb, &mut pats, &mut cues);
        add(AR_PARTICIPLES, Cue::ArParticiple, &mut pats, &mut cues);
        add(AR_SAYINGS, Cue::ArSaying, &mut pats, &mut cues);
        add(AR_SOURCES, Cue::ArSource, &mut pats, &mut cues);
        add(LAT_VERBS, Cue::LatVerb, &mut pats, &mut cues);
        add(LAT_SOURCES, Cue::LatSource, &mut pats, &mut cues);
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(&pats)?;
        Ok(QuoteExtractor {
            ac,
            cues,
            patterns: pats,
        })
    }

    /// The vocabulary (entries in index order) and whether it ignores ASCII
    /// case, for a [`crate::enrich::scan::SharedVocabulary`].
    pub fn vocabulary(&self) -> (&[String], bool) {
        (&self.patterns, true)
    }

    /// Every attributed quote of `text`, in text order; spans cover the text
    /// inside the marks, in code points.
    pub fn extract(&self, text: &str, field: Field) -> Vec<Quote> {
        self.extract_from(
            text,
            field,
            crate::enrich::scan::own_matches(&self.ac, text),
        )
    }

    /// [`Self::extract`] given the leftmost-longest matches of the vocabulary
    /// in `text` (from a [`crate::enrich::scan::SharedVocabulary`] pass).
    pub fn extract_from(
        &self,
        text: &str,
        field: Field,
        matches: impl Iterator<Item = crate::enrich::scan::VocabMatch>,
    ) -> Vec<Quote> {
        let marks = find_marks(text);
        if marks.is_empty() {
            return Vec::new();
        }
        let hits: Vec<Hit> = matches
            .filter_map(|(start, end, i)| {
                let cue = *self.cues.get(i)?;
                let arabic = matches!(
                    cue,
                    Cue::ArVerb | Cue::ArParticiple | Cue::ArSaying | Cue::ArSource
                );
                (starts_word(text, start, arabic) && crate::enrich::scan::ends_word(text, end))
                    .then_some(Hit { start, end, cue })
            })
            .collect();
        let mut found: Vec<Found> = Vec::new();
        for (i, mk) in marks.iter().enumerate() {
            let sent_start = sentence_start(text, mk.open);
            let sent_end = sentence_end(text, mk.close_end);
            let prev_found = found.last().copied();
            // The previous speaker continues when the last quote is close by.
            // A quote nearby before this one: its speaker (even unnamed) is
            // who a pronoun continues.
            let near_prev = prev_found.filter(|f| mk.open.saturating_sub(f.marks.close_end) < 900);
            let carry = near_prev.and_then(|f| f.speaker);
            let words = text
                .get(mk.content_start..mk.content_end)
                .map_or(0, |s| s.split_whitespace().count());
            // Cue before the quote, in the same sentence, not inside another quote.
            let before = hits
                .iter()
                .rev()
                .filter(|h| h.start >= sent_start && h.end <= mk.open)
                .find(|h| !inside_marks(&marks[..i], h.start));
            let mut result: Option<(Option<ByteRange>, ByteRange)> = None;
            if let Some(h) = before {
                let lead_in = has_lead_in(text, mk.open);
                // Short quoted phrases are speech only when introduced as such
                // and closing their clause (not `أن «معرض وظائف 2015» الذي`).
                let short_ok =
                    lead_in && (content_ends(text, mk) || ends_clause(text, mk.close_end, &hits));
                if words >= 5 || short_ok {
                    let earlier = |before: usize, floor: usize| {
                        hits.iter()
                            .rev()
                            .filter(|v| v.cue == Cue::ArVerb && v.start >= floor && v.end <= before)
                            .find_map(|v| match verb_subject(text, v, before) {
                                Subject::Named(r) => Some(r),
                                _ => None,
                            })
                    };
                    let far = mk.open.saturating_sub(700);
                    let speaker = match h.cue {
                        Cue::ArVerb => match verb_subject(text, h, mk.open) {
                            Subject::Named(r) => Some(r),
                            Subject::Anonymous => None,
                            Subject::Unknown => earlier(h.start, sent_start).or_else(|| {
                                near_prev.map_or_else(|| earlier(h.start, far), |f| f.speaker)
                            }),
                        },
                        Cue::ArParticiple => {
                            match near_prev.filter(|f| f.marks.close_end >= sent_start) {
                                Some(f) => f.speaker,
                                None => earlier(h.start, sent_start).or_else(|| {
                                    near_prev.map_or_else(|| earlier(h.start, far), |f| f.speaker)
                                }),
                            }
                        }
                        Cue::ArSaying => ar_speaker_before_saying(text, h.start, sent_start),
                        Cue::ArSource => ar_speaker_after(text, source_after(text, h.end), mk.open),
                        Cue::LatVerb => lat_speaker_around(text, h.start, h.end, mk.open).or(carry),
                        Cue::LatSource => lat_name_after(text, h.end, mk.open).or(carry),
                    };
                    result = Some((speaker, (h.start, h.end)));
                }
            }
            if result.is_none() && words >= 2 {
                // Cue after the quote: `"…"، قال X`, `"…," said X`, `"…", X said`.
                let limit = marks.get(i + 1).map_or(sent_end, |n| n.open.min(sent_end));
                let after = hits.iter().find(|h| {
                    h.start >= mk.close_end && h.end <= limit && h.start - mk.close_end < 120
                });
                if let Some(h) = after {
                    let speaker = match h.cue {
                        Cue::ArVerb | Cue::ArSource => {
                            let from = if h.cue == Cue::ArSource {
                                source_after(text, h.end)
                            } else {
                                h.end
                            };
                            ar_speaker_after(text, from, limit).or(carry)
                        }
                        Cue::LatVerb => lat_name_between(text, mk.close_end, h.start)
                            .or_else(|| lat_name_after(text, h.end, limit))
                            .or(carry),
                        Cue::LatSource => lat_name_after(text, h.end, limit),
                        Cue::ArParticiple | Cue::ArSaying => None,
                    };
                    if matches!(
                        h.cue,
                        Cue::ArVerb | Cue::ArSource | Cue::LatVerb | Cue::LatSource
                    ) && close_cue(text, mk.close_end, h.start)
                        && (content_ends(text, mk) || ends_clause(text, mk.close_end, &hits))
                    {
                        result = Some((speaker, (h.start, h.end)));
                    }
                }
            }
            if let Some((speaker, verb)) = result {
                found.push(Found {
                    marks: *mk,
                    speaker,
                    verb,
                });
            }
        }
        let mut offsets = CharOffsets::new(text);
        found
            .into_iter()
            .map(|f| Quote {
                speaker: f
                    .speaker
                    .and_then(|(s, e)| text.get(s..e))
                    .map(str::to_string),
                text: text
                    .get(f.marks.content_start..f.marks.content_end)
                    .unwrap_or("")
                    .trim()
                    .to_string(),
                verb: text.get(f.verb.0..f.verb.1).map(str::to_string),
                span: Some(offsets.span(field, f.marks.content_start, f.marks.content_end)),
            })
            .collect()
    }
}

fn inside_marks(marks: &[Marks], pos: usize) -> bool {
    marks
        .iter()
        .any(|m| pos >= m.content_start && pos < m.content_end)
}

/// Quotation mark pairs within one paragraph.
fn find_marks(text: &str) -> Vec<Marks> {
    let mut out = Vec::new();
    // Pending openers: (opener char, byte offset).
    let mut pending: Option<(char, usize)> = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b == b'"' || b == b'\n' || b == 0xC2 || b == 0xE2) {
            i += 1;
            continue;
        }
        let Some(c) = char_at(text, i) else {
            i += 1;
            continue;
        };
        let len = c.len_utf8();
        match c {
            '\n' => pending = None,
            '«' | '“' | '„' if pending.is_none() => pending = Some((c, i)),
            '»' | '”' | '“' => {
                if let Some((o, at)) = pending {
                    let ok = matches!((o, c), ('«', '»') | ('“', '”') | ('„', '“') | ('„', '”'));
                    if ok {
                        push_marks(&mut out, at, o.len_utf8(), i, len);
                        pending = None;
                    }
                }
            }
            '"' => match pending {
                Some(('"', at)) => {
                    push_marks(&mut out, at, 1, i, 1);
                    pending = None;
                }
                None => {
                    // An opener is glued to what follows; a stray closer is
                    // glued to what precedes and followed by a space.
                    let next = char_at(text, i + 1);
                    let prev = char_before(text, i);
                    let looks_closing = next
                        .is_none_or(|n| n.is_whitespace() || n.is_ascii_punctuation() || n == '،')
                        && prev.is_some_and(|p| !p.is_whitespace());
                    if !looks_closing {
                        pending = Some(('"', i));
                    }
                }
                Some(_) => {}
            },
            _ => {}
        }
        i += len;
    }
    out
}

fn push_marks(out: &mut Vec<Marks>, open: usize, olen: usize, close: usize, clen: usize) {
    let content_start = open + olen;
    if close <= content_start || close - content_start > 2000 {
        return;
    }
    out.push(Marks {
        open,
        content_start,
        content_end: close,
        close_end: close + clen,
    });
}

fn is_sentence_end(text: &str, pos: usize, c: char) -> bool {
    match c {
        '\n' | '!' | '?' | '؟' => true,
        '.' => {
            // Not a decimal point or an initial ("U.S.", "2.5").
            let prev = char_before(text, pos);
            let next = char_at(text, pos + 1);
            !(prev.is_some_and(|p| p.is_ascii_digit() || p.is_ascii_uppercase())
                && next.is_some_and(|n| !n.is_whitespace()))
        }
        _ => false,
    }
}

/// Start of the sentence containing `pos` (at most 600 bytes back).
fn sentence_start(text: &str, pos: usize) -> usize {
    let floor = pos.saturating_sub(600);
    let mut p = pos;
    while p > floor {
        let Some(c) = char_before(text, p) else { break };
        let q = p - c.len_utf8();
        if is_sentence_end(text, q, c) {
            return p;
        }
        p = q;
    }
    p
}

/// End of the sentence containing `pos` (at most 400 bytes ahead).
fn sentence_end(text: &str, pos: usize) -> usize {
    let ceil = (pos + 400).min(text.len());
    let mut p = pos;
    while p < ceil {
        let Some(c) = char_at(text, p) else { break };
        if is_sentence_end(text, p, c) {
            return p;
        }
        p += c.len_utf8();
    }
    p.min(text.len())
}

/// What stands right before an opening mark introduces speech: `:`, `إن`,
/// `أن`, `قوله`, `قائلا`, a reporting verb.
fn has_lead_in(text: &str, open: usize) -> bool {
    let Some(t) = prev_token(text, open) else {
        return false;
    };
    match t.kind {
        TokKind::Punct(':') => true,
        TokKind::Punct(',') | TokKind::Punct('،') => {
            prev_token(text, t.start).is_some_and(|w| w.is_word() && is_intro_word(w.text(text)))
        }
        TokKind::Word => is_intro_word(t.text(text)),
        _ => false,
    }
}

fn is_intro_word(w: &str) -> bool {
    let w = w
        .strip_prefix('و')
        .filter(|r| r.chars().count() >= 2)
        .unwrap_or(w);
    matches!(
        w,
        "إن" | "أن"
            | "ان"
            | "بأن"
            | "بان"
            | "قوله"
            | "قولها"
            | "بقوله"
            | "بقولها"
            | "القول"
            | "قائلا"
            | "قائلاً"
            | "قائلة"
            | "said"
            | "says"
            | "added"
            | "told"
            | "que"
            | "qu"
    ) || AR_VERBS.contains(&w)
}

/// The quoted text ends with punctuation (`"…," said X`, `"Prices will rise."`).
fn content_ends(text: &str, mk: &Marks) -> bool {
    text.get(mk.content_start..mk.content_end)
        .and_then(|c| c.trim_end().chars().next_back())
        .is_some_and(|c| matches!(c, ',' | '.' | '!' | '?' | '،' | '؟'))
}

/// What follows a closing mark ends the clause: punctuation, the end of the
/// text, or an attribution cue.
fn ends_clause(text: &str, close_end: usize, hits: &[Hit]) -> bool {
    match next_token(text, close_end) {
        None => true,
        Some(t) if t.kind == TokKind::Word => hits.iter().any(|h| h.start == t.start),
        Some(t) => !t.is_punct('('),
    }
}

/// The subject of an Arabic reporting verb: named after it (`قال الأسد`), or
/// before it in a relative clause (`مبارك العصيمي الذي أكد`).
fn verb_subject(text: &str, v: &Hit, limit: usize) -> Subject {
    match ar_subject_after(text, v.end, limit) {
        Subject::Unknown => {}
        known => return known,
    }
    let Some(rel) = prev_token(text, v.start).filter(|t| t.is_word()) else {
        return Subject::Unknown;
    };
    if !matches!(strip_conj(rel.text(text)), "الذي" | "التي" | "الذين") {
        return Subject::Unknown;
    }
    ar_name_before(text, rel.start).map_or(Subject::Unknown, Subject::Named)
}

/// A name ending right before `end`, read backwards: at most three words,
/// titles and prepositional words excluded, at least one word without `ال`.
fn ar_name_before(text: &str, end: usize) -> Option<ByteRange> {
    let mut p = end;
    let mut span: Option<ByteRange> = None;
    let mut bare = 0;
    for i in 0..3 {
        let Some(t) = prev_token(text, p) else { break };
        if !t.is_word() {
            break;
        }
        let w = t.text(text);
        let definite = w.starts_with("ال");
        if AR_TITLES.contains(&w)
            || AR_STOP.contains(&w)
            || (w.starts_with('ل') && !definite)
            || (definite
                && i > 0
                && !matches!(prev_token(text, t.start), Some(x) if x.is_word() && matches!(x.text(text), "عبد" | "أبو" | "بن")))
        {
            break;
        }
        if !definite {
            bare += 1;
        }
        span = Some((t.start, span.map_or(t.end, |s| s.1)));
        p = t.start;
    }
    span.filter(|_| bare > 0)
}

/// Between a closing mark and an after-cue there is only punctuation and at
/// most a few words (`"…"، قال`, `"…," Smith said`).
fn close_cue(text: &str, close_end: usize, cue_start: usize) -> bool {
    let mut words = 0;
    let mut p = close_end;
    while let Some(t) = next_token(text, p) {
        if t.start >= cue_start {
            break;
        }
        match t.kind {
            TokKind::Word => words += 1,
            TokKind::Punct('\n') => return false,
            _ => {}
        }
        p = t.end;
    }
    words <= 4
}

/// Skips `لـ`/`ل` after `وفقا`, and `عن` after `نقلا`.
fn source_after(text: &str, end: usize) -> usize {
    match next_token(text, end) {
        Some(t) if t.is_word() && matches!(t.text(text), "لـ" | "ل" | "عن" | "ما" | "لما") =>
        {
            let mut e = t.end;
            while char_at(text, e) == Some('\u{0640}') {
                e += 2;
            }
            e
        }
        _ => {
            // "وفقاً لـX" glued: skip the "ل".
            end
        }
    }
}

fn strip_conj(w: &str) -> &str {
    match w.strip_prefix('و') {
        Some(r) if r.chars().count() >= 2 => r,
        _ => w,
    }
}

/// The speaker named after an Arabic reporting verb, titles dropped.
fn ar_speaker_after(text: &str, from: usize, limit: usize) -> Option<(usize, usize)> {
    match ar_subject_after(text, from, limit) {
        Subject::Named(r) => Some(r),
        Subject::Anonymous | Subject::Unknown => None,
    }
}

/// Who a sentence says is speaking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    Named(ByteRange),
    /// `قال مصدر`: someone unnamed; do not look further.
    Anonymous,
    /// No subject here (`وأضاف:`); the speaker may be named earlier.
    Unknown,
}

fn ar_subject_after(text: &str, from: usize, limit: usize) -> Subject {
    let mut pos = from;
    let mut name: Option<(usize, usize)> = None;
    let mut name_len = 0;
    let mut title: Option<(usize, usize)> = None;
    let mut first_title: Option<(usize, usize)> = None;
    for _ in 0..16 {
        let Some(t) = next_token(text, pos) else {
            break;
        };
        if t.start >= limit {
            break;
        }
        pos = t.end;
        let w = match t.kind {
            TokKind::Word => t.text(text),
            TokKind::Punct('-') if name.is_some() => continue,
            _ => break,
        };
        // "لـX" glued: a preposition.
        if char_at(text, t.end) == Some('\u{0640}') {
            break;
        }
        let bare = strip_conj(w);
        if AR_STOP.contains(&w) || AR_STOP.contains(&bare) {
            break;
        }
        if name.is_none() && title.is_none() && AR_ANONYMOUS.contains(&w) {
            return Subject::Anonymous;
        }
        if AR_TITLES.contains(&w) || (title.is_some() && w.starts_with("لل")) {
            if name.is_some() {
                break;
            }
            title = Some((title.map_or(t.start, |x| x.0), t.end));
            first_title = first_title.or(Some((t.start, t.end)));
            continue;
        }
        let definite = strip_conj(w).starts_with("ال");
        let starts_with_li = w.starts_with('ل') && !definite && w.chars().count() > 3;
        match name {
            Some((s, _)) => {
                if starts_with_li || name_len >= 4 {
                    break;
                }
                name = Some((s, t.end));
                name_len += 1;
            }
            None => {
                if starts_with_li {
                    if title.is_some() {
                        continue;
                    }
                    break;
                }
                if definite && title.is_some() {
                    // A modifier of the title ("الرسمي", "الإيرانية").
                    title = Some((title.map_or(t.start, |x| x.0), t.end));
                    continue;
                }
                name = Some((t.start, t.end));
                name_len = 1;
            }
        }
    }
    match name {
        Some(n) => Subject::Named(n),
        // "قال الوزير إن": the title is all the sentence gives.
        None => match first_title {
            Some((s, e)) if text.get(s..e).is_some_and(|x| x.starts_with("ال")) => {
                Subject::Named((s, e))
            }
            // "ويرى حزب العدالة والتنمية الحاكم أن": an institution speaks.
            Some((s, e)) if text.get(s..e).is_some_and(|x| AR_INSTITUTIONS.contains(&x)) => {
                title.map_or(Subject::Anonymous, Subject::Named)
            }
            Some(_) => Subject::Anonymous,
            None => Subject::Unknown,
        },
    }
}

/// `عن X قوله`: the name between `عن` and the saying noun.
fn ar_speaker_before_saying(text: &str, saying: usize, floor: usize) -> Option<(usize, usize)> {
    let mut p = saying;
    for _ in 0..10 {
        let t = prev_token(text, p)?;
        if t.start < floor {
            return None;
        }
        if t.is_word() && matches!(t.text(text), "عن" | "وعن") {
            return ar_speaker_after(text, t.end, saying);
        }
        p = t.start;
    }
    None
}

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// A capitalised name ending right before `end` (`… Bashar al-Assad said`).
fn lat_name_before(text: &str, end: usize, floor: usize) -> Option<(usize, usize)> {
    let mut p = end;
    // Skip auxiliaries: "has said", "a déclaré", "a-t-il".
    if let Some(t) = prev_token(text, p) {
        if t.is_word() && matches!(t.text(text), "has" | "had" | "a" | "ont" | "have" | "avait") {
            p = t.start;
        }
    }
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let mut q = p;
    for _ in 0..8 {
        let Some(t) = prev_token(text, q) else { break };
        if t.start < floor {
            break;
        }
        let w = t.text(text);
        let ok = match t.kind {
            TokKind::Word => {
                (is_capitalised(w) && !LAT_TITLES.contains(&w))
                    || (start.is_some() && LAT_PARTICLES.contains(&w))
            }
            TokKind::Punct('-') | TokKind::Punct('\'') => {
                start.is_some()
                    && t.end == start.unwrap_or(0)
                    && char_before(text, t.start).is_some_and(is_letter)
            }
            _ => false,
        };
        if !ok {
            break;
        }
        if start.is_none() {
            last_end = t.end;
        }
        start = Some(t.start);
        q = t.start;
    }
    let s = start?;
    // Leading particles or hyphens are not a name.
    let first = next_token(text, s)?;
    if !(first.is_word() && is_capitalised(first.text(text))) {
        return None;
    }
    Some((s, last_end))
}

/// A capitalised name starting right after `from` (`said Bashar al-Assad`).
fn lat_name_after(text: &str, from: usize, limit: usize) -> Option<(usize, usize)> {
    let mut p = from;
    let mut start: Option<usize> = None;
    let mut end = 0;
    for _ in 0..10 {
        let Some(t) = next_token(text, p) else { break };
        if t.start >= limit {
            break;
        }
        let w = t.text(text);
        match t.kind {
            TokKind::Word if LAT_TITLES.contains(&w) && start.is_none() => {}
            TokKind::Word if w == "the" && start.is_none() => {}
            TokKind::Word if is_capitalised(w) => {
                if start.is_none() {
                    start = Some(t.start);
                }
                end = t.end;
            }
            TokKind::Word if start.is_some() && LAT_PARTICLES.contains(&w) => {}
            TokKind::Punct('-') | TokKind::Punct('\'') if start.is_some() && t.start == end => {}
            _ => break,
        }
        p = t.end;
    }
    start.map(|s| (s, end))
}

/// A name between a closing mark and its verb (`"…," Smith said`).
fn lat_name_between(text: &str, close_end: usize, verb: usize) -> Option<(usize, usize)> {
    let n = lat_name_before(text, verb, close_end)?;
    Some(n)
}

/// Speaker of an English/French verb before a quote: the name before the verb
/// (`Smith said`), after it (`a déclaré Jean Dupont`), or the previous speaker
/// for a pronoun (`he said`, `a-t-il ajouté`).
fn lat_speaker_around(
    text: &str,
    start: usize,
    end: usize,
    limit: usize,
) -> Option<(usize, usize)> {
    if let Some(t) = prev_token(text, start) {
        let w = t.text(text);
        if t.is_word() && PRONOUNS.iter().any(|p| p.eq_ignore_ascii_case(w)) {
            return None;
        }
    }
    let floor = sentence_start(text, start);
    lat_name_before(text, start, floor).or_else(|| lat_name_after(text, end, limit))
}

#[cfg(test)]
mod tests {
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
                &[(Some("Mohammad Bagheri"), "The deal strengthens our air defence,")],
            ),
            (
                "title dropped",
                "President Emmanuel Macron said: “Europe must stand together now.”",
                &[(Some("Emmanuel Macron"), "Europe must stand together now.")],
            ),
            (
                "pronoun",
                "Smith told Reuters: \"Prices will rise.\" Later he added: \"We are ready for it.\"",
                &[(Some("Smith"), "Prices will rise."), (Some("Smith"), "We are ready for it.")],
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
    }
}
