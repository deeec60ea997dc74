//! CPU implementations: the per-step ops composition (reference and fallback) and the fused
//! multi-threaded kernel used when there is no hardware adapter.

mod block;
pub(crate) mod convert;
mod decode;
mod fused;
mod ops;
mod prepared;

pub use fused::{fma_peak_gflops, fused_update, fused_update_in_place, state_pass_gbps, threads};
pub use ops::ops_update;
pub use prepared::{Prepared, Source};

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
