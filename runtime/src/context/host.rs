//! Calls on host slices: upload, record, read back (or the CPU kernel and ops path), split into
//! several calls where a tensor exceeds one GPU binding.

use super::encode::output_buffer;
use super::*;
use crate::cpu::{fused_update, ops_update, Prepared};
use crate::gpu::{read_pod, scoped, GpuDevice};
use crate::report::{CallOptions, DispatchReport};
use crate::split::{self, Split};
use crate::tensor::{
    check_finite, check_finite_inputs, numel, GpuInputs, HostData, HostInputs, HostTensor, Problem,
};
use crate::{DType, Error, Result};
use half::{bf16, f16};
use std::ops::Range;

/// Output of a host call: y in the input dtype, the new f32 state, and what ran.
#[derive(Clone, Debug)]
pub struct HostOutput {
    /// y `[B,T,Hv,Dv]` in the input dtype.
    pub y: OwnedData,
    /// New state `[B,Hv,Dv,Dk]`.
    pub state: Vec<f32>,
    /// Which path ran, and why.
    pub report: DispatchReport,
}

/// Owned tensor data in one of the float dtypes.
#[derive(Clone, Debug, PartialEq)]
pub enum OwnedData {
    /// f32.
    F32(Vec<f32>),
    /// f16.
    F16(Vec<f16>),
    /// bf16.
    BF16(Vec<bf16>),
}

impl OwnedData {
    /// Rounds f32 values to `dtype` (round to nearest even).
    pub fn from_f32(dtype: DType, x: Vec<f32>) -> Self {
        match dtype {
            DType::F32 => Self::F32(x),
            DType::F16 => Self::F16(crate::cpu::convert::narrow(&x)),
            DType::BF16 => Self::BF16(crate::cpu::convert::narrow(&x)),
        }
    }
    pub(super) fn from_bytes(dtype: DType, bytes: &[u8]) -> Self {
        match dtype {
            DType::F32 => Self::F32(bytemuck::pod_collect_to_vec(bytes)),
            DType::F16 => Self::F16(bytemuck::pod_collect_to_vec(bytes)),
            DType::BF16 => Self::BF16(bytemuck::pod_collect_to_vec(bytes)),
        }
    }
    /// Widened to f32.
    pub fn to_f32(&self) -> Vec<f32> {
        match self {
            Self::F32(x) => x.clone(),
            Self::F16(x) => crate::cpu::convert::widen(x),
            Self::BF16(x) => crate::cpu::convert::widen(x),
        }
    }
    /// The dtype.
    pub fn dtype(&self) -> DType {
        match self {
            Self::F32(_) => DType::F32,
            Self::F16(_) => DType::F16,
            Self::BF16(_) => DType::BF16,
        }
    }
    /// Little-endian bytes.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Self::F32(x) => bytemuck::cast_slice(x),
            Self::F16(x) => bytemuck::cast_slice(x),
            Self::BF16(x) => bytemuck::cast_slice(x),
        }
    }
}

/// [`check_finite`] over the outputs of a host call: y in its dtype, then the new state.
pub(super) fn check_finite_outputs(y: &OwnedData, state: &[f32]) -> Result<()> {
    let y = match y {
        OwnedData::F32(x) => HostData::F32(x),
        OwnedData::F16(x) => HostData::F16(x),
        OwnedData::BF16(x) => HostData::BF16(x),
    };
    check_finite("y", &y)?;
    check_finite("state", &HostData::F32(state))
}

