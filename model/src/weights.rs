//! The tensors of one gated-delta layer, normalised to one layout whatever the checkpoint family:
//! Qwen3-Next's fused, per-key-head-grouped `in_proj_qkvz` / `in_proj_ba` are regrouped into the
//! separate Qwen3.5 projections; the conv weight is `[C, K]` whether stored `[C,1,K]` (HF) or
//! `[C,K,1]` (MLX).

use crate::checkpoint::Checkpoint;
use crate::{Error, Result};
use gdn_core::{ModelConfig, TextConfig};
use std::fmt;

/// Checkpoint family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Qwen3-Next: fused `in_proj_qkvz` and `in_proj_ba`.
    Qwen3Next,
    /// Qwen3.5: separate `in_proj_qkv`, `in_proj_z`, `in_proj_b`, `in_proj_a`.
    Qwen35,
}

/// Where the layer tensors live in the checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Text checkpoint: `model.layers.{i}.linear_attn.`.
    Text,
    /// VLM checkpoint: `model.language_model.layers.{i}.linear_attn.`.
    Vlm,
    /// MLX-converted VLM checkpoint: bare `model.layers.{i}.linear_attn.` under a nested config.
    VlmMlx,
    /// VLM checkpoint saved by mlx-lm / mlx-vlm: `language_model.model.layers.{i}.linear_attn.`.
    VlmMlxLm,
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Family::Qwen3Next => "qwen3_next",
            Family::Qwen35 => "qwen3_5",
        })
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layout::Text => "text (model.layers)",
            Layout::Vlm => "vlm (model.language_model.layers)",
            Layout::VlmMlx => "vlm-mlx (model.layers)",
            Layout::VlmMlxLm => "vlm-mlx (language_model.model.layers)",
        })
    }
}

impl Layout {
    /// The tensor-name prefix of layer `i`.
    pub fn prefix(self, i: usize) -> String {
        match self {
            Layout::Text | Layout::VlmMlx => format!("model.layers.{i}.linear_attn."),
            Layout::Vlm => format!("model.language_model.layers.{i}.linear_attn."),
            Layout::VlmMlxLm => format!("language_model.model.layers.{i}.linear_attn."),
        }
    }
}

/// The family a config belongs to.
pub fn family_of(cfg: &ModelConfig) -> Family {
    let next = cfg.model_type.contains("qwen3_next")
        || cfg.architectures.iter().any(|a| a.starts_with("Qwen3Next"));
    if next {
        Family::Qwen3Next
    } else {
        Family::Qwen35
    }
}

/// Dimensions of the layer, from the config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dims {
    /// Model width.
    pub hidden: usize,
    /// Key heads.
    pub hk: usize,
    /// Value heads.
    pub hv: usize,
    /// Key head dim.
    pub dk: usize,
    /// Value head dim.
    pub dv: usize,
    /// Conv kernel size.
    pub k: usize,
}

impl Dims {
    /// From the text config.
    pub fn of(t: &TextConfig) -> Self {
        Self {
            hidden: t.hidden_size,
            hk: t.heads.hk,
            hv: t.heads.hv,
            dk: t.heads.dk,
            dv: t.heads.dv,
            k: t.conv_kernel,
        }
    }
    /// Conv channels `2·Hk·Dk + Hv·Dv` (q, k, v).
    pub fn conv_channels(&self) -> usize {
        2 * self.hk * self.dk + self.hv * self.dv
    }
    /// `Hv·Dv`.
    pub fn value_width(&self) -> usize {
        self.hv * self.dv
    }
    /// The head shape `(Hk, Hv, Dk, Dv)` of the layer's recurrence.
    pub fn head_shape(&self) -> gdn_core::HeadShape {
        gdn_core::HeadShape::new(self.hk, self.hv, self.dk, self.dv)
    }

    /// Checks that `x` holds `[B, T, hidden]` values.
    pub(crate) fn check_hidden(&self, x: &[f32], b: usize, t: usize) -> Result<()> {
        // An empty batch or step range runs on the CPU but binds empty buffers on the GPU: both
        // refuse it.
        if b == 0 || t == 0 {
            return Err(Error::Input {
                name: "hidden",
                reason: format!("[B={b}, T={t}]: B and T must be at least 1"),
            });
        }
        self.check_activations(b, t)?;
        if Some(x.len()) != b.checked_mul(t).and_then(|n| n.checked_mul(self.hidden)) {
            return Err(Error::Input {
                name: "hidden",
                reason: format!(
                    "{} values for [B={b}, T={t}, hidden={}]",
                    x.len(),
                    self.hidden
                ),
            });
        }
        Ok(())
    }
}

