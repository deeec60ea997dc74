//! A stack's GPU work for one batch shape `[B, T]`, made once: activation buffers, every bind group
//! and parameter block, the bound gated-delta op of each layer, the readback buffer and the
//! timestamp queries. Running a step writes the input, records one compute pass and reads the
//! output back; it creates no wgpu object.

use super::weights::GpuWeights;
use super::{buffer, DecodeParams, Kernels, MatvecParams, Op, Params};
use crate::weights::Dims;
use crate::{Error, Result};
use gdn_runtime::gpu::init_buffer;
use gdn_runtime::{
    wgpu, BoundCall, CallOptions, Context, DType, DispatchReport, Gate, GpuInputs, GpuOutputs,
    GpuTensor, PathTaken, Problem,
};
use std::sync::Arc;

/// The recurrent caches of one layer for a batch of B sequences: the conv state, double-buffered
/// (`conv[cur]` is the current one; a step reads it and writes the other), and the state
/// `[B, Hv, Dv, Dk]`, updated in place.
pub(crate) struct LayerState {
    pub conv: [wgpu::Buffer; 2],
    pub state: wgpu::Buffer,
    pub cur: usize,
}

impl LayerState {
    /// Zero caches for `b` sequences.
    pub(crate) fn zeros(device: &wgpu::Device, d: &Dims, b: usize) -> Self {
        let conv_len = b * (d.k - 1) * d.conv_channels();
        Self {
            conv: [
                buffer(device, "conv state", conv_len),
                buffer(device, "conv state", conv_len),
            ],
            state: buffer(device, "state", b * d.hv * d.dv * d.dk),
            cur: 0,
        }
    }

    /// Records zeroing both conv states and the state into `enc`; the current conv state becomes
    /// `conv[0]`.
    pub(crate) fn clear(&mut self, enc: &mut wgpu::CommandEncoder) {
        for b in self.conv.iter().chain([&self.state]) {
            enc.clear_buffer(b, 0, None);
        }
        self.cur = 0;
    }
}

/// One recorded step of a layer.
enum Step {
    Dispatch {
        name: &'static str,
        pipeline: wgpu::ComputePipeline,
        bind_group: wgpu::BindGroup,
        groups: (u32, u32),
    },
    /// The layer's gated-delta op (its bound call).
    Op,
}

impl Step {
    /// Records the step into `pass` (the layer's bound op for [`Step::Op`]).
    fn record(&self, layer: &LayerPlan, pass: &mut wgpu::ComputePass<'_>) {
        match self {
            Step::Dispatch {
                pipeline,
                bind_group,
                groups,
                ..
            } => {
                pass.set_pipeline(pipeline);
                pass.set_bind_group(0, bind_group, &[]);
                pass.dispatch_workgroups(groups.0, groups.1, 1);
            }
            Step::Op => {
                if let Some(op) = &layer.op {
                    op.record_in_pass(pass);
                }
            }
        }
    }
}

struct LayerPlan {
    /// Steps when the current conv state is `conv[0]`, and when it is `conv[1]`.
    steps: [Vec<Step>; 2],
    op: Option<BoundCall>,
}

/// A stack's work for one `[B, T]`.
pub(crate) struct Plan {
    pub b: usize,
    pub t: usize,
    hidden: usize,
    input: wgpu::Buffer,
    /// The input's staging buffer (`MAP_WRITE`), mapped again while the GPU runs a step, so the
    /// next step's upload is a copy into mapped memory and the pass's first command copies it to
    /// `input` (`queue.write_buffer` would make a staging buffer and an extra command buffer in
    /// the submission each step).
    upload: wgpu::Buffer,
    /// Whether `upload` is mapped now.
    upload_mapped: std::sync::atomic::AtomicBool,
    outputs: [wgpu::Buffer; 2],
    layers: Vec<LayerPlan>,
    staging: wgpu::Buffer,
    timer: Option<(wgpu::QuerySet, wgpu::Buffer)>,
    /// The next step's command buffer, recorded ahead, and the conv-state slots it was recorded for.
    ahead: std::sync::Mutex<Option<(Vec<usize>, wgpu::CommandBuffer)>>,
    /// One report per layer: the fused module, or the op's path (and why the layer is unfused).
    pub reports: Vec<DispatchReport>,
}

