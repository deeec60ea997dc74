//! CPU implementations: the per-step ops composition (reference and fallback) and the fused
//! multi-threaded kernel used when there is no hardware adapter.

mod block;
mod ceilings;
mod coeffs;
pub(crate) mod convert;
mod decode;
mod fused;
mod ops;
mod prepared;
mod transpose;

pub use ceilings::{fma_peak_gflops, state_pass_gbps, threads};
pub use fused::{fused_update, fused_update_in_place, fused_update_in_place_into};
pub use ops::ops_update;
pub use prepared::{Prepared, Source};

/// `Σ a[i]·b[i]` over the shorter of the two, in independent partial sums that the compiler keeps
/// in vector registers (one running sum would be a chain of dependent adds): the CPU kernel's dot
/// product, shared with callers' projections (the model path's CPU layer).
///
/// ```
/// let a: Vec<f32> = (0..37).map(|i| i as f32).collect();
/// let dot = gdn_runtime::cpu::dot(&a, &a);
/// assert_eq!(dot, (0..37).map(|i| (i * i) as f32).sum::<f32>());
/// ```
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    coeffs::dot::<false>(&a[..n], &b[..n])
}

/// Which SIMD vectors the fused kernel's explicit-vector passes use on this CPU, in words (for
/// `gdn info` and `gdn bench`): decode rows on the widest the CPU has, chunk passes on those
/// measured faster on the kernel's first calls (see `block::Chooser`).
pub fn vectors() -> String {
    let width = |arch: pulp::Arch| match arch.dispatch(LaneCount) {
        16 => "512-bit",
        8 => "256-bit",
        4 => "128-bit",
        _ => "scalar",
    };
    let chunk = match block::Chooser::get().current() {
        Ok(arch) => format!("{} vectors", width(arch)),
        Err((a, b)) => format!(
            "{} or {} vectors, whichever the first calls with several tasks measure faster",
            width(a),
            width(b)
        ),
    };
    format!(
        "decode rows on {} vectors, chunk passes on {chunk}",
        width(pulp::Arch::new())
    )
}

/// f32 lanes of a target's vectors.
struct LaneCount;

impl pulp::WithSimd for LaneCount {
    type Output = usize;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) -> usize {
        S::F32_LANES
    }
}

/// Every instruction set the explicit-vector passes can run on this CPU, for tests to compare:
/// the widest detected, the scalar one and, on x86, AVX2.
#[cfg(test)]
pub(crate) fn test_arches() -> Vec<pulp::Arch> {
    #[cfg(target_arch = "x86_64")]
    let avx2 = pulp::x86::V3::try_new().map(pulp::Arch::V3);
    #[cfg(not(target_arch = "x86_64"))]
    let avx2 = None;
    [pulp::Arch::new(), pulp::Arch::Scalar]
        .into_iter()
        .chain(avx2)
        .collect()
}

/// A uniform value in [−0.5, 0.5) from a 64-bit LCG, for the unit tests' random inputs.
#[cfg(test)]
pub(crate) fn test_lcg(seed: &mut u64) -> f64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    ((*seed >> 11) as f64) / ((1u64 << 53) as f64) - 0.5
}
