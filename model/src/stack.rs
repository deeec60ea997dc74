//! A stack over the linear-attention layers of a checkpoint, with per-layer caches, and the two
//! entry points an engine has: text (LLM) and vision-language (VLM) checkpoints. Both end in the
//! same [`LinearStack`], which calls the one runtime op.

use crate::checkpoint::Checkpoint;
use crate::gpu::plan::{LayerState, Plan, StepTimes};
use crate::gpu::Kernels;
use crate::layer::{stale_cache, Layer, LayerCache};
use crate::weights::{family_of, Dims, Family, LayerWeights, Layout};
use crate::{Error, Result, Shard};
use gdn_core::{ConfigForm, LayerKind, ModelConfig};
use gdn_runtime::{CallOptions, Context, DispatchReport};
use std::path::Path;

/// Plans kept per stack (one per `T` seen, newest last): decode and a few prompt lengths.
const PLANS_KEPT: usize = 4;

/// The stack's GPU caches for B sequences and the plans made over them.
struct Session {
    b: usize,
    states: Vec<LayerState>,
    plans: Vec<Plan>,
    /// The options the plans were made with.
    opts: CallOptions,
    /// Set by [`LinearStack::reset`]: the caches are cleared before the next step.
    zero_pending: bool,
    /// Set while a step runs and left set when it fails: its work may have been submitted (the
    /// caches half advanced, a buffer left mapped), so the stack refuses steps until a reset,
    /// which makes the session anew.
    failed: bool,
}

/// The loaded linear-attention layers of a checkpoint and their caches.
pub struct LinearStack {
    /// Checkpoint family.
    pub family: Family,
    /// Tensor layout found in the weights.
    pub layout: Layout,
    /// Layer dimensions: a tensor-parallel rank's own (`Hk/N`, `Hv/N`), which its caches have.
    pub dims: Dims,
    /// The tensor-parallel shard loaded ([`Shard::WHOLE`] for the whole layers); a shard's
    /// [`LinearStack::forward`] returns its partial sum of the layers' outputs.
    pub shard: Shard,
    layers: Vec<Layer>,
    caches: Vec<LayerCache>,
    reports: Vec<DispatchReport>,
    session: Option<Session>,
    times: Option<StepTimes>,
    /// The CPU path's activations, shared by the layers, and its two hidden-state buffers (a
    /// layer reads one and writes the other), kept from step to step.
    scratch: crate::cpu::Scratch,
    hidden: [Vec<f32>; 2],
    /// Options for every op call (e.g. a forced path for comparisons).
    pub options: CallOptions,
}

/// Which layers to load.
#[derive(Clone, Debug)]
pub enum Layers {
    /// Every linear-attention layer.
    All,
    /// These decoder-layer indices (each must be linear attention).
    Only(Vec<usize>),
}

impl LinearStack {
    /// Loads the chosen layers of `cfg` from `weights` (a file or a folder; sharded folders use
    /// `model.safetensors.index.json`). Only the tensors of those layers are read.
    pub fn load(ctx: &Context, cfg: &ModelConfig, weights: &Path, which: Layers) -> Result<Self> {
        Self::load_shard(ctx, cfg, weights, which, Shard::WHOLE)
    }

