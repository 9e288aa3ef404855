//! Proptest strategies in fen and percent (feature `proptest`).
//!
//! rust_decimal's own `Arbitrary` spans 28 decimal places, far too wide for money; these
//! generate the values the engine actually meets.

use proptest::prelude::*;

use crate::{Band, Rate, Schedule, Yuan};

/// An amount from 0 to `max_fen` fen.
pub fn yuan_up_to(max_fen: i64) -> impl Strategy<Value = Yuan> {
    (0..=max_fen.max(0)).prop_map(|fen| Yuan::from_fen(fen).unwrap_or(Yuan::ZERO))
}

/// A rate in whole tenths of a percent, 0%..=100%.
pub fn rate() -> impl Strategy<Value = Rate> {
    (0_i64..=1000).prop_map(|permille| {
        Rate::from_fraction(rust_decimal::Decimal::new(permille, 3)).unwrap_or(Rate::ZERO)
    })
}

/// A valid schedule of 1 to 6 bands with bounds up to 1,000,000 yuan.
pub fn schedule() -> impl Strategy<Value = Schedule> {
    (
        proptest::collection::btree_set(1_i64..100_000_000, 0..5),
        proptest::collection::vec(rate(), 6),
    )
        .prop_map(|(bounds, rates)| {
            let mut edges: Vec<Yuan> = vec![Yuan::ZERO];
            edges.extend(
                bounds
                    .into_iter()
                    .map(|fen| Yuan::from_fen(fen).unwrap_or(Yuan::ZERO)),
            );
            let bands = edges
                .iter()
                .enumerate()
                .map(|(i, from)| Band {
                    from: *from,
                    to: edges.get(i + 1).copied(),
                    rate: rates[i % rates.len()],
                })
                .collect();
            Schedule::new(bands).unwrap_or_else(|_| {
                Schedule::new(vec![Band {
                    from: Yuan::ZERO,
                    to: None,
                    rate: Rate::ONE,
                }])
                .unwrap_or_else(|_| unreachable!())
            })
        })
}

/// The number of cases a property suite runs: `PROPTEST_CASES` when set (as
/// `cargo xtask props` sets it), else the suite's own modest `default`.
///
/// proptest reads `PROPTEST_CASES` only for its default configuration; a suite that sets
/// its own count would otherwise ignore it.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
