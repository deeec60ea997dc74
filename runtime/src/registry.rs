//! The variant registry: kernels generated at build time by `gdn-codegen`, and the model configs
//! they came from. A [`Variant`] is `gdn_core`'s, the type the generator plans and renders by.

use crate::{DType, HeadShape, Tier, Variant};

/// The `configs` of a variant rendered at run time (the `jit` feature) rather than built.
pub const RUNTIME_CONFIGS: &[&str] = &["(rendered at run time)"];

/// The fused decode-layer module of one head shape (entry point `decode`): one decode step of a
/// Qwen3-Next / Qwen3.5 gated-delta layer from the in_proj output to the un-normalised output and
/// its per-block sums of squares, in one dispatch (out_proj applies the gated RMSNorm as it reads).
/// Generated beside the kernel variants; `gdn-model` runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLayerModule {
    /// Module name, e.g. `decode_layer_hk16_hv32_dk128_dv128`.
    pub name: &'static str,
    /// The head shape it is specialised on.
    pub shape: HeadShape,
    /// Threads per workgroup, one state row each: a value head spans `Dv / workgroup` workgroups
    /// (rounded up), the grid is `[Hv · that, B]`.
    pub workgroup: u32,
    /// The rendered, build-time-validated WGSL.
    pub wgsl: &'static str,
}

/// A model config read at build time, with its JSON embedded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundledModel {
    /// Short name (file stem), e.g. `qwen3.5-0.8b`.
    pub name: &'static str,
    /// Head shape of its gated-delta layers.
    pub shape: HeadShape,
    /// Whether the config nests its fields under `text_config` (VLM form).
    pub nested: bool,
    /// The config text.
    pub json: &'static str,
}

/// The set of variants and models a context can use. Cheap to copy.
#[derive(Debug, Clone, Copy, Default)]
pub struct Registry {
    variants: &'static [Variant],
    models: &'static [BundledModel],
    decode_layers: &'static [DecodeLayerModule],
}

impl Registry {
    /// A registry over generated tables (`VARIANTS`, `MODELS` from `variants.rs`).
    pub const fn new(variants: &'static [Variant], models: &'static [BundledModel]) -> Self {
        Self {
            variants,
            models,
            decode_layers: &[],
        }
    }

    /// The registry with the fused decode-layer modules of `variants.rs` (`DECODE_LAYERS`); without
    /// them a layer decodes through its unfused kernels and says so in its report.
    pub const fn with_decode_layers(self, decode_layers: &'static [DecodeLayerModule]) -> Self {
        Self {
            decode_layers,
            ..self
        }
    }

    /// An empty registry: every call takes the ops path (or the CPU kernel).
    pub const fn empty() -> Self {
        Self {
            variants: &[],
            models: &[],
            decode_layers: &[],
        }
    }

    /// All variants.
    pub fn variants(&self) -> &'static [Variant] {
        self.variants
    }

    /// All bundled models.
    pub fn models(&self) -> &'static [BundledModel] {
        self.models
    }

    /// The variant for exactly this shape, dtype and tier.
    pub fn find(&self, shape: HeadShape, dtype: DType, tier: Tier) -> Option<&'static Variant> {
        self.variants
            .iter()
            .find(|v| v.shape == shape && v.dtype == dtype && v.tier == tier)
    }

    /// The fused decode-layer module for exactly this head shape.
    pub fn decode_layer(&self, shape: HeadShape) -> Option<&'static DecodeLayerModule> {
        self.decode_layers.iter().find(|m| m.shape == shape)
    }

    /// A bundled model by name (case-insensitive).
    pub fn model(&self, name: &str) -> Option<&'static BundledModel> {
        self.models
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case(name))
    }
}

impl Registry {
    /// Resolves a bundled model name, or else a path to a `config.json`, to a name and head shape.
    pub fn lookup(&self, name_or_path: &str) -> crate::Result<(String, HeadShape)> {
        if let Some(m) = self.model(name_or_path) {
            return Ok((m.name.to_string(), m.shape));
        }
        let path = std::path::Path::new(name_or_path);
        if path.exists() {
            let cfg =
                gdn_core::ModelConfig::from_file(path).map_err(|e| crate::Error::Setting {
                    name: "config".into(),
                    reason: e.to_string(),
                })?;
            return Ok((cfg.short_name(), cfg.head_shape()));
        }
        let known: Vec<&str> = self.models.iter().map(|m| m.name).collect();
        Err(crate::Error::Setting {
            name: "config".into(),
            reason: format!(
                "{name_or_path:?} is neither a bundled config ({}) nor a file",
                known.join(", ")
            ),
        })
    }
}
