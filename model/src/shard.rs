//! Tensor-parallel head shards. The gated delta rule is independent per value head, so a layer
//! splits over `N` ranks by heads with no communication inside it: rank `r` keeps key heads
//! `[r·Hk/N, (r+1)·Hk/N)` and the value heads that read them (`[r·Hv/N, (r+1)·Hv/N)`, as value
//! head h reads key head h / (Hv/Hk)). Its in_proj is column-parallel (the q and k rows of its key
//! heads, the v, z, b and a rows of its value heads), its conv channels, `A_log` and `dt_bias` are
//! those of its heads, the gated norm (weight `[Dv]`, shared) runs on its heads, and its out_proj
//! is row-parallel (the columns of its value heads): each rank's output is a partial
//! `[B, T, hidden]`, and the sum over ranks (the engine's all-reduce) is the whole layer's output.
//!
//! A rank is a layer of its own shape (`Hk/N`, `Hv/N`, `Dk`, `Dv`), so it runs on the kernels
//! and the fused decode-layer module the build generated for that shape (`GDN_TP_DEGREES`).

use crate::checkpoint::Checkpoint;
use crate::weights::{regroup_next, Dims, Family, LayerWeights, Layout};
use crate::{Error, Result};
use std::ops::Range;

/// One rank's part of a layer split by heads over `of` tensor-parallel ranks (see the module
/// docs); [`Shard::WHOLE`] is the whole layer.
///
/// The sum of the ranks' outputs is the whole layer's output, here on one CPU context:
///
/// ```
/// use gdn_model::{llm, Dims, LayerWeights, Shard};
/// use gdn_core::ModelConfig;
/// use gdn_runtime::{Context, Registry};
///
/// let cfg = ModelConfig::from_json_str(r#"{"hidden_size": 32, "num_hidden_layers": 1,
///     "linear_num_key_heads": 4, "linear_num_value_heads": 8, "linear_key_head_dim": 16,
///     "linear_value_head_dim": 16, "linear_conv_kernel_dim": 4,
///     "layer_types": ["linear_attention"]}"#, "tiny")?;
/// let ctx = Context::cpu(Registry::empty());
/// let w = LayerWeights::random(&Dims::of(&cfg.text), 3);
/// let x: Vec<f32> = (0..3 * 32).map(|i| (i as f32 * 0.37).sin()).collect();
///
/// let whole = llm::from_weights(&ctx, &cfg, vec![(0, w.clone())])?.forward(&ctx, &x, 1, 3)?;
/// let mut sum = vec![0.0f32; whole.len()];
/// for rank in 0..2 {
///     let shard = Shard { rank, of: 2 };
///     let mut s = llm::from_weights_shard(&ctx, &cfg, vec![(0, w.clone())], shard)?;
///     assert_eq!((s.dims.hk, s.dims.hv), (2, 4)); // this rank's heads
///     let partial = s.forward(&ctx, &x, 1, 3)?; // [B, T, hidden], to be all-reduced
///     sum.iter_mut().zip(&partial).for_each(|(a, p)| *a += p);
/// }
/// assert!(sum.iter().zip(&whole).all(|(a, b)| (a - b).abs() <= 1e-5 * (1.0 + b.abs())));
///
/// // A degree must divide Hk; the error names the degrees that do.
/// let e = llm::from_weights_shard(&ctx, &cfg, vec![(0, w)], Shard { rank: 0, of: 3 }).err();
/// assert!(e.unwrap().to_string().contains("1, 2, 4"));
/// # Ok::<(), gdn_model::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shard {
    /// This rank, `0 ≤ rank < of`.
    pub rank: usize,
    /// The tensor-parallel degree: how many ranks the layer is split over. Must divide `Hk`.
    pub of: usize,
}

impl Default for Shard {
    fn default() -> Self {
        Self::WHOLE
    }
}

impl Shard {
    /// The whole layer: rank 0 of 1.
    pub const WHOLE: Shard = Shard { rank: 0, of: 1 };

    /// Whether this is the whole layer (one rank).
    pub fn is_whole(&self) -> bool {
        self.of == 1
    }

    /// The rank's dimensions (`Hk/N`, `Hv/N`; the rest as in `d`), or an error naming the option
    /// at fault: `of` not dividing `Hk` (with the degrees that do), or `rank` not below `of`.
    pub fn dims(&self, d: &Dims) -> Result<Dims> {
        let err = |reason: String| Error::Shard {
            rank: self.rank,
            of: self.of,
            reason,
        };
        if self.of == 0 || !d.hk.is_multiple_of(self.of) {
            let ok: Vec<String> = d
                .head_shape()
                .shard_degrees()
                .iter()
                .map(|n| n.to_string())
                .collect();
            return Err(err(format!(
                "the degree (`of`) {} does not divide Hk = {} (degrees that do: {})",
                self.of,
                d.hk,
                ok.join(", ")
            )));
        }
        if self.rank >= self.of {
            return Err(err(format!(
                "the rank {} is not below the degree (`of`) {}",
                self.rank, self.of
            )));
        }
        Ok(Dims {
            hk: d.hk / self.of,
            hv: d.hv / self.of,
            ..*d
        })
    }

