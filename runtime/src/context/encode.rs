//! Calls on GPU buffers: prepared calls bound once and recorded many times, and the one-shot
//! entry points built on them.

use super::*;
use crate::gpu::{
    chunked_steps, gather_views, init_buffer, kernel_reads, kernel_steps, ops_steps, read_pod,
    record_move, scoped, BufferRange, GpuDevice, OutBuffers, Program,
};
use crate::report::{CallOptions, DispatchReport};
use crate::tensor::{
    check_finite, numel, padded_bytes, Elem, GpuInputs, GpuTensor, HostData, Problem,
};
use crate::{BoundCall, GpuOutputs, PreparedCall};
use crate::{DType, Error, Result};
use std::collections::HashSet;

/// Output of a GPU call: buffers holding y (input dtype, packed) and the new state (f32).
#[derive(Debug)]
pub struct GpuOutput {
    /// y `[B,T,Hv,Dv]`; usage STORAGE | COPY_SRC | COPY_DST.
    pub y: wgpu::Buffer,
    /// New state `[B,Hv,Dv,Dk]` f32; usage STORAGE | COPY_SRC | COPY_DST.
    pub state: wgpu::Buffer,
    /// Which path ran, and why.
    pub report: DispatchReport,
}

impl Context {
    /// Routes a call once for `problem` and `opts`: the path, its pipelines (compiled here if
    /// they were not yet) and its report, with strict mode applied. Bind buffers to it with
    /// [`Context::bind`]. See [`PreparedCall`] for an example.
    pub fn prepare(&self, problem: &Problem, opts: CallOptions) -> Result<PreparedCall> {
        let p = Problem {
            head_map: opts.head_map,
            qk_l2norm: opts.qk_l2norm,
            ..*problem
        };
        let (route, reason) = self.route(&p, opts)?;
        self.prepared(&p, opts, route, reason)
    }
    /// A prepared call on an already chosen route.
    pub(super) fn prepared(
        &self,
        p: &Problem,
        opts: CallOptions,
        route: Route,
        reason: String,
    ) -> Result<PreparedCall> {
        if let (Some(gpu), Route::Kernel(v, staged)) = (&self.gpu, route) {
            // Compile now, not on the first bind.
            let spec = crate::gpu::Specialisation {
                map: p.head_map,
                qk_norm: p.qk_l2norm,
                ..Default::default()
            };
            gpu.kernel_pipeline(v, staged, spec)?;
        }
        Ok(PreparedCall {
            problem: *p,
            opts,
            route,
            report: self.report(route, reason),
            device: self.gpu.as_ref().map(|g| g.device.clone()),
        })
    }
    /// Binds buffers to a prepared call: checks everything first (the inputs match the prepared
    /// problem; every buffer is of this context's device, has `STORAGE` usage and holds its
    /// tensor; views are aligned; no buffer is both read and written, except a state given as
    /// the same view in `inputs.state` and `outputs.state`, which is updated in place), then makes
    /// every bind group, parameter block and scratch buffer the call needs. An `Err` records
    /// nothing anywhere. Bind once per set of buffers (e.g. once per layer at load) and record the
    /// returned [`BoundCall`] as often as needed. Raw-gate constants (`A_log`, `dt_bias`) are read
    /// on the GPU at every recording.
    pub fn bind(
        &self,
        call: &PreparedCall,
        inputs: &GpuInputs<'_>,
        outputs: &GpuOutputs<'_>,
    ) -> Result<BoundCall> {
        let gpu = self.device()?;
        if call.device.as_ref() != Some(&gpu.device) {
            return Err(Error::Prepared(
                "the call was prepared on another context's device".into(),
            ));
        }
        gpu.alive()?;
        let in_place = crate::prepared::check_binding(gpu, call, inputs, outputs)?;
        let p = call.problem;
        self.bindings_fit(&p, inputs)?;
        let (y, state) = (outputs.y.range(), outputs.state.range());
        let out = crate::prepared::out_buffers(&y, &state, in_place);
        let built = scoped(&gpu.device, || {
            route_program(gpu, &p, inputs, call.route, out)
        });
        let (program, views) = match built {
            Ok(built) => built,
            // Name the tensor whose buffer the device cannot bind (another device's, say).
            Err(e) => {
                return Err(crate::prepared::foreign_buffer(gpu, inputs, outputs).unwrap_or(e))
            }
        };
        let mut report = call.report.clone();
        if in_place {
            report.reason = format!("{}; state updated in place", report.reason);
        }
        if let Some(views) = views {
            report.reason = format!("{}; {views}", report.reason);
        }
        Ok(BoundCall { program, report })
    }
    /// Runs the op on GPU buffers, with no round trip to the host: allocates y and the new state,
    /// encodes and submits. Nothing passed in is modified.
    pub fn update_gpu(&self, inp: &GpuInputs<'_>, opts: CallOptions) -> Result<GpuOutput> {
        let gpu = self.device()?;
        gpu.alive()?;
        let p = problem(inp, opts)?;
        self.bindings_fit(&p, inp)?;
        if opts.check_finite {
            for (name, t) in named(inp) {
                let rows = t.row_stride.map(|stride| (t.rows().1, stride));
                let n = (numel(&t.shape), rows);
                check_finite_buffer(gpu, name, (t.buffer, t.offset), t.elem, n)?;
            }
        }
        let out = self.run_gpu(gpu, inp, self.prepare(&p, opts)?)?;
        if opts.check_finite {
            let y_elem = Elem::Float(p.dtype);
            check_finite_buffer(gpu, "y", (&out.y, 0), y_elem, (p.y_len(), None))?;
            let f32 = Elem::Float(DType::F32);
            check_finite_buffer(gpu, "state", (&out.state, 0), f32, (p.state_len(), None))?;
        }
        Ok(out)
    }
    /// Records the op into `encoder`, writing y and the new state into caller-owned buffers
    /// (sized at least as [`Problem::y_len`] elements of the input dtype and [`Problem::state_len`]
    /// f32, rounded up to 4 bytes). Lets an engine put many layers in one submit.
    pub fn encode(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        y: &wgpu::Buffer,
        state_out: &wgpu::Buffer,
        opts: CallOptions,
    ) -> Result<DispatchReport> {
        self.encode_timed(encoder, inp, y, state_out, opts, None)
    }
    /// Like [`Context::encode`], with timestamp writes around the call's compute pass
    /// (benchmarks). Prepares, binds and records the call ([`Context::prepare`],
    /// [`Context::bind`]): an `Err` leaves `encoder` untouched.
    pub fn encode_timed(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        y: &wgpu::Buffer,
        state_out: &wgpu::Buffer,
        opts: CallOptions,
        ts: Option<wgpu::ComputePassTimestampWrites<'_>>,
    ) -> Result<DispatchReport> {
        self.device()?;
        let p = problem(inp, opts)?;
        check_out(&p, y, state_out)?;
        let call = self.prepare(&p, opts)?;
        let bound = self.bind(&call, inp, &GpuOutputs::new(&p, y, state_out))?;
        bound.program.record(encoder, "gdn", ts);
        Ok(bound.report)
    }
    /// Records the op for sequences whose states live in a pool, as serving engines keep them:
    /// `pool` holds `[P, Hv, Dv, Dk]` f32 states (usage `STORAGE | COPY_SRC | COPY_DST`), and batch
    /// row b reads its initial state from slot `slots[b]` and leaves its new state there; the other
    /// slots are untouched. `inp.state` must be `None` (the states come from the pool). Where the
    /// call takes the recurrent kernel, the kernel reads and writes the slots in place (the report
    /// says so); on the other paths the slots are gathered into a scratch batch and scattered back
    /// by one dispatch each, recorded around the op in `encoder`. Nothing goes through the host.
    pub fn encode_pooled(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        pool: &wgpu::Buffer,
        slots: &[u32],
        y: &wgpu::Buffer,
        opts: CallOptions,
    ) -> Result<DispatchReport> {
        let gpu = self.device()?;
        if inp.state.is_some() {
            return Err(Error::Buffer {
                tensor: "state",
                reason: "a pooled call takes its states from the pool; pass None".into(),
            });
        }
        let p = problem(inp, opts)?;
        if slots.len() != p.b {
            return Err(Error::Shape {
                tensor: "slots",
                expected: format!("one pool slot per sequence ([{}])", p.b),
                found: format!("[{}]", slots.len()),
            });
        }
        let per = (p.heads.hv * p.heads.dv * p.heads.dk * 4) as u64;
        let have = pool.size() / per.max(1);
        let mut seen = HashSet::new();
        for &slot in slots {
            if u64::from(slot) >= have || !seen.insert(slot) {
                return Err(Error::Buffer {
                    tensor: "pool",
                    reason: format!(
                        "slot {slot} is out of range or repeated ({have} slots of {per} bytes)"
                    ),
                });
            }
        }
        let copy = wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST;
        if !pool.usage().contains(copy) {
            return Err(Error::Buffer {
                tensor: "pool",
                reason: "needs COPY_SRC and COPY_DST usage".into(),
            });
        }
        // The slot table, padded to whole 16-byte words (the kernels may bind it as vec4s).
        let mut words = slots.to_vec();
        words.resize(slots.len().div_ceil(4).max(1) * 4, 0);
        let table = init_buffer(
            &gpu.device,
            "gdn pool slots",
            bytemuck::cast_slice(&words),
            wgpu::BufferUsages::STORAGE,
        );
        // On the recurrent kernel the states are read and written in place in the pool.
        let mut with_state = p;
        with_state.has_state = true;
        let (route, reason) = self.route(&with_state, opts)?;
        if matches!(route, Route::Kernel(..)) && p.y_len() > 0 {
            gpu.alive()?;
            check_out(&p, y, pool)?;
            self.bindings_fit(&p, inp)?;
            let (y, pool) = (&BufferRange::whole(y), &BufferRange::whole(pool));
            let out = OutBuffers {
                y,
                state: pool,
                in_place: false,
                slots: Some(&table),
                seqs: None,
                snaps: None,
            };
            let (prog, views) = scoped(&gpu.device, || {
                route_program(gpu, &with_state, inp, route, out)
            })?;
            prog.record(encoder, "gdn pooled", None);
            let mut reason = format!("{reason}; states read and written in place in the pool");
            if let Some(views) = views {
                reason = format!("{reason}; {views}");
            }
            return Ok(self.report(route, reason));
        }
        let (s_in, s_out) = gpu.pool_scratch(per * p.b as u64)?;
        let mut gather = Program::default();
        scoped(&gpu.device, || {
            record_move(gpu, &mut gather, (slots, &table), per, (pool, &s_in), true)
        })?;
        gather.record(encoder, "gdn pool gather", None);
        let h = p.heads;
        let with_state = GpuInputs {
            state: Some(GpuTensor {
                buffer: &s_in,
                elem: Elem::Float(DType::F32),
                shape: vec![p.b, h.hv, h.dv, h.dk],
                offset: 0,
                row_stride: None,
            }),
            ..inp.clone()
        };
        let report = self.encode_timed(encoder, &with_state, y, &s_out, opts, None)?;
        let mut scatter = Program::default();
        scoped(&gpu.device, || {
            record_move(
                gpu,
                &mut scatter,
                (slots, &table),
                per,
                (pool, &s_out),
                false,
            )
        })?;
        scatter.record(encoder, "gdn pool scatter", None);
        Ok(report)
    }
    /// Refuses `bytes` of one tensor (`what`) in a storage binding past the limit.
    pub(super) fn binding_fits(&self, what: &str, bytes: usize) -> Result<()> {
        match self.binding_limit() {
            Some(limit) if bytes as u64 > limit => Err(Error::Limit {
                what: format!("{what} in one storage binding"),
                needed: bytes as u64,
                limit,
            }),
            _ => Ok(()),
        }
    }
    /// GPU-buffer calls are not split: refuses one whose tensor (input, y or new state) exceeds
    /// the binding limit, naming it.
    pub(super) fn bindings_fit(&self, p: &Problem, inp: &GpuInputs<'_>) -> Result<()> {
        let Some(limit) = self.binding_limit() else {
            return Ok(());
        };
        let outputs = [
            ("y", (p.y_len() * p.dtype.size()) as u64),
            ("new state", (p.state_len() * 4) as u64),
        ];
        // A row-strided view binds the bytes to the end of its last row.
        let inputs = named(inp).into_iter().map(|(n, t)| (n, t.bytes()));
        match inputs.chain(outputs).find(|&(_, b)| b > limit) {
            Some((name, needed)) => Err(Error::Limit {
                what: format!(
                    "tensor `{name}` in one storage binding (GPU-buffer calls are not split; \
                     host calls are)"
                ),
                needed,
                limit,
            }),
            None => Ok(()),
        }
    }
    /// Binds a prepared call to new output buffers, records it and submits it.
    pub(super) fn run_gpu(
        &self,
        gpu: &GpuDevice,
        inp: &GpuInputs<'_>,
        call: PreparedCall,
    ) -> Result<GpuOutput> {
        let p = &call.problem;
        let y = output_buffer(gpu, "gdn y", p.y_len() * p.dtype.size());
        let state = output_buffer(gpu, "gdn state", p.state_len() * 4);
        let bound = self.bind(&call, inp, &GpuOutputs::new(p, &y, &state))?;
        let mut enc = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("gdn update"),
            });
        bound.record(&mut enc);
        gpu.queue.submit(Some(enc.finish()));
        Ok(GpuOutput {
            y,
            state,
            report: bound.report,
        })
    }
}

