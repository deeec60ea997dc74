//! `gdn layer`: one gated-delta layer of a checkpoint on a `hidden` tensor.

use super::tensors::{write, Loaded, Owned};
use super::{DeviceArgs, PathArg};
use anyhow::{anyhow, bail, Context as _, Result};
use clap::Args;
use gdn::model::{Layers, LinearStack, Shard};
use gdn::{CallOptions, DType, OwnedData};
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub(crate) struct LayerArgs {
    /// The checkpoint's config.json (flat text config, or VLM config with text_config).
    #[arg(long)]
    config: PathBuf,
    /// Weights: a .safetensors file, or a folder (sharded with model.safetensors.index.json).
    #[arg(long)]
    weights: PathBuf,
    /// Decoder-layer index (must be a linear-attention layer).
    #[arg(long)]
    layer: usize,
    /// Input safetensors with `hidden` [B,T,hidden] (f32, f16 or bf16).
    #[arg(long)]
    input: PathBuf,
    /// Output safetensors: `out` [B,T,hidden] (dtype of hidden; f32 with --tp), `state` [B,Hv,Dv,Dk] f32,
    /// `conv_state` [B,K-1,C] f32 (the last K-1 pre-conv inputs, oldest first; C = [q | k | v]).
    #[arg(long)]
    output: PathBuf,
    /// Run the first P tokens as one prefill, the rest as single-token decode steps.
    #[arg(long)]
    prefill: Option<usize>,
    /// Tensor-parallel degree: run one rank's head shard of the layer (with --rank); `out` is then
    /// the rank's partial sum (f32), and `state` / `conv_state` hold its heads and channels.
    #[arg(long)]
    tp: Option<usize>,
    /// The rank to run, below --tp.
    #[arg(long)]
    rank: Option<usize>,
    /// Which path the recurrence may take.
    #[arg(long, value_enum, default_value_t = PathArg::Auto)]
    path: PathArg,
    #[command(flatten)]
    device: DeviceArgs,
}

pub(crate) fn layer(a: &LayerArgs) -> Result<()> {
    let ctx = a.device.context()?;
    let cfg = gdn::ModelConfig::from_file(&a.config)?;
    let file = Loaded::read(&a.input)?;
    let (hidden, shape) = file
        .tensors
        .get("hidden")
        .ok_or_else(|| anyhow!("missing tensor `hidden` ([B,T,hidden])"))?;
    if shape.len() != 3 || shape[2] != cfg.text.hidden_size {
        bail!(
            "tensor `hidden`: shape {shape:?}, expected [B, T, {}] (hidden_size of the config)",
            cfg.text.hidden_size
        );
    }
    let (b, t) = (shape[0], shape[1]);
    let (x, dtype): (Vec<f32>, DType) = match hidden {
        Owned::F32(v) => (v.clone(), DType::F32),
        Owned::F16(v) => (v.iter().map(|x| x.to_f32()).collect(), DType::F16),
        Owned::BF16(v) => (v.iter().map(|x| x.to_f32()).collect(), DType::BF16),
        Owned::U8(_) => bail!("tensor `hidden`: dtype u8, expected f32, f16 or bf16"),
    };
    let shard = match (a.tp, a.rank) {
        (Some(of), Some(rank)) => {
            if rank >= of {
                bail!("--rank {rank} must be below --tp {of}");
            }
            Shard { rank, of }
        }
        (Some(of), None) => bail!("--tp {of} needs --rank R, the rank to run (below {of})"),
        (None, Some(rank)) => bail!("--rank {rank} needs --tp N, the number of ranks"),
        (None, None) => Shard::WHOLE,
    };
    let layers = Layers::Only(vec![a.layer]);
    let mut stack = LinearStack::load_shard(&ctx, &cfg, &a.weights, layers, shard).with_context(
        || match a.tp {
            Some(of) => format!(
                "loading rank {} of --tp {of} of layer {}",
                shard.rank, a.layer
            ),
            None => format!("loading layer {}", a.layer),
        },
    )?;
    stack.options = CallOptions::path(a.path.choice());
    let h = cfg.text.hidden_size;
    let p = a.prefill.unwrap_or(t);
    if p > t {
        bail!("--prefill {p} exceeds T = {t}");
    }
    let mut out = vec![0.0f32; b * t * h];
    let mut paths = Vec::new();
    let mut run = |t0: usize, t1: usize, stack: &mut LinearStack| -> Result<()> {
        if t1 == t0 {
            return Ok(());
        }
        let xs: Vec<f32> = (0..b)
            .flat_map(|bi| x[(bi * t + t0) * h..(bi * t + t1) * h].to_vec())
            .collect();
        let ys = stack.forward(&ctx, &xs, b, t1 - t0)?;
        for bi in 0..b {
            out[(bi * t + t0) * h..(bi * t + t1) * h]
                .copy_from_slice(&ys[bi * (t1 - t0) * h..(bi + 1) * (t1 - t0) * h]);
        }
        paths.extend(stack.reports().iter().map(|r| r.path.to_string()));
        Ok(())
    };
    run(0, p, &mut stack)?;
    for step in p..t {
        run(step, step + 1, &mut stack)?;
    }
    let (conv, state) = match stack
        .cache(0)
        .map(|c| c.to_host(&ctx))
        .transpose()?
        .flatten()
    {
        Some(cs) => cs,
        None => bail!("T = 0: nothing ran"),
    };
    paths.dedup();
    let d = stack.dims;
    let mut meta = HashMap::new();
    meta.insert("path".to_string(), paths.join(","));
    meta.insert("family".to_string(), stack.family.to_string());
    meta.insert("layout".to_string(), stack.layout.to_string());
    meta.insert("layer".to_string(), a.layer.to_string());
    meta.insert(
        "conv_state_layout".to_string(),
        "[B, K-1, C], oldest first, C = [q_all | k_all | v_all]".to_string(),
    );
    if !shard.is_whole() {
        meta.insert("tp".to_string(), shard.of.to_string());
        meta.insert("rank".to_string(), shard.rank.to_string());
    }
    // A rank's output is a partial sum: kept in f32 so the ranks' sum rounds once.
    let dtype = if shard.is_whole() { dtype } else { DType::F32 };
    let out = OwnedData::from_f32(dtype, out);
    write(
        &a.output,
        &[
            ("out", &out, vec![b, t, h]),
            ("state", &OwnedData::F32(state), vec![b, d.hv, d.dv, d.dk]),
            (
                "conv_state",
                &OwnedData::F32(conv),
                vec![b, d.k - 1, d.conv_channels()],
            ),
        ],
        meta,
    )?;
    let part = match a.tp {
        Some(of) => format!(" rank {} of {of} (Hk={} Hv={})", shard.rank, d.hk, d.hv),
        None => String::new(),
    };
    eprintln!(
        "gdn layer: layer {}{part} ({}, {}) via {}",
        a.layer,
        stack.family,
        stack.layout,
        paths.join(",")
    );
    Ok(())
}
