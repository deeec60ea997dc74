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
