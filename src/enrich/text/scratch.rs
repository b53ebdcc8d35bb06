//! Per-thread storage reused from one [`super::Document`] to the next: its
//! tokens, sentences, forms buffer, stem hashes and code-point indexes, and
//! the tables it only needs while it is being made (the seen-surface table,
//! the stem cache, the sentence splitter's marks and spans).
//!
//! A document takes the storage of its thread when it is made
//! ([`take`]) and gives it back when it is dropped ([`give`]), so the
//! allocations and the first writes to fresh memory are paid once per
//! thread instead of once per article. Two documents alive at once on one
//! thread are fine: the second finds the vectors it keeps (tokens,
//! sentences, forms buffer, stem hashes, indexes) taken and allocates its own; when both
//! are dropped the larger vector of each kind is kept. Storage goes back to
//! the thread that drops the document.
//!
//! What is kept is capped: a vector with room for more than
//! [`MAX_ELEMENTS`] elements or a string of more than [`MAX_BYTES`] bytes
//! is freed, not kept, so one huge article does not pin its memory for the
//! life of the thread. At the caps (reached only after an article of a few
//! hundred KB) a thread keeps about 9 MB here, 3 MB of it tokens.

use std::cell::RefCell;

use super::hash::FxHashMap;
use super::token::{Token, R32};
use super::Sentence;

/// Vectors with room for more elements than this are freed, not kept.
pub const MAX_ELEMENTS: usize = 65_536;
/// Strings with room for more bytes than this are freed, not kept.
pub const MAX_BYTES: usize = 512 * 1024;

/// The storage of one document; every vector is empty when taken.
#[derive(Default)]
pub(crate) struct Scratch {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub buf: String,
    /// Stem hashes by form id.
    pub stem_hashes: Vec<u64>,
    pub title_blocks: Vec<u32>,
    pub body_blocks: Vec<u32>,
    /// Sentence spans, while splitting.
    pub spans: Vec<R32>,
    /// Positions of the bytes the sentence splitter looks at.
    pub marks: Vec<usize>,
    /// The seen-surface table's slots and entries.
    pub seen_slots: Vec<u32>,
    pub seen_entries: Vec<(u32, u32)>,
    /// Latin stems already computed.
    pub stem_cache: FxHashMap<u64, (R32, R32)>,
}

