//! Wire types: the inbound article, the enriched record, dead letters.

pub mod article;
pub mod dead_letter;
pub mod record;

pub use article::Article;
pub use dead_letter::{DeadLetter, ErrorClass};
pub use record::EnrichedRecord;