impl Dims {
    /// Checks the bytes a forward pass over `[B, T]` holds per layer (input, projections, conv
    /// output, y, gated output) against the host memory limit, before any is allocated.
    pub fn check_activations(&self, b: usize, t: usize) -> Result<()> {
        let mut budget = gdn_core::limits::Budget::new();
        for (what, width) in [
            ("`hidden`", self.hidden),
            ("projection qkv", self.conv_channels()),
            ("conv output", self.conv_channels()),
            ("projection z", self.value_width()),
            ("y", self.value_width()),
            ("output", self.hidden),
        ] {
            budget.add(
                format_args!("layer activation {what} [B, T, width] ="),
                &[b, t, width],
                4,
            )?;
        }
        Ok(())
    }

    /// Checks the bytes of `layers` layers of f32 weights against the host memory limit, before
    /// any is allocated ([`LayerWeights::random`], or a checkpoint's layers widened to f32).
    pub fn check_weights(&self, layers: usize) -> Result<()> {
        let (h, c, vw) = (self.hidden, self.conv_channels(), self.value_width());
        let per_layer = [
            c.checked_mul(h),
            vw.checked_mul(h),
            self.hv.checked_mul(h).and_then(|n| n.checked_mul(2)),
            c.checked_mul(self.k),
            h.checked_mul(vw),
            Some(2 * self.hv + self.dv + self.hidden),
        ]
        .into_iter()
        .try_fold(0usize, |a, n| n.and_then(|n| a.checked_add(n)));
        let what = "model weights [layers, f32 per layer] =";
        match per_layer {
            Some(n) => gdn_core::limits::check(what, &[layers, n], 4).map(|_| ())?,
            None => Err(gdn_core::SizeError {
                what: format!("{what} [{layers}, more than 2^64]"),
                bytes: None,
                total: None,
                limit: gdn_core::limits::host_limit(),
            })?,
        }
        Ok(())
    }
}

/// One layer's weights, widened to f32, in the separate (Qwen3.5) layout, with the dtype the
/// checkpoint stores its projections in (the GPU keeps them in that dtype).
#[derive(Clone, Debug)]
pub struct LayerWeights {
    /// The projections' dtype in the checkpoint (f32, f16 or bf16); their values are exact in it.
    pub dtype: gdn_core::DType,
    /// `[2·Hk·Dk + Hv·Dv, hidden]`, rows `[q_all | k_all | v_all]`.
    pub in_proj_qkv: Vec<f32>,
    /// `[Hv·Dv, hidden]`.
    pub in_proj_z: Vec<f32>,
    /// `[Hv, hidden]`.
    pub in_proj_b: Vec<f32>,
    /// `[Hv, hidden]`.
    pub in_proj_a: Vec<f32>,
    /// `[C, K]`.
    pub conv: Vec<f32>,
    /// `[Hv]`.
    pub dt_bias: Vec<f32>,
    /// `[Hv]`.
    pub a_log: Vec<f32>,
    /// `[Dv]`, used raw.
    pub norm: Vec<f32>,
    /// `[hidden, Hv·Dv]`.
    pub out_proj: Vec<f32>,
}

impl LayerWeights {
    /// Finds the layout of layer `i` in the checkpoint (by where its projection lives).
    pub fn detect_layout(
        ck: &Checkpoint,
        cfg: &ModelConfig,
        family: Family,
        i: usize,
    ) -> Result<Layout> {
        let probe = match family {
            Family::Qwen3Next => "in_proj_qkvz.weight",
            Family::Qwen35 => "in_proj_qkv.weight",
        };
        let candidates: &[Layout] = match cfg.form {
            gdn_core::ConfigForm::Nested => &[Layout::Vlm, Layout::VlmMlx, Layout::VlmMlxLm],
            gdn_core::ConfigForm::Flat => &[Layout::Text, Layout::Vlm],
        };
        candidates
            .iter()
            .copied()
            .find(|l| ck.contains(&format!("{}{probe}", l.prefix(i))))
            .ok_or_else(|| Error::Missing {
                name: format!("{}{probe}", candidates[0].prefix(i)),
                what: format!(
                    "{family} projection of layer {i}; the weights do not match the config"
                ),
            })
    }

    /// Loads layer `i` (its tensors only), checking every shape against the config.
    pub fn load(
        ck: &Checkpoint,
        d: &Dims,
        family: Family,
        layout: Layout,
        i: usize,
    ) -> Result<Self> {
        Self::load_shard(ck, d, family, layout, i, crate::Shard::WHOLE)
    }