/// Bytes the output occupies in the staging buffer before the two timestamps.
fn out_bytes(m: usize, hidden: usize) -> u64 {
    ((m * hidden * 4) as u64).div_ceil(8) * 8
}

struct Builder<'a> {
    device: &'a wgpu::Device,
    k: &'a Kernels,
    /// Parameter blocks by content: the layers of a stack share their (identical) blocks, so a
    /// step's pass tracks a few uniform buffers rather than three a layer.
    uniforms: std::cell::RefCell<Vec<(Vec<u8>, wgpu::Buffer)>>,
}

impl Builder<'_> {
    fn uniform(&self, label: &str, bytes: &[u8]) -> wgpu::Buffer {
        let mut made = self.uniforms.borrow_mut();
        if let Some((_, b)) = made.iter().find(|(c, _)| c == bytes) {
            return b.clone();
        }
        let b = init_buffer(self.device, label, bytes, wgpu::BufferUsages::UNIFORM);
        made.push((bytes.to_vec(), b.clone()));
        b
    }

    /// A bind group of the layer layout: `reads` at bindings 1-3, `writes` at 4-6.
    fn group(
        &self,
        params: &wgpu::Buffer,
        reads: [Option<&wgpu::Buffer>; 3],
        writes: [Option<&wgpu::Buffer>; 3],
    ) -> wgpu::BindGroup {
        let mut entries = vec![wgpu::BindGroupEntry {
            binding: 0,
            resource: params.as_entire_binding(),
        }];
        for (i, b) in reads.iter().enumerate() {
            entries.push(wgpu::BindGroupEntry {
                binding: 1 + i as u32,
                resource: b.unwrap_or(&self.k.dummy_r).as_entire_binding(),
            });
        }
        for (i, b) in writes.iter().enumerate() {
            entries.push(wgpu::BindGroupEntry {
                binding: 4 + i as u32,
                resource: b.unwrap_or(&self.k.dummy_w[i]).as_entire_binding(),
            });
        }
        self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("gdn layer"),
            layout: &self.k.layout,
            entries: &entries,
        })
    }

    fn op(
        &self,
        op: Op,
        p: &Params,
        params: &wgpu::Buffer,
        reads: [Option<&wgpu::Buffer>; 3],
        writes: [Option<&wgpu::Buffer>; 3],
    ) -> Step {
        let (pipeline, groups) = self.k.op(op, p);
        Step::Dispatch {
            name: op.name(),
            pipeline: pipeline.clone(),
            bind_group: self.group(params, reads, writes),
            groups,
        }
    }
}

