//! Dispatch policy: where the automatic path choice switches kernels, as measured on the GPUs named
//! in each constant. Routing (`crate::Context::plan`) reads these; nothing else decides a path.

use crate::Tier;

/// Steps from which a call with [`crate::PathChoice::Auto`] takes the chunked-prefill kernel on a
/// software adapter (lavapipe), where it was measured faster than the recurrent kernel from T = 8
/// on (1.5× at T = 64..1024, (16,16,128,128)). On hardware adapters the f32 scan is never chosen
/// automatically (an H100 ran the recurrent kernel faster at every T up to 16 384); the
/// cooperative-matrix scan is, by [`CHUNKED_MMA_AUTO`].
pub const CHUNKED_MIN_STEPS_SOFTWARE: usize = 16;

/// Where [`crate::PathChoice::Auto`] takes the chunked kernel on cooperative matrices on a hardware
/// adapter: `(rows, steps)` pairs, chunked when B·Hv ≤ rows and T ≥ steps (the first pair that
/// admits B·Hv). Measured on an H100 with bf16 inputs and chunks of 64 (docs/PERF.md,
/// `docs/measurements/2026-11-26-h100-u0/`), GPU µs chunked against recurrent: at T = 64 the
/// recurrent kernel wins up to B·Hv = 128 (35.9 against 29.3 µs at 32, 77.5 against 70.9 at
/// 128), ties at 256 and loses from 512 (224 against 251); from T = 128 the chunked kernel wins at
/// every B·Hv measured, 32 to 1024 (41.7 against 50.3 µs at 32, 129 against 134 at 128, 687
/// against 933 at 1024). Above 1024 rows the rule extends the measured trend.
pub const CHUNKED_MMA_AUTO: &[(usize, usize)] = &[(256, 128), (usize::MAX, 64)];

/// State rows (B·Hv·Dv) from which packed 8-lane rows beat one row per 32-lane subgroup.
///
/// Measured on an H100 at (16,32,128,128), bf16, unstaged: `Subgroup8` is 1.19× faster at
/// B = 32, T = 1 (131 072 rows; 58.0 vs 69.3 µs); `Subgroup32` is slightly faster at B = 1, T = 1
/// (4 096 rows; 7.0 vs 7.2 µs). The crossover was not measured; 32 768 rows (B = 8 at Hv = 32)
/// is the midpoint on a log scale.
pub const PACKED_ROWS: usize = 32_768;

/// Steps from which a call runs the kernel's staged entry point (q, k, v and the step scalars
/// of a block of steps in workgroup memory, the next block loaded while one computes).
///
/// Measured on an H100 at (16,32,128,128), bf16, `Subgroup8`: staged vs unstaged 10.2 vs 13.1 µs
/// at B = 1, T = 8 and 107.8 vs 227.1 µs at T = 256; at B = 32, 109.7 vs 132.9 µs at T = 8
/// and 630 vs 908 µs at T = 64. At T = 1 staging loses (8.2 vs 7.2 µs at B = 1).
pub const STAGED_STEPS: usize = 8;

/// Tiers from the most to the least preferred for a call with `rows` state rows (B·Hv·Dv) and
/// `steps` time steps.
pub fn tier_preference(rows: usize, steps: usize) -> [Tier; 3] {
    if rows >= PACKED_ROWS || steps >= STAGED_STEPS {
        [Tier::Subgroup8, Tier::Subgroup32, Tier::Portable]
    } else {
        [Tier::Subgroup32, Tier::Subgroup8, Tier::Portable]
    }
}

/// Whether a call with `steps` steps uses the kernel's staged entry point.
pub fn stages(steps: usize) -> bool {
    steps >= STAGED_STEPS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tier_preference_follows_the_row_count() {
        assert_eq!(tier_preference(4096, 1)[0], Tier::Subgroup32);
        assert_eq!(tier_preference(4096, 64)[0], Tier::Subgroup8);
        assert_eq!(tier_preference(131_072, 1)[0], Tier::Subgroup8);
        assert_eq!(tier_preference(1, 1)[2], Tier::Portable);
        assert!(stages(64) && stages(8) && !stages(1));
    }
}