    /// Like [`LinearStack::load`], for tensor-parallel rank `shard` (see [`Shard`]): only the
    /// rank's rows of each tensor are read, the caches hold its heads, and
    /// [`LinearStack::forward`] returns its partial output: the sum over ranks is the layer's
    /// output. The ranks all-reduce after every layer, so a model loads one stack per layer
    /// (`Layers::Only(vec![i])`); `forward` refuses a shard stack of several layers, which only
    /// [`LinearStack::forward_unreduced`] runs (for measurements, as `gdn e2e --tp` does).
    pub fn load_shard(
        ctx: &Context,
        cfg: &ModelConfig,
        weights: &Path,
        which: Layers,
        shard: Shard,
    ) -> Result<Self> {
        let whole = Dims::of(&cfg.text);
        let dims = shard.dims(&whole)?;
        let ck = Checkpoint::open(weights)?;
        let family = family_of(cfg);
        let linear = cfg.linear_layers();
        let indices = match which {
            Layers::All => linear.clone(),
            Layers::Only(v) => v,
        };
        let list = linear
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        for &i in &indices {
            match cfg.text.layers.get(i) {
                Some(LayerKind::Linear) => {}
                Some(LayerKind::Full) => {
                    return Err(Error::NotLinear {
                        index: i,
                        kind: "full attention".into(),
                        linear: list,
                    })
                }
                None => {
                    return Err(Error::NotLinear {
                        index: i,
                        kind: format!("out of range ({} layers)", cfg.text.layers.len()),
                        linear: list,
                    })
                }
            }
        }
        let first = indices.first().copied().unwrap_or(0);
        let layout = LayerWeights::detect_layout(&ck, cfg, family, first)?;
        let eps = cfg.text.rms_norm_eps as f32;
        let kernels = Kernels::for_context(ctx, dims.head_shape());
        let layers = indices
            .iter()
            .map(|&i| {
                let w = LayerWeights::load_shard(&ck, &whole, family, layout, i, shard)?;
                Layer::with_kernels(ctx, i, dims, eps, w, kernels.clone())
            })
            .collect::<Result<Vec<_>>>()?;
        let caches = layers.iter().map(|_| LayerCache::Empty).collect();
        Ok(Self {
            family,
            layout,
            dims,
            shard,
            layers,
            caches,
            reports: Vec::new(),
            session: None,
            times: None,
            scratch: Default::default(),
            hidden: Default::default(),
            options: CallOptions::default(),
        })
    }

    /// A stack over weights already in memory (e.g. random weights for a benchmark), in `layout`.
    pub fn from_weights(
        ctx: &Context,
        cfg: &ModelConfig,
        layout: Layout,
        layers: Vec<(usize, LayerWeights)>,
    ) -> Result<Self> {
        Self::from_weights_shard(ctx, cfg, layout, layers, Shard::WHOLE)
    }

    /// Tensor-parallel rank `shard` over the whole layers' weights in memory: each layer keeps
    /// only the rank's part ([`LayerWeights::shard`]).
    pub fn from_weights_shard(
        ctx: &Context,
        cfg: &ModelConfig,
        layout: Layout,
        layers: Vec<(usize, LayerWeights)>,
        shard: Shard,
    ) -> Result<Self> {
        let whole = Dims::of(&cfg.text);
        let dims = shard.dims(&whole)?;
        let layers = if shard.is_whole() {
            layers
        } else {
            layers
                .into_iter()
                .map(|(i, w)| Ok((i, w.shard(&whole, shard.rank, shard.of)?.1)))
                .collect::<Result<Vec<_>>>()?
        };
        let eps = cfg.text.rms_norm_eps as f32;
        let kernels = Kernels::for_context(ctx, dims.head_shape());
        let layers = layers
            .into_iter()
            .map(|(i, w)| Layer::with_kernels(ctx, i, dims, eps, w, kernels.clone()))
            .collect::<Result<Vec<_>>>()?;
        let caches = layers.iter().map(|_| LayerCache::Empty).collect();
        Ok(Self {
            family: family_of(cfg),
            layout,
            dims,
            shard,
            layers,
            caches,
            reports: Vec::new(),
            session: None,
            times: None,
            scratch: Default::default(),
            hidden: Default::default(),
            options: CallOptions::default(),
        })
    }

    /// The loaded layers.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Runs `x` `[B, T, hidden]` through every loaded layer in order (each layer's output feeds the
    /// next), updating the caches: prefill when T > 1, decode when T = 1. A tensor-parallel
    /// shard's output is its partial sum, which the ranks must add up before a next layer: a shard
    /// stack of several layers is refused here (see [`LinearStack::forward_unreduced`]).
    pub fn forward(&mut self, ctx: &Context, x: &[f32], b: usize, t: usize) -> Result<Vec<f32>> {
        self.check_whole()?;
        self.forward_unreduced(ctx, x, b, t)
    }

