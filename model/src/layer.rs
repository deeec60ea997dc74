//! One gated-delta layer: projections → causal depthwise conv1d (+ conv state) → SiLU → q/k
//! normalisation → gates from a/b/A_log/dt_bias → the runtime's recurrence → gated RMSNorm →
//! out_proj. On the GPU every step is a kernel recorded into one encoder; on the CPU, plain Rust.

use crate::cpu;
use crate::gpu::{self, dispatch, GpuWeights, Kernels, Op, Params};
use crate::weights::{Dims, LayerWeights};
use crate::{Error, Result};
use gdn_runtime::{
    wgpu, CallOptions, Context, DType, DispatchReport, Gate, GpuInputs, GpuTensor, HostInputs,
    HostTensor,
};
use std::sync::Arc;

/// Per-sequence-batch cache of one layer: conv state `[B, K-1, C]` and recurrent state
/// `[B, Hv, Dv, Dk]`, on the host or on the GPU (matching where the layer runs).
pub enum LayerCache {
    /// Nothing yet (zeros); sized on first use.
    Empty,
    /// Host copies.
    Host {
        /// Batch size.
        b: usize,
        /// `[B, K-1, C]`.
        conv: Vec<f32>,
        /// `[B, Hv, Dv, Dk]`.
        state: Vec<f32>,
    },
    /// GPU buffers.
    Gpu {
        /// Batch size.
        b: usize,
        /// `[B, K-1, C]`.
        conv: wgpu::Buffer,
        /// `[B, Hv, Dv, Dk]`.
        state: wgpu::Buffer,
    },
}

/// A loaded layer.
pub struct Layer {
    /// Decoder-layer index in the checkpoint.
    pub index: usize,
    /// Dimensions.
    pub dims: Dims,
    /// RMSNorm epsilon.
    pub eps: f32,
    weights: LayerWeights,
    gpu: Option<(GpuWeights, Arc<Kernels>)>,
}

impl Layer {
    /// Wraps loaded weights; uploads them when the context has a GPU.
    pub fn new(
        ctx: &Context,
        index: usize,
        dims: Dims,
        eps: f32,
        weights: LayerWeights,
    ) -> Result<Self> {
        let kernels = Kernels::for_context(ctx);
        Self::with_kernels(ctx, index, dims, eps, weights, kernels)
    }

    /// Like [`Layer::new`], sharing compiled layer kernels (one set per stack, not per layer).
    pub(crate) fn with_kernels(
        ctx: &Context,
        index: usize,
        dims: Dims,
        eps: f32,
        weights: LayerWeights,
        kernels: Option<Arc<Kernels>>,
    ) -> Result<Self> {
        let gpu = match (ctx.gpu(), kernels) {
            (Some(g), Some(k)) => Some((GpuWeights::upload(&g.device, &weights, &dims)?, k)),
            _ => None,
        };
        Ok(Self {
            index,
            dims,
            eps,
            weights,
            gpu,
        })
    }

    /// The layer's weights.
    pub fn weights(&self) -> &LayerWeights {
        &self.weights
    }