impl Plan {
    /// Makes the work of `layers` (with their caches `states`) for `[B, T]` tokens.
    pub(crate) fn new(
        ctx: &Context,
        kernels: &Arc<Kernels>,
        layers: &[&GpuWeights],
        states: &[LayerState],
        (dims, eps): (Dims, f32),
        (b, t): (usize, usize),
        opts: CallOptions,
    ) -> Result<Self> {
        let dev = ctx.gpu().ok_or_else(|| Error::Input {
            name: "context",
            reason: "has no GPU".into(),
        })?;
        let device = &dev.device;
        let d = dims;
        let (m, c, vw) = (b * t, d.conv_channels(), d.value_width());
        let bld = Builder {
            device,
            k: kernels,
            uniforms: Default::default(),
        };
        let n_in = layers.first().map_or(c + vw + 2 * d.hv, |w| w.in_proj.n);
        // Activations, shared by the layers (they run one after another in the pass).
        let input = buffer(device, "hidden in", m * d.hidden);
        let upload = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("gdn stack upload"),
            size: (m * d.hidden * 4) as u64,
            usage: wgpu::BufferUsages::MAP_WRITE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: true,
        });
        let outputs = [
            buffer(device, "hidden", m * d.hidden),
            buffer(device, "hidden", m * d.hidden),
        ];
        let proj = buffer(device, "in_proj out", m * n_in);
        let conv_out = buffer(device, "conv out", m * c);
        let (q, k, v) = (
            buffer(device, "q", m * d.hk * d.dk),
            buffer(device, "k", m * d.hk * d.dk),
            buffer(device, "v", m * vw),
        );
        let (gate_b, gate_a) = (buffer(device, "b", m * d.hv), buffer(device, "a", m * d.hv));
        // The fused module's y is followed by its per-block sums of y².
        let blocks = kernels
            .decode
            .as_ref()
            .map_or(1, |(_, _, m)| d.dv.div_ceil(m.workgroup as usize));
        let y = buffer(device, "y", m * vw + m * d.hv * blocks);
        let yn = buffer(device, "y norm", m * vw);

        let p = Params {
            m: m as u32,
            n: c as u32,
            k: d.k as u32,
            t: t as u32,
            b: b as u32,
            hk: d.hk as u32,
            hv: d.hv as u32,
            dk: d.dk as u32,
            dv: d.dv as u32,
            eps,
            ld: n_in as u32,
            off: (c + vw) as u32,
        };
        let p_norm = Params { off: c as u32, ..p };
        let u_conv = bld.uniform("gdn layer params", bytemuck::bytes_of(&p));
        let u_norm = bld.uniform("gdn layer params", bytemuck::bytes_of(&p_norm));
        // The fused module serves decode steps of the automatic path (a forced path, kept for
        // comparisons, runs the op as forced).
        let fused = kernels
            .decode
            .as_ref()
            .filter(|_| t == 1 && opts.path == gdn_runtime::PathChoice::Auto);
        let u_decode = fused.map(|_| {
            let dp = DecodeParams {
                b: b as u32,
                c: c as u32,
                n_in: n_in as u32,
                k: d.k as u32,
                eps,
                pad: [0; 3],
            };
            bld.uniform("gdn decode layer params", bytemuck::bytes_of(&dp))
        });

        // The op's call, prepared once for the stack (every layer has the same problem).
        let f = |buf, shape: &[usize]| GpuTensor::new(buf, DType::F32, shape);
        let first = layers.first().zip(states.first());
        let mut call = None;
        if let Some((w, s)) = first {
            let inputs = op_inputs(&f, (&q, &k, &v), (&gate_a, &gate_b), w, s, (b, t), &d);
            call = Some(ctx.prepare(&Problem::of(&inputs)?, opts)?);
        }

        let mut plans = Vec::with_capacity(layers.len());
        let mut reports = Vec::with_capacity(layers.len());
        for (i, (w, s)) in layers.iter().zip(states).enumerate() {
            let x_in = if i == 0 {
                &input
            } else {
                &outputs[(i - 1) % 2]
            };
            let x_out = &outputs[i % 2];
            let mv_in = w.in_proj.params(m);
            let mv_out = w.out_proj.params(m);
            let u_in = bld.uniform("gdn in_proj params", bytemuck::bytes_of(&mv_in));
            let u_out = bld.uniform("gdn out_proj params", bytemuck::bytes_of(&mv_out));
            // x is bound twice (as f32 and as vec4).
            let matvec =
                |u: &wgpu::Buffer, mp, x: &wgpu::Buffer, wm: &super::weights::Matrix, o| {
                    let (pipeline, groups) = kernels.matvec(wm.dtype != DType::F32, &mp);
                    Step::Dispatch {
                        name: wm.name,
                        pipeline: pipeline.clone(),
                        bind_group: bld.group(
                            u,
                            [Some(x), Some(&wm.buffer), Some(x)],
                            [Some(o), None, None],
                        ),
                        groups,
                    }
                };
            let call = call.as_ref().ok_or_else(|| Error::Input {
                name: "layers",
                reason: "none to plan".into(),
            })?;
            let mut layer = LayerPlan {
                steps: [Vec::new(), Vec::new()],
                op: None,
            };
            if let (Some((layout, pipeline, module)), Some(u)) = (fused, &u_decode) {
                // out_proj reads the module's gated y, each value head scaled by 1/rms (from the
                // module's sums of squares).
                let mv_out_norm = MatvecParams {
                    norm_blocks: blocks as u32,
                    dv: d.dv as u32,
                    eps,
                    ..mv_out
                };
                let u_out_norm =
                    &bld.uniform("gdn out_proj params", bytemuck::bytes_of(&mv_out_norm));
                for cur in 0..2 {
                    let group = device.create_bind_group(&wgpu::BindGroupDescriptor {
                        label: Some(module.name),
                        layout,
                        entries: &[
                            (u, 0),
                            (&proj, 1),
                            (&w.conv, 2),
                            (&s.conv[cur], 3),
                            (&w.consts, 4),
                            (&s.state, 5),
                            (&s.conv[1 - cur], 6),
                            (&y, 7),
                        ]
                        .map(|(b, i)| wgpu::BindGroupEntry {
                            binding: i,
                            resource: b.as_entire_binding(),
                        }),
                    });
                    layer.steps[cur] = vec![
                        matvec(&u_in, mv_in, x_in, &w.in_proj, &proj),
                        Step::Dispatch {
                            name: "decode layer",
                            pipeline: pipeline.clone(),
                            bind_group: group,
                            groups: ((d.hv * blocks) as u32, b as u32),
                        },
                        matvec(u_out_norm, mv_out_norm, &y, &w.out_proj, x_out),
                    ];
                }
                reports.push(DispatchReport {
                    path: PathTaken::Kernel {
                        variant: module.name,
                    },
                    device: call.report().device.clone(),
                    reason: "fused decode layer: conv, q/k norms, gates and the recurrence step \
                             in one dispatch; the gated norm in out_proj's reads"
                        .into(),
                });
            } else {
                let inputs = op_inputs(&f, (&q, &k, &v), (&gate_a, &gate_b), w, s, (b, t), &d);
                let outputs = GpuOutputs {
                    y: f(&y, &[b, t, d.hv, d.dv]),
                    state: f(&s.state, &[b, d.hv, d.dv, d.dk]),
                };
                let bound = ctx.bind(call, &inputs, &outputs)?;
                let mut report = bound.report().clone();
                if t == 1 && kernels.decode.is_some() {
                    report.reason =
                        format!("{}; layer unfused: the op's path is forced", report.reason);
                } else if t == 1 {
                    let why = format!(
                        "layer unfused: no decode-layer module for {}",
                        gdn_runtime::HeadShape::new(d.hk, d.hv, d.dk, d.dv)
                    );
                    if i == 0 {
                        log::warn!("gdn: {why}; decoding through the unfused kernels");
                    }
                    report.reason = format!("{}; {why}", report.reason);
                }
                reports.push(report);
                layer.op = Some(bound);
                for cur in 0..2 {
                    let (conv_in, conv_next) = (&s.conv[cur], &s.conv[1 - cur]);
                    layer.steps[cur] = vec![
                        matvec(&u_in, mv_in, x_in, &w.in_proj, &proj),
                        bld.op(
                            Op::ConvSilu,
                            &p,
                            &u_conv,
                            [Some(&proj), Some(&w.conv), Some(conv_in)],
                            [Some(&conv_out), None, None],
                        ),
                        bld.op(
                            Op::ConvState,
                            &p,
                            &u_conv,
                            [Some(&proj), None, Some(conv_in)],
                            [Some(conv_next), Some(&gate_b), Some(&gate_a)],
                        ),
                        bld.op(
                            Op::SplitNorm,
                            &p,
                            &u_conv,
                            [Some(&conv_out), None, None],
                            [Some(&q), Some(&k), Some(&v)],
                        ),
                        Step::Op,
                        bld.op(
                            Op::GatedNorm,
                            &p_norm,
                            &u_norm,
                            [Some(&y), Some(&proj), Some(&w.norm)],
                            [Some(&yn), None, None],
                        ),
                        matvec(&u_out, mv_out, &yn, &w.out_proj, x_out),
                    ];
                }
            }
            plans.push(layer);
        }
        let timer = device
            .features()
            .contains(wgpu::Features::TIMESTAMP_QUERY)
            .then(|| {
                let set = device.create_query_set(&wgpu::QuerySetDescriptor {
                    label: Some("gdn stack timer"),
                    ty: wgpu::QueryType::Timestamp,
                    count: 2,
                });
                let resolve = device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("gdn stack timer"),
                    size: 16,
                    usage: wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
                    mapped_at_creation: false,
                });
                (set, resolve)
            });
        let staging = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("gdn stack readback"),
            size: out_bytes(m, d.hidden) + 16,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        Ok(Self {
            b,
            t,
            hidden: d.hidden,
            input,
            upload,
            upload_mapped: std::sync::atomic::AtomicBool::new(true),
            outputs,
            layers: plans,
            staging,
            timer,
            ahead: std::sync::Mutex::new(None),
            reports,
        })
    }

    /// Writes `x` into the upload buffer (mapping it first if the last step could not) and unmaps
    /// it for the step's submission.
    fn write_input(&self, device: &wgpu::Device, x: &[f32]) -> Result<()> {
        use std::sync::atomic::Ordering;
        if !self.upload_mapped.load(Ordering::Acquire) {
            let rx = request_map(&self.upload, wgpu::MapMode::Write);
            device
                .poll(wgpu::PollType::wait_indefinitely())
                .map_err(|e| gpu_err(format!("waiting for the upload buffer: {e}")))?;
            rx.recv()
                .map_err(|_| gpu_err("upload callback dropped".into()))?
                .map_err(|e| gpu_err(format!("mapping the upload buffer: {e}")))?;
        }
        {
            let mut view = self
                .upload
                .slice(..)
                .get_mapped_range_mut()
                .map_err(|e| gpu_err(format!("writing the upload buffer: {e}")))?;
            view.copy_from_slice(bytemuck::cast_slice(x));
        }
        self.upload.unmap();
        self.upload_mapped.store(false, Ordering::Release);
        Ok(())
    }

    /// Records the stack's pass for the caches' current slots `curs` (one per layer), the copy
    /// of the output to the readback buffer and the timestamps' resolve.
    fn record(&self, device: &wgpu::Device, curs: &[usize]) -> wgpu::CommandBuffer {
        let m = self.b * self.t;
        let mut enc = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("gdn stack"),
        });
        let bytes = (m * self.hidden * 4) as u64;
        enc.copy_buffer_to_buffer(&self.upload, 0, &self.input, 0, bytes);
        {
            let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some("gdn stack"),
                timestamp_writes: self.timer.as_ref().map(|(set, _)| {
                    wgpu::ComputePassTimestampWrites {
                        query_set: set,
                        beginning_of_pass_write_index: Some(0),
                        end_of_pass_write_index: Some(1),
                    }
                }),
            });
            for (layer, &cur) in self.layers.iter().zip(curs) {
                for step in &layer.steps[cur] {
                    step.record(layer, &mut pass);
                }
            }
        }
        let last = &self.outputs[(self.layers.len().max(1) - 1) % 2];
        enc.copy_buffer_to_buffer(last, 0, &self.staging, 0, bytes);
        if let Some((set, resolve)) = &self.timer {
            enc.resolve_query_set(set, 0..2, resolve, 0);
            enc.copy_buffer_to_buffer(resolve, 0, &self.staging, out_bytes(m, self.hidden), 16);
        }
        enc.finish()
    }

    /// Runs the stack on `x` `[B, T, hidden]` into `out` (as long): one upload, one pass, one
    /// readback. Flips each layer's current conv state. Returns the step's times.
    ///
    /// With `ahead`, the next step's command buffer is recorded while the GPU runs this one (a
    /// step's commands depend only on which conv-state slot is current, not on the data), so the
    /// next call only uploads and submits; a step whose slots differ from the recorded ones (after
    /// a reset) records its own.
    pub(crate) fn run(
        &self,
        ctx: &Context,
        states: &mut [LayerState],
        x: &[f32],
        out: &mut [f32],
        ahead: bool,
    ) -> Result<StepTimes> {
        let started = std::time::Instant::now();
        let dev = ctx.gpu().ok_or_else(|| Error::Input {
            name: "context",
            reason: "has no GPU".into(),
        })?;
        let (device, queue) = (&dev.device, &dev.queue);
        let m = self.b * self.t;
        let curs: Vec<usize> = states.iter().map(|s| s.cur).collect();
        let recorded = {
            let mut slot = self.ahead.lock().unwrap_or_else(|e| e.into_inner());
            slot.take().filter(|(c, _)| *c == curs).map(|(_, cmd)| cmd)
        };
        let cmd = match recorded {
            Some(cmd) => cmd,
            None => self.record(device, &curs),
        };
        self.write_input(device, x)?;
        queue.submit(Some(cmd));
        let host_ns = started.elapsed().as_secs_f64() * 1e9;
        let mut ahead_ns = 0.0;
        if ahead {
            let t0 = std::time::Instant::now();
            let next: Vec<usize> = curs.iter().map(|c| 1 - c).collect();
            let cmd = self.record(device, &next);
            *self.ahead.lock().unwrap_or_else(|e| e.into_inner()) = Some((next, cmd));
            ahead_ns = t0.elapsed().as_secs_f64() * 1e9;
        }
        let n = out_bytes(m, self.hidden);
        let slice = self.staging.slice(..);
        let rx = request_map(&self.staging, wgpu::MapMode::Read);
        // The upload buffer maps in the same wait, ready for the next step.
        let up_rx = request_map(&self.upload, wgpu::MapMode::Write);
        device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| gpu_err(format!("waiting for the stack: {e}")))?;
        rx.recv()
            .map_err(|_| gpu_err("readback callback dropped".into()))?
            .map_err(|e| gpu_err(format!("mapping the readback: {e}")))?;
        if matches!(up_rx.recv(), Ok(Ok(()))) {
            self.upload_mapped
                .store(true, std::sync::atomic::Ordering::Release);
        }
        let ns = {
            let view = slice
                .get_mapped_range()
                .map_err(|e| gpu_err(format!("reading the readback: {e}")))?;
            let bytes = &view[..m * self.hidden * 4];
            match bytemuck::try_cast_slice::<u8, f32>(bytes) {
                Ok(v) => out.copy_from_slice(v),
                // A mapping is aligned in practice; read it value by value otherwise.
                Err(_) => {
                    for (o, c) in out.iter_mut().zip(bytes.chunks_exact(4)) {
                        *o = bytemuck::pod_read_unaligned(c);
                    }
                }
            }
            let ns = self.timer.as_ref().map(|_| {
                let t: [u64; 2] = bytemuck::pod_read_unaligned(&view[n as usize..n as usize + 16]);
                t[1].saturating_sub(t[0]) as f64 * f64::from(queue.get_timestamp_period())
            });
            ns
        };
        self.staging.unmap();
        for s in states.iter_mut() {
            s.cur = 1 - s.cur;
        }
        Ok(StepTimes {
            gpu_ns: ns,
            host_ns,
            ahead_ns,
        })
    }
}

