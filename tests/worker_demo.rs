//! The `demo` path in-process: every shipped sample article enriched, every
//! poison dead-lettered, one record to show.

use std::path::Path;
use std::sync::Arc;

use news_enricher::config::Settings;
use news_enricher::demo;
use news_enricher::enrich::Enrichers;
use news_enricher::produce;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_enriches_every_sample_and_dead_letters_every_poison() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let articles = produce::collect(&[samples.join("articles")]).unwrap().len() as u64;
    let poisons = produce::collect(&[samples.join("poison")]).unwrap().len() as u64;
    assert!(articles >= 15 && poisons >= 3, "{articles} {poisons}");
    let enrichers = Arc::new(Enrichers::load(&Enrichers::bundled_models_dir()).unwrap());

    let summary = demo::run(Settings::defaults(), &samples, 1, enrichers)
        .await
        .expect("demo runs");
    assert_eq!(summary.inputs, articles + poisons);
    assert_eq!(summary.report.enriched, articles);
    assert_eq!(summary.report.dead_lettered, poisons);
    assert_eq!(summary.dead_letter_classes.values().sum::<u64>(), poisons);
    assert!(summary.report.committed);
    let example: serde_json::Value =
        serde_json::from_str(summary.example.as_deref().expect("an example record")).unwrap();
    assert_eq!(example["schema_version"], "1");
    let text = demo::render(&summary);
    assert!(
        text.contains(&format!("enriched:       {articles}")),
        "{text}"
    );
}
