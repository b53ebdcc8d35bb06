//! Named entities.
//!
//! [`tagger::Tagger`] is the statistical tagger (features in [`features`]):
//! `Tagger::load(models_dir)` reads `entities-ar.bin` and `entities-latn.bin`;
//! `tag(&[&str], lang)` or `tag_ranges(text, &[Range<usize>], lang)` return
//! [`tagger::TaggedSpan`]s (token index range and
//! [`crate::model::record::EntityType`]) in order, never overlapping.

pub mod features;
pub mod tagger;