/// What one step of a stack cost.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct StepTimes {
    /// GPU time of the pass, where the device has timestamp queries.
    pub gpu_ns: Option<f64>,
    /// Host time before the GPU starts: upload the input, record the pass unless it was recorded
    /// ahead, and submit it.
    pub host_ns: f64,
    /// Host time spent recording the next step while the GPU runs this one (0 when not recorded
    /// ahead).
    pub ahead_ns: f64,
}

impl Plan {
    /// GPU time of each step of a layer: step `i` of every layer in turn (each layer's own
    /// weights, as a token reads them, so a projection is not timed from the cache), `reps` times
    /// in a timed pass of its own after one untimed warm-up pass: `(step, µs per layer)`. The
    /// repeated steps overwrite the caches; reset them after.
    pub(crate) fn profile(
        &self,
        ctx: &Context,
        states: &[LayerState],
        reps: usize,
    ) -> Result<Vec<(&'static str, f64)>> {
        let (Some(dev), Some((set, resolve)), Some(first), Some(s0)) =
            (ctx.gpu(), &self.timer, self.layers.first(), states.first())
        else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (i, step) in first.steps[s0.cur].iter().enumerate() {
            let mut ns = 0.0;
            for _warm_then_timed in 0..2 {
                let mut enc = dev.device.create_command_encoder(&Default::default());
                {
                    let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor {
                        label: Some("gdn profile"),
                        timestamp_writes: Some(wgpu::ComputePassTimestampWrites {
                            query_set: set,
                            beginning_of_pass_write_index: Some(0),
                            end_of_pass_write_index: Some(1),
                        }),
                    });
                    for _ in 0..reps {
                        for (layer, s) in self.layers.iter().zip(states) {
                            if let Some(st) = layer.steps[s.cur].get(i) {
                                st.record(layer, &mut pass);
                            }
                        }
                    }
                }
                enc.resolve_query_set(set, 0..2, resolve, 0);
                dev.queue.submit(Some(enc.finish()));
                let t: Vec<u64> = bytemuck::pod_collect_to_vec(&gdn_runtime::gpu::read_buffer(
                    &dev.device,
                    &dev.queue,
                    resolve,
                    16,
                )?);
                ns = t[1].saturating_sub(t[0]) as f64 * f64::from(dev.queue.get_timestamp_period());
            }
            let name: &'static str = match step {
                Step::Dispatch { name, .. } => name,
                Step::Op => "gated-delta op",
            };
            let runs = (reps * self.layers.len()).max(1) as f64;
            out.push((name, ns / 1e3 / runs));
        }
        Ok(out)
    }
}

