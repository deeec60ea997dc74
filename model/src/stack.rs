//! A stack over the linear-attention layers of a checkpoint, with per-layer caches, and the two
//! entry points an engine has: text (LLM) and vision-language (VLM) checkpoints. Both end in the
//! same [`LinearStack`], which calls the one runtime op.

use crate::checkpoint::Checkpoint;
use crate::gpu::Kernels;
use crate::layer::{Layer, LayerCache};
use crate::weights::{family_of, Dims, Family, LayerWeights, Layout};
use crate::{Error, Result};
use gdn_core::{ConfigForm, LayerKind, ModelConfig};
use gdn_runtime::{CallOptions, Context, DispatchReport};
use std::path::Path;

/// The loaded linear-attention layers of a checkpoint and their caches.
pub struct LinearStack {
    /// Checkpoint family.
    pub family: Family,
    /// Tensor layout found in the weights.
    pub layout: Layout,
    /// Layer dimensions.
    pub dims: Dims,
    layers: Vec<Layer>,
    caches: Vec<LayerCache>,
    reports: Vec<DispatchReport>,
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
        let ck = Checkpoint::open(weights)?;
        let family = family_of(cfg);
        let dims = Dims::of(&cfg.text);
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
        let kernels = Kernels::for_context(ctx);
        let layers = indices
            .iter()
            .map(|&i| {
                let w = LayerWeights::load(&ck, &dims, family, layout, i)?;
                Layer::with_kernels(ctx, i, dims, eps, w, kernels.clone())
            })
            .collect::<Result<Vec<_>>>()?;
        let caches = layers.iter().map(|_| LayerCache::Empty).collect();
        Ok(Self {
            family,
            layout,
            dims,
            layers,
            caches,
            reports: Vec::new(),
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
        let dims = Dims::of(&cfg.text);
        let eps = cfg.text.rms_norm_eps as f32;
        let kernels = Kernels::for_context(ctx);
        let layers = layers
            .into_iter()
            .map(|(i, w)| Layer::with_kernels(ctx, i, dims, eps, w, kernels.clone()))
            .collect::<Result<Vec<_>>>()?;
        let caches = layers.iter().map(|_| LayerCache::Empty).collect();
        Ok(Self {
            family: family_of(cfg),
            layout,
            dims,
            layers,
            caches,
            reports: Vec::new(),
            options: CallOptions::default(),
        })
    }

    /// The loaded layers.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Runs `x` `[B, T, hidden]` through every loaded layer in order (each layer's output feeds the
    /// next), updating the caches: prefill when T > 1, decode when T = 1.
    pub fn forward(&mut self, ctx: &Context, x: &[f32], b: usize, t: usize) -> Result<Vec<f32>> {
        self.reports.clear();
        let d = self.dims;
        d.check_hidden(x, b, t)?;
        if let (Some(dev), true) = (ctx.gpu(), self.layers.iter().all(|l| l.on_gpu(ctx))) {
            // One upload, every layer recorded into one encoder, one submit, one readback; wgpu
            // errors come back as errors.
            let (layers, caches, reports, opts) = (
                &self.layers,
                &mut self.caches,
                &mut self.reports,
                self.options,
            );
            let bytes = gdn_runtime::gpu::scoped(&dev.device, || {
                let mut enc = dev.device.create_command_encoder(
                    &gdn_runtime::wgpu::CommandEncoderDescriptor {
                        label: Some("gdn stack"),
                    },
                );
                let mut h = crate::gpu::upload(&dev.device, "hidden", x);
                for (layer, cache) in layers.iter().zip(caches.iter_mut()) {
                    let (out, report) = layer.encode_gpu(ctx, &mut enc, &h, (b, t), cache, opts)?;
                    reports.push(report);
                    h = out;
                }
                dev.queue.submit(Some(enc.finish()));
                Ok::<_, Error>(gdn_runtime::gpu::read_buffer(
                    &dev.device,
                    &dev.queue,
                    &h,
                    (x.len() * 4) as u64,
                )?)
            })?;
            return Ok(bytemuck::pod_collect_to_vec(&bytes));
        }
        let mut h = x.to_vec();
        for (layer, cache) in self.layers.iter().zip(self.caches.iter_mut()) {
            let (out, report) = layer.forward(ctx, &h, b, t, cache, self.options)?;
            self.reports.push(report);
            h = out;
        }
        Ok(h)
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

    /// Drops every cache (a new sequence batch starts from zeros).
    pub fn reset(&mut self) {
        self.caches.iter_mut().for_each(|c| *c = LayerCache::Empty);
        self.reports.clear();
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
        let cfg = ModelConfig::from_file(config)?;
        if cfg.form != ConfigForm::Flat {
            log::info!(
                "gdn: {} nests its text config (a VLM checkpoint); loading its language model",
                config.display()
            );
        }
        LinearStack::load(ctx, &cfg, weights, which)
    }

    /// A text-checkpoint stack over weights in memory (the config's fields are read flat).
    pub fn from_weights(
        ctx: &Context,
        cfg: &ModelConfig,
        layers: Vec<(usize, LayerWeights)>,
    ) -> Result<LinearStack> {
        let mut flat = cfg.clone();
        flat.form = ConfigForm::Flat;
        LinearStack::from_weights(ctx, &flat, Layout::Text, layers)
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
        let cfg = ModelConfig::from_file(config)?;
        if cfg.form != ConfigForm::Nested {
            return Err(Error::Config(gdn_core::ConfigError::Missing {
                name: config.display().to_string(),
                field: "text_config".into(),
                expected: "a VLM config nests its language model under text_config; use the LLM entry point for text checkpoints",
            }));
        }
        LinearStack::load(ctx, &cfg, weights, which)
    }

    /// A VLM-checkpoint stack over weights in memory (the config must nest `text_config`).
    pub fn from_weights(
        ctx: &Context,
        cfg: &ModelConfig,
        layers: Vec<(usize, LayerWeights)>,
    ) -> Result<LinearStack> {
        if cfg.form != ConfigForm::Nested {
            return Err(Error::Config(gdn_core::ConfigError::Missing {
                name: cfg.name.clone(),
                field: "text_config".into(),
                expected: "a VLM config nests its language model under text_config",
            }));
        }
        LinearStack::from_weights(ctx, cfg, Layout::Vlm, layers)
    }
}
