//! The word lists of [`super::lexicon`] that every word of a speaker search
//! is tested against, as hash sets built once.

use std::sync::OnceLock;

use super::lexicon::{AR_ANONYMOUS, AR_STOP, AR_TITLES, AR_VERBS, LAT_PARTICLES, LAT_TITLES};
use crate::enrich::text::hash::FxHashSet;

pub(super) struct WordSets {
    pub ar_stop: FxHashSet<&'static str>,
    pub ar_titles: FxHashSet<&'static str>,
    pub ar_anonymous: FxHashSet<&'static str>,
    pub ar_verbs: FxHashSet<&'static str>,
    pub lat_titles: FxHashSet<&'static str>,
    pub lat_particles: FxHashSet<&'static str>,
}

/// The sets, built on first use.
pub(super) fn word_sets() -> &'static WordSets {
    static SETS: OnceLock<WordSets> = OnceLock::new();
    SETS.get_or_init(|| {
        let set = |list: &[&'static str]| list.iter().copied().collect();
        WordSets {
            ar_stop: set(AR_STOP),
            ar_titles: set(AR_TITLES),
            ar_anonymous: set(AR_ANONYMOUS),
            ar_verbs: set(AR_VERBS),
            lat_titles: set(LAT_TITLES),
            lat_particles: set(LAT_PARTICLES),
        }
    })
}
