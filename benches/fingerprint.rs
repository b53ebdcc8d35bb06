//! Fingerprints (normalisation, SHA-256, SimHash) of a whole article.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use news_enricher::enrich::fingerprint::fingerprint;

const AR: &str = "أعلنت وزارة الصحة الأردنية، يوم الأحد، عن بدء التشغيل التجريبي لمستشفى جديد في محافظة الزرقاء بكلفة بلغت 85 مليون دينار أردني، في خطوة قالت إنها ستخفف الضغط عن مستشفيات العاصمة عمّان. ";
const EN: &str = "Norway awarded its first licences for commercial floating wind farms on Wednesday, handing two sites off the western coast to a consortium of European utilities, the Ministry of Energy said in Oslo. ";

fn bench(c: &mut Criterion) {
    for (name, text) in [("ar", AR), ("en", EN)] {
        // About 3,000 characters: a typical news article.
        let body = text.repeat(15);
        c.bench_function(&format!("fingerprint/{name}"), |b| {
            b.iter(|| fingerprint(black_box("A title"), black_box(&body)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
