//! Arabic nisba adjectives (سوري، السورية، الإيرانيون → the country): stems
//! from the project's list (`resources/gazetteer/nisba_ar.tsv`) where it has
//! the country, derived from the country's Arabic names otherwise, each
//! inflected in gender, number and definiteness.

use std::collections::{BTreeMap, BTreeSet};

use super::common_words::{arabic_common, Evidence, Kind};
use super::countries::Countries;
use super::{Builder, Report};
use crate::enrich::places::fold::fold_key;
use crate::enrich::places::table::{AliasRow, DEMONYM};

const NISBA_AR: &str = include_str!("../../../resources/gazetteer/nisba_ar.tsv");

/// Adds every nisba form of every country, except single words that are
/// common words in the news (`excluded` holds the country names left out).
pub(super) fn add_forms(
    countries: &Countries,
    excluded: &BTreeSet<String>,
    ev: &Evidence,
    b: &mut Builder,
    report: &mut Report,
) -> anyhow::Result<()> {
    let mut listed: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for line in NISBA_AR.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((code, stem)) = line.split_once('\t') else {
            anyhow::bail!("bad nisba line {line:?}");
        };
        let t = countries.target(code, "nisba list")?;
        listed.entry(t).or_default().push(fold_key(stem));
    }
    let mut stems: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
    for (t, key) in &countries.ar_names {
        if listed.contains_key(t) || excluded.contains(key) {
            continue;
        }
        if let Some(n) = derive_nisba(key) {
            stems.entry(*t).or_default().insert(n);
        }
    }
    for (t, l) in listed {
        stems.entry(t).or_default().extend(l);
    }
    for (t, set) in &stems {
        for stem in set {
            for form in nisba_forms(stem) {
                if form.contains(' ') {
                    b.aliases.insert(AliasRow(form, *t, DEMONYM));
                } else if let Some(why) = arabic_common(&form, Kind::Nisba, &ev.counts, &ev.stop) {
                    report
                        .excluded
                        .push((form.clone(), ev.counts.ar(&form), why));
                } else {
                    b.aliases.insert(AliasRow(form, *t, DEMONYM));
                }
            }
        }
    }
    Ok(())
}

/// Arabic nisba stem derived from a (folded) country name: سوريا → سوري.
fn derive_nisba(name: &str) -> Option<String> {
    if name.contains(' ') {
        return None;
    }
    let bare = name.strip_prefix("ال").unwrap_or(name);
    let stem = if let Some(s) = bare.strip_suffix("يا") {
        s
    } else if let Some(s) = bare.strip_suffix("يه") {
        s
    } else if let Some(s) = bare.strip_suffix('ه') {
        s
    } else if let Some(s) = bare.strip_suffix('ا') {
        s
    } else if bare.ends_with('ي') {
        return Some(bare.to_string());
    } else {
        bare
    };
    (stem.chars().count() >= 2).then(|| format!("{stem}ي"))
}

/// Masculine/feminine, singular/plural, bare/definite forms of a folded nisba stem
/// (every word of a multi-word stem inflects: كوري جنوبي → الكوريه الجنوبيه).
fn nisba_forms(stem: &str) -> Vec<String> {
    let mut out = Vec::new();
    for suffix in ["", "ه", "ون", "ين", "ات"] {
        for article in ["", "ال"] {
            let form: Vec<String> = stem
                .split(' ')
                .map(|w| format!("{article}{w}{suffix}"))
                .collect();
            out.push(form.join(" "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_nisba_stems() {
        for (name, want) in [
            ("سوريا", Some("سوري")),
            ("ايران", Some("ايراني")),
            ("العراق", Some("عراقي")),
            ("السعوديه", Some("سعودي")),
            ("فرنسا", Some("فرنسي")),
            ("مالي", Some("مالي")),
            ("جمهوريه مصر", None),
        ] {
            assert_eq!(derive_nisba(name).as_deref(), want, "{name}");
        }
    }

    #[test]
    fn inflects_nisba_forms() {
        let f = nisba_forms("سوري");
        for want in ["سوري", "السوري", "السوريه", "سوريون", "السوريين", "سوريات"]
        {
            assert!(f.iter().any(|x| x == want), "{want} missing");
        }
        assert!(nisba_forms("كوري جنوبي").contains(&"الكوريه الجنوبيه".to_string()));
    }
}
