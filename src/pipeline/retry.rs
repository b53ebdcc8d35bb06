//! Capped exponential backoff for transient failures.

use std::time::Duration;

/// `initial`, `2 × initial`, `4 × initial`, ... never above `max`, with up to
/// 20 % jitter so that many in-flight records do not retry in lockstep.
#[derive(Debug, Clone)]
pub struct Backoff {
    initial_ms: u64,
    max_ms: u64,
    attempt: u32,
}

impl Backoff {
    pub fn new(initial_ms: u64, max_ms: u64) -> Self {
        Backoff {
            initial_ms: initial_ms.max(1),
            max_ms: max_ms.max(initial_ms.max(1)),
            attempt: 0,
        }
    }

    /// Attempts made so far.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The delay before the next attempt, without jitter.
    pub fn base_delay_ms(&self) -> u64 {
        let factor = 1u64.checked_shl(self.attempt.min(32)).unwrap_or(u64::MAX);
        self.initial_ms.saturating_mul(factor).min(self.max_ms)
    }

    /// Records one failed attempt and returns how long to wait before the next.
    pub fn next_delay(&mut self) -> Duration {
        let base = self.base_delay_ms();
        self.attempt = self.attempt.saturating_add(1);
        let jitter = if base >= 5 {
            rand::random_range(0..=base / 5)
        } else {
            0
        };
        Duration::from_millis(base.saturating_sub(jitter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_then_caps() {
        let mut b = Backoff::new(100, 1000);
        let bases: Vec<u64> = (0..7)
            .map(|_| {
                let base = b.base_delay_ms();
                let d = b.next_delay().as_millis() as u64;
                assert!(d <= base && d >= base - base / 5, "{d} vs {base}");
                base
            })
            .collect();
        assert_eq!(bases, [100, 200, 400, 800, 1000, 1000, 1000]);
        assert_eq!(b.attempt(), 7);
    }

    #[test]
    fn never_overflows() {
        let mut b = Backoff::new(u64::MAX / 2, u64::MAX);
        for _ in 0..100 {
            b.next_delay();
        }
        assert_eq!(b.base_delay_ms(), u64::MAX);
    }
}