thread_local! {
    static POOL: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The thread's storage (empty vectors, with whatever room they kept).
pub(crate) fn take() -> Scratch {
    POOL.try_with(|p| p.try_borrow_mut().map(|mut p| std::mem::take(&mut *p)))
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default()
}

/// Gives storage back to the thread: each vector is cleared and kept when
/// it has more room than the one the thread holds and is under the caps.
pub(crate) fn give(s: Scratch) {
    let _ = POOL.try_with(|p| {
        if let Ok(mut p) = p.try_borrow_mut() {
            p.merge(s);
        }
    });
}

/// Frees `v` when it has room for more than [`MAX_BYTES`] bytes: what the
/// per-thread buffers of the keyword and summary passes do after use.
pub(crate) fn free_if_large<T>(v: &mut Vec<T>) {
    if v.capacity().saturating_mul(std::mem::size_of::<T>()) > MAX_BYTES {
        *v = Vec::new();
    }
}

/// Working buffers of a pass (keyword weights, keywords, summary) that each
/// thread keeps from one article to the next, so that their allocations
/// and first writes are paid once per thread instead of once per article.
pub(crate) trait Kept: Default {
    /// Frees the buffers grown past [`MAX_BYTES`] (see [`free_if_large`]),
    /// so that one huge article does not pin its memory for the life of
    /// the thread.
    fn free_large(&mut self);
}

/// Runs `f` with the thread's buffers held in `key`, then frees those that
/// grew too large; with fresh buffers when the thread's are in use or gone.
pub(crate) fn with_kept<S: Kept, R>(
    key: &'static std::thread::LocalKey<RefCell<S>>,
    mut f: impl FnMut(&mut S) -> R,
) -> R {
    let kept = key.try_with(|cell| {
        cell.try_borrow_mut().ok().map(|mut s| {
            let out = f(&mut s);
            s.free_large();
            out
        })
    });
    match kept {
        Ok(Some(out)) => out,
        _ => f(&mut S::default()),
    }
}

/// Keeps `v` (cleared) in `slot` when it is larger than what `slot` holds
/// and at most `cap` elements.
fn keep<T>(slot: &mut Vec<T>, mut v: Vec<T>, cap: usize) {
    if v.capacity() > slot.capacity() && v.capacity() <= cap {
        v.clear();
        *slot = v;
    }
}

impl Scratch {
    fn merge(&mut self, s: Scratch) {
        keep(&mut self.tokens, s.tokens, MAX_ELEMENTS);
        keep(&mut self.sentences, s.sentences, MAX_ELEMENTS);
        if s.buf.capacity() > self.buf.capacity() && s.buf.capacity() <= MAX_BYTES {
            let mut b = s.buf;
            b.clear();
            self.buf = b;
        }
        keep(&mut self.stem_hashes, s.stem_hashes, MAX_ELEMENTS);
        keep(&mut self.title_blocks, s.title_blocks, MAX_ELEMENTS);
        keep(&mut self.body_blocks, s.body_blocks, MAX_ELEMENTS);
        keep(&mut self.spans, s.spans, MAX_ELEMENTS);
        keep(&mut self.marks, s.marks, MAX_ELEMENTS);
        keep(&mut self.seen_slots, s.seen_slots, MAX_ELEMENTS);
        keep(&mut self.seen_entries, s.seen_entries, MAX_ELEMENTS);
        let c = s.stem_cache;
        if c.capacity() > self.stem_cache.capacity() && c.capacity() <= MAX_ELEMENTS {
            let mut c = c;
            c.clear();
            self.stem_cache = c;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_larger_and_frees_the_huge() {
        let mut s = Scratch::default();
        keep(&mut s.marks, Vec::with_capacity(10), MAX_ELEMENTS);
        assert!(s.marks.capacity() >= 10);
        keep(&mut s.marks, vec![1, 2], MAX_ELEMENTS);
        assert!(s.marks.capacity() >= 10 && s.marks.is_empty());
        keep(
            &mut s.marks,
            Vec::with_capacity(MAX_ELEMENTS + 1),
            MAX_ELEMENTS,
        );
        assert!(s.marks.capacity() <= MAX_ELEMENTS);
        let v = vec![7usize; 100];
        keep(&mut s.marks, v, MAX_ELEMENTS);
        assert!(s.marks.is_empty() && s.marks.capacity() >= 100);
    }

    #[test]
    fn documents_read_the_same_with_reused_storage() {
        use super::super::Document;
        let texts = [
            (
                "Talks resume",
                "The talks resumed. Both sides met again.",
                "en",
            ),
            ("", "وقّع الوزيران والاتفاقية أمس. ثم غادرا.", "ar"),
            ("Titre", "L’accord a été signé à Paris. Fin.", "fr"),
        ];
        let read = |doc: &Document<'_>| -> Vec<String> {
            let mut out: Vec<String> = doc
                .tokens()
                .iter()
                .map(|t| {
                    format!(
                        "{} {} {} {} {:?} {}",
                        doc.norm(t),
                        doc.stem(t),
                        t.sentence,
                        doc.form(t),
                        doc.token_span(t),
                        doc.stem_hash(t)
                    )
                })
                .collect();
            out.push(format!("forms {}", doc.forms()));
            out.extend(
                doc.sentences()
                    .iter()
                    .map(|s| format!("{:?} {:?}", s.range(), s.token_range())),
            );
            out
        };
        // Each document made on a thread of its own, in fresh storage.
        let first: Vec<Vec<String>> = texts
            .iter()
            .map(|&(t, b, l)| {
                std::thread::spawn(move || read(&Document::new(t, b, l)))
                    .join()
                    .expect("a document on a fresh thread")
            })
            .collect();
        // Here, each document made after the others were dropped (in
        // storage they used), then with all alive at once.
        for (k, (t, b, l)) in texts.iter().enumerate().rev() {
            assert_eq!(read(&Document::new(t, b, l)), first[k]);
        }
        let all: Vec<Document<'_>> = texts
            .iter()
            .map(|(t, b, l)| Document::new(t, b, l))
            .collect();
        let copies: Vec<Document<'_>> = all.to_vec();
        for (k, d) in all.iter().chain(copies.iter()).enumerate() {
            assert_eq!(read(d), first[k % texts.len()]);
        }
    }
}