    /// The key heads of the whole layer `d` this rank keeps (for a checked shard).
    pub fn key_heads(&self, d: &Dims) -> Range<usize> {
        let n = d.hk / self.of.max(1);
        self.rank * n..(self.rank + 1) * n
    }

    /// The value heads of the whole layer `d` this rank keeps: those reading its key heads.
    pub fn value_heads(&self, d: &Dims) -> Range<usize> {
        let n = d.hv / self.of.max(1);
        self.rank * n..(self.rank + 1) * n
    }

    /// The conv channels of the whole layer `d` (`[q_all | k_all | v_all]`) this rank keeps, in its
    /// own order `[q | k | v]`: the rows of in_proj_qkv, the conv weight and the conv state.
    ///
    /// ```
    /// # use gdn_model::{Dims, Shard};
    /// let d = Dims { hidden: 8, hk: 2, hv: 4, dk: 16, dv: 24, k: 4 };
    /// let s = Shard { rank: 1, of: 2 };
    /// assert_eq!(s.conv_channels(&d), [16..32, 48..64, 112..160]);
    /// ```
    pub fn conv_channels(&self, d: &Dims) -> [Range<usize>; 3] {
        let (kh, vh) = (self.key_heads(d), self.value_heads(d));
        let qk = d.hk * d.dk;
        [
            kh.start * d.dk..kh.end * d.dk,
            qk + kh.start * d.dk..qk + kh.end * d.dk,
            2 * qk + vh.start * d.dv..2 * qk + vh.end * d.dv,
        ]
    }

    /// The columns of out_proj (rows of z) of this rank's value heads.
    fn value_columns(&self, d: &Dims) -> Range<usize> {
        let vh = self.value_heads(d);
        vh.start * d.dv..vh.end * d.dv
    }
}

/// Rows `rows` (each `width` values) of a row-major matrix, concatenated.
fn gather(src: &[f32], width: usize, rows: &[Range<usize>]) -> Vec<f32> {
    rows.iter()
        .flat_map(|r| &src[r.start * width..r.end * width])
        .copied()
        .collect()
}

/// Element spans of rows `rows` of a row-major matrix of `width` columns.
fn row_spans(rows: &[Range<usize>], width: usize) -> Vec<Range<usize>> {
    rows.iter()
        .map(|r| r.start * width..r.end * width)
        .collect()
}

/// Element spans of columns `cols` of each of `n` rows of `width` columns.
fn column_spans(n: usize, width: usize, cols: &Range<usize>) -> Vec<Range<usize>> {
    (0..n)
        .map(|i| i * width + cols.start..i * width + cols.end)
        .collect()
}

impl LayerWeights {
    /// The weights of rank `rank` of `of` (see [`Shard`]) of a whole layer of dimensions `d`, with
    /// the rank's dimensions: only its rows (and its out_proj columns) are kept.
    ///
    /// ```
    /// # use gdn_model::{Dims, LayerWeights};
    /// let d = Dims { hidden: 8, hk: 4, hv: 8, dk: 16, dv: 16, k: 4 };
    /// let (rd, w) = LayerWeights::random(&d, 1).shard(&d, 3, 4)?;
    /// assert_eq!((rd.hk, rd.hv), (1, 2));
    /// assert_eq!(w.out_proj.len(), d.hidden * rd.value_width());
    /// # Ok::<(), gdn_model::Error>(())
    /// ```
    pub fn shard(&self, d: &Dims, rank: usize, of: usize) -> Result<(Dims, LayerWeights)> {
        let s = Shard { rank, of };
        let local = s.dims(d)?;
        let (h, c, vw) = (d.hidden, d.conv_channels(), d.value_width());
        for (name, len, want) in [
            ("in_proj_qkv", self.in_proj_qkv.len(), c * h),
            ("in_proj_z", self.in_proj_z.len(), vw * h),
            ("in_proj_b", self.in_proj_b.len(), d.hv * h),
            ("in_proj_a", self.in_proj_a.len(), d.hv * h),
            ("conv1d", self.conv.len(), c * d.k),
            ("dt_bias", self.dt_bias.len(), d.hv),
            ("A_log", self.a_log.len(), d.hv),
            ("out_proj", self.out_proj.len(), h * vw),
        ] {
            if len != want {
                return Err(Error::Shape {
                    name: name.into(),
                    found: format!("{len} values"),
                    expected: format!("{want} (the dimensions given)"),
                });
            }
        }
        let channels = s.conv_channels(d);
        let heads = [s.value_heads(d)];
        let cols = s.value_columns(d);
        let out_proj = column_spans(h, vw, &cols)
            .into_iter()
            .flat_map(|r| &self.out_proj[r])
            .copied()
            .collect();
        let w = LayerWeights {
            dtype: self.dtype,
            in_proj_qkv: gather(&self.in_proj_qkv, h, &channels),
            in_proj_z: gather(&self.in_proj_z, h, std::slice::from_ref(&cols)),
            in_proj_b: gather(&self.in_proj_b, h, &heads),
            in_proj_a: gather(&self.in_proj_a, h, &heads),
            conv: gather(&self.conv, d.k, &channels),
            dt_bias: gather(&self.dt_bias, 1, &heads),
            a_log: gather(&self.a_log, 1, &heads),
            norm: self.norm.clone(),
            out_proj,
        };
        Ok((local, w))
    }

