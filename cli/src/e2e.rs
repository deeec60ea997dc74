//! `gdn e2e`: the layer-stack comparison of the original fix — prefill and decode tokens/s over all
//! linear-attention layers of a model's shapes (random bf16-rounded weights), through the LLM and
//! the VLM entry points, kernel path vs forced ops path.

use super::{median, DeviceArgs};
use anyhow::{anyhow, Context as _, Result};
use clap::Args;
use gdn::model::{llm, vlm, LayerWeights, LinearStack, Shard};
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
    /// Tensor-parallel degree: also report each rank's weight and state bytes, and time rank 0's
    /// head shard (the layers split by heads over N ranks; N must divide Hk).
    #[arg(long)]
    tp: Option<usize>,
    /// Repetitions (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    #[command(flatten)]
    device: DeviceArgs,
}

/// Prefill tokens/s, decode tokens/s, the decode path of the first layer, and the median GPU µs of
/// a decode step (pass timestamps; `None` without them).
struct Timed {
    prefill: f64,
    decode: f64,
    path: String,
    gpu_us: Option<f64>,
    /// Median host µs of a decode step before its pass starts: upload and submit (GPU path).
    host_us: Option<f64>,
    /// Median host µs of recording the next decode step while the GPU runs (GPU path).
    ahead_us: Option<f64>,
}

