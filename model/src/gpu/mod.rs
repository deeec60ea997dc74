//! The layer on the GPU. Weights stay in the checkpoint's dtype ([`weights`]); a [`plan::Plan`]
//! makes every buffer, bind group and parameter block of a stack once per batch shape, and a step
//! of the whole stack is then one command encoder with one compute pass and no wgpu object made.
//! A decode step is three dispatches per layer (in_proj, the fused decode-layer module generated
//! per head shape, out_proj reading the module's output through the gated norm); prefill, and
//! decode where no module was generated, runs the unfused kernels of `layer.wgsl` around the
//! runtime's gated-delta op.

pub(crate) mod plan;
pub(crate) mod weights;

use gdn_runtime::gpu::{bind_layout, pipelines};
use gdn_runtime::wgpu;
use gdn_runtime::DecodeLayerModule;

/// Compiled layer kernels of one device.
pub(crate) struct Kernels {
    /// Uniform + 3 read-only + 3 read-write storage buffers (`layer.wgsl`, `matvec*.wgsl`).
    pub layout: wgpu::BindGroupLayout,
    conv_silu: wgpu::ComputePipeline,
    conv_state: wgpu::ComputePipeline,
    split_norm: wgpu::ComputePipeline,
    gated_norm: wgpu::ComputePipeline,
    /// `gemv` / `gemv_rows4` / `gemm4` / `gemm_tiled` on f32 weights, then on 16-bit weights.
    matvec: [[wgpu::ComputePipeline; 4]; 2],
    /// Weight rows per 32 lanes of a decode projection: `None` picks by the matrix's rows,
    /// `GDN_MATVEC_ROWS=1|4` fixes it (for measuring both forms).
    matvec_rows: Option<u32>,
    /// The fused decode-layer module of the stack's head shape, if one was generated.
    pub decode: Option<(
        wgpu::BindGroupLayout,
        wgpu::ComputePipeline,
        &'static DecodeLayerModule,
    )>,
    /// Bound where a kernel leaves a binding unused.
    pub dummy_r: wgpu::Buffer,
    /// Bound where a kernel leaves a read-write binding unused (one per slot: no aliasing).
    pub dummy_w: [wgpu::Buffer; 3],
}

impl Kernels {
    /// Compiles the layer kernels, and the decode-layer module `decode` when given.
    pub(crate) fn new(device: &wgpu::Device, decode: Option<&'static DecodeLayerModule>) -> Self {
        let layout = bind_layout(device, "gdn layer", 3, 3);
        let [conv_silu, conv_state, split_norm, gated_norm] = pipelines(
            device,
            &layout,
            "gdn layer",
            include_str!("layer.wgsl"),
            ["conv_silu", "conv_state", "split_norm", "gated_norm"],
        );
        let matvec = |dtype: &str| {
            let src = format!("{}\n{dtype}", include_str!("matvec.wgsl"));
            pipelines(
                device,
                &layout,
                "gdn matvec",
                &src,
                ["gemv", "gemv_rows4", "gemm4", "gemm_tiled"],
            )
        };
        let matvec = [
            matvec(include_str!("matvec_f32.wgsl")),
            matvec(include_str!("matvec_half.wgsl")),
        ];
        let decode = decode.map(|m| {
            let l = bind_layout(device, m.name, 4, 3);
            let [p] = pipelines(device, &l, m.name, m.wgsl, ["decode"]);
            (l, p, m)
        });
        let buf = || {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("gdn layer unused"),
                size: 16,
                usage: wgpu::BufferUsages::STORAGE,
                mapped_at_creation: false,
            })
        };
        Self {
            conv_silu,
            conv_state,
            split_norm,
            gated_norm,
            matvec,
            matvec_rows: std::env::var("GDN_MATVEC_ROWS")
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|r| [1, 4].contains(r)),
            decode,
            dummy_r: buf(),
            dummy_w: [buf(), buf(), buf()],
            layout,
        }
    }

    /// The kernels for a context's GPU and head shape, if it has a GPU.
    pub(crate) fn for_context(
        ctx: &gdn_runtime::Context,
        shape: gdn_runtime::HeadShape,
    ) -> Option<std::sync::Arc<Self>> {
        let module = ctx.registry().decode_layer(shape);
        ctx.gpu()
            .map(|g| std::sync::Arc::new(Self::new(&g.device, module)))
    }
}

