//! The ops path on the GPU: generic primitive shaders, five dispatches per time step.

use super::device::GpuDevice;
use super::helpers::OpsPipelines;
use super::outputs::OutBuffers;
use super::program::{BufferRange, Program};
use super::util::{grid, init_buffer};
use crate::tensor::{Elem, Gate, GateForm, GpuInputs, GpuTensor, HeadMap, Problem};
use crate::{DType, Error, Result};

const PARAM_WORDS: usize = 12;
const PARAM_BYTES: u64 = (PARAM_WORDS * 4) as u64;

/// Element code shared with the shaders: 0 f32, 1 f16, 2 bf16, 3 u8.
pub(crate) fn code(e: Elem) -> u32 {
    match e {
        Elem::Float(DType::F32) => 0,
        Elem::Float(DType::F16) => 1,
        Elem::Float(DType::BF16) => 2,
        Elem::U8 => 3,
    }
}

/// Buffers of one ops dispatch: in0..in3, out0, out1 (`None`: a placeholder).
type Binds = [Option<BufferRange>; 6];

/// A batch of dispatches with their parameter slots, appended to a [`Program`] by
/// [`Recorder::finish`].
pub(crate) struct Recorder<'a> {
    dev: &'a GpuDevice,
    ops: &'a OpsPipelines,
    p: Problem,
    stride: u64,
    params: Vec<u8>,
    steps: Vec<(&'a wgpu::ComputePipeline, usize, Binds, u32)>,
}

/// `Some(range)` of a whole buffer.
fn w(b: &wgpu::Buffer) -> Option<BufferRange> {
    Some(BufferRange::whole(b))
}

impl<'a> Recorder<'a> {
    pub(crate) fn new(dev: &'a GpuDevice, p: Problem) -> Result<Self> {
        let align = u64::from(dev.device.limits().min_uniform_buffer_offset_alignment);
        Ok(Self {
            dev,
            ops: dev.ops_pipelines()?,
            p,
            stride: PARAM_BYTES.div_ceil(align) * align,
            params: Vec::new(),
            steps: Vec::new(),
        })
    }

    /// A parameter slot; returns its index.
    fn slot(&mut self, n: usize, step: usize, gcols: usize, code: u32, op: u32) -> usize {
        let p = &self.p;
        let words: [u32; PARAM_WORDS] = [
            n as u32,
            p.b as u32,
            p.t as u32,
            p.heads.hk as u32,
            p.heads.hv as u32,
            p.heads.dk as u32,
            p.heads.dv as u32,
            step as u32,
            gcols as u32,
            code,
            op,
            u32::from(p.has_mask) | (u32::from(p.head_map == HeadMap::Tiled) << 1),
        ];
        let idx = self.params.len() / self.stride as usize;
        self.params.extend_from_slice(bytemuck::cast_slice(&words));
        self.params.resize((idx + 1) * self.stride as usize, 0);
        idx
    }

    /// Queues one dispatch of `threads` threads. Buffers: in0..in3, out0, out1.
    fn push(&mut self, pipe: &'a wgpu::ComputePipeline, slot: usize, bufs: Binds, threads: usize) {
        self.steps
            .push((pipe, slot, bufs, threads.div_ceil(256) as u32));
    }

    /// `dst[i] = f32(src[i])` (`op` 1: exp; 2: zero fill) for `n` elements.
    pub(crate) fn convert(
        &mut self,
        src: BufferRange,
        e: Elem,
        dst: BufferRange,
        n: usize,
        op: u32,
    ) {
        let s = self.slot(n, 0, 1, code(e), op);
        let c = &self.ops.convert;
        self.push(c, s, [Some(src), None, None, None, Some(dst), None], n);
    }

    /// `qn`, `kn` = q and k (rows of Dk, one shape and dtype) with each row L2-normalised, in
    /// their dtype: one dispatch, 32 threads per row, where no 16-bit pair spans two rows (f32 or
    /// an even Dk); else per tensor one pass for the inverse norms (into `inv`, a row each) and
    /// one writing whole words.
    pub(crate) fn l2norm_qk(
        &mut self,
        (q, k): (&GpuTensor<'_>, &GpuTensor<'_>),
        inv: &wgpu::Buffer,
        (qn, kn): (&wgpu::Buffer, &wgpu::Buffer),
    ) {
        let n: usize = q.shape.iter().product();
        let dk = self.p.heads.dk.max(1);
        let rows = n / dk;
        let c = code(q.elem);
        if l2norm_in_one_pass(q.elem, dk) {
            let s = self.slot(rows, 0, 1, c, 0);
            let bufs = [Some(q.range()), Some(k.range()), None, None, w(qn), w(kn)];
            // 32 threads per row.
            self.push(&self.ops.l2norm_rows, s, bufs, 2 * rows * 32);
            return;
        }
        let words = n.div_ceil(2);
        for (src, dst) in [(q, qn), (k, kn)] {
            let s = self.slot(rows, 0, 1, c, 0);
            let bufs = [Some(src.range()), None, None, None, w(inv), None];
            self.push(&self.ops.l2norm_inv, s, bufs, rows);
            let s = self.slot(n, 0, 1, c, 0);
            let bufs = [Some(src.range()), w(inv), None, None, w(dst), None];
            self.push(&self.ops.l2norm_scale, s, bufs, words);
        }
    }