/// Requests a map of all of `buf`; the receiver gets its outcome when a poll delivers it.
fn request_map(
    buf: &wgpu::Buffer,
    mode: wgpu::MapMode,
) -> std::sync::mpsc::Receiver<std::result::Result<(), wgpu::BufferAsyncError>> {
    let (tx, rx) = std::sync::mpsc::channel();
    buf.slice(..).map_async(mode, move |r| {
        let _ = tx.send(r);
    });
    rx
}

fn gpu_err(s: String) -> Error {
    Error::Op(gdn_runtime::Error::Gpu(s))
}

/// The op's inputs for one layer: dense q, k, v, raw gates and the layer's state.
fn op_inputs<'a>(
    f: &impl Fn(&'a wgpu::Buffer, &[usize]) -> GpuTensor<'a>,
    (q, k, v): (&'a wgpu::Buffer, &'a wgpu::Buffer, &'a wgpu::Buffer),
    (a, b_gate): (&'a wgpu::Buffer, &'a wgpu::Buffer),
    w: &'a GpuWeights,
    s: &'a LayerState,
    (b, t): (usize, usize),
    d: &Dims,
) -> GpuInputs<'a> {
    let bth = [b, t, d.hv];
    GpuInputs {
        q: f(q, &[b, t, d.hk, d.dk]),
        k: f(k, &[b, t, d.hk, d.dk]),
        v: f(v, &[b, t, d.hv, d.dv]),
        gate: Gate::Raw {
            a: f(a, &bth),
            b: f(b_gate, &bth),
            a_log: f(&w.a_log, &[d.hv]),
            dt_bias: f(&w.dt_bias, &[d.hv]),
        },
        state: Some(f(&s.state, &[b, d.hv, d.dv, d.dk])),
        mask: None,
    }
}