impl Context {
    /// Runs the op on host slices: returns y (input dtype), the new state and the report.
    /// Nothing passed in is modified.
    pub fn update(&self, inp: &HostInputs<'_>, opts: CallOptions) -> Result<HostOutput> {
        let p = problem(inp, opts)?;
        if opts.check_finite {
            check_finite_inputs(inp)?;
        }
        let out = self.update_parts(inp, &p, opts)?;
        if opts.check_finite {
            check_finite_outputs(&out.y, &out.state)?;
        }
        Ok(out)
    }
    /// Runs the op on host slices with the state updated in place: `state` (`[B, Hv, Dv, Dk]` f32)
    /// is read as the initial state and overwritten with the new one, and `inp.state` must be
    /// `None`. On the CPU kernel this saves allocating and copying the state on every call (what a
    /// CPU decode loop pays most for); other paths copy it in and out. Returns y (input dtype) and
    /// the report.
    pub fn update_in_place(
        &self,
        inp: &HostInputs<'_>,
        state: &mut [f32],
        opts: CallOptions,
    ) -> Result<(OwnedData, DispatchReport)> {
        let (y, report) = self.in_place(inp, state, None, opts)?;
        Ok((y.unwrap_or(OwnedData::F32(Vec::new())), report))
    }

    /// [`Context::update_in_place`] with y written into the caller's `y` (`[B, T, Hv, Dv]` f32:
    /// the values of the input dtype, widened) instead of a new vector, so a CPU decode loop
    /// that keeps its buffers allocates no activation: with f32 inputs the CPU kernel writes y
    /// straight into `y`. A `y` of another length is an error before anything runs.
    ///
    /// ```
    /// use gdn_runtime::{CallOptions, Context, Gate, GateForm, HostInputs, HostTensor, Registry};
    /// # fn main() -> Result<(), gdn_runtime::Error> {
    /// let ctx = Context::cpu(Registry::empty());
    /// let (q, k, v) = (vec![0.1f32; 4], vec![0.2f32; 4], vec![0.3f32; 2]);
    /// let (g, beta) = (vec![0.9f32; 1], vec![0.5f32; 1]);
    /// let inp = HostInputs {
    ///     q: HostTensor::f32(&q, &[1, 1, 1, 4]),
    ///     k: HostTensor::f32(&k, &[1, 1, 1, 4]),
    ///     v: HostTensor::f32(&v, &[1, 1, 1, 2]),
    ///     gate: Gate::Direct {
    ///         g: HostTensor::f32(&g, &[1, 1, 1]),
    ///         beta: HostTensor::f32(&beta, &[1, 1, 1]),
    ///         form: GateForm::Decay,
    ///     },
    ///     state: None,
    ///     mask: None,
    /// };
    /// // The state is [B, Hv, Dv, Dk]; y is [B, T, Hv, Dv], reused from call to call.
    /// let (mut state, mut y) = (vec![0.0f32; 8], vec![0.0f32; 2]);
    /// ctx.update_in_place_into(&inp, &mut state, &mut y, CallOptions::default())?;
    /// let mut again = vec![0.0f32; 8];
    /// let (y_owned, _) = ctx.update_in_place(&inp, &mut again, CallOptions::default())?;
    /// assert_eq!(y, y_owned.to_f32());
    /// assert_eq!(state, again);
    /// // A y of another length is refused.
    /// assert!(ctx.update_in_place_into(&inp, &mut state, &mut [0.0; 3], CallOptions::default()).is_err());
    /// # Ok(()) }
    /// ```
    pub fn update_in_place_into(
        &self,
        inp: &HostInputs<'_>,
        state: &mut [f32],
        y: &mut [f32],
        opts: CallOptions,
    ) -> Result<DispatchReport> {
        let (_, report) = self.in_place(inp, state, Some(y), opts)?;
        Ok(report)
    }

