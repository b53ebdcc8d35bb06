//! Topic classification speed on articles of typical length, and model load time.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use news_enricher::enrich::topic::{load, Scratch, MODEL_FILE};
use news_enricher::enrich::Enrichers;

const ARTICLES: &[(&str, &str, &str)] = &[
    (
        "ar_politics",
        "وزير الخارجية يبحث مع نظيره الفرنسي تطورات الأوضاع في المنطقة",
        "بحث وزير الخارجية اليوم في الرياض مع نظيره الفرنسي العلاقات الثنائية بين البلدين وسبل تعزيزها في مختلف المجالات، إضافة إلى تطورات الأوضاع في المنطقة والجهود المبذولة للتوصل إلى حل سياسي للأزمة. وأكد الوزيران خلال مؤتمر صحفي مشترك أهمية التنسيق بين البلدين في مواجهة التحديات الإقليمية، ودعم جهود الأمم المتحدة لإحلال السلام. وقال الوزير إن المملكة حريصة على أمن المنطقة واستقرارها، وإنها تدعم كل المبادرات الرامية إلى وقف التصعيد وحماية المدنيين. من جهته أشاد الوزير الفرنسي بدور المملكة في دعم الاستقرار، مشيرا إلى أن بلاده تتطلع إلى توسيع التعاون الاقتصادي والاستثماري، ولا سيما في مجالات الطاقة والنقل والثقافة. وتناول اللقاء أيضا التحضيرات لزيارة مرتقبة لرئيس الجمهورية الفرنسية إلى المملكة خلال الأشهر المقبلة، وتوقيع عدد من الاتفاقيات في مجالات الاستثمار والتعليم والصحة. وحضر اللقاء سفير المملكة لدى فرنسا وعدد من كبار المسؤولين في الوزارتين.",
    ),
    (
        "ar_sport",
        "الهلال يفوز على النصر ويتصدر الدوري",
        "حقق فريق الهلال فوزا ثمينا على منافسه النصر بهدفين مقابل هدف في المباراة التي جمعتهما مساء أمس على ملعب الملك فهد الدولي ضمن الجولة العاشرة من دوري المحترفين. وسجل المهاجم الهدف الأول في الدقيقة العشرين من الشوط الأول بعد تمريرة من الجناح الأيسر، قبل أن يعادل النصر النتيجة في مطلع الشوط الثاني من ركلة جزاء. ثم أضاف لاعب الوسط هدف الفوز في الوقت بدل الضائع بتسديدة قوية من خارج منطقة الجزاء. وبهذا الفوز رفع الهلال رصيده إلى خمس وعشرين نقطة في صدارة جدول الترتيب بفارق ثلاث نقاط عن أقرب ملاحقيه، فيما تجمد رصيد النصر عند عشرين نقطة في المركز الرابع. وقال مدرب الهلال في المؤتمر الصحفي عقب اللقاء إن لاعبيه قدموا مباراة كبيرة وأظهروا شخصية البطل، مضيفا أن الفريق سيواصل العمل للحفاظ على الصدارة حتى نهاية الموسم.",
    ),
    (
        "en_business",
        "Carmaker profits jump as sales rise in Asia",
        "The carmaker reported a 20% rise in annual profits on Thursday, helped by strong sales in Asia and a weaker currency. Revenue climbed to $40bn, and the company said it would raise its dividend for shareholders. Its shares rose 5% on the stock market after the results, which beat analysts' forecasts. The firm expects growth to slow next year as interest rates rise and consumers cut back on spending. The chief executive said the group would invest $5bn in electric vehicles over the next three years and open two new factories, creating 3,000 jobs. Analysts said the results showed the company was in a strong position, although rising costs for steel and batteries could squeeze margins. Sales in Europe were flat, while demand in North America rose 8%. The company also announced a share buyback programme worth $1bn.",
    ),
];

fn bench(c: &mut Criterion) {
    let path = Enrichers::bundled_models_dir().join(MODEL_FILE);
    let model = match load(&path) {
        Ok(m) => m,
        Err(e) => panic!("cannot load {}: {e}", path.display()),
    };
    let mut scratch = Scratch::default();
    // An Arabic article of average news length (about 1,550 characters).
    let average = include_str!("fixtures/topics-average-ar.txt");
    let (title, body) = average.split_once('\n').unwrap_or(("", average));
    c.bench_function("topics/classify/ar_average_length", |b| {
        b.iter(|| model.classify(black_box(title), black_box(body), &mut scratch))
    });
    for (name, title, body) in ARTICLES {
        c.bench_function(&format!("topics/classify/{name}"), |b| {
            b.iter(|| model.classify(black_box(title), black_box(body), &mut scratch))
        });
    }
    let mut group = c.benchmark_group("topics/load");
    group.sample_size(10);
    group.bench_function("bundled", |b| b.iter(|| load(black_box(&path))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