    /// The projections' common dtype in the checkpoint under `prefix`; f32 if they differ
    /// (narrowing must stay exact).
    pub(crate) fn stored_dtype(ck: &Checkpoint, family: Family, prefix: &str) -> gdn_core::DType {
        let projections: &[&str] = match family {
            Family::Qwen35 => &[
                "in_proj_qkv",
                "in_proj_z",
                "in_proj_b",
                "in_proj_a",
                "out_proj",
            ],
            Family::Qwen3Next => &["in_proj_qkvz", "in_proj_ba", "out_proj"],
        };
        let dtypes: Vec<_> = projections
            .iter()
            .map(|s| ck.dtype(&format!("{prefix}{s}.weight")))
            .collect();
        match dtypes[..] {
            [Some(first), ..] if dtypes.iter().all(|d| *d == Some(first)) => first,
            _ => gdn_core::DType::F32,
        }
    }

    /// Bytes of the weights as stored: the projections in [`LayerWeights::dtype`], the conv
    /// weight, `A_log`, `dt_bias` and the norm weight in f32 (as a GPU holds them).
    ///
    /// ```
    /// # use gdn_model::{Dims, LayerWeights};
    /// let d = Dims { hidden: 8, hk: 1, hv: 2, dk: 4, dv: 4, k: 4 };
    /// let w = LayerWeights::random(&d, 1); // bf16 projections
    /// let projections = (16 + 8 + 2 + 2) * 8 + 8 * 8; // in_proj rows × hidden + out_proj
    /// assert_eq!(w.bytes(), 2 * projections + 4 * (16 * 4 + 2 + 2 + 4));
    /// ```
    pub fn bytes(&self) -> u64 {
        let per = if self.dtype == gdn_core::DType::F32 {
            4
        } else {
            2
        };
        let projections = self.in_proj_qkv.len()
            + self.in_proj_z.len()
            + self.in_proj_b.len()
            + self.in_proj_a.len()
            + self.out_proj.len();
        let small = self.conv.len() + self.dt_bias.len() + self.a_log.len() + self.norm.len();
        (per * projections + 4 * small) as u64
    }
}

/// Splits Qwen3-Next's fused projections (rows per key head g: `[q_g | k_g | v_g (r heads) | z_g (r heads)]`
/// and `[b_g (r) | a_g (r)]`) into `[q_all | k_all | v_all]`, `z`, `b`, `a`.
pub(crate) fn regroup_next(
    d: &Dims,
    qkvz: &[f32],
    ba: &[f32],
) -> (Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>) {
    let (h, r) = (d.hidden, d.hv / d.hk);
    let group = 2 * d.dk + 2 * r * d.dv;
    let rows = |src: &[f32], g: usize, off: usize, n: usize, stride: usize| {
        src[(g * stride + off) * h..(g * stride + off + n) * h].to_vec()
    };
    let (mut q, mut k, mut v, mut z) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut b, mut a) = (Vec::new(), Vec::new());
    for g in 0..d.hk {
        q.extend(rows(qkvz, g, 0, d.dk, group));
        k.extend(rows(qkvz, g, d.dk, d.dk, group));
        v.extend(rows(qkvz, g, 2 * d.dk, r * d.dv, group));
        z.extend(rows(qkvz, g, 2 * d.dk + r * d.dv, r * d.dv, group));
        b.extend(rows(ba, g, 0, r, 2 * r));
        a.extend(rows(ba, g, r, r, 2 * r));
    }
    q.extend(k);
    q.extend(v);
    (q, z, b, a)
}

impl LayerWeights {
    /// Random weights of the given dimensions, rounded to bf16 (for benchmarks and tests): projections
    /// ~U(±0.05), conv ~U(±0.5), norm ~1, and gates whose base decay lies in (0.4, 0.95).
    pub fn random(d: &Dims, seed: u64) -> Self {
        let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut u = move || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 40) as f32) / ((1u64 << 24) as f32)
        };
        let mut v = |n: usize, lo: f32, hi: f32| -> Vec<f32> {
            (0..n)
                .map(|_| half::bf16::from_f32(lo + (hi - lo) * u()).to_f32())
                .collect()
        };
        let (h, c, vw) = (d.hidden, d.conv_channels(), d.value_width());
        Self {
            dtype: gdn_core::DType::BF16,
            in_proj_qkv: v(c * h, -0.05, 0.05),
            in_proj_z: v(vw * h, -0.05, 0.05),
            in_proj_b: v(d.hv * h, -0.05, 0.05),
            in_proj_a: v(d.hv * h, -0.05, 0.05),
            conv: v(c * d.k, -0.5, 0.5),
            dt_bias: v(d.hv, -1.0, 1.0),
            a_log: v(d.hv, -2.0, -0.5),
            norm: v(d.dv, 0.9, 1.1),
            out_proj: v(h * vw, -0.05, 0.05),
        }
    }
}
