//! `gdn info`.

use super::DeviceArgs;
use anyhow::Result;
use gdn::{tensor::GateKind, CallOptions, DType, GateForm, HeadShape, Problem, Tier};

pub(crate) fn info(a: &DeviceArgs) -> Result<()> {
    let ctx = a.context()?;
    match ctx.gpu() {
        Some(g) => {
            let s = &g.summary;
            out!("adapter:   {}", s.label());
            out!("driver:    {}", s.driver);
            out!("subgroups: {}", g.subgroup_note());
            let f = g.device.features();
            for (name, feat) in [
                ("SUBGROUP", gdn::wgpu::Features::SUBGROUP),
                ("SHADER_F16", gdn::wgpu::Features::SHADER_F16),
                ("TIMESTAMP_QUERY", gdn::wgpu::Features::TIMESTAMP_QUERY),
                (
                    "TIMESTAMP_QUERY_INSIDE_ENCODERS",
                    gdn::wgpu::Features::TIMESTAMP_QUERY_INSIDE_ENCODERS,
                ),
            ] {
                out!(
                    "  {name:<32} {}",
                    if s.features.contains(feat) {
                        if f.contains(feat) {
                            "yes (enabled)"
                        } else {
                            "yes"
                        }
                    } else {
                        "no"
                    }
                );
            }
            for tier in Tier::PREFERENCE {
                match g.supports_tier(tier) {
                    Ok(()) => out!("tier {tier:<9} usable"),
                    Err(e) => out!("tier {tier:<9} not usable: {e}"),
                }
            }
            let cm = &g.summary.cooperative_matrices;
            if cm.is_empty() {
                out!("cooperative matrices: none reported");
            } else {
                out!("cooperative matrices: {}", cm.join(", "));
            }
            match ctx.chunked_min_steps() {
                Some(m) => out!("chunked prefill: automatic from T = {m} (software adapter)"),
                None if g
                    .device
                    .features()
                    .contains(gdn::wgpu::Features::EXPERIMENTAL_COOPERATIVE_MATRIX) =>
                {
                    let rule: Vec<String> = gdn::CHUNKED_MMA_AUTO
                        .iter()
                        .map(|(r, t)| format!("B*Hv <= {r} from T = {t}"))
                        .collect();
                    out!(
                        "chunked prefill: on cooperative matrices for 16-bit inputs, automatic for {} (else with --path chunked)",
                        rule.join(", ")
                    )
                }
                None => out!(
                    "chunked prefill: only with --path chunked (the recurrent kernel was measured faster on hardware adapters without cooperative matrices)"
                ),
            }
        }
        None => {
            out!("adapter:   none (the fused CPU kernel serves; GDN_DEVICE=gpu forces a software adapter)");
            out!(
                "cpu kernel: {} threads; {}",
                gdn::cpu::threads(),
                gdn::cpu::vectors()
            );
        }
    }
    let reg = ctx.registry();
    out!("\ncompiled variants: {}", reg.variants().len());
    for v in reg.variants() {
        out!("  {:<48} configs: {}", v.name, v.configs.join(", "));
    }
    out!("\nbundled model configs (path per input dtype on this device):");
    for m in reg.models() {
        let form = if m.nested {
            "VLM (text_config)"
        } else {
            "flat text"
        };
        let paths: Vec<String> = DType::ALL
            .iter()
            .map(|&d| {
                let p = probe(m.shape, d);
                match ctx.plan(&p, CallOptions::default()) {
                    Ok(r) => format!("{d}: {}", r.path),
                    Err(e) => format!("{d}: error ({e})"),
                }
            })
            .collect();
        let HeadShape { hk, hv, dk, dv } = m.shape;
        out!(
            "  {:<20} {form:<18} Hk={hk} Hv={hv} Dk={dk} Dv={dv}  {}",
            m.name,
            paths.join("  ")
        );
    }
    shards(reg);
    Ok(())
}

/// The per-rank head shapes built for tensor-parallel degrees (listed under `config/tpN`), with
/// their variants and fused decode-layer module.
fn shards(reg: &gdn::Registry) {
    let mut seen: Vec<(&str, HeadShape, usize)> = Vec::new();
    for v in reg.variants() {
        for c in v.configs.iter().filter(|c| c.contains("/tp")) {
            match seen.iter_mut().find(|(n, s, _)| n == c && *s == v.shape) {
                Some(e) => e.2 += 1,
                None => seen.push((c, v.shape, 1)),
            }
        }
    }
    if seen.is_empty() {
        out!("\ntensor-parallel shards: none built (GDN_TP_DEGREES=2,4 at build time plans each rank's heads)");
        return;
    }
    out!("\ntensor-parallel shards (per-rank heads of GDN_TP_DEGREES):");
    for (name, shape, n) in seen {
        let HeadShape { hk, hv, dk, dv } = shape;
        let decode = reg
            .decode_layer(shape)
            .map_or("no decode-layer module", |m| m.name);
        out!("  {name:<24} Hk={hk} Hv={hv} Dk={dk} Dv={dv}  {n} variants, {decode}");
    }
}

/// A single-token decode problem for a shape, for path planning.
fn probe(heads: HeadShape, dtype: DType) -> Problem {
    Problem {
        b: 1,
        t: 1,
        heads,
        dtype,
        gate: GateKind::Direct {
            form: GateForm::Decay,
            per_key: false,
            g: DType::F32,
            beta: DType::F32,
        },
        has_state: true,
        has_mask: false,
        head_map: Default::default(),
        qk_l2norm: false,
    }
}