    /// Loads rank `s` of layer `i` of a whole layer of dimensions `d`, reading only the rank's rows
    /// (and its out_proj columns), and checking every tensor's shape against `d`. Qwen3-Next's
    /// fused projections are grouped per key head, so a rank's rows are one contiguous block;
    /// Qwen3.5's separate ones are read by row ranges. [`Shard::WHOLE`] reads the whole layer.
    pub fn load_shard(
        ck: &Checkpoint,
        d: &Dims,
        family: Family,
        layout: Layout,
        i: usize,
        s: Shard,
    ) -> Result<Self> {
        let local = s.dims(d)?;
        let p = layout.prefix(i);
        let n = |t: &str| format!("{p}{t}");
        // Checks the whole tensor's shape, then reads the rank's spans of it.
        let read = |t: &str, what: &str, want: &[usize], spans: &[Range<usize>]| {
            let name = n(t);
            let shape = ck.shape(&name).ok_or_else(|| Error::Missing {
                name: name.clone(),
                what: what.into(),
            })?;
            if shape != want {
                return Err(Error::Shape {
                    name,
                    found: format!("{shape:?}"),
                    expected: format!("{want:?}"),
                });
            }
            Ok(ck.read_f32_spans(&name, what, spans)?.0)
        };
        let (h, c, vw) = (d.hidden, d.conv_channels(), d.value_width());
        let channels = s.conv_channels(d);
        let heads = [s.value_heads(d)];
        let cols = s.value_columns(d);
        let (in_proj_qkv, in_proj_z, in_proj_b, in_proj_a) = match family {
            Family::Qwen35 => (
                read(
                    "in_proj_qkv.weight",
                    "q/k/v projection",
                    &[c, h],
                    &row_spans(&channels, h),
                )?,
                read(
                    "in_proj_z.weight",
                    "output-gate projection",
                    &[vw, h],
                    &row_spans(std::slice::from_ref(&cols), h),
                )?,
                read(
                    "in_proj_b.weight",
                    "beta projection",
                    &[d.hv, h],
                    &row_spans(&heads, h),
                )?,
                read(
                    "in_proj_a.weight",
                    "decay projection",
                    &[d.hv, h],
                    &row_spans(&heads, h),
                )?,
            ),
            Family::Qwen3Next => {
                // Rows per key head g: [q_g | k_g | v_g (r heads) | z_g (r heads)] and [b_g | a_g].
                let r = d.hv / d.hk;
                let group = 2 * d.dk + 2 * r * d.dv;
                let kh = s.key_heads(d);
                let qkvz = read(
                    "in_proj_qkvz.weight",
                    "fused q/k/v/z projection",
                    &[d.hk * group, h],
                    std::slice::from_ref(&(kh.start * group * h..kh.end * group * h)),
                )?;
                let ba = read(
                    "in_proj_ba.weight",
                    "fused beta/decay projection",
                    &[d.hk * 2 * r, h],
                    std::slice::from_ref(&(kh.start * 2 * r * h..kh.end * 2 * r * h)),
                )?;
                regroup_next(&local, &qkvz, &ba)
            }
        };
        let conv_name = n("conv1d.weight");
        let cs = ck.shape(&conv_name).ok_or_else(|| Error::Missing {
            name: conv_name.clone(),
            what: "depthwise conv weight".into(),
        })?;
        if !(cs == [c, 1, d.k] || cs == [c, d.k, 1] || cs == [c, d.k]) {
            return Err(Error::Shape {
                name: conv_name,
                found: format!("{cs:?}"),
                expected: format!("[{c}, 1, {}] (or MLX's [{c}, {}, 1])", d.k, d.k),
            });
        }
        // Every form is channel-major: a channel's K taps are contiguous.
        let (conv, _) = ck.read_f32_spans(
            &conv_name,
            "depthwise conv weight",
            &row_spans(&channels, d.k),
        )?;
        Ok(Self {
            dtype: LayerWeights::stored_dtype(ck, family, &p),
            in_proj_qkv,
            in_proj_z,
            in_proj_b,
            in_proj_a,
            conv,
            dt_bias: read("dt_bias", "dt bias", &[d.hv], &heads)?,
            a_log: read("A_log", "log decay rate", &[d.hv], &heads)?,
            norm: read(
                "norm.weight",
                "gated RMSNorm weight",
                &[d.dv],
                std::slice::from_ref(&(0..d.dv)),
            )?,
            out_proj: read(
                "out_proj.weight",
                "output projection",
                &[h, vw],
                &column_spans(h, vw, &cols),
            )?,
        })
    }
}