    /// α (decay form, f32) and β (f32) from raw a, b, A_log, dt_bias. `scratch` holds f32 buffers
    /// for `[A_log, dt_bias, alpha, beta]`.
    pub(crate) fn raw_gates(
        &mut self,
        a: &GpuTensor<'_>,
        b: &GpuTensor<'_>,
        a_log: &GpuTensor<'_>,
        dt_bias: &GpuTensor<'_>,
        scratch: [&wgpu::Buffer; 4],
    ) -> Result<()> {
        let [al, dt, alpha, beta] = scratch;
        let hv = self.p.heads.hv;
        self.convert(a_log.range(), a_log.elem, BufferRange::whole(al), hv, 0);
        self.convert(dt_bias.range(), dt_bias.elem, BufferRange::whole(dt), hv, 0);
        let n = self.p.b * self.p.t * hv;
        if a.elem == Elem::U8 {
            return Err(Error::Gpu("raw gate `a` must be a float tensor".into()));
        }
        let s = self.slot(n, 0, 1, code(a.elem), 0);
        let g = &self.ops.gates_raw;
        self.push(
            g,
            s,
            [
                Some(a.range()),
                Some(b.range()),
                w(al),
                w(dt),
                w(alpha),
                w(beta),
            ],
            n,
        );
        Ok(())
    }

    /// Appends everything queued to `prog`: one parameter buffer for all slots (bound at
    /// dynamic offsets) and one bind group per distinct set of buffers.
    pub(crate) fn finish(self, prog: &mut Program) {
        if self.steps.is_empty() {
            return;
        }
        let device = &self.dev.device;
        let ubuf = init_buffer(
            device,
            "gdn ops params",
            &self.params,
            wgpu::BufferUsages::UNIFORM,
        );
        let max_dim = device.limits().max_compute_workgroups_per_dimension;
        let r = BufferRange::whole(&self.dev.dummy);
        let wr = BufferRange::whole(&self.ops.dummy_w);
        let same = |a: &Option<BufferRange>, b: &Option<BufferRange>| match (a, b) {
            (Some(a), Some(b)) => a.buffer == b.buffer && a.offset == b.offset && a.size == b.size,
            (None, None) => true,
            _ => false,
        };
        let mut cache: Vec<(&Binds, wgpu::BindGroup)> = Vec::new();
        for (pipe, slot, bufs, groups) in &self.steps {
            let bg = match cache
                .iter()
                .find(|(k, _)| k.iter().zip(bufs).all(|(a, b)| same(a, b)))
            {
                Some((_, bg)) => bg.clone(),
                None => {
                    let mut entries = vec![wgpu::BindGroupEntry {
                        binding: 0,
                        resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                            buffer: &ubuf,
                            offset: 0,
                            size: wgpu::BufferSize::new(PARAM_BYTES),
                        }),
                    }];
                    for (i, b) in bufs.iter().enumerate() {
                        let fallback = if i < 4 { &r } else { &wr };
                        entries.push(wgpu::BindGroupEntry {
                            binding: i as u32 + 1,
                            resource: b.as_ref().unwrap_or(fallback).resource(),
                        });
                    }
                    let bg = device.create_bind_group(&wgpu::BindGroupDescriptor {
                        label: Some("gdn ops"),
                        layout: &self.ops.layout,
                        entries: &entries,
                    });
                    cache.push((bufs, bg.clone()));
                    bg
                }
            };
            let (x, y) = grid(*groups, max_dim);
            prog.push(
                pipe,
                bg,
                Some((*slot as u64 * self.stride) as u32),
                [x, y, 1],
            );
        }
    }
}

/// Whether [`Recorder::l2norm_qk`] normalises rows of `dk` values of `elem` in one pass (and so
/// needs no buffer of inverse norms): no 16-bit pair spans two rows.
pub(crate) fn l2norm_in_one_pass(elem: Elem, dk: usize) -> bool {
    code(elem) == 0 || dk.is_multiple_of(2)
}

/// A device-only f32 scratch buffer of `elems` elements (at least one).
pub(crate) fn scratch(device: &wgpu::Device, label: &str, elems: usize) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: (elems.max(1) * 4) as u64,
        usage: wgpu::BufferUsages::STORAGE,
        mapped_at_creation: false,
    })
}

/// Scratch buffers the ops path allocates per call.
struct Scratch {
    q: wgpu::Buffer,
    k: wgpu::Buffer,
    v: wgpu::Buffer,
    alpha: wgpu::Buffer,
    beta: wgpu::Buffer,
    mask: wgpu::Buffer,
    kv: wgpu::Buffer,
    y: wgpu::Buffer,
    a_log: wgpu::Buffer,
    dt_bias: wgpu::Buffer,
}