/// Parameters of one `layer.wgsl` dispatch (matches its `struct P`).
#[derive(Clone, Copy, Default, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub(crate) struct Params {
    pub m: u32,
    pub n: u32,
    pub k: u32,
    pub t: u32,
    pub b: u32,
    pub hk: u32,
    pub hv: u32,
    pub dk: u32,
    pub dv: u32,
    pub eps: f32,
    pub ld: u32,
    pub off: u32,
}

/// Parameters of one projection (matches `struct P` in matvec.wgsl).
#[derive(Clone, Copy, Default, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub(crate) struct MatvecParams {
    pub m: u32,
    pub n: u32,
    pub k: u32,
    pub kw: u32,
    pub code: u32,
    pub ld_x: u32,
    pub ld_o: u32,
    /// x is the fused decode layer's gated y, scaled per value head by 1/rms as it is read,
    /// when > 0 (see `matvec.wgsl`).
    pub norm_blocks: u32,
    pub dv: u32,
    pub eps: f32,
    pub pad: [u32; 1],
}

/// Parameters of the fused decode-layer module (matches `struct Params` of
/// `decode_layer.wgsl.tera`).
#[derive(Clone, Copy, Default, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub(crate) struct DecodeParams {
    pub b: u32,
    pub c: u32,
    pub n_in: u32,
    pub k: u32,
    pub eps: f32,
    pub pad: [u32; 3],
}

/// Which unfused kernel.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Op {
    ConvSilu,
    ConvState,
    SplitNorm,
    GatedNorm,
}

impl Op {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Op::ConvSilu => "conv + silu",
            Op::ConvState => "conv state + gates",
            Op::SplitNorm => "q/k norms",
            Op::GatedNorm => "gated norm",
        }
    }
}

impl Kernels {
    /// The pipeline of `op` and its workgroup grid for parameters `p`.
    pub(crate) fn op(&self, op: Op, p: &Params) -> (&wgpu::ComputePipeline, (u32, u32)) {
        match op {
            Op::ConvSilu => (&self.conv_silu, grid(p.m * p.n)),
            Op::ConvState => (
                &self.conv_state,
                grid((p.b * (p.k - 1) * p.n).max(p.m * p.hv)),
            ),
            Op::SplitNorm => (&self.split_norm, grid(p.m * (2 * p.hk + p.hv))),
            Op::GatedNorm => (&self.gated_norm, grid(p.m * p.hv)),
        }
    }

    /// The projection pipeline for 16-bit (`half`) or f32 weights and its grid for `p`.
    pub(crate) fn matvec(
        &self,
        half: bool,
        p: &MatvecParams,
    ) -> (&wgpu::ComputePipeline, (u32, u32)) {
        let set = &self.matvec[usize::from(half)];
        // Four rows per 32 lanes once a matrix has rows for a few hundred workgroups of 16.
        let rows4 = self.matvec_rows.map_or(p.n >= ROWS4_FROM, |r| r == 4);
        if p.m >= TILED_FROM {
            (&set[3], (p.n.div_ceil(64), p.m.div_ceil(64)))
        } else if p.m >= 4 {
            (&set[2], (p.n.div_ceil(4), p.m.div_ceil(4)))
        } else if rows4 {
            (&set[1], (p.n.div_ceil(16), p.m))
        } else {
            (&set[0], (p.n.div_ceil(4), p.m))
        }
    }
}

/// Rows of x from which a projection takes the tiled product (64 × 64 blocks of the output).
const TILED_FROM: u32 = 8;

/// Matrix rows from which a decode projection takes `gemv_rows4` (256 workgroups of 16 rows).
const ROWS4_FROM: u32 = 4096;

/// Workgroups of 64 threads covering `threads`, folded into y past 65 535.
fn grid(threads: u32) -> (u32, u32) {
    let groups = threads.div_ceil(64);
    if groups <= 65535 {
        (groups.max(1), 1)
    } else {
        (65535, groups.div_ceil(65535))
    }
}

/// A storage buffer of `len` f32 (at least 4 bytes), readable back.
pub(crate) fn buffer(device: &wgpu::Device, label: &str, len: usize) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: (len.max(1) * 4) as u64,
        usage: wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_SRC
            | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}