    /// The in-place call: y returned (`y_into` None) or written into `y_into`.
    fn in_place(
        &self,
        inp: &HostInputs<'_>,
        state: &mut [f32],
        mut y_into: Option<&mut [f32]>,
        opts: CallOptions,
    ) -> Result<(Option<OwnedData>, DispatchReport)> {
        if inp.state.is_some() {
            return Err(Error::Shape {
                tensor: "state",
                expected: "no state in the inputs: the in-place state is its own argument".into(),
                found: "a state tensor".into(),
            });
        }
        let mut p = problem(inp, opts)?;
        p.check_in_place(state.len(), y_into.as_deref().map(<[f32]>::len))?;
        if opts.check_finite {
            check_finite_inputs(inp)?;
            check_finite("state", &HostData::F32(state))?;
        }
        p.has_state = true;
        let (route, reason) = self.route(&p, opts)?;
        let (y, report) = if matches!(route, Route::CpuKernel) {
            let x = Prepared::new(&p, inp);
            let report = self.report(route, reason);
            match y_into.as_deref_mut() {
                Some(out) if p.dtype == DType::F32 => {
                    crate::cpu::fused_update_in_place_into(&p, &x, state, out)?;
                    (None, report)
                }
                _ => {
                    let y = crate::cpu::fused_update_in_place(&p, &x, state);
                    (Some(OwnedData::from_f32(p.dtype, y)), report)
                }
            }
        } else {
            let h = p.heads;
            let copy = state.to_vec();
            let with_state = HostInputs {
                state: Some(HostTensor::f32(&copy, &[p.b, h.hv, h.dv, h.dk])),
                ..inp.clone()
            };
            let out = self.update_parts(&with_state, &p, opts)?;
            state.copy_from_slice(&out.state);
            (Some(out.y), out.report)
        };
        match y_into {
            Some(out) => {
                if let Some(y) = &y {
                    out.copy_from_slice(&y.to_f32());
                }
                if opts.check_finite {
                    check_finite("y", &HostData::F32(out))?;
                    check_finite("state", &HostData::F32(state))?;
                }
                Ok((None, report))
            }
            None => {
                if let (true, Some(y)) = (opts.check_finite, &y) {
                    check_finite_outputs(y, state)?;
                }
                Ok((y, report))
            }
        }
    }
    /// A validated host call, as several calls when a tensor exceeds one GPU binding.
    pub(super) fn update_parts(
        &self,
        inp: &HostInputs<'_>,
        p: &Problem,
        opts: CallOptions,
    ) -> Result<HostOutput> {
        let Some(limit) = self.binding_limit() else {
            return self.update_checked(inp, p, opts);
        };
        let (route, _) = self.route(p, opts)?;
        if matches!(route, Route::CpuKernel | Route::OpsCpu) {
            return self.update_checked(inp, p, opts);
        }
        let (split, why) = split::plan(p, inp, limit)?;
        let parts: Vec<(Range<usize>, Range<usize>)> = match split {
            Split::Whole => return self.update_checked(inp, p, opts),
            Split::Batch(n) => (0..p.b)
                .step_by(n)
                .map(|b0| (b0..(b0 + n).min(p.b), 0..p.t))
                .collect(),
            Split::Time(n) => (0..p.b)
                .flat_map(|b| {
                    (0..p.t)
                        .step_by(n)
                        .map(move |t0| (b..b + 1, t0..(t0 + n).min(p.t)))
                })
                .collect(),
        };
        let h = p.heads;
        let mut y = Vec::with_capacity(p.y_len() * p.dtype.size());
        let mut state = Vec::with_capacity(p.state_len());
        // The state carried from one time part of a sequence to the next.
        let mut carried: Option<Vec<f32>> = None;
        let mut report = None;
        let calls = parts.len();
        for (bs, ts) in parts {
            let from = if ts.start > 0 { carried.take() } else { None };
            let st = from
                .as_ref()
                .map(|s| HostTensor::f32(s, &[1, h.hv, h.dv, h.dk]));
            let last = ts.end == p.t;
            let sub = split::part_inputs(inp, p.t, bs, ts, st);
            let sp = problem(&sub, opts)?;
            let out = self.update_checked(&sub, &sp, opts)?;
            y.extend_from_slice(out.y.bytes());
            if last {
                state.extend_from_slice(&out.state);
            } else {
                carried = Some(out.state);
            }
            report = Some(out.report);
        }
        let report = report.map(|r| DispatchReport {
            reason: format!("{}; run as {calls} calls: {why}", r.reason),
            ..r
        });
        Ok(HostOutput {
            y: OwnedData::from_bytes(p.dtype, &y),
            state,
            report: report.unwrap_or_else(|| self.report(route, String::new())),
        })
    }
    pub(super) fn update_checked(
        &self,
        inp: &HostInputs<'_>,
        p: &Problem,
        opts: CallOptions,
    ) -> Result<HostOutput> {
        let p = *p;
        let (route, reason) = self.route(&p, opts)?;
        let report = self.report(route, reason);
        match route {
            Route::CpuKernel | Route::OpsCpu => {
                let x = Prepared::new(&p, inp);
                let (y, state) = if matches!(route, Route::CpuKernel) {
                    fused_update(&p, x)
                } else {
                    ops_update(&p, x)
                };
                Ok(HostOutput {
                    y: OwnedData::from_f32(p.dtype, y),
                    state,
                    report,
                })
            }
            Route::Kernel(..) | Route::Chunked(..) | Route::OpsGpu => {
                let gpu = self.device()?;
                gpu.alive()?;
                let bufs = HostUpload::new(gpu, inp);
                let gin = bufs.inputs();
                let out =
                    self.run_gpu(gpu, &gin, self.prepared(&p, opts, route, report.reason)?)?;
                Ok(HostOutput {
                    y: read_y(gpu, &out.y, p.dtype, p.y_len())?,
                    state: read_pod(&gpu.device, &gpu.queue, &out.state, 0, p.state_len())?,
                    report: out.report,
                })
            }
        }
    }
    /// Whether a host call's tensors and its two outputs (`(y, states)` bytes) each fit one
    /// storage binding (the calls that do not split their tensors check this first).
    pub(super) fn host_fits(&self, inp: &HostInputs<'_>, (y, states): (usize, usize)) -> bool {
        self.binding_limit().is_none_or(|limit| {
            named(inp)
                .into_iter()
                .map(|(_, t)| numel(&t.shape) * t.data.elem().size())
                .chain([y, states])
                .all(|b| b as u64 <= limit)
        })
    }
}