    /// [`LinearStack::forward`] with the output written into `out` (`[B, T, hidden]`, the length of
    /// `x`) instead of a new vector: with the stack's buffers kept from step to step, a decode
    /// step allocates no activation on either device.
    ///
    /// ```
    /// use gdn_model::{llm, Dims, LayerWeights};
    /// use gdn_core::ModelConfig;
    /// use gdn_runtime::{Context, Registry};
    /// # fn main() -> Result<(), gdn_model::Error> {
    /// let cfg = ModelConfig::from_json_str(
    ///     r#"{"hidden_size": 32, "num_hidden_layers": 1, "rms_norm_eps": 1e-6,
    ///         "linear_num_key_heads": 2, "linear_num_value_heads": 4, "linear_key_head_dim": 16,
    ///         "linear_value_head_dim": 16, "linear_conv_kernel_dim": 4,
    ///         "layer_types": ["linear_attention"]}"#,
    ///     "tiny",
    /// )?;
    /// let ctx = Context::cpu(Registry::empty());
    /// let w = LayerWeights::random(&Dims::of(&cfg.text), 7);
    /// let mut stack = llm::from_weights(&ctx, &cfg, vec![(0, w)])?;
    /// let h = stack.dims.hidden;
    /// let (x, mut out) = (vec![0.1f32; h], vec![0.0f32; h]);
    /// for _token in 0..3 {
    ///     stack.forward_into(&ctx, &x, (1, 1), &mut out)?;
    /// }
    /// assert!(out.iter().all(|v| v.is_finite()));
    /// # Ok(()) }
    /// ```
    pub fn forward_into(
        &mut self,
        ctx: &Context,
        x: &[f32],
        (b, t): (usize, usize),
        out: &mut [f32],
    ) -> Result<()> {
        self.check_whole()?;
        self.forward_unreduced_into(ctx, x, (b, t), out)
    }

    /// A shard stack of several layers is refused by [`LinearStack::forward`].
    fn check_whole(&self) -> Result<()> {
        if !self.shard.is_whole() && self.layers.len() > 1 {
            return Err(Error::Shard {
                rank: self.shard.rank,
                of: self.shard.of,
                reason: format!(
                    "a stack of {} layers: each layer's partial output must be summed over the \
                     ranks before the next layer; load one layer per stack (Layers::Only)",
                    self.layers.len()
                ),
            });
        }
        Ok(())
    }

    /// [`LinearStack::forward`] without the shard check: on a tensor-parallel shard of several
    /// layers each layer's unreduced partial output feeds the next, so the values are not the
    /// model's. For measuring what a rank's layers cost (`gdn e2e --tp`).
    pub fn forward_unreduced(
        &mut self,
        ctx: &Context,
        x: &[f32],
        b: usize,
        t: usize,
    ) -> Result<Vec<f32>> {
        let mut out = vec![0.0; x.len()];
        self.forward_unreduced_into(ctx, x, (b, t), &mut out)?;
        Ok(out)
    }

    /// [`LinearStack::forward_unreduced`] into `out`.
    pub fn forward_unreduced_into(
        &mut self,
        ctx: &Context,
        x: &[f32],
        (b, t): (usize, usize),
        out: &mut [f32],
    ) -> Result<()> {
        self.reports.clear();
        self.times = None;
        let d = self.dims;
        d.check_hidden(x, b, t)?;
        if out.len() != x.len() {
            return Err(Error::Input {
                name: "out",
                reason: format!(
                    "has {} values; [B, T, hidden] = [{b}, {t}, {}] needs {}",
                    out.len(),
                    d.hidden,
                    x.len()
                ),
            });
        }
        if self.layers.is_empty() {
            out.copy_from_slice(x);
            return Ok(());
        }
        if let (Some(dev), true) = (ctx.gpu(), self.layers.iter().all(|l| l.on_gpu(ctx))) {
            return gdn_runtime::gpu::scoped(&dev.device, || self.forward_gpu(ctx, x, b, t, out));
        }
        let n = self.layers.len();
        for h in &mut self.hidden {
            if h.len() < x.len() {
                h.resize(x.len(), 0.0);
            }
        }
        let [h0, h1] = &mut self.hidden;
        for (i, (layer, cache)) in self.layers.iter().zip(self.caches.iter_mut()).enumerate() {
            // Layer i reads the previous layer's output (x for the first) and writes the other
            // buffer, or `out` for the last.
            let (src, dst): (&[f32], &mut [f32]) = match (i, i + 1 == n, i % 2) {
                (0, true, _) => (x, &mut *out),
                (0, false, _) => (x, &mut h0[..x.len()]),
                (_, true, 1) => (&h0[..x.len()], &mut *out),
                (_, true, _) => (&h1[..x.len()], &mut *out),
                (_, false, 1) => (&h0[..x.len()], &mut h1[..x.len()]),
                (_, false, _) => (&h1[..x.len()], &mut h0[..x.len()]),
            };
            let report = layer.forward_cpu(
                ctx,
                (src, b, t),
                cache,
                self.options,
                &mut self.scratch,
                dst,
            )?;
            self.reports.push(report);
        }
        Ok(())
    }