fn time(ctx: &Context, stack: &mut LinearStack, a: &E2eArgs, path: PathChoice) -> Result<Timed> {
    stack.options = CallOptions::path(path);
    let h = stack.dims.hidden;
    let x: Vec<f32> = (0..a.prompt * h)
        .map(|i| ((i as f32) * 0.0137).sin() * 0.5)
        .collect();
    let tok: Vec<f32> = (0..h).map(|i| ((i as f32) * 0.031).cos() * 0.5).collect();
    let (mut pre, mut dec, mut gpu) = (Vec::new(), Vec::new(), Vec::new());
    let (mut host, mut ahead) = (Vec::new(), Vec::new());
    for r in 0..a.runs + 1 {
        stack.reset();
        let t0 = Instant::now();
        stack.forward_unreduced(ctx, &x, 1, a.prompt)?;
        let p = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();
        for _ in 0..a.decode {
            stack.forward_unreduced(ctx, &tok, 1, 1)?;
            if r > 0 {
                gpu.extend(stack.last_gpu_ns().map(|ns| ns / 1e3));
                host.extend(stack.last_host_ns().map(|ns| ns / 1e3));
                ahead.extend(stack.last_ahead_ns().map(|ns| ns / 1e3));
            }
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
    let gpu_us = (!gpu.is_empty()).then(|| median(gpu));
    let host_us = (!host.is_empty()).then(|| median(host));
    let ahead_us = (!ahead.is_empty()).then(|| median(ahead));
    Ok(Timed {
        prefill: median(pre),
        decode: median(dec),
        path,
        gpu_us,
        host_us,
        ahead_us,
    })
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
    let mut ranks = match a.tp {
        Some(of) => (0..of)
            .map(|rank| llm::from_weights_shard(&ctx, &cfg, layers.clone(), Shard { rank, of }))
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("--tp {of}"))?,
        None => Vec::new(),
    };
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
    // What a decode token must move: the weights as stored, the state read and written, the conv
    // state read and written.
    let weight_bytes = text.gpu_weight_bytes();
    let state_bytes = 2 * text.state_bytes_per_sequence() as u64;
    let bw = match ctx.gpu() {
        Some(g)
            if g.device
                .features()
                .contains(gdn::wgpu::Features::TIMESTAMP_QUERY) =>
        {
            Some(crate::bench::calibrate(g)?.0)
        }
        _ => None,
    };
    let floor_us = bw.map(|gbs| (weight_bytes + state_bytes) as f64 / (gbs * 1e3));
    if weight_bytes > 0 {
        out!(
            "weights on the GPU: {:.1} MiB; a decode token moves {:.1} MiB (weights + state and conv state read and written){}",
            weight_bytes as f64 / (1024.0 * 1024.0),
            (weight_bytes + state_bytes) as f64 / (1024.0 * 1024.0),
            match (bw, floor_us) {
                (Some(bw), Some(f)) => format!(
                    "; byte floor {f:.1} µs a token ({:.0} tok/s) at the copy bandwidth of {bw:.0} GB/s",
                    1e6 / f
                ),
                _ => String::new(),
            }
        );
        // Step i of every layer in turn, about 50 dispatches of it in the timed pass.
        let reps = 50usize.div_ceil(text.layers().len().max(1));
        let prof = text.profile_decode(&ctx, reps)?;
        if !prof.is_empty() {
            out!(
                "\none decode layer, GPU µs per step (step i of each of the {} layers in turn, {reps}× over, in a timed pass after a warm-up; each layer's own weights):\n",
                text.layers().len()
            );
            out!("| step | µs | GB/s of its weights |");
            out!("|---|---:|---:|");
            let mats = text.projection_bytes();
            for (step, us) in prof {
                let gbs = mats
                    .iter()
                    .find(|(n, _)| *n == step)
                    .map(|(_, b)| {
                        format!(
                            "{:.0}{}",
                            *b as f64 / (us * 1e3),
                            bw.map(|bw| format!(
                                " ({:.0} % of copy)",
                                100.0 * *b as f64 / (us * 1e3) / bw
                            ))
                            .unwrap_or_default()
                        )
                    })
                    .unwrap_or_default();
                out!("| {step} | {us:.2} | {gbs} |");
            }
        }
    }
    if !ranks.is_empty() {
        shard_table(ctx.gpu().is_some(), &text, &ranks);
    }
    out!("\nprefill: one call of {} tokens; decode: {} single-token calls; wall time incl. upload and readback, median of {}\n", a.prompt, a.decode, a.runs);
    out!("| entry point | path | prefill tok/s | decode tok/s | decode GPU µs/token | decode host µs/token (upload + submit) | recorded ahead µs/token | recurrence path |");
    out!("|---|---|---:|---:|---:|---:|---:|---|");
    let rank0 = ranks
        .first()
        .map(|r| format!("LLM rank 0 of {}", r.shard.of));
    let mut rows = vec![("LLM", &mut text)];
    if let Some(v) = vl.as_mut() {
        rows.push(("VLM", v));
    }
    if let (Some(r), Some(name)) = (ranks.first_mut(), rank0.as_deref()) {
        rows.push((name, r));
    }
    for (name, stack) in rows {
        let k = time(&ctx, stack, a, PathChoice::Auto)?;
        let o = time(&ctx, stack, a, PathChoice::Ops)?;
        let us = |u: Option<f64>| u.map(|u| format!("{u:.1}")).unwrap_or("–".into());
        out!(
            "| {name} | kernel | {:.1} | {:.1} | {} | {} | {} | {} |",
            k.prefill,
            k.decode,
            us(k.gpu_us),
            us(k.host_us),
            us(k.ahead_us),
            k.path
        );
        out!(
            "| {name} | ops (forced) | {:.1} | {:.1} | {} | {} | {} | {} |",
            o.prefill,
            o.decode,
            us(o.gpu_us),
            us(o.host_us),
            us(o.ahead_us),
            o.path
        );
        out!(
            "| {name} | speedup | {:.2}× | {:.2}× | | | | |",
            k.prefill / o.prefill,
            k.decode / o.decode
        );
    }
    Ok(())
}

/// Each rank's weights and recurrent state (a rank keeps Hk/N key heads and Hv/N value heads of
/// every layer) beside the whole stack's, and whether its decode steps run a fused module.
fn shard_table(gpu: bool, whole: &LinearStack, ranks: &[LinearStack]) {
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    out!(
        "\ntensor-parallel over {} ranks (heads split; each rank's out_proj gives a partial sum that the engine all-reduces):\n",
        ranks.len()
    );
    out!("| rank | key heads | value heads | weights MiB | state MiB per sequence | decode |");
    out!("|---|---|---|---:|---:|---|");
    let d = whole.dims;
    for r in ranks {
        let (s, rd) = (r.shard, r.dims);
        let decode = if !gpu {
            "CPU".to_string()
        } else if r.decode_fused() {
            format!(
                "fused module for hk{}_hv{}_dk{}_dv{}",
                rd.hk, rd.hv, rd.dk, rd.dv
            )
        } else {
            format!(
                "unfused (no module for hk{}_hv{}_dk{}_dv{} here; GDN_TP_DEGREES={} builds one)",
                rd.hk, rd.hv, rd.dk, rd.dv, s.of
            )
        };
        out!(
            "| {} | {:?} | {:?} | {:.2} | {:.3} | {decode} |",
            s.rank,
            s.key_heads(&d),
            s.value_heads(&d),
            mib(r.weight_bytes()),
            mib(r.state_bytes_per_sequence() as u64)
        );
    }
    out!(
        "| whole | 0..{} | 0..{} | {:.2} | {:.3} | |",
        d.hk,
        d.hv,
        mib(whole.weight_bytes()),
        mib(whole.state_bytes_per_sequence() as u64)
    );
}
