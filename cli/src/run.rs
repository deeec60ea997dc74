//! `gdn run`: the file contract of docs/CONTRACT.md §9.

use super::tensors::{write, Loaded};
use super::{DeviceArgs, PathArg};
use anyhow::{bail, Result};
use clap::Args;
use gdn::{CallOptions, Gate, GateForm, HeadMap, HostInputs, OwnedData, Problem};
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub(crate) struct RunArgs {
    /// Input safetensors: q, k, v, g + beta (or a, b, A_log, dt_bias), optional state and mask.
    #[arg(long)]
    input: PathBuf,
    /// Output safetensors: y (input dtype) and state (f32).
    #[arg(long)]
    output: PathBuf,
    /// Which path may run.
    #[arg(long, value_enum, default_value_t = PathArg::Auto)]
    path: PathArg,
    /// Report the first NaN/Inf in inputs or outputs as an error.
    #[arg(long)]
    check_finite: bool,
    #[command(flatten)]
    device: DeviceArgs,
}

pub(crate) fn run(a: &RunArgs) -> Result<()> {
    let file = Loaded::read(&a.input)?;
    let form = match file.metadata.get("gate").map(String::as_str) {
        None | Some("decay") => GateForm::Decay,
        Some("log") => GateForm::Log,
        Some(other) => bail!("metadata `gate` is {other:?}, expected \"decay\" or \"log\""),
    };
    let head_map = match file.metadata.get("head_map").map(String::as_str) {
        None | Some("grouped") => HeadMap::Grouped,
        Some("tiled") => HeadMap::Tiled,
        Some(other) => {
            bail!("metadata `head_map` is {other:?}, expected \"grouped\" or \"tiled\"")
        }
    };
    let qk_l2norm = match file.metadata.get("qk_l2norm").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => bail!("metadata `qk_l2norm` is {other:?}, expected \"true\" or \"false\""),
    };
    let gate = if file.get("g").is_some() || file.get("beta").is_some() {
        for raw in ["a", "b", "A_log", "dt_bias"] {
            if file.get(raw).is_some() {
                bail!("tensor `{raw}` given together with g/beta: pass either g + beta or a, b, A_log, dt_bias");
            }
        }
        Gate::Direct {
            g: file.need("g", "gate [B,T,Hv] or [B,T,Hv,Dk]")?,
            beta: file.need("beta", "[B,T,Hv]")?,
            form,
        }
    } else if file.get("a").is_some() {
        // The raw form computes its decay from a, A_log and dt_bias: a `gate` form other than
        // decay would be ignored, so it is refused rather than echoed.
        if form == GateForm::Log {
            bail!("metadata `gate` is \"log\", but the raw gate inputs (a, b, A_log, dt_bias) give a decay; drop it or pass g + beta");
        }
        Gate::Raw {
            a: file.need("a", "raw gate [B,T,Hv]")?,
            b: file.need("b", "raw beta input [B,T,Hv]")?,
            a_log: file.need("A_log", "[Hv] f32")?,
            dt_bias: file.need("dt_bias", "[Hv] f32")?,
        }
    } else {
        bail!(
            "missing tensor `g` (with `beta`), or the raw gate inputs `a`, `b`, `A_log`, `dt_bias`"
        );
    };
    let inputs = HostInputs {
        q: file.need("q", "[B,T,Hk,Dk]")?,
        k: file.need("k", "[B,T,Hk,Dk]")?,
        v: file.need("v", "[B,T,Hv,Dv]")?,
        gate,
        state: file.get("state"),
        mask: file.get("mask"),
    };
    // With `cu_seqlens`, q, k, v, gates and mask hold N sequences packed along T (B = 1) and the
    // state is [N, Hv, Dv, Dk].
    // With `positions` ([P] step counts), the state after each of them is written too, as
    // `snapshots` [P, B, Hv, Dv, Dk] (speculative decoding).
    let cu = file.offsets("cu_seqlens")?;
    let positions = file.offsets("positions")?;
    if cu.is_some() && positions.is_some() {
        bail!("tensors `cu_seqlens` and `positions` cannot be given together");
    }
    let packed = HostInputs {
        state: None,
        ..inputs.clone()
    };
    let problem = gdn::tensor::validate(if cu.is_some() { &packed } else { &inputs })?;
    check_output_bytes(&problem, cu.as_deref(), positions.as_deref())?;
    let ctx = a.device.context()?;
    let opts = CallOptions {
        check_finite: a.check_finite,
        head_map,
        qk_l2norm,
        ..CallOptions::path(a.path.choice())
    };
    let explain = |r| a.device.explain(r, a.path);
    let (out, snapshots) = match (&cu, &positions) {
        (Some(cu), _) => (explain(ctx.update_varlen(&inputs, cu, opts))?, None),
        (None, Some(at)) => {
            let (out, snaps) = a
                .device
                .explain(ctx.update_snapshots(&inputs, at, opts), a.path)?;
            (out, Some(OwnedData::F32(snaps)))
        }
        (None, None) => (explain(ctx.update(&inputs, opts))?, None),
    };
    let sequences = cu.as_ref().map_or(problem.b, |c| c.len().saturating_sub(1));
    let state = OwnedData::F32(out.state);
    let h = problem.heads;
    let mut meta = HashMap::new();
    meta.insert("path".to_string(), out.report.path.to_string());
    meta.insert("device".to_string(), out.report.device.clone());
    meta.insert("reason".to_string(), out.report.reason.clone());
    meta.insert(
        "gate".to_string(),
        if form == GateForm::Log {
            "log"
        } else {
            "decay"
        }
        .to_string(),
    );
    let mut tensors = vec![
        ("y", &out.y, vec![problem.b, problem.t, h.hv, h.dv]),
        ("state", &state, vec![sequences, h.hv, h.dv, h.dk]),
    ];
    if let (Some(s), Some(at)) = (&snapshots, &positions) {
        tensors.push(("snapshots", s, vec![at.len(), problem.b, h.hv, h.dv, h.dk]));
    }
    write(&a.output, &tensors, meta)?;
    eprintln!("gdn run: {}", out.report);
    Ok(())
}

/// Checks the bytes the outputs take before the op allocates them: y, the state of every sequence
/// (`cu_seqlens` gives N of them), the snapshots, and the serialised copy of all of them.
fn check_output_bytes(
    p: &Problem,
    cu: Option<&[usize]>,
    positions: Option<&[usize]>,
) -> Result<()> {
    let h = p.heads;
    let sequences = cu.map_or(p.b, |c| c.len().saturating_sub(1));
    let mut budget = gdn::limits::Budget::new();
    // Twice: the outputs themselves and the file image they are serialised into.
    for _ in 0..2 {
        budget.add("output `y`", &[p.b, p.t, h.hv, h.dv], p.dtype.size())?;
        budget.add("output `state`", &[sequences, h.hv, h.dv, h.dk], 4)?;
        if let Some(at) = positions {
            budget.add("output `snapshots`", &[at.len(), p.b, h.hv, h.dv, h.dk], 4)?;
        }
    }
    Ok(())
}