    /// One step on the GPU: the session's plan for `[B, T]` (made on first use), one pass.
    fn forward_gpu(
        &mut self,
        ctx: &Context,
        x: &[f32],
        b: usize,
        t: usize,
        out: &mut [f32],
    ) -> Result<()> {
        let dev = ctx.gpu().ok_or_else(|| stale_cache(b, "GPU"))?;
        if self.session.as_ref().is_some_and(|s| s.failed) {
            return Err(Error::Input {
                name: "stack",
                reason: "its last GPU step failed after it may have run, so its caches are \
                         unknown; reset the stack to start a new sequence"
                    .into(),
            });
        }
        // A lost device fails fast with its reason (on a device gdn watches), before anything is
        // made or recorded.
        dev.alive().map_err(Error::Op)?;
        let opts = self.options;
        if self.session.as_ref().is_some_and(|s| s.opts != opts) {
            // New options route the op anew: plans are remade over the same caches.
            if let Some(s) = &mut self.session {
                s.plans.clear();
                s.opts = opts;
            }
        }
        if self
            .session
            .as_ref()
            .is_some_and(|s| s.b != b && s.zero_pending)
        {
            // A reset stack takes a batch of another size: new caches and plans.
            self.session = None;
        }
        let session = match &mut self.session {
            Some(s) if s.b == b => s,
            Some(_) => return Err(stale_cache(b, "GPU")),
            None => self.session.insert(Session {
                b,
                states: (0..self.layers.len())
                    .map(|_| LayerState::zeros(&dev.device, &self.dims, b))
                    .collect(),
                plans: Vec::new(),
                opts,
                zero_pending: false,
                failed: false,
            }),
        };
        if session.zero_pending {
            let mut enc =
                dev.device
                    .create_command_encoder(&gdn_runtime::wgpu::CommandEncoderDescriptor {
                        label: Some("gdn reset caches"),
                    });
            for st in &mut session.states {
                st.clear(&mut enc);
            }
            // Queue order puts the clear before the step's own submission.
            dev.queue.submit(Some(enc.finish()));
            session.zero_pending = false;
        }
        let at = match session.plans.iter().position(|p| p.t == t) {
            Some(i) => i,
            None => {
                let weights: Vec<_> = self
                    .layers
                    .iter()
                    .filter_map(|l| l.gpu.as_ref().map(|(w, _)| w))
                    .collect();
                let kernels = self.layers[0]
                    .gpu
                    .as_ref()
                    .map(|(_, k)| k.clone())
                    .ok_or_else(|| stale_cache(b, "GPU"))?;
                let eps = self.layers[0].eps;
                let plan = Plan::new(
                    ctx,
                    &kernels,
                    &weights,
                    &session.states,
                    (self.dims, eps),
                    (b, t),
                    opts,
                )?;
                if session.plans.len() == PLANS_KEPT {
                    session.plans.remove(0);
                }
                session.plans.push(plan);
                session.plans.len() - 1
            }
        };
        let plan = &session.plans[at];
        // Decode steps repeat, so each records the next one while the GPU runs. A failure (or a
        // wgpu error the scope catches) leaves `failed` set.
        session.failed = true;
        let states = &mut session.states;
        let times =
            gdn_runtime::gpu::scoped(&dev.device, || plan.run(ctx, states, x, out, t == 1))?;
        session.failed = false;
        self.times = Some(times);
        self.reports.clone_from(&plan.reports);
        for (cache, s) in self.caches.iter_mut().zip(&session.states) {
            *cache = LayerCache::Gpu {
                b,
                conv: s.conv[s.cur].clone(),
                state: s.state.clone(),
            };
        }
        Ok(())
    }

