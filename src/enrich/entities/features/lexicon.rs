//! Context a model carries besides its weights: title words, word clusters
//! and a gazetteer of place names.

use super::hash::{mix, PrehashedMap};

/// Title and function words that precede names; matched on normalised forms
/// (Arabic also on the clitic-stripped stem).
pub(super) const TITLE_WORDS: &[&str] = &[
    // Arabic
    "الرئيس",
    "رئيس",
    "وزير",
    "وزيرة",
    "الوزير",
    "الملك",
    "ملك",
    "الملكة",
    "الأمير",
    "امير",
    "الأميرة",
    "الشيخ",
    "شيخ",
    "السيد",
    "السيدة",
    "الدكتور",
    "د.",
    "النائب",
    "المتحدث",
    "السفير",
    "الجنرال",
    "العقيد",
    "اللواء",
    "العميد",
    "المشير",
    "الفريق",
    "الرائد",
    "النقيب",
    "الأمين",
    "المستشار",
    "الإمام",
    "البابا",
    "القس",
    "الحاج",
    "المدير",
    "المبعوث",
    "الزعيم",
    "القائد",
    "الأستاذ",
    "المهندس",
    "المحامي",
    "القاضي",
    "المفتي",
    "السلطان",
    "ولي",
    "عاهل",
    "نائب",
    "المرشح",
    "الناطق",
    "الكاتب",
    "الصحافي",
    "الصحفي",
    "الفنان",
    "اللاعب",
    "المدرب",
    "الرئيسة",
    "المطرب",
    "المطربة",
    "الممثل",
    "الممثلة",
    "قال",
    "أكد",
    "أعلن",
    "صرح",
    "أضاف",
    "ابن",
    "بن",
    "بنت",
    "أبو",
    "أم",
    // English
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "prof",
    "prof.",
    "president",
    "minister",
    "king",
    "queen",
    "prince",
    "princess",
    "sheikh",
    "sen.",
    "senator",
    "gov.",
    "governor",
    "gen.",
    "general",
    "col.",
    "colonel",
    "lt.",
    "capt.",
    "captain",
    "chancellor",
    "premier",
    "pope",
    "cardinal",
    "bishop",
    "rev.",
    "judge",
    "ambassador",
    "spokesman",
    "spokeswoman",
    "chairman",
    "director",
    "secretary",
    "coach",
    "striker",
    "leader",
    "sir",
    "lord",
    "lady",
    "mayor",
    "emir",
    "sultan",
    "said",
    "told",
    "says",
    // French
    "m.",
    "mme",
    "mme.",
    "président",
    "présidente",
    "ministre",
    "roi",
    "reine",
    "général",
    "maire",
    "porte-parole",
    "directeur",
    "secrétaire",
    "dit",
    "a déclaré",
    "selon",
];

/// Gazetteer entry kinds (bit flags on an n-gram hash).
pub mod gaz {
    pub const COUNTRY: u8 = 1;
    pub const CITY: u8 = 1 << 1;
    pub const REGION: u8 = 1 << 2;
    /// Nationality adjectives and demonyms (`French`, `فرنسي`).
    pub const DEMONYM: u8 = 1 << 3;
    pub const ALL: u8 = COUNTRY | CITY | REGION | DEMONYM;
    /// Marks a proper prefix of a longer entry (set alongside any kind).
    pub const PREFIX: u8 = 1 << 7;
}

/// Longest gazetteer entry, in tokens.
pub const MAX_GAZ_TOKENS: usize = 4;

/// Side tables a model carries: word clusters and a gazetteer.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Normalised-word hash → cluster ids (fine, coarse).
    pub clusters: PrehashedMap<(u16, u16)>,
    /// Hash of a normalised token n-gram ([`ngram_hash`]) → [`gaz`] kinds.
    pub gazetteer: PrehashedMap<u8>,
}

impl Lexicon {
    /// Adds a gazetteer entry (normalised-word hashes) and marks its prefixes.
    pub fn add_name(&mut self, words: &[u64], kind: u8) {
        if words.is_empty() || words.len() > MAX_GAZ_TOKENS {
            return;
        }
        let mut h = NGRAM_SEED;
        for (k, &w) in words.iter().enumerate() {
            h = mix(h, w);
            let e = self.gazetteer.entry(h).or_default();
            if k + 1 == words.len() {
                *e |= kind & gaz::ALL;
            } else {
                *e |= gaz::PREFIX;
            }
        }
    }
}

/// Hash of a sequence of normalised-word hashes, as the gazetteer stores it.
pub fn ngram_hash(words: &[u64]) -> u64 {
    words.iter().fold(NGRAM_SEED, |h, &w| mix(h, w))
}

pub(super) const NGRAM_SEED: u64 = 0x5bd1_e995;
