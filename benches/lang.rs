//! Language identification per article: Arabic, English and French samples.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use news_enricher::enrich::lang::LanguageDetector;

const AR: &str = "أعلنت وزارة الصحة الأردنية، يوم الأحد، عن بدء التشغيل التجريبي لمستشفى جديد في محافظة الزرقاء بكلفة بلغت 85 مليون دينار أردني، في خطوة قالت إنها ستخفف الضغط عن مستشفيات العاصمة عمّان التي تستقبل يوميا آلاف المراجعين من المحافظات الشمالية. وقال وزير الصحة إن المستشفى سيخدم أكثر من مليون ونصف مليون نسمة، وسيضم 450 سريرا ووحدة متخصصة لعلاج أمراض القلب.";
const EN: &str = "Norway awarded its first licences for commercial floating wind farms on Wednesday, handing two sites off the western coast to a consortium of European utilities, the Ministry of Energy said in Oslo. The area, about 20 kilometres off the coast, is expected to host up to 1.5 gigawatts of capacity, enough to power roughly 1.2 million homes, and the state has set aside subsidies for the projects.";
const FR: &str = "La Métropole de Lyon a mis en service samedi la ligne de tramway T10, qui relie la gare de Saint-Fons à Vénissieux en une vingtaine de minutes, avec six mois d'avance sur le calendrier initial. La ligne, longue de 8,9 kilomètres et dotée de 16 stations, a coûté 260 millions d'euros, dont 40 millions apportés par l'État au titre du plan de relance.";

fn bench(c: &mut Criterion) {
    let d = LanguageDetector::new();
    for (name, text) in [("ar", AR), ("en", EN), ("fr", FR)] {
        let body = text.repeat(10);
        c.bench_function(&format!("lang/{name}"), |b| {
            b.iter(|| d.detect(black_box(""), black_box(&body), None))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
