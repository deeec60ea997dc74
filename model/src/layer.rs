//! One gated-delta layer: projections → causal depthwise conv1d (+ conv state) → SiLU → q/k
//! normalisation → gates from a/b/A_log/dt_bias → the runtime's recurrence → gated RMSNorm →
//! out_proj. On the GPU the layer runs as part of a [`crate::gpu::plan::Plan`] (one pass for the
//! stack); on the CPU, plain Rust.

use crate::cpu;
use crate::gpu::plan::{LayerState, Plan};
use crate::gpu::weights::GpuWeights;
use crate::gpu::Kernels;
use crate::weights::{Dims, LayerWeights};
use crate::{Error, Result};
use gdn_runtime::{wgpu, CallOptions, Context, DispatchReport, Gate, HostInputs, HostTensor};
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
    pub(crate) gpu: Option<(GpuWeights, Arc<Kernels>)>,
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
        let kernels = Kernels::for_context(ctx, dims.head_shape());
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
        match (&self.gpu, ctx.gpu()) {
            (Some((w, kernels)), Some(dev)) => {
                // A one-layer plan over the cache's buffers (made per call: the stack keeps its
                // plans, a lone layer does not).
                let conv_len = b * (d.k - 1) * d.conv_channels();
                let mut states = [match std::mem::replace(cache, LayerCache::Empty) {
                    LayerCache::Gpu { b: cb, conv, state } if cb == b => LayerState {
                        conv: [
                            conv,
                            crate::gpu::buffer(&dev.device, "conv state", conv_len),
                        ],
                        state,
                        cur: 0,
                    },
                    LayerCache::Empty => LayerState::zeros(&dev.device, &d, b),
                    other => {
                        *cache = other;
                        return Err(stale_cache(b, "GPU"));
                    }
                }];
                let out = gdn_runtime::gpu::scoped(&dev.device, || {
                    let plan = Plan::new(ctx, kernels, &[w], &states, (d, self.eps), (b, t), opts)?;
                    let mut y = vec![0.0; x.len()];
                    plan.run(ctx, &mut states, x, &mut y, false)?;
                    Ok::<_, Error>((y, plan.reports[0].clone()))
                });
                let [s0] = states;
                *cache = LayerCache::Gpu {
                    b,
                    conv: s0.conv[s0.cur].clone(),
                    state: s0.state,
                };
                out
            }
            _ => {
                let mut out = vec![0.0; x.len()];
                let report = self.forward_cpu(
                    ctx,
                    (x, b, t),
                    cache,
                    opts,
                    &mut cpu::Scratch::default(),
                    &mut out,
                )?;
                Ok((out, report))
            }
        }
    }

    /// The layer on the CPU, its activations in `scratch` and its output `[B, T, hidden]` written
    /// into `out`: a decode step allocates nothing once `scratch` has held a step of its size.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn forward_cpu(
        &self,
        ctx: &Context,
        (x, b, t): (&[f32], usize, usize),
        cache: &mut LayerCache,
        opts: CallOptions,
        scratch: &mut cpu::Scratch,
        out: &mut [f32],
    ) -> Result<DispatchReport> {
        let (d, w) = (self.dims, &self.weights);
        let (c, m, vw) = (d.conv_channels(), b * t, d.value_width());
        if !matches!(cache, LayerCache::Host { b: cb, .. } if *cb == b) {
            match cache {
                LayerCache::Empty => {
                    *cache = LayerCache::Host {
                        b,
                        conv: vec![0.0; b * (d.k - 1) * c],
                        state: vec![0.0; b * d.hv * d.dv * d.dk],
                    }
                }
                _ => return Err(stale_cache(b, "CPU")),
            }
        }
        let LayerCache::Host { conv, state, .. } = cache else {
            return Err(stale_cache(b, "CPU"));
        };
        let act = scratch.for_tokens(&d, m, conv.len());
        cpu::matmul_into(x, &w.in_proj_qkv, (m, c, d.hidden), act.qkv);
        cpu::matmul_into(x, &w.in_proj_z, (m, vw, d.hidden), act.z);
        cpu::matmul_into(x, &w.in_proj_b, (m, d.hv, d.hidden), act.b);
        cpu::matmul_into(x, &w.in_proj_a, (m, d.hv, d.hidden), act.a);
        act.conv_before.copy_from_slice(conv);
        cpu::conv_silu_into(&d, act.qkv, conv, &w.conv, (b, t), act.conv);
        cpu::split_qkv_into(&d, act.conv, (&mut *act.q, &mut *act.k, &mut *act.v));
        let bth = [b, t, d.hv];
        // The state is updated in place and y written into the scratch (no copy of either). A
        // call refused before it runs leaves the state as it was; the conv state goes back too.
        let called = ctx.update_in_place_into(
            &HostInputs {
                q: HostTensor::f32(act.q, &[b, t, d.hk, d.dk]),
                k: HostTensor::f32(act.k, &[b, t, d.hk, d.dk]),
                v: HostTensor::f32(act.v, &[b, t, d.hv, d.dv]),
                gate: Gate::Raw {
                    a: HostTensor::f32(act.a, &bth),
                    b: HostTensor::f32(act.b, &bth),
                    a_log: HostTensor::f32(&w.a_log, &[d.hv]),
                    dt_bias: HostTensor::f32(&w.dt_bias, &[d.hv]),
                },
                state: None,
                mask: None,
            },
            state,
            act.y,
            opts,
        );
        let report = match called {
            Ok(report) => report,
            Err(e) => {
                conv.copy_from_slice(act.conv_before);
                return Err(e.into());
            }
        };
        cpu::gated_norm_into(act.y, act.z, &w.norm, (d.dv, self.eps), act.normed);
        cpu::matmul_into(act.normed, &w.out_proj, (m, d.hidden, vw), out);
        Ok(report)
    }

    /// Whether the layer runs on the context's GPU.
    pub fn on_gpu(&self, ctx: &Context) -> bool {
        self.gpu.is_some() && ctx.gpu().is_some()
    }
}

/// The error of a cache made for another batch size or device.
pub(crate) fn stale_cache(b: usize, device: &str) -> Error {
    Error::Input {
        name: "cache",
        reason: format!("holds another batch size or device than B={b} on the {device}; reset it"),
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
