//! Varlen batches (sequences of different lengths packed along T) and per-token state snapshots.

use super::encode::check_out_bytes;
use super::encode::route_program;
use super::host::check_finite_outputs;
use super::host::read_y;
use super::host::run_uploaded;
use super::*;
use crate::gpu::{
    init_buffer, push_copy, read_pod, scoped, BufferRange, GpuDevice, OutBuffers, Program, Seqs,
};
use crate::report::{CallOptions, DispatchReport, PathChoice};
use crate::split::{self};
use crate::tensor::{
    check_finite_inputs, fmt_shape, Elem, GpuInputs, HostInputs, HostTensor, Inputs, Problem,
};
use crate::varlen;
use crate::{DType, Error, Result};

impl Context {
    /// Varlen batch on host slices: N sequences packed along T (`q`, `k` `[1, ΣT, Hk, Dk]`, `v`
    /// `[1, ΣT, Hv, Dv]`, gates and mask likewise), sequence n at steps
    /// `cu_seqlens[n] .. cu_seqlens[n + 1]` (N + 1 offsets from 0 to ΣT, as fla and vLLM take
    /// them), each with its own initial state (`state` `[N, Hv, Dv, Dk]`, zeros when absent).
    /// Returns y packed like v and the N final states. On the GPU the recurrent and chunked
    /// kernels take the batch in one dispatch ([`Context::encode_varlen`]); the CPU, the ops path
    /// and batches whose tensors exceed one binding run one call per sequence. The report says
    /// which.
    pub fn update_varlen(
        &self,
        inp: &HostInputs<'_>,
        cu_seqlens: &[usize],
        opts: CallOptions,
    ) -> Result<HostOutput> {
        let (packed, pv) = varlen_problem(inp, cu_seqlens, opts)?;
        if opts.check_finite {
            check_finite_inputs(inp)?;
        }
        if let Some(gpu) = &self.gpu {
            let (route, reason) = self.route_qk_pass(&pv, opts)?;
            if matches!(route, Route::Kernel(..) | Route::Chunked(..)) {
                let ran = self.batch_on_gpu(
                    gpu,
                    inp,
                    (&packed, pv.state_len(), pv.state_len() * 4),
                    opts,
                    |enc, gin, outs| {
                        self.encode_varlen_routed(
                            gpu,
                            enc,
                            gin,
                            cu_seqlens,
                            (&packed, &pv),
                            (route, reason),
                            outs,
                        )
                    },
                )?;
                if let Some((out, _)) = ran {
                    return Ok(out);
                }
            }
        }
        self.varlen_by_sequence(inp, &packed, cu_seqlens, opts)
    }
    /// Records a varlen batch on GPU buffers into `encoder`: N sequences of different lengths
    /// packed along T (`inp` as [`Context::update_varlen`] takes it, `state` `[N, Hv, Dv, Dk]` f32
    /// or `None` for zeros), sequence n at steps `cu_seqlens[n] .. cu_seqlens[n + 1]`, in one
    /// dispatch of the recurrent or chunked kernel: the kernel reads the offsets, and the steps of
    /// the shorter sequences past their end are masked. y (packed like v) goes to `y` and the N
    /// new states to `state_out`. The path is chosen as for a batch of N sequences of the longest
    /// length. A mask, if given, needs `COPY_SRC` usage (it is copied after the offsets). The ops
    /// path does not take varlen batches on GPU buffers: where no kernel serves the call this is
    /// an error ([`Context::update_varlen`] then runs one call per sequence).
    pub fn encode_varlen(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        cu_seqlens: &[usize],
        y: &wgpu::Buffer,
        state_out: &wgpu::Buffer,
        opts: CallOptions,
    ) -> Result<DispatchReport> {
        let gpu = self.device()?;
        gpu.alive()?;
        let (packed, pv) = varlen_problem(inp, cu_seqlens, opts)?;
        check_out_bytes(
            (y, packed.y_len() * packed.dtype.size()),
            (state_out, pv.state_len() * 4),
        )?;
        self.bindings_fit(&packed, inp)?;
        // bindings_fit sizes the new state for the packed problem (one sequence): the N states.
        self.binding_fits("tensor `new state` (N sequences)", pv.state_len() * 4)?;
        let (route, reason) = self.route_qk_pass(&pv, opts)?;
        self.encode_varlen_routed(
            gpu,
            encoder,
            inp,
            cu_seqlens,
            (&packed, &pv),
            (route, reason),
            (y, state_out),
        )
    }
    /// [`Context::encode_varlen`] once validated and routed: the offsets buffer (the mask copied
    /// after them), q/k normalisation over the packed steps, then the kernel.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn encode_varlen_routed(
        &self,
        gpu: &GpuDevice,
        enc: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        cu: &[usize],
        (packed, pv): (&Problem, &Problem),
        (route, reason): (Route, String),
        outs: (&wgpu::Buffer, &wgpu::Buffer),
    ) -> Result<DispatchReport> {
        if !matches!(route, Route::Kernel(..) | Route::Chunked(..)) {
            return Err(Error::NoKernel {
                config: pv.describe(),
                reason: format!(
                    "a varlen batch on GPU buffers needs a kernel ({reason}); \
                     Context::update_varlen runs one call per sequence instead"
                ),
            });
        }
        let n = cu.len() - 1;
        let offsets: Vec<u32> = cu.iter().map(|&c| c as u32).collect();
        let beside = Beside::Offsets {
            words: &offsets,
            steps: packed.t,
        };
        let report =
            self.encode_beside_mask(gpu, enc, inp, (packed, pv), beside, (route, reason), outs)?;
        let how = if packed.t == 0 {
            "no steps: the states are copied".to_string()
        } else {
            format!("in one dispatch (the longest has {} steps)", pv.t)
        };
        Ok(DispatchReport {
            reason: format!("{}; varlen: {n} sequences {how}", report.reason),
            ..report
        })
    }
    /// Like [`Context::update`], and also returns the state after each of the given positions
    /// (`positions[i]` = tokens consumed, strictly increasing in 1..=T), laid out
    /// `[positions.len(), B, Hv, Dv, Dk]` f32: what a speculative-decoding verifier needs to roll
    /// back to the last accepted token (`1..=T` for every token). On the GPU the recurrent kernel
    /// writes the snapshots in the same dispatch ([`Context::encode_snapshots`]; `Auto` takes it
    /// even where it would take the chunked kernel); elsewhere each sequence runs as one call per
    /// stretch between positions, the state carried. The report says which.
    pub fn update_snapshots(
        &self,
        inp: &HostInputs<'_>,
        positions: &[usize],
        opts: CallOptions,
    ) -> Result<(HostOutput, Vec<f32>)> {
        let p = problem(inp, opts)?;
        check_positions(positions, &p)?;
        if opts.check_finite {
            check_finite_inputs(inp)?;
        }
        let gpu_route = self
            .gpu
            .as_ref()
            .filter(|_| !positions.is_empty() && p.y_len() > 0)
            .zip(self.snapshot_route(&p, opts));
        if let Some((gpu, (route, reason))) = gpu_route {
            let s_bytes = (1 + positions.len()) * p.state_len() * 4;
            let sizes = (&p, p.state_len(), s_bytes);
            let ran = self.batch_on_gpu(gpu, inp, sizes, opts, |enc, gin, outs| {
                self.encode_snapshots_routed(gpu, enc, gin, positions, &p, (route, reason), outs)
            })?;
            if let Some(done) = ran {
                return Ok(done);
            }
        }
        self.snapshots_by_stretch(inp, &p, positions, opts)
    }
    /// Records the op with per-token state snapshots into `encoder`, on GPU buffers:
    /// `states_out` receives the new state followed by the state after each of `positions`
    /// (`[1 + positions.len(), B, Hv, Dv, Dk]` f32, positions as [`Context::update_snapshots`]
    /// takes them), all written by the recurrent kernel in one dispatch. A mask, if given, needs
    /// `COPY_SRC` usage. Where the recurrent kernel cannot serve the call this is an error
    /// ([`Context::update_snapshots`] then runs one call per stretch).
    pub fn encode_snapshots(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        positions: &[usize],
        y: &wgpu::Buffer,
        states_out: &wgpu::Buffer,
        opts: CallOptions,
    ) -> Result<DispatchReport> {
        let gpu = self.device()?;
        gpu.alive()?;
        let p = problem(inp, opts)?;
        check_positions(positions, &p)?;
        let s_bytes = (1 + positions.len()) * p.state_len() * 4;
        check_out_bytes((y, p.y_len() * p.dtype.size()), (states_out, s_bytes))?;
        self.bindings_fit(&p, inp)?;
        self.binding_fits(
            "tensor `states_out` (the new state and the snapshots)",
            s_bytes,
        )?;
        let (route, reason) = self
            .snapshot_route(&p, opts)
            .ok_or_else(|| Error::NoKernel {
                config: p.describe(),
                reason: "per-token snapshots on GPU buffers need the recurrent kernel; \
                     Context::update_snapshots runs one call per stretch instead"
                    .into(),
            })?;
        self.encode_snapshots_routed(
            gpu,
            encoder,
            inp,
            positions,
            &p,
            (route, reason),
            (y, states_out),
        )
    }
    /// The recurrent kernel's route for a snapshot call (`Auto` takes it even where it would take
    /// the chunked kernel), or `None` where it cannot serve it.
    pub(super) fn snapshot_route(&self, p: &Problem, opts: CallOptions) -> Option<(Route, String)> {
        let path = match opts.path {
            PathChoice::Auto => PathChoice::Kernel,
            other => other,
        };
        match self.route_qk_pass(p, CallOptions { path, ..opts }) {
            Ok((route @ Route::Kernel(..), why)) if self.gpu.is_some() => Some((route, why)),
            _ => None,
        }
    }
    /// [`Context::encode_snapshots`] once validated and routed: the snapshot table (after a copy
    /// of the mask's words), then the kernel's `main_snap` entry point.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn encode_snapshots_routed(
        &self,
        gpu: &GpuDevice,
        enc: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        positions: &[usize],
        p: &Problem,
        (route, reason): (Route, String),
        outs: (&wgpu::Buffer, &wgpu::Buffer),
    ) -> Result<DispatchReport> {
        let mut after = vec![0u32; p.t];
        for (k, &pos) in positions.iter().enumerate() {
            after[pos - 1] = k as u32 + 1;
        }
        let beside = Beside::Snapshots { after: &after };
        let report =
            self.encode_beside_mask(gpu, enc, inp, (p, p), beside, (route, reason), outs)?;
        Ok(DispatchReport {
            reason: format!(
                "{}; snapshots: {} states written by the kernel in the same dispatch",
                report.reason,
                positions.len()
            ),
            ..report
        })
    }
    /// Records `route` for a varlen or snapshot batch `p` with the buffer it binds where the mask
    /// is ([`mask_beside`] of `packed`, the problem the inputs are laid out as), into `y` and
    /// `state` in one pass of its own.
    #[allow(clippy::too_many_arguments)]
    fn encode_beside_mask(
        &self,
        gpu: &GpuDevice,
        enc: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        (packed, p): (&Problem, &Problem),
        beside: Beside<'_>,
        (route, reason): (Route, String),
        (y, state): (&wgpu::Buffer, &wgpu::Buffer),
    ) -> Result<DispatchReport> {
        let (y, state) = (&BufferRange::whole(y), &BufferRange::whole(state));
        let (words, what, label) = match beside {
            Beside::Offsets { words, .. } => ((words, &[][..]), "varlen offsets", "gdn varlen"),
            Beside::Snapshots { after } => ((&[][..], after), "snapshot table", "gdn snapshots"),
        };
        let (report, prog) = scoped(&gpu.device, || {
            let mut prog = Program::default();
            let table = mask_beside(gpu, &mut prog, inp, packed, words, what);
            let out = OutBuffers {
                y,
                state,
                in_place: false,
                slots: None,
                seqs: match beside {
                    Beside::Offsets { steps, .. } => Some(Seqs {
                        buffer: &table,
                        steps,
                    }),
                    Beside::Snapshots { .. } => None,
                },
                snaps: matches!(beside, Beside::Snapshots { .. }).then_some(&table),
            };
            let (op, views) = route_program(gpu, p, inp, route, out)?;
            prog.extend(op);
            Ok((self.report(route, with_views(reason, views)), prog))
        })?;
        prog.record(enc, label, None);
        Ok(report)
    }
    /// A host batch on the GPU where its tensors fit one binding each (a host call does not split
    /// these batches; `None` where they do not): the inputs uploaded, `record` encoded into y (of
    /// `p`) and a state buffer of `s_bytes`, y and the new states (the first `n` f32) read back,
    /// and the f32 after them (snapshots) returned beside them.
    fn batch_on_gpu(
        &self,
        gpu: &GpuDevice,
        inp: &HostInputs<'_>,
        (p, n, s_bytes): (&Problem, usize, usize),
        opts: CallOptions,
        record: impl FnOnce(
            &mut wgpu::CommandEncoder,
            &GpuInputs<'_>,
            (&wgpu::Buffer, &wgpu::Buffer),
        ) -> Result<DispatchReport>,
    ) -> Result<Option<(HostOutput, Vec<f32>)>> {
        let y_bytes = p.y_len() * p.dtype.size();
        if !self.host_fits(inp, (y_bytes, s_bytes)) {
            return Ok(None);
        }
        let (y, s, report) = run_uploaded(gpu, inp, (y_bytes, s_bytes), record)?;
        let more = s_bytes / 4 - n;
        let after = if more > 0 {
            read_pod(&gpu.device, &gpu.queue, &s, (n * 4) as u64, more)?
        } else {
            Vec::new()
        };
        let out = HostOutput {
            y: read_y(gpu, &y, p.dtype, p.y_len())?,
            state: read_pod(&gpu.device, &gpu.queue, &s, 0, n)?,
            report,
        };
        if opts.check_finite {
            check_finite_outputs(&out.y, &out.state)?;
        }
        Ok(Some((out, after)))
    }
    /// Snapshots as one call per stretch between positions for each sequence, the state carried
    /// (the CPU, the chunked and ops paths, tensors past a binding).
    pub(super) fn snapshots_by_stretch(
        &self,
        inp: &HostInputs<'_>,
        p: &Problem,
        positions: &[usize],
        opts: CallOptions,
    ) -> Result<(HostOutput, Vec<f32>)> {
        let p = *p;
        let h = p.heads;
        let per = h.hv * h.dv * h.dk;
        let mut cuts: Vec<usize> = positions.to_vec();
        if cuts.last() != Some(&p.t) {
            cuts.push(p.t);
        }
        let mut snaps = vec![0.0f32; positions.len() * p.b * per];
        let mut y = Vec::with_capacity(p.y_len() * p.dtype.size());
        let mut state = Vec::with_capacity(p.state_len());
        let mut report = None;
        for b in 0..p.b {
            let mut carried: Option<Vec<f32>> = None;
            let mut t0 = 0;
            for (i, &t1) in cuts.iter().enumerate() {
                let st = carried
                    .as_ref()
                    .map(|s| HostTensor::f32(s, &[1, h.hv, h.dv, h.dk]));
                let sub = split::part_inputs(inp, p.t, b..b + 1, t0..t1, st);
                let out = self.update(
                    &sub,
                    CallOptions {
                        check_finite: false,
                        ..opts
                    },
                )?;
                y.extend_from_slice(out.y.bytes());
                if i < positions.len() {
                    snaps[(i * p.b + b) * per..(i * p.b + b + 1) * per].copy_from_slice(&out.state);
                }
                carried = Some(out.state);
                report = Some(out.report);
                t0 = t1;
            }
            state.extend_from_slice(carried.as_deref().unwrap_or_default());
        }
        let out = HostOutput {
            y: OwnedData::from_bytes(p.dtype, &y),
            state,
            report: match report {
                Some(r) => DispatchReport {
                    reason: format!(
                        "{}; snapshots: one call per stretch between positions ({} calls)",
                        r.reason,
                        cuts.len() * p.b
                    ),
                    ..r
                },
                None => self.plan(&p, opts)?,
            },
        };
        if opts.check_finite {
            check_finite_outputs(&out.y, &out.state)?;
        }
        Ok((out, snaps))
    }
    /// Varlen as one call per sequence (the CPU, the ops path, tensors past a binding; the kernels are
    /// parallel over heads within each call).
    pub(super) fn varlen_by_sequence(
        &self,
        inp: &HostInputs<'_>,
        p: &Problem,
        cu: &[usize],
        opts: CallOptions,
    ) -> Result<HostOutput> {
        let h = p.heads;
        let per = h.hv * h.dv * h.dk;
        let mut y = Vec::with_capacity(p.y_len() * p.dtype.size());
        let mut state = Vec::with_capacity((cu.len() - 1) * per);
        let mut report = None;
        for (n, w) in cu.windows(2).enumerate() {
            let st = inp.state.as_ref().map(|s| HostTensor {
                data: s.data.slice(n * per..(n + 1) * per),
                shape: vec![1, h.hv, h.dv, h.dk],
            });
            let mut sub = split::part_inputs(inp, p.t, 0..1, w[0]..w[1], None);
            sub.state = st;
            let out = self.update(&sub, opts)?;
            y.extend_from_slice(out.y.bytes());
            state.extend_from_slice(&out.state);
            report = Some(out.report);
        }
        let n = cu.len() - 1;
        let report = match report {
            Some(r) => DispatchReport {
                reason: format!("{}; varlen: {n} sequences, one call each", r.reason),
                ..r
            },
            None => self.plan(p, opts)?,
        };
        Ok(HostOutput {
            y: OwnedData::from_bytes(p.dtype, &y),
            state,
            report,
        })
    }
}

