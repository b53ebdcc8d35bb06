//! `pipeline::process` never panics, whatever the bytes, key or size limit, and
//! always ends in exactly one outcome the worker can publish.

use std::sync::OnceLock;

use chrono::Utc;
use news_enricher::enrich::Enrichers;
use news_enricher::pipeline::{process, Inbound, Outcome};
use proptest::prelude::*;

fn enrichers() -> &'static Enrichers {
    static E: OnceLock<Enrichers> = OnceLock::new();
    E.get_or_init(|| Enrichers::load(&Enrichers::bundled_models_dir()).expect("bundled models"))
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..600),
        ".{0,400}".prop_map(String::into_bytes),
        (".{0,80}", ".{0,300}", ".{0,20}").prop_map(|(title, text, id)| {
            serde_json::json!({"id": id, "title": title, "text": text})
                .to_string()
                .into_bytes()
        }),
        "[{}\\[\\]\":,a-z0-9 ]{0,200}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn process_never_panics(
        payload in proptest::option::of(payload()),
        key in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
        max in 64usize..2048,
        ts in proptest::option::of(any::<i64>()),
    ) {
        let msg = Inbound {
            topic: "in".into(),
            partition: 0,
            offset: 7,
            timestamp_ms: ts,
            key,
            payload,
        };
        match process(&msg, enrichers(), max, Utc::now()) {
            Outcome::Enriched { key, json } => {
                prop_assert!(!key.is_empty());
                let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
                prop_assert_eq!(v["id"].as_str(), Some(key.as_str()));
            }
            Outcome::DeadLetter(dl) => prop_assert!(!dl.message.is_empty()),
        }
    }
}