    /// GPU µs of each step of a decode layer (`(step, µs per layer)`: in_proj, the fused module
    /// or the unfused kernels and the op, out_proj): step i of every layer in
    /// turn, `reps` times over, in a timed pass of its own after a warm-up; empty without
    /// timestamp queries. The repeated steps overwrite the caches, which are reset after.
    pub fn profile_decode(
        &mut self,
        ctx: &Context,
        reps: usize,
    ) -> Result<Vec<(&'static str, f64)>> {
        let h = self.dims.hidden;
        self.reset();
        self.forward_unreduced(ctx, &vec![0.0; h], 1, 1)?;
        let out = match &self.session {
            Some(s) => match s.plans.iter().find(|p| p.t == 1) {
                Some(p) => p.profile(ctx, &s.states, reps)?,
                None => Vec::new(),
            },
            None => Vec::new(),
        };
        self.reset();
        Ok(out)
    }

    /// GPU time of the last forward's pass in ns, where the device has timestamp queries.
    pub fn last_gpu_ns(&self) -> Option<f64> {
        self.times.and_then(|t| t.gpu_ns)
    }

    /// Host time of the last GPU forward in ns before its pass could start: upload the input,
    /// record the pass (unless the previous decode step recorded it ahead) and submit it; `None`
    /// after a CPU forward.
    pub fn last_host_ns(&self) -> Option<f64> {
        self.times.map(|t| t.host_ns)
    }

    /// Host time of the last GPU decode step in ns spent recording the next step's pass while
    /// the GPU ran this one (hidden behind the GPU's work while the recording is the shorter);
    /// `None` after a CPU forward.
    pub fn last_ahead_ns(&self) -> Option<f64> {
        self.times.map(|t| t.ahead_ns)
    }

    /// Whether decode steps (T = 1) run the fused decode-layer module: a GPU context whose
    /// registry has the module for this head shape. Otherwise each layer decodes through its
    /// unfused kernels and its report says why.
    pub fn decode_fused(&self) -> bool {
        self.layers
            .first()
            .and_then(|l| l.gpu.as_ref())
            .is_some_and(|(_, k)| k.decode.is_some())
    }

    /// `(name, bytes)` of the first layer's projection matrices on the GPU (`in_proj`, `out_proj`).
    pub fn projection_bytes(&self) -> Vec<(&'static str, u64)> {
        self.layers
            .first()
            .and_then(|l| l.gpu.as_ref())
            .map(|(w, _)| {
                [&w.in_proj, &w.out_proj]
                    .map(|m| (m.name, m.bytes()))
                    .to_vec()
            })
            .unwrap_or_default()
    }

    /// Bytes of the loaded layers' weights on the GPU (projections in the checkpoint's dtype).
    pub fn gpu_weight_bytes(&self) -> u64 {
        self.layers
            .iter()
            .filter_map(|l| l.gpu.as_ref())
            .map(|(w, _)| w.bytes())
            .sum()
    }

    /// Bytes of the loaded layers' weights as stored ([`LayerWeights::bytes`]): on any device, a
    /// tensor-parallel rank's own.
    pub fn weight_bytes(&self) -> u64 {
        self.layers.iter().map(|l| l.weights().bytes()).sum()
    }

    /// Dispatch reports of the last forward, one per layer.
    pub fn reports(&self) -> &[DispatchReport] {
        &self.reports
    }

    /// The cache of the `n`-th loaded layer.
    pub fn cache(&self, n: usize) -> Option<&LayerCache> {
        self.caches.get(n)
    }

    /// Recurrent-state bytes per sequence over all loaded layers (f32 state + conv state).
    pub fn state_bytes_per_sequence(&self) -> usize {
        let d = self.dims;
        self.layers.len() * 4 * (d.hv * d.dv * d.dk + (d.k - 1) * d.conv_channels())
    }

    /// Starts a new sequence batch from zero caches. On the GPU the buffers and plans are kept (the
    /// next forward clears the caches in its queue before its step, and a batch of another size
    /// makes them anew), so a new sequence allocates nothing; after a failed GPU step (which
    /// refuses further steps until this reset) they are made anew.
    pub fn reset(&mut self) {
        self.caches.iter_mut().for_each(|c| *c = LayerCache::Empty);
        self.reports.clear();
        self.times = None;
        if self.session.as_ref().is_some_and(|s| s.failed) {
            // A failed step may have left buffers mapped or half written: make them anew.
            self.session = None;
        }
        if let Some(s) = &mut self.session {
            s.zero_pending = true;
        }
    }
}