/// Appends the ops path to `prog`: converts, then decay / matvec / delta / rank-1 / matvec per
/// step, then y.
pub(crate) fn ops_steps(
    dev: &GpuDevice,
    prog: &mut Program,
    p: &Problem,
    inp: &GpuInputs<'_>,
    out: OutBuffers<'_>,
) -> Result<()> {
    let device = &dev.device;
    let (y, s_out) = (out.y, Some(out.state.clone()));
    let h = p.heads;
    let (qn, vn, gn) = (p.b * p.t * h.hk * h.dk, p.y_len(), p.b * p.t * h.hv);
    let per_key = matches!(
        p.gate,
        crate::tensor::GateKind::Direct { per_key: true, .. }
    );
    let gcols = if per_key { h.dk } else { 1 };
    let sc = Scratch {
        q: scratch(device, "gdn ops q", qn),
        k: scratch(device, "gdn ops k", qn),
        v: scratch(device, "gdn ops v", vn),
        alpha: scratch(device, "gdn ops alpha", gn * gcols),
        beta: scratch(device, "gdn ops beta", gn),
        mask: scratch(device, "gdn ops mask", p.b * p.t),
        kv: scratch(device, "gdn ops kv", p.b * h.hv * h.dv),
        y: scratch(device, "gdn ops y", vn),
        a_log: scratch(device, "gdn ops A_log", h.hv),
        dt_bias: scratch(device, "gdn ops dt_bias", h.hv),
    };
    let mut rec = Recorder::new(dev, *p)?;
    let (sn, rows) = (p.state_len(), p.b * h.hv * h.dv);
    let st = out.state.clone();
    match &inp.state {
        // In place: the state is already where the steps update it.
        _ if out.in_place => {}
        Some(s) => rec.convert(s.range(), s.elem, st, sn, 0),
        None => rec.convert(
            BufferRange::whole(&dev.dummy),
            Elem::Float(DType::F32),
            st,
            sn,
            2,
        ),
    }
    if vn == 0 {
        rec.finish(prog);
        return Ok(());
    }
    super::views::expect_dense(inp, 3, "the ops path")?;
    let e = Elem::Float(p.dtype);
    rec.convert(inp.q.range(), e, BufferRange::whole(&sc.q), qn, 0);
    rec.convert(inp.k.range(), e, BufferRange::whole(&sc.k), qn, 0);
    rec.convert(inp.v.range(), e, BufferRange::whole(&sc.v), vn, 0);
    match &inp.gate {
        Gate::Direct { g, beta, form } => {
            rec.convert(
                g.range(),
                g.elem,
                BufferRange::whole(&sc.alpha),
                gn * gcols,
                u32::from(*form == GateForm::Log),
            );
            rec.convert(beta.range(), beta.elem, BufferRange::whole(&sc.beta), gn, 0);
        }
        Gate::Raw {
            a,
            b,
            a_log,
            dt_bias,
        } => {
            rec.raw_gates(
                a,
                b,
                a_log,
                dt_bias,
                [&sc.a_log, &sc.dt_bias, &sc.alpha, &sc.beta],
            )?;
        }
    }
    if let Some(m) = &inp.mask {
        rec.convert(
            m.range(),
            Elem::U8,
            BufferRange::whole(&sc.mask),
            p.b * p.t,
            0,
        );
    }
    let ops = rec.ops;
    for t in 0..p.t {
        let s_state = rec.slot(sn, t, gcols, 0, 0);
        let s_rows = rec.slot(rows, t, gcols, 0, 0);
        let s_y = rec.slot(rows, t, gcols, 0, 1);
        rec.push(
            &ops.decay,
            s_state,
            [w(&sc.alpha), None, None, w(&sc.mask), s_out.clone(), None],
            sn,
        );
        rec.push(
            &ops.matvec,
            s_rows,
            [s_out.clone(), w(&sc.k), None, w(&sc.mask), w(&sc.kv), None],
            rows,
        );
        rec.push(
            &ops.delta,
            s_rows,
            [w(&sc.v), w(&sc.beta), None, w(&sc.mask), w(&sc.kv), None],
            rows,
        );
        rec.push(
            &ops.rank1,
            s_state,
            [w(&sc.kv), w(&sc.k), None, w(&sc.mask), s_out.clone(), None],
            sn,
        );
        rec.push(
            &ops.matvec,
            s_y,
            [s_out.clone(), w(&sc.q), None, w(&sc.mask), w(&sc.y), None],
            rows,
        );
    }
    let s_store = rec.slot(vn, 0, 1, code(e), 0);
    rec.push(
        &ops.store,
        s_store,
        [w(&sc.y), None, None, None, Some(y.clone()), None],
        vn.div_ceil(if p.dtype == DType::F32 { 1 } else { 2 }),
    );
    rec.finish(prog);
    Ok(())
}
