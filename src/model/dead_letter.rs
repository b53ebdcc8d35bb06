//! Dead letters: why a message could not be enriched, and where it came from.

use std::fmt;

/// The class of a deterministic failure (the `error.class` header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    InvalidJson,
    NotUtf8,
    TooLarge,
    EmptyText,
    /// The broker refused the enriched record for good (e.g. record too large).
    Rejected,
    /// The enrichment itself failed unexpectedly (a bug, not the input's fault).
    Internal,
}

impl ErrorClass {
    pub const ALL: [ErrorClass; 6] = [
        ErrorClass::InvalidJson,
        ErrorClass::NotUtf8,
        ErrorClass::TooLarge,
        ErrorClass::EmptyText,
        ErrorClass::Rejected,
        ErrorClass::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::InvalidJson => "invalid_json",
            ErrorClass::NotUtf8 => "not_utf8",
            ErrorClass::TooLarge => "too_large",
            ErrorClass::EmptyText => "empty_text",
            ErrorClass::Rejected => "rejected",
            ErrorClass::Internal => "internal_error",
        }
    }
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A message that goes to the dead-letter topic unchanged, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    pub class: ErrorClass,
    pub message: String,
    /// Pipeline stage that failed: `decode`, `enrich`, `encode`, `publish`.
    pub stage: &'static str,
}