/// What a varlen or snapshot batch binds where the mask is (around the mask's words).
#[derive(Clone, Copy)]
enum Beside<'a> {
    /// A varlen batch: the N + 1 sequence offsets before the mask, over `steps` packed steps.
    Offsets { words: &'a [u32], steps: usize },
    /// Per-token snapshots: the table of T snapshot indices after the mask.
    Snapshots { after: &'a [u32] },
}

/// The buffer a varlen or snapshot call binds where the mask is: the words `before`, the mask's
/// words (copied from the mask by a dispatch appended to `prog`) when the call has a mask, then
/// the words `after`, padded to whole 16-byte groups.
pub(super) fn mask_beside(
    gpu: &GpuDevice,
    prog: &mut Program,
    inp: &GpuInputs<'_>,
    p: &Problem,
    (before, after): (&[u32], &[u32]),
    what: &str,
) -> wgpu::Buffer {
    let mask_words = if p.has_mask {
        (p.b * p.t).div_ceil(4)
    } else {
        0
    };
    let mut words = before.to_vec();
    words.resize(before.len() + mask_words, 0);
    words.extend_from_slice(after);
    words.resize(words.len().div_ceil(4).max(1) * 4, 0);
    let buffer = init_buffer(
        &gpu.device,
        &format!("gdn {what}"),
        bytemuck::cast_slice(&words),
        wgpu::BufferUsages::STORAGE,
    );
    if let Some(m) = inp.mask.as_ref().filter(|_| mask_words > 0) {
        let at = before.len() as u32;
        push_copy(gpu, prog, (&m.range(), 0), (&buffer, at), mask_words as u32);
    }
    buffer
}

/// A report's reason with what it says of row-strided views, if there are any.
fn with_views(reason: String, views: Option<String>) -> String {
    match views {
        Some(views) => format!("{reason}; {views}"),
        None => reason,
    }
}

/// Checks snapshot positions against T (strictly increasing steps in 1..=T), and the snapshots'
/// size against the host memory limit before anything is allocated.
pub(super) fn check_positions(positions: &[usize], p: &Problem) -> Result<()> {
    let t = p.t;
    let ok = positions.windows(2).all(|w| w[0] < w[1])
        && positions.first().is_none_or(|&f| f >= 1)
        && positions.last().is_none_or(|&l| l <= t);
    if !ok {
        return Err(Error::Shape {
            tensor: "positions",
            expected: format!("strictly increasing steps in 1..={t}"),
            found: format!("{positions:?}"),
        });
    }
    gdn_core::limits::Budget::new()
        .add(
            "output `snapshots`",
            &[positions.len(), p.b, p.heads.hv, p.heads.dv, p.heads.dk],
            4,
        )
        .map(|_| ())
        .map_err(Error::Size)
}

/// A varlen batch's problems: the packed one (B = 1, T = ΣT, no state) and the batch the kernels
/// run (B = N sequences, T = the longest, with the state when given), after checking the offsets
/// and the state `[N, Hv, Dv, Dk]` f32.
pub(super) fn varlen_problem<T: crate::tensor::TensorMeta + Clone>(
    inp: &Inputs<T>,
    cu: &[usize],
    opts: CallOptions,
) -> Result<(Problem, Problem)> {
    let packed = problem(
        &Inputs {
            state: None,
            ..inp.clone()
        },
        opts,
    )?;
    if packed.b != 1 {
        return Err(Error::Shape {
            tensor: "q",
            expected: "[1, ΣT, Hk, Dk]: sequences packed along T".into(),
            found: fmt_shape(inp.q.shape()),
        });
    }
    varlen::check(cu, packed.t)?;
    if u32::try_from(packed.t).is_err() {
        return Err(Error::Shape {
            tensor: "cu_seqlens",
            expected: "offsets that fit 32 bits".into(),
            found: format!("ΣT = {}", packed.t),
        });
    }
    let n = cu.len() - 1;
    let h = packed.heads;
    // N new states come back whatever the sequences hold (a million empty ones too): counted
    // before anything is allocated.
    gdn_core::limits::Budget::new()
        .add(
            "output `state` (one per sequence)",
            &[n, h.hv, h.dv, h.dk],
            4,
        )
        .map_err(Error::Size)?;
    if let Some(s) = &inp.state {
        if s.shape() != [n, h.hv, h.dv, h.dk] {
            return Err(Error::Shape {
                tensor: "state",
                expected: varlen::state_shape(n, h.hv, h.dv, h.dk),
                found: fmt_shape(s.shape()),
            });
        }
        if s.elem() != Elem::Float(DType::F32) {
            return Err(Error::DType {
                tensor: "state",
                expected: "f32 (the state is always f32)".into(),
                found: s.elem().to_string(),
            });
        }
        s.check_storage("state")?;
    }
    let tmax = cu.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    let pv = Problem {
        b: n,
        t: tmax,
        has_state: inp.state.is_some(),
        ..packed
    };
    Ok((packed, pv))
}