/// The dispatches of one routed call: gathers of row-strided views the path does not read in
/// place, q/k normalisation where the kernel does not do it itself, then the op. Returns them
/// with what the report says of the views, if there are any.
pub(super) fn route_program(
    gpu: &GpuDevice,
    p: &Problem,
    inp: &GpuInputs<'_>,
    route: Route,
    out: OutBuffers<'_>,
) -> Result<(Program, Option<String>)> {
    let mut prog = Program::default();
    // q/k normalisation: the recurrent kernel's unstaged entry point does it itself (decode and
    // short calls, where a pass of its own cost as much as the op); otherwise dispatches before
    // the op, which then reads the normalised copies (and is told they are).
    let in_kernel = matches!(route, Route::Kernel(v, staged) if !(staged && v.staged))
        && out.seqs.is_none()
        && out.snaps.is_none();
    let qk_pass = p.qk_l2norm && !in_kernel && p.y_len() > 0;
    // Row-strided views: the recurrent kernel reads them in place (q and k unless a pass
    // normalises them first); every other path reads dense copies gathered here. An empty call
    // reads none of them.
    let on_kernel = matches!(route, Route::Kernel(..));
    let align = u64::from(gpu.device.limits().min_storage_buffer_offset_alignment);
    let vec4 = p.heads.dk.is_multiple_of(4);
    let keep = [
        on_kernel && !qk_pass && kernel_reads(&inp.q, vec4, align),
        on_kernel && !qk_pass && kernel_reads(&inp.k, vec4, align),
        on_kernel && kernel_reads(&inp.v, false, align),
    ];
    let keep = if p.y_len() == 0 { [true; 3] } else { keep };
    let gathered = gather_views(gpu, &mut prog, inp, keep)?;
    let views = gathered.note().filter(|_| p.y_len() > 0);
    let gathered_inputs = gathered.inputs(inp);
    let inp = &gathered_inputs;
    let normalised = if qk_pass {
        Some(crate::gpu::normalise_qk(gpu, &mut prog, &out.rows(p), inp)?)
    } else {
        None
    };
    let normalised_inputs = normalised.as_ref().map(|n| n.inputs(inp));
    let inp = normalised_inputs.as_ref().unwrap_or(inp);
    let p = &Problem {
        qk_l2norm: p.qk_l2norm && in_kernel,
        ..*p
    };
    match route {
        Route::Kernel(v, staged) if p.y_len() > 0 => {
            kernel_steps(gpu, &mut prog, p, inp, (v, staged), out)?
        }
        Route::Chunked(m, sc) if p.y_len() > 0 => {
            chunked_steps(gpu, &mut prog, p, inp, (m, sc), out)?
        }
        _ => ops_steps(gpu, &mut prog, p, inp, out)?,
    }
    Ok((prog, views))
}

