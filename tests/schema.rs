//! The published JSON Schema (`schema/enriched-article.v1.json`) is the one the
//! Rust types generate, and the records the pipeline produces conform to it.

use std::path::Path;
use std::process::Command;

use chrono::{TimeZone, Utc};
use serde_json::Value;

use news_enricher::enrich::Enrichers;
use news_enricher::pipeline::decode::decode;
use news_enricher::pipeline::enrich_article;

fn committed_schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/enriched-article.v1.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn committed_schema_is_the_generated_one() {
    let out = Command::new(env!("CARGO_BIN_EXE_news-enricher"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("schema")
        .output()
        .unwrap();
    assert!(out.status.success());
    let generated: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        generated == committed_schema(),
        "schema/enriched-article.v1.json is stale: regenerate it with \
         `cargo run -- schema > schema/enriched-article.v1.json`"
    );
}

/// Structural validation: `$ref`, `anyOf`, `type`, `required`, `properties`,
/// `items` and `enum` — the keywords the generated schema uses.
fn validate(value: &Value, schema: &Value, root: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/definitions/");
        match root["definitions"].get(name) {
            Some(def) => validate(value, def, root, path, errors),
            None => errors.push(format!("{path}: unknown $ref {r}")),
        }
        return;
    }
    if let Some(alts) = schema.get("anyOf").and_then(Value::as_array) {
        let ok = alts.iter().any(|alt| {
            let mut e = Vec::new();
            validate(value, alt, root, path, &mut e);
            e.is_empty()
        });
        if !ok {
            errors.push(format!("{path}: matches no alternative of anyOf"));
        }
        return;
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let fits = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        });
        if !fits {
            errors.push(format!("{path}: {value} is not of type {types:?}"));
            return;
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            errors.push(format!("{path}: {value} not in {allowed:?}"));
        }
    }
    if let Value::Object(map) = value {
        for key in schema["required"].as_array().into_iter().flatten() {
            let key = key.as_str().unwrap_or_default();
            if !map.contains_key(key) {
                errors.push(format!("{path}: required key {key:?} missing"));
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (k, v) in map {
                if let Some(sub) = props.get(k) {
                    validate(v, sub, root, &format!("{path}.{k}"), errors);
                }
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            validate(v, item_schema, root, &format!("{path}[{i}]"), errors);
        }
    }
}

#[test]
fn produced_records_validate() {
    let schema = committed_schema();
    let enrichers = Enrichers::load(&Enrichers::bundled_models_dir()).unwrap();
    let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/articles");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            continue;
        }
        let article = decode(&std::fs::read(&path).unwrap()).unwrap();
        let record = enrich_article(&article, None, None, &enrichers, now);
        let value = serde_json::to_value(&record).unwrap();
        let mut errors = Vec::new();
        validate(&value, &schema, &schema, "$", &mut errors);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        checked += 1;
    }
    assert!(checked >= 10);
}

#[test]
fn validator_rejects_a_broken_record() {
    let schema = committed_schema();
    let mut record: Value = serde_json::json!({"schema_version": "1", "id": "x"});
    let mut errors = Vec::new();
    validate(&record, &schema, &schema, "$", &mut errors);
    assert!(
        errors.iter().any(|e| e.contains("\"fingerprint\"")),
        "{errors:?}"
    );
    record["language"] = serde_json::json!({"code": 3, "confidence": 1.0});
    errors.clear();
    validate(&record, &schema, &schema, "$", &mut errors);
    assert!(
        errors.iter().any(|e| e.starts_with("$.language")),
        "{errors:?}"
    );
}
