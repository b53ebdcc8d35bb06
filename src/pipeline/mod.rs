//! decode → enrich → encode for one message, and the async worker loop around it.

pub mod decode;
pub mod process;

pub use process::{enrich_article, process, Inbound, Outcome};