/// An output buffer of `bytes` (rounded up to 4) that the caller can read back and copy into.
pub(super) fn output_buffer(gpu: &GpuDevice, label: &str, bytes: usize) -> wgpu::Buffer {
    gpu.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: padded_bytes(bytes).max(4),
        usage: wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_SRC
            | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

pub(super) fn check_out(p: &Problem, y: &wgpu::Buffer, s: &wgpu::Buffer) -> Result<()> {
    check_out_bytes((y, p.y_len() * p.dtype.size()), (s, p.state_len() * 4))
}

/// Refuses output buffers smaller than the bytes they receive (rounded up to 4).
pub(super) fn check_out_bytes(
    (y, y_bytes): (&wgpu::Buffer, usize),
    (s, s_bytes): (&wgpu::Buffer, usize),
) -> Result<()> {
    let need_y = padded_bytes(y_bytes);
    if y.size() < need_y {
        return Err(Error::Buffer {
            tensor: "y",
            reason: format!("{} bytes, needs {need_y}", y.size()),
        });
    }
    let need_s = padded_bytes(s_bytes);
    if s.size() < need_s {
        return Err(Error::Buffer {
            tensor: "state_out",
            reason: format!("{} bytes, needs {need_s}", s.size()),
        });
    }
    Ok(())
}

/// [`check_finite`] on a GPU buffer's first `n` elements, read back (the buffer needs
/// `COPY_SRC`; the check is a debugging aid and costs a round trip per tensor); with `rows`
/// (elements per row, row stride), those of a row-strided view.
pub(super) fn check_finite_buffer(
    gpu: &GpuDevice,
    name: &'static str,
    (buffer, offset): (&wgpu::Buffer, u64),
    elem: Elem,
    (n, rows): (usize, Option<(usize, usize)>),
) -> Result<()> {
    if !buffer.usage().contains(wgpu::BufferUsages::COPY_SRC) {
        return Err(Error::Buffer {
            tensor: name,
            reason: "check_finite reads it back, so it needs COPY_SRC usage".into(),
        });
    }
    if n == 0 {
        return Ok(());
    }
    let size = elem.size();
    // Validated views: whole rows, the last inside the buffer.
    let span = rows.map_or(n, |(row, stride)| (n / row.max(1) - 1) * stride + row);
    let read: Vec<u8> = read_pod(&gpu.device, &gpu.queue, buffer, offset, span * size)?;
    let dense: Vec<u8>;
    let bytes = match rows {
        None => &read[..n * size],
        Some((row, stride)) => {
            dense = read[..span * size]
                .chunks(stride * size)
                .flat_map(|r| &r[..row * size])
                .copied()
                .collect();
            &dense
        }
    };
    match elem {
        Elem::Float(DType::F32) => {
            check_finite(name, &HostData::F32(&bytemuck::pod_collect_to_vec(bytes)))
        }
        Elem::Float(DType::F16) => {
            check_finite(name, &HostData::F16(&bytemuck::pod_collect_to_vec(bytes)))
        }
        Elem::Float(DType::BF16) => {
            check_finite(name, &HostData::BF16(&bytemuck::pod_collect_to_vec(bytes)))
        }
        Elem::U8 => Ok(()),
    }
}