/// A host call recorded on the GPU: uploads `inp`, makes y and state buffers of `(y, state)`
/// bytes, lets `record` encode the op into them and submits it. Returns the buffers to read back.
pub(super) fn run_uploaded(
    gpu: &GpuDevice,
    inp: &HostInputs<'_>,
    (y_bytes, s_bytes): (usize, usize),
    record: impl FnOnce(
        &mut wgpu::CommandEncoder,
        &GpuInputs<'_>,
        (&wgpu::Buffer, &wgpu::Buffer),
    ) -> Result<DispatchReport>,
) -> Result<(wgpu::Buffer, wgpu::Buffer, DispatchReport)> {
    gpu.alive()?;
    let up = HostUpload::new(gpu, inp);
    scoped(&gpu.device, || {
        let y = output_buffer(gpu, "gdn y", y_bytes);
        let s = output_buffer(gpu, "gdn state", s_bytes);
        let mut enc = gpu.device.create_command_encoder(&Default::default());
        let report = record(&mut enc, &up.inputs(), (&y, &s))?;
        gpu.queue.submit(Some(enc.finish()));
        Ok((y, s, report))
    })
}

/// The `count` elements of y in `buffer`, read back in their dtype.
pub(super) fn read_y(
    gpu: &GpuDevice,
    buffer: &wgpu::Buffer,
    dtype: DType,
    count: usize,
) -> Result<OwnedData> {
    let (d, q) = (&gpu.device, &gpu.queue);
    Ok(match dtype {
        DType::F32 => OwnedData::F32(read_pod(d, q, buffer, 0, count)?),
        DType::F16 => OwnedData::F16(read_pod(d, q, buffer, 0, count)?),
        DType::BF16 => OwnedData::BF16(read_pod(d, q, buffer, 0, count)?),
    })
}