    /// Runs the layer on `x` `[B, T, hidden]` (f32), updating `cache`; returns `[B, T, hidden]` and
    /// the recurrence's dispatch report.
    pub fn forward(
        &self,
        ctx: &Context,
        x: &[f32],
        b: usize,
        t: usize,
        cache: &mut LayerCache,
        opts: CallOptions,
    ) -> Result<(Vec<f32>, DispatchReport)> {
        let d = self.dims;
        d.check_hidden(x, b, t)?;
        match ctx.gpu() {
            Some(dev) if self.gpu.is_some() => gdn_runtime::gpu::scoped(&dev.device, || {
                let xb = gpu::upload(&dev.device, "hidden", x);
                let mut enc = dev
                    .device
                    .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                        label: Some("gdn layer"),
                    });
                let (out, report) = self.encode_gpu(ctx, &mut enc, &xb, (b, t), cache, opts)?;
                dev.queue.submit(Some(enc.finish()));
                let bytes = gdn_runtime::gpu::read_buffer(
                    &dev.device,
                    &dev.queue,
                    &out,
                    (x.len() * 4) as u64,
                )?;
                Ok((bytemuck::pod_collect_to_vec(&bytes), report))
            }),
            _ => self.forward_cpu(ctx, x, b, t, cache, opts),
        }
    }

    fn forward_cpu(
        &self,
        ctx: &Context,
        x: &[f32],
        b: usize,
        t: usize,
        cache: &mut LayerCache,
        opts: CallOptions,
    ) -> Result<(Vec<f32>, DispatchReport)> {
        let (d, w) = (self.dims, &self.weights);
        let (c, m) = (d.conv_channels(), b * t);
        let (mut conv, state) = match std::mem::replace(cache, LayerCache::Empty) {
            LayerCache::Host { b: cb, conv, state } if cb == b => (conv, state),
            LayerCache::Empty => (
                vec![0.0; b * (d.k - 1) * c],
                vec![0.0; b * d.hv * d.dv * d.dk],
            ),
            _ => {
                return Err(Error::Input {
                    name: "cache",
                    reason: format!(
                        "holds another batch size or device than B={b} on the CPU; reset it"
                    ),
                })
            }
        };
        let qkv = cpu::matmul(x, &w.in_proj_qkv, m, c, d.hidden);
        let z = cpu::matmul(x, &w.in_proj_z, m, d.value_width(), d.hidden);
        let bb = cpu::matmul(x, &w.in_proj_b, m, d.hv, d.hidden);
        let aa = cpu::matmul(x, &w.in_proj_a, m, d.hv, d.hidden);
        let conv_out = cpu::conv_silu(&d, &qkv, &mut conv, &w.conv, b, t);
        let (q, k, v) = cpu::split_qkv(&d, &conv_out, m);
        let bth = [b, t, d.hv];
        let out = ctx.update(
            &HostInputs {
                q: HostTensor::f32(&q, &[b, t, d.hk, d.dk]),
                k: HostTensor::f32(&k, &[b, t, d.hk, d.dk]),
                v: HostTensor::f32(&v, &[b, t, d.hv, d.dv]),
                gate: Gate::Raw {
                    a: HostTensor::f32(&aa, &bth),
                    b: HostTensor::f32(&bb, &bth),
                    a_log: HostTensor::f32(&w.a_log, &[d.hv]),
                    dt_bias: HostTensor::f32(&w.dt_bias, &[d.hv]),
                },
                state: Some(HostTensor::f32(&state, &[b, d.hv, d.dv, d.dk])),
                mask: None,
            },
            opts,
        )?;
        let y = cpu::gated_norm(&out.y.to_f32(), &z, &w.norm, d.dv, self.eps);
        let o = cpu::matmul(&y, &w.out_proj, m, d.hidden, d.value_width());
        *cache = LayerCache::Host {
            b,
            conv,
            state: out.state,
        };
        Ok((o, out.report))
    }

    /// Records the layer into `enc` on GPU buffers: `x` `[B,T,hidden]` f32 in, a new `[B,T,hidden]`
    /// buffer out, for `(B, T)` tokens. The cache is updated to buffers the recorded work writes.
    pub fn encode_gpu(
        &self,
        ctx: &Context,
        enc: &mut wgpu::CommandEncoder,
        xb: &wgpu::Buffer,
        (b, t): (usize, usize),
        cache: &mut LayerCache,
        opts: CallOptions,
    ) -> Result<(wgpu::Buffer, DispatchReport)> {
        let d = self.dims;
        let (Some((w, kern)), Some(dev)) = (&self.gpu, ctx.gpu()) else {
            return Err(Error::Input {
                name: "context",
                reason: "has no GPU (or the layer was loaded on another context)".into(),
            });
        };
        let device = &dev.device;
        let (c, m, vw) = (d.conv_channels(), b * t, d.value_width());
        let (conv, state) = match std::mem::replace(cache, LayerCache::Empty) {
            LayerCache::Gpu { b: cb, conv, state } if cb == b => (conv, state),
            LayerCache::Empty => (
                gpu::buffer(device, "conv state", b * (d.k - 1) * c),
                gpu::buffer(device, "state", b * d.hv * d.dv * d.dk),
            ),
            _ => {
                return Err(Error::Input {
                    name: "cache",
                    reason: format!(
                        "holds another batch size or device than B={b} on the GPU; reset it"
                    ),
                })
            }
        };
        let p = Params {
            m: m as u32,
            t: t as u32,
            b: b as u32,
            hk: d.hk as u32,
            hv: d.hv as u32,
            dk: d.dk as u32,
            dv: d.dv as u32,
            k: d.hidden as u32,
            eps: self.eps,
            ..Default::default()
        };
        let qkv = gpu::buffer(device, "qkv", m * c);
        let z = gpu::buffer(device, "z", m * vw);
        let bb = gpu::buffer(device, "b", m * d.hv);
        let aa = gpu::buffer(device, "a", m * d.hv);
        let conv_out = gpu::buffer(device, "conv out", m * c);
        let conv_next = gpu::buffer(device, "conv state", b * (d.k - 1) * c);
        let (q, k, v) = (
            gpu::buffer(device, "q", m * d.hk * d.dk),
            gpu::buffer(device, "k", m * d.hk * d.dk),
            gpu::buffer(device, "v", m * vw),
        );
        let y = gpu::buffer(device, "y", m * vw);
        let state_next = gpu::buffer(device, "state", b * d.hv * d.dv * d.dk);
        let yn = gpu::buffer(device, "y norm", m * vw);
        let out = gpu::buffer(device, "out", m * d.hidden);
        for (wt, n, dst) in [
            (&w.qkv, c, &qkv),
            (&w.z, vw, &z),
            (&w.b, d.hv, &bb),
            (&w.a, d.hv, &aa),
        ] {
            dispatch(
                dev,
                kern,
                enc,
                Op::Matmul,
                Params { n: n as u32, ..p },
                [Some(xb), Some(wt), None],
                [Some(dst), None, None],
            );
        }
        let pc = Params {
            n: c as u32,
            k: d.k as u32,
            ..p
        };
        dispatch(
            dev,
            kern,
            enc,
            Op::ConvSilu,
            pc,
            [Some(&qkv), Some(&w.conv), Some(&conv)],
            [Some(&conv_out), None, None],
        );
        dispatch(
            dev,
            kern,
            enc,
            Op::ConvState,
            pc,
            [Some(&qkv), None, Some(&conv)],
            [Some(&conv_next), None, None],
        );
        dispatch(
            dev,
            kern,
            enc,
            Op::SplitNorm,
            p,
            [Some(&conv_out), None, None],
            [Some(&q), Some(&k), Some(&v)],
        );
        let f = |buf, shape: &[usize]| GpuTensor::new(buf, DType::F32, shape);
        let bth = [b, t, d.hv];
        let report = ctx.encode(
            enc,
            &GpuInputs {
                q: f(&q, &[b, t, d.hk, d.dk]),
                k: f(&k, &[b, t, d.hk, d.dk]),
                v: f(&v, &[b, t, d.hv, d.dv]),
                gate: Gate::Raw {
                    a: f(&aa, &bth),
                    b: f(&bb, &bth),
                    a_log: f(&w.a_log, &[d.hv]),
                    dt_bias: f(&w.dt_bias, &[d.hv]),
                },
                state: Some(f(&state, &[b, d.hv, d.dv, d.dk])),
                mask: None,
            },
            &y,
            &state_next,
            opts,
        )?;
        dispatch(
            dev,
            kern,
            enc,
            Op::GatedNorm,
            p,
            [Some(&y), Some(&z), Some(&w.norm)],
            [Some(&yn), None, None],
        );
        dispatch(
            dev,
            kern,
            enc,
            Op::Matmul,
            Params {
                n: d.hidden as u32,
                k: vw as u32,
                ..p
            },
            [Some(&yn), Some(&w.out), None],
            [Some(&out), None, None],
        );
        *cache = LayerCache::Gpu {
            b,
            conv: conv_next,
            state: state_next,
        };
        Ok((out, report))
    }

    /// Whether the layer runs on the context's GPU.
    pub fn on_gpu(&self, ctx: &Context) -> bool {
        self.gpu.is_some() && ctx.gpu().is_some()
    }
}

impl LayerCache {
    /// Host copies of `(conv_state [B,K-1,C], state [B,Hv,Dv,Dk])`, if anything is cached.
    pub fn to_host(&self, ctx: &Context) -> Result<Option<(Vec<f32>, Vec<f32>)>> {
        match self {
            LayerCache::Empty => Ok(None),
            LayerCache::Host { conv, state, .. } => Ok(Some((conv.clone(), state.clone()))),
            LayerCache::Gpu { conv, state, .. } => {
                let dev = ctx.gpu().ok_or_else(|| Error::Input {
                    name: "cache",
                    reason: "is on a GPU but the context has none".into(),
                })?;
                let rd = |buf: &wgpu::Buffer| -> Result<Vec<f32>> {
                    Ok(bytemuck::pod_collect_to_vec(
                        &gdn_runtime::gpu::read_buffer(&dev.device, &dev.queue, buf, buf.size())?,
                    ))
                };
                Ok(Some((rd(conv)?, rd(state)?)))
            }
        }
    }
}
