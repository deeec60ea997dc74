//! `gdn-runtime`: the gated delta rule (Gated DeltaNet) on wgpu, with a CPU path.
//!
//! One entry point, [`Context`], serves every caller. It takes q, k, v, the gate (decay or log
//! form, scalar or per key dim) and β — or the raw a, b, A_log, dt_bias of mlx-lm's
//! `gated_delta_update` — plus an optional f32 state and mask, and returns y and the new state.
//! It uses a precompiled kernel variant (from a `gdn-codegen` registry) when one matches the
//! shape, dtype and adapter, and otherwise falls back to the ops path, reporting which path ran
//! and why ([`DispatchReport`]). Strict mode ([`ContextOptions::strict`] or `GDN_STRICT=1`) turns
//! a fallback into [`Error::NoKernel`]. Without a GPU the fused multi-threaded CPU kernel runs.
//!
//! # How the crate is layered
//!
//! Every module imports only from the layers below it, so the module graph has no circles:
//!
//! 1. **Vocabulary**: `error`, `registry` (over `gdn_core`'s [`Variant`]), `policy`, `report`,
//!    `tensor` (inputs, their validation and the [`Problem`]), `split`, `varlen`. `tensor` uses
//!    two leaves of the layers above, which import nothing of the crate: `gpu::BufferRange`
//!    (`gpu/program.rs`) and `cpu::convert`.
//! 2. **GPU primitives** (`gpu`): `util`, `layouts`, `adapter`, `subgroup`, `program` and
//!    `outputs` (a call's dispatches and the buffers it writes), `helpers` and `compile` (the
//!    pipelines a device keeps), then `device` ([`GpuDevice`]), which imports none of the
//!    recorders above it.
//! 3. **Paths**: on the GPU the recorders that append a call's dispatches to a program, given the
//!    device: `pool` (word copies, pool moves), `ops`, `l2norm`, `kernel`, `chunked`. On the CPU
//!    (`cpu`): `prepared`, `coeffs` (what the fused kernel's passes share), then `block`,
//!    `decode` and `transpose`, then `fused`; `ops` beside them.
//! 4. **Context**: `context` routes each call to a path and serves the host, GPU, batched and
//!    pooled entry points; `prepared` (a call recorded once) and `jit` sit with it.
//!
//! # The recurrence
//!
//! For every batch row b, value head h and step t, with S the `[Dv, Dk]` f32 state of (b, h), kh
//! the key head h reads (`h / (Hv/Hk)`, or `h % Hk` with [`HeadMap::Tiled`]), α the decay and β the
//! write strength of (b, t, h):
//!
//! ```text
//! S      = α · S                  1. decay (a per-key gate [B,T,Hv,Dk] scales column j by α[j])
//! kv     = S · k_t[kh]            2. the state's prediction for this key        [Dv]
//! δ      = β · (v_t[h] − kv)      3. the correction                              [Dv]
//! S      = S + δ ⊗ k_t[kh]        4. rank-1 update: S[i][j] += δ[i] · k[j]
//! y_t[h] = S · q_t[kh]            5. the output reads the updated state          [Dv]
//! ```
//!
//! A masked step (`mask[b, t] == 0`) leaves S untouched and writes y = 0. No scale is applied
//! inside: q arrives normalised and scaled by 1/√Dk, k normalised, unless
//! [`CallOptions::qk_l2norm`] asks the op to normalise both (`x / sqrt(Σx² + 1e-6)`, no scale).
//! The gate forms ([`GateForm`]): decay (g = α), log (g = ln α), and raw ([`Gate::Raw`]):
//! α = exp(−exp(A_log) · softplus(a + dt_bias)), β = sigmoid(b). All arithmetic is f32.
//!
//! Layouts (row-major): q, k `[B,T,Hk,Dk]`, v and y `[B,T,Hv,Dv]` in the input dtype (f32, f16 or
//! bf16), g `[B,T,Hv]` or `[B,T,Hv,Dk]`, β, a, b `[B,T,Hv]`, A_log and dt_bias `[Hv]`, mask
//! `[B,T]` u8, and the state `[B,Hv,Dv,Dk]` f32 always. HF transformers and fla keep the state as
//! `[.., Dk, Dv]`: [`transpose_state`] converts both ways. The repository's `docs/CONTRACT.md`
//! has the whole contract, with the tolerances the test suite holds every path to.
//!
//! # Example: one step on the CPU
//!
//! With α = 1, β = 1 and a zero state, one step stores v along k (S = v kᵀ), so y = v (k · q):
//!
//! ```
//! use gdn_runtime::{
//!     CallOptions, Context, Gate, GateForm, HostInputs, HostTensor, PathTaken, Registry,
//! };
//!
//! // B = 1, T = 1, Hk = Hv = 1, Dk = Dv = 2.
//! let (q, k, v) = ([1.0f32, 0.0], [1.0f32, 0.0], [3.0f32, 4.0]);
//! let (g, beta) = ([1.0f32], [1.0f32]);
//! let inputs = HostInputs {
//!     q: HostTensor::f32(&q, &[1, 1, 1, 2]),
//!     k: HostTensor::f32(&k, &[1, 1, 1, 2]),
//!     v: HostTensor::f32(&v, &[1, 1, 1, 2]),
//!     gate: Gate::Direct {
//!         g: HostTensor::f32(&g, &[1, 1, 1]),
//!         beta: HostTensor::f32(&beta, &[1, 1, 1]),
//!         form: GateForm::Decay,
//!     },
//!     state: None, // zeros
//!     mask: None,  // every step is real
//! };
//! let ctx = Context::cpu(Registry::empty());
//! let out = ctx.update(&inputs, CallOptions::default())?;
//! assert_eq!(out.report.path, PathTaken::CpuKernel);
//! assert_eq!(out.y.to_f32(), [3.0, 4.0]);
//! assert_eq!(out.state, [3.0, 0.0, 4.0, 0.0]); // [Dv, Dk]: row i is v[i] · k
//! # Ok::<(), gdn_runtime::Error>(())
//! ```
//!
//! # Example: gates, masks, options
//!
//! The same call with a log gate and a carried state, the raw gates of a checkpoint, a mask, and
//! the options a model path uses:
//!
//! ```
//! use gdn_runtime::{
//!     transpose_state, CallOptions, Context, Gate, GateForm, HeadMap, HostInputs, HostTensor,
//!     PathChoice, Registry,
//! };
//!
//! let (b, t, hk, hv, dk, dv) = (1, 2, 1, 2, 4, 4); // two value heads share one key head
//! let q = vec![0.5f32; b * t * hk * dk];
//! let k = vec![0.5f32; b * t * hk * dk]; // unit norm
//! let v: Vec<f32> = (0..b * t * hv * dv).map(|i| i as f32).collect();
//! let ctx = Context::cpu(Registry::empty());
//!
//! // Log form: g = ln α. A state from an earlier call is passed back in.
//! let g = vec![0.9f32.ln(); b * t * hv];
//! let beta = vec![0.5f32; b * t * hv];
//! let state = vec![0.1f32; b * hv * dv * dk];
//! let log_gate = HostInputs {
//!     q: HostTensor::f32(&q, &[b, t, hk, dk]),
//!     k: HostTensor::f32(&k, &[b, t, hk, dk]),
//!     v: HostTensor::f32(&v, &[b, t, hv, dv]),
//!     gate: Gate::Direct {
//!         g: HostTensor::f32(&g, &[b, t, hv]),
//!         beta: HostTensor::f32(&beta, &[b, t, hv]),
//!         form: GateForm::Log,
//!     },
//!     state: Some(HostTensor::f32(&state, &[b, hv, dv, dk])),
//!     mask: None,
//! };
//! let out = ctx.update(&log_gate, CallOptions::default())?;
//!
//! // The ops path (the plain per-step composition) computes the same recurrence.
//! let ops = ctx.update(&log_gate, CallOptions::path(PathChoice::Ops))?;
//! assert!(ops.report.path.is_ops());
//! let close = |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-5);
//! assert!(close(&out.state, &ops.state));
//!
//! // Raw gates as the checkpoints hold them: α = exp(−exp(A_log)·softplus(a + dt_bias)),
//! // β = sigmoid(b). A masked second step keeps the state and writes y = 0.
//! let (a, bb) = (vec![0.3f32; b * t * hv], vec![0.0f32; b * t * hv]);
//! let (a_log, dt_bias) = (vec![-1.0f32; hv], vec![0.5f32; hv]);
//! let mask = [1u8, 0];
//! let raw = HostInputs {
//!     gate: Gate::Raw {
//!         a: HostTensor::f32(&a, &[b, t, hv]),
//!         b: HostTensor::f32(&bb, &[b, t, hv]),
//!         a_log: HostTensor::f32(&a_log, &[hv]),
//!         dt_bias: HostTensor::f32(&dt_bias, &[hv]),
//!     },
//!     mask: Some(HostTensor::u8(&mask, &[b, t])),
//!     ..log_gate.clone()
//! };
//! let opts = CallOptions {
//!     head_map: HeadMap::Grouped, // value head h reads key head h / (Hv / Hk)
//!     qk_l2norm: true,            // normalise q and k inside the op (then scale y by 1/√Dk)
//!     check_finite: true,         // a NaN/Inf in the inputs or outputs is an error
//!     ..CallOptions::default()
//! };
//! let out = ctx.update(&raw, opts)?;
//! let y = out.y.to_f32();
//! assert!(y[hv * dv..].iter().all(|&x| x == 0.0)); // step 1 is masked
//!
//! // HF / fla keep the state as [Dk, Dv]: the same transpose converts both ways.
//! let hf = transpose_state(&out.state, b * hv, dv, dk);
//! assert_eq!(transpose_state(&hf, b * hv, dk, dv), out.state);
//!
//! // Bad input is an error naming the tensor, never a panic or a silent truncation.
//! let short = HostInputs { v: HostTensor::f32(&v[1..], &[b, t, hv, dv]), ..raw.clone() };
//! assert!(ctx.update(&short, opts).is_err());
//! # Ok::<(), gdn_runtime::Error>(())
//! ```
//!
//! # Example: GPU buffers
//!
//! On a GPU, the same inputs as [`GpuTensor`]s (buffers on the context's device) go to
//! [`Context::update_gpu`], or into the caller's own encoder with [`Context::encode`] (e.g. every
//! layer of a model in one submit):
//!
//! ```no_run
//! use gdn_runtime::{
//!     CallOptions, Context, ContextOptions, DType, DeviceChoice, Gate, GateForm, GpuInputs,
//!     GpuTensor, Registry,
//! };
//!
//! # fn buffers(_: &gdn_runtime::GpuDevice) -> [gdn_runtime::wgpu::Buffer; 7] { unimplemented!() }
//! let opts = ContextOptions { device: DeviceChoice::Gpu, strict: false };
//! let ctx = Context::new(Registry::empty(), opts)?; // a codegen registry in real use
//! let gpu = ctx.gpu().expect("a GPU context");
//! // STORAGE buffers of the model: q, k (bf16), v (bf16), g, beta (f32), and y, state out.
//! let [q, k, v, g, beta, y, state] = buffers(gpu);
//! let (b, t, hk, hv, dk, dv) = (1, 1, 16, 32, 128, 128);
//! let inputs = GpuInputs {
//!     q: GpuTensor::new(&q, DType::BF16, &[b, t, hk, dk]),
//!     k: GpuTensor::new(&k, DType::BF16, &[b, t, hk, dk]),
//!     v: GpuTensor::new(&v, DType::BF16, &[b, t, hv, dv]),
//!     gate: Gate::Direct {
//!         g: GpuTensor::new(&g, DType::F32, &[b, t, hv]),
//!         beta: GpuTensor::new(&beta, DType::F32, &[b, t, hv]),
//!         form: GateForm::Log,
//!     },
//!     state: None,
//!     mask: None,
//! };
//! let mut encoder = gpu.device.create_command_encoder(&Default::default());
//! let report = ctx.encode(&mut encoder, &inputs, &y, &state, CallOptions::default())?;
//! gpu.queue.submit([encoder.finish()]);
//! println!("{report}"); // e.g. kernel:recurrent_hk16_hv32_dk128_dv128_bf16_sg32 on …
//! # Ok::<(), gdn_runtime::Error>(())
//! ```

mod context;
pub mod cpu;
mod error;
pub mod gpu;
#[cfg(feature = "jit")]
mod jit;
pub mod policy;
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
pub use gdn_core::{ChunkedModule, DType, HeadShape, Tier, Variant};
#[doc(hidden)]
pub use gpu::SubgroupOverride;
pub use gpu::{AdapterSummary, DeviceRequest, GpuDevice, SubgroupSize};
pub use policy::{CHUNKED_MIN_STEPS_SOFTWARE, CHUNKED_MMA_AUTO};
pub use prepared::{BoundCall, GpuOutputs, PreparedCall};
pub use registry::{BundledModel, DecodeLayerModule, Registry};
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
