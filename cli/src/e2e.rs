//! `gdn e2e`: the layer-stack comparison of the original fix — prefill and decode tokens/s over all
//! linear-attention layers of a model's shapes (random bf16-rounded weights), through the LLM and
//! the VLM entry points, kernel path vs forced ops path.

use super::{median, DeviceArgs};
use anyhow::{anyhow, Context as _, Result};
use clap::Args;
use gdn::model::{llm, vlm, LayerWeights, LinearStack};
use gdn::{CallOptions, Context, ModelConfig, PathChoice};
use std::time::Instant;

#[derive(Args, Debug)]
pub(crate) struct E2eArgs {
    /// Bundled config name or config.json path (its linear-attention layers and shapes are used).
    #[arg(long, default_value = "qwen3.5-0.8b")]
    config: String,
    /// Prompt tokens (one prefill call).
    #[arg(long, default_value_t = 24)]
    prompt: usize,
    /// Decode steps timed after the prefill.
    #[arg(long, default_value_t = 32)]
    decode: usize,
    /// Repetitions (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    #[command(flatten)]
    device: DeviceArgs,
}

/// (prefill tokens/s, decode tokens/s, path of the recurrence).
fn time(
    ctx: &Context,
    stack: &mut LinearStack,
    a: &E2eArgs,
    path: PathChoice,
) -> Result<(f64, f64, String)> {
    stack.options = CallOptions::path(path);
    let h = stack.dims.hidden;
    let x: Vec<f32> = (0..a.prompt * h)
        .map(|i| ((i as f32) * 0.0137).sin() * 0.5)
        .collect();
    let tok: Vec<f32> = (0..h).map(|i| ((i as f32) * 0.031).cos() * 0.5).collect();
    let (mut pre, mut dec) = (Vec::new(), Vec::new());
    for r in 0..a.runs + 1 {
        stack.reset();
        let t0 = Instant::now();
        stack.forward(ctx, &x, 1, a.prompt)?;
        let p = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();
        for _ in 0..a.decode {
            stack.forward(ctx, &tok, 1, 1)?;
        }
        let d = t1.elapsed().as_secs_f64() / a.decode.max(1) as f64;
        if r > 0 {
            // run 0 is the warm-up (pipeline compilation)
            pre.push(a.prompt as f64 / p);
            dec.push(1.0 / d);
        }
    }
    let path = stack
        .reports()
        .first()
        .map(|r| r.path.to_string())
        .unwrap_or_default();
    Ok((median(pre), median(dec), path))
}

pub(crate) fn e2e(a: &E2eArgs) -> Result<()> {
    let ctx = a.device.context()?;
    let cfg = match ctx.registry().model(&a.config) {
        Some(m) => ModelConfig::from_json_str(m.json, m.name)?,
        None => ModelConfig::from_file(std::path::Path::new(&a.config))?,
    };
    if a.runs == 0 || a.prompt == 0 {
        return Err(anyhow!("--runs and --prompt must be at least 1"));
    }
    let dims = gdn::model::Dims::of(&cfg.text);
    // Sizes from the config and the flags, checked before the weights and inputs exist.
    dims.check_weights(cfg.linear_layers().len())?;
    dims.check_activations(1, a.prompt)
        .with_context(|| format!("--prompt {}", a.prompt))?;
    let layers: Vec<(usize, LayerWeights)> = cfg
        .linear_layers()
        .into_iter()
        .map(|i| (i, LayerWeights::random(&dims, i as u64)))
        .collect();
    let n = layers.len();
    let mut text = llm::from_weights(&ctx, &cfg, layers.clone())?;
    let mut vl = if cfg.form == gdn::ConfigForm::Nested {
        Some(vlm::from_weights(&ctx, &cfg, layers)?)
    } else {
        None
    };
    out!("device: {}", ctx.device_label());
    out!(
        "config {}: {n} linear-attention layers, hidden {}, Hk={} Hv={} Dk={} Dv={}; recurrent state per sequence: {:.2} MiB (f32 state + conv state)",
        cfg.short_name(),
        dims.hidden,
        dims.hk,
        dims.hv,
        dims.dk,
        dims.dv,
        text.state_bytes_per_sequence() as f64 / (1024.0 * 1024.0)
    );
    out!("prefill: one call of {} tokens; decode: {} single-token calls; wall time incl. upload and readback, median of {}\n", a.prompt, a.decode, a.runs);
    out!("| entry point | path | prefill tok/s | decode tok/s | recurrence path |");
    out!("|---|---|---:|---:|---|");
    let mut rows = vec![("LLM", &mut text)];
    if let Some(v) = vl.as_mut() {
        rows.push(("VLM", v));
    }
    for (name, stack) in rows {
        let k = time(&ctx, stack, a, PathChoice::Auto)?;
        let o = time(&ctx, stack, a, PathChoice::Ops)?;
        out!("| {name} | kernel | {:.1} | {:.1} | {} |", k.0, k.1, k.2);
        out!(
            "| {name} | ops (forced) | {:.1} | {:.1} | {} |",
            o.0,
            o.1,
            o.2
        );
        out!(
            "| {name} | speedup | {:.2}× | {:.2}× | |",
            k.0 / o.0,
            k.1 / o.1
        );
    }
    Ok(())
}
