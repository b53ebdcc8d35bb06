//! decode → enrich → encode for one message, and the async worker loop around it.

pub mod decode;
pub mod ports;
pub mod process;
pub mod retry;
pub mod transactional;
pub mod worker;

pub use process::{enrich_article, process, Inbound, Outcome};