/// Text (LLM) checkpoints: flat configs, Qwen3-Next or Qwen3.5 text-only.
pub mod llm {
    use super::*;

    /// Loads the linear-attention stack of a text checkpoint.
    pub fn load(
        ctx: &Context,
        config: &Path,
        weights: &Path,
        which: Layers,
    ) -> Result<LinearStack> {
        load_shard(ctx, config, weights, which, Shard::WHOLE)
    }

    /// Tensor-parallel rank `shard` of a text checkpoint's stack (see [`LinearStack::load_shard`]).
    pub fn load_shard(
        ctx: &Context,
        config: &Path,
        weights: &Path,
        which: Layers,
        shard: Shard,
    ) -> Result<LinearStack> {
        let cfg = ModelConfig::from_file(config)?;
        if cfg.form != ConfigForm::Flat {
            log::info!(
                "gdn: {} nests its text config (a VLM checkpoint); loading its language model",
                config.display()
            );
        }
        LinearStack::load_shard(ctx, &cfg, weights, which, shard)
    }

    /// A text-checkpoint stack over weights in memory (the config's fields are read flat).
    pub fn from_weights(
        ctx: &Context,
        cfg: &ModelConfig,
        layers: Vec<(usize, LayerWeights)>,
    ) -> Result<LinearStack> {
        from_weights_shard(ctx, cfg, layers, Shard::WHOLE)
    }

    /// Tensor-parallel rank `shard` of a text-checkpoint stack over the whole layers' weights.
    pub fn from_weights_shard(
        ctx: &Context,
        cfg: &ModelConfig,
        layers: Vec<(usize, LayerWeights)>,
        shard: Shard,
    ) -> Result<LinearStack> {
        let mut flat = cfg.clone();
        flat.form = ConfigForm::Flat;
        LinearStack::from_weights_shard(ctx, &flat, Layout::Text, layers, shard)
    }
}

/// Vision-language (VLM) checkpoints: configs with `text_config`, tensors under
/// `model.language_model.layers` (or bare `model.layers` in MLX conversions).
pub mod vlm {
    use super::*;

    /// Loads the language model's linear-attention stack of a VLM checkpoint.
    pub fn load(
        ctx: &Context,
        config: &Path,
        weights: &Path,
        which: Layers,
    ) -> Result<LinearStack> {
        load_shard(ctx, config, weights, which, Shard::WHOLE)
    }

    /// Tensor-parallel rank `shard` of a VLM checkpoint's language-model stack (see
    /// [`LinearStack::load_shard`]).
    pub fn load_shard(
        ctx: &Context,
        config: &Path,
        weights: &Path,
        which: Layers,
        shard: Shard,
    ) -> Result<LinearStack> {
        let cfg = ModelConfig::from_file(config)?;
        nested(&cfg, &config.display().to_string())?;
        LinearStack::load_shard(ctx, &cfg, weights, which, shard)
    }

    /// A VLM-checkpoint stack over weights in memory (the config must nest `text_config`).
    pub fn from_weights(
        ctx: &Context,
        cfg: &ModelConfig,
        layers: Vec<(usize, LayerWeights)>,
    ) -> Result<LinearStack> {
        from_weights_shard(ctx, cfg, layers, Shard::WHOLE)
    }

    fn nested(cfg: &ModelConfig, name: &str) -> Result<()> {
        if cfg.form != ConfigForm::Nested {
            return Err(Error::Config(gdn_core::ConfigError::Missing {
                name: name.to_string(),
                field: "text_config".into(),
                expected: "a VLM config nests its language model under text_config; use the LLM entry point for text checkpoints",
            }));
        }
        Ok(())
    }

    /// Tensor-parallel rank `shard` of a VLM-checkpoint stack over the whole layers' weights.
    pub fn from_weights_shard(
        ctx: &Context,
        cfg: &ModelConfig,
        layers: Vec<(usize, LayerWeights)>,
        shard: Shard,
    ) -> Result<LinearStack> {
        if cfg.form != ConfigForm::Nested {
            return Err(Error::Config(gdn_core::ConfigError::Missing {
                name: cfg.name.clone(),
                field: "text_config".into(),
                expected: "a VLM config nests its language model under text_config",
            }));
        }
        LinearStack::from_weights_shard(ctx, cfg, Layout::Vlm, layers, shard)
    }
}
