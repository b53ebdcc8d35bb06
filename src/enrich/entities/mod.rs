//! Named entities: a statistical tagger over tokens ([`tagger`], features in
//! [`features`]).

pub mod features;
pub mod tagger;
