//! `gdn-runtime`: the gated delta rule (Gated DeltaNet) on wgpu, with a CPU path.
//!
//! One entry point, [`Context`], serves every caller. It takes q, k, v, the gate (decay or log
//! form, scalar or per key dim) and β — or the raw a, b, A_log, dt_bias of mlx-lm's
//! `gated_delta_update` — plus an optional f32 state and mask, and returns y and the new state
//! (semantics: the project's SPEC §1–2). It uses a precompiled kernel variant (from a
//! `gdn-codegen` registry) when one matches the shape, dtype and adapter, and otherwise falls back
//! to the ops path, reporting which path ran and why ([`DispatchReport`]). Strict mode
//! ([`ContextOptions::strict`] or `GDN_STRICT=1`) turns a fallback into [`Error::NoKernel`].

mod context;
pub mod cpu;
mod error;
pub mod gpu;
#[cfg(feature = "jit")]
mod jit;
mod policy;
mod prepared;
mod registry;
mod report;
mod split;
pub mod tensor;
mod varlen;

pub use context::{
    Context, ContextOptions, DeviceChoice, GpuOutput, HostOutput, HostUpload, OwnedData,
    DEVICE_ENV, STRICT_ENV,
};
pub use error::{Error, Result};
pub use gdn_core::{DType, HeadShape, Tier};
#[doc(hidden)]
pub use gpu::SubgroupOverride;
pub use gpu::{AdapterSummary, DeviceRequest, GpuDevice, SubgroupSize};
pub use policy::{CHUNKED_MIN_STEPS_SOFTWARE, CHUNKED_MMA_AUTO};
pub use prepared::{BoundCall, GpuOutputs, PreparedCall};
pub use registry::{BundledModel, ChunkedModule, Registry, Variant};
pub use report::{CallOptions, DispatchReport, PathChoice, PathTaken};
pub use tensor::{
    Elem, Gate, GateForm, GpuInputs, GpuTensor, HeadMap, HostData, HostInputs, HostTensor, Inputs,
    Problem,
};
/// The wgpu this runtime is built on (use it for buffers passed to the GPU entry points).
pub use wgpu;

/// Converts a state between gdn's `[.., Dv, Dk]` layout and the `[.., Dk, Dv]` layout of HF and fla
/// (the same transpose both ways). `heads` is B·Hv.
pub fn transpose_state(state: &[f32], heads: usize, rows: usize, cols: usize) -> Vec<f32> {
    let mut out = vec![0.0; state.len()];
    for h in 0..heads {
        let base = h * rows * cols;
        for r in 0..rows {
            for c in 0..cols {
                out[base + c * rows + r] = state[base + r * cols + c];
            }
        }
    }
    out
}
