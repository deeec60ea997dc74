//! The LLM and VLM model paths against mlx-lm's own layers (fixtures from
//! tools/fixtures/gen_layer_fixtures.py): both checkpoint families, all layouts, one prefill and
//! prefill + single-token decode, on the CPU and on the GPU (strict: the kernel path must serve).

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_model::{llm, vlm, Error, Layers, LinearStack};
use gdn_runtime::{Context, PathTaken};
use gdn_tests::{registry, rel_rmse, Fixture};
use std::path::{Path, PathBuf};

fn dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/layer")
        .join(case)
}

fn weights(case: &str) -> PathBuf {
    let d = dir(case);
    if d.join("model.safetensors").exists() {
        d.join("model.safetensors")
    } else {
        d // sharded: the folder with model.safetensors.index.json
    }
}

fn contexts() -> Vec<&'static Context> {
    static CPU: std::sync::OnceLock<Context> = std::sync::OnceLock::new();
    let mut v = vec![CPU.get_or_init(|| Context::cpu(registry()))];
    v.extend(gdn_tests::gpu_strict());
    v
}

fn load(ctx: &Context, case: &str) -> LinearStack {
    let cfg = dir(case).join("config.json");
    let nested = std::fs::read_to_string(&cfg)
        .unwrap()
        .contains("text_config");
    let l = if nested {
        vlm::load(ctx, &cfg, &weights(case), Layers::All)
    } else {
        llm::load(ctx, &cfg, &weights(case), Layers::All)
    };
    l.unwrap_or_else(|e| panic!("{case}: {e}"))
}

/// Runs T tokens as one call, or as a prefill of P then single-token decodes.
fn run(
    ctx: &Context,
    stack: &mut LinearStack,
    x: &[f32],
    b: usize,
    t: usize,
    h: usize,
    prefill: Option<usize>,
) -> Vec<f32> {
    stack.reset();
    let p = prefill.unwrap_or(t);
    let mut out = vec![0.0; b * t * h];
    let mut step = |t0: usize, t1: usize, stack: &mut LinearStack| {
        let xs: Vec<f32> = (0..b)
            .flat_map(|bi| x[(bi * t + t0) * h..(bi * t + t1) * h].to_vec())
            .collect();
        // Decode steps write into the caller's buffer (the path an engine's loop takes); a
        // prompt returns a new vector.
        let ys = if t1 - t0 == 1 {
            let mut ys = vec![f32::NAN; xs.len()];
            stack.forward_into(ctx, &xs, (b, 1), &mut ys).unwrap();
            ys
        } else {
            stack.forward(ctx, &xs, b, t1 - t0).unwrap()
        };
        for r in stack.reports() {
            match ctx.gpu() {
                Some(_) => assert!(matches!(r.path, PathTaken::Kernel { .. }), "{r}"),
                None => assert_eq!(r.path, PathTaken::CpuKernel),
            }
        }
        for bi in 0..b {
            out[(bi * t + t0) * h..(bi * t + t1) * h]
                .copy_from_slice(&ys[bi * (t1 - t0) * h..(bi + 1) * (t1 - t0) * h]);
        }
    };
    step(0, p, stack);
    for s in p..t {
        step(s, s + 1, stack);
    }
    out
}

fn measured(case: &str, ctx: &Context, what: &str, e: f64) {
    if std::env::var_os("GDN_MEASURE").is_some() {
        eprintln!("GDNLAYER {case} {} {what} {e:.3e}", ctx.device_label());
    }
}

/// The bound on the layer's output, state and conv state against mlx-lm's (the layer computes
/// in f32; the bf16 fixture's reference is f32 on the bf16-rounded weights): measured at most
/// 4.7e-7 on lavapipe and the CPU, bound 1e-5 (21×). `bundled`: the GPU against the CPU on random
/// weights, measured 1.4e-6 on lavapipe, bound 3e-5 (21×).
fn layer_bound(case: &str) -> f64 {
    if case == "bundled" {
        3e-5
    } else {
        1e-5
    }
}

#[test]
fn every_family_and_layout_matches_mlx() {
    for case in [
        "next_llm",
        "qwen35_text",
        "qwen35_vlm",
        "qwen35_vlm_mlx",
        "qwen35_vlm_mlx_lm",
        "qwen35_text_bf16",
    ] {
        let io = Fixture::load(&dir(case).join("io.safetensors"));
        let file_tol: f64 = io.metadata["tolerance"].parse().unwrap();
        let tol = layer_bound(case);
        assert!(tol <= file_tol);
        let hid = io.get("hidden").unwrap();
        let (b, t, h) = (hid.shape[0], hid.shape[1], hid.shape[2]);
        let x = hid.data.to_f32();
        let prefill: usize = io.metadata["prefill"].parse().unwrap();
        for ctx in contexts() {
            let mut stack = load(ctx, case);
            let out = run(ctx, &mut stack, &x, b, t, h, None);
            let e = rel_rmse(&out, &io.f64("out"));
            measured(case, ctx, "out", e);
            assert!(
                e <= tol,
                "{case} on {}: out {e:.2e} > {tol:.0e}",
                ctx.device_label()
            );
            let (conv, state) = stack.cache(0).unwrap().to_host(ctx).unwrap().unwrap();
            let es = rel_rmse(&state, &io.f64("state"));
            let ec = rel_rmse(&conv, &io.f64("conv_state"));
            measured(case, ctx, "state", es);
            measured(case, ctx, "conv", ec);
            assert!(es <= tol, "{case}: state {es:.2e} > {tol:.0e}");
            assert!(ec <= tol, "{case}: conv state {ec:.2e} > {tol:.0e}");
            let split = run(ctx, &mut stack, &x, b, t, h, Some(prefill));
            let e = rel_rmse(&split, &io.f64("out_split"));
            measured(case, ctx, "split", e);
            assert!(
                e <= tol,
                "{case} on {}: prefill {prefill} + decode {e:.2e}",
                ctx.device_label()
            );
        }
    }
}

#[test]
fn text_and_vlm_checkpoints_agree_through_their_entry_points() {
    let io = Fixture::load(&dir("qwen35_text").join("io.safetensors"));
    let hid = io.get("hidden").unwrap();
    let (b, t, h) = (hid.shape[0], hid.shape[1], hid.shape[2]);
    let x = hid.data.to_f32();
    for ctx in contexts() {
        let mut text = llm::load(
            ctx,
            &dir("qwen35_text").join("config.json"),
            &weights("qwen35_text"),
            Layers::All,
        )
        .unwrap();
        let a = run(ctx, &mut text, &x, b, t, h, Some(3));
        for vcase in ["qwen35_vlm", "qwen35_vlm_mlx", "qwen35_vlm_mlx_lm"] {
            let mut v = vlm::load(
                ctx,
                &dir(vcase).join("config.json"),
                &weights(vcase),
                Layers::All,
            )
            .unwrap();
            let bb = run(ctx, &mut v, &x, b, t, h, Some(3));
            assert_eq!(
                a,
                bb,
                "{vcase} vs text on {}: the same kernel must give identical outputs",
                ctx.device_label()
            );
            assert_eq!(
                text.reports(),
                v.reports(),
                "both entry points report the same path"
            );
        }
    }
}

#[test]
fn clear_errors_for_bad_layers_weights_and_configs() {
    let ctx = Context::cpu(registry());
    let cfg = dir("qwen35_text").join("config.json");
    let e = llm::load(&ctx, &cfg, &weights("qwen35_text"), Layers::Only(vec![1]))
        .err()
        .unwrap();
    assert!(
        matches!(e, Error::NotLinear { index: 1, .. }) && e.to_string().contains("full attention"),
        "{e}"
    );
    let e = llm::load(&ctx, &cfg, &weights("qwen35_text"), Layers::Only(vec![7]))
        .err()
        .unwrap();
    assert!(e.to_string().contains("out of range"), "{e}");
    // Qwen3-Next config over Qwen3.5 weights: the fused projection is missing.
    let e = llm::load(
        &ctx,
        &dir("next_llm").join("config.json"),
        &weights("qwen35_text"),
        Layers::All,
    )
    .err()
    .unwrap();
    assert!(e.to_string().contains("in_proj_qkvz.weight"), "{e}");
    // A text config on the VLM entry point.
    let e = vlm::load(&ctx, &cfg, &weights("qwen35_text"), Layers::All)
        .err()
        .unwrap();
    assert!(e.to_string().contains("text_config"), "{e}");
    // A config whose dims disagree with the weights: the tensor and both shapes are named.
    let tmp = tempdir();
    let text = std::fs::read_to_string(&cfg).unwrap().replace(
        "\"linear_value_head_dim\": 24",
        "\"linear_value_head_dim\": 32",
    );
    std::fs::write(tmp.join("config.json"), text).unwrap();
    let e = llm::load(
        &ctx,
        &tmp.join("config.json"),
        &weights("qwen35_text"),
        Layers::All,
    )
    .err()
    .unwrap();
    assert!(
        matches!(e, Error::Shape { .. }) && e.to_string().contains("in_proj_qkv.weight"),
        "{e}"
    );
    // Truncated weights and an absurd header length.
    let bytes = std::fs::read(weights("qwen35_text")).unwrap();
    std::fs::write(tmp.join("trunc.safetensors"), &bytes[..bytes.len() - 100]).unwrap();
    let e = llm::load(&ctx, &cfg, &tmp.join("trunc.safetensors"), Layers::All)
        .err()
        .unwrap();
    assert!(matches!(e, Error::Format { .. }), "{e}");
    let mut bad = bytes;
    bad[..8].copy_from_slice(&u64::MAX.to_le_bytes());
    std::fs::write(tmp.join("hdr.safetensors"), &bad).unwrap();
    let e = llm::load(&ctx, &cfg, &tmp.join("hdr.safetensors"), Layers::All)
        .err()
        .unwrap();
    assert!(e.to_string().contains("header length"), "{e}");
    // Wrong hidden size at run time.
    let mut stack = llm::load(&ctx, &cfg, &weights("qwen35_text"), Layers::All).unwrap();
    let e = stack.forward(&ctx, &[0.0; 10], 1, 1).err().unwrap();
    assert!(e.to_string().contains("input `hidden`"), "{e}");
    // An output buffer of the wrong length, before anything runs.
    let h = stack.dims.hidden;
    let e = stack
        .forward_into(&ctx, &vec![0.0; h], (1, 1), &mut vec![0.0; h + 1])
        .err()
        .unwrap();
    assert!(
        e.to_string().contains("out") && e.to_string().contains("needs"),
        "{e}"
    );
    std::fs::remove_dir_all(tmp).unwrap();
}

fn tempdir() -> PathBuf {
    let p = std::env::temp_dir().join(format!("gdn-layer-test-{}", std::process::id()));
    std::fs::create_dir_all(&p).unwrap();
    p
}

/// Writes one random-weight linear-attention layer (index 0) of a config's shapes, bf16, under `prefix`.
fn write_random_layer(path: &Path, prefix: &str, t: &gdn_core::TextConfig) {
    let (hidden, k) = (t.hidden_size, t.conv_kernel);
    let gdn_core::HeadShape { hk, hv, dk, dv } = t.heads;
    let c = 2 * hk * dk + hv * dv;
    let mut seed = 7u64;
    let mut rnd = |n: usize, scale: f32| -> Vec<half::bf16> {
        (0..n)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                half::bf16::from_f32((((seed >> 40) as f32) / ((1u64 << 24) as f32) - 0.5) * scale)
            })
            .collect()
    };
    let tensors: Vec<(String, Vec<usize>, Vec<half::bf16>)> = vec![
        (
            "in_proj_qkv.weight".into(),
            vec![c, hidden],
            rnd(c * hidden, 0.1),
        ),
        (
            "in_proj_z.weight".into(),
            vec![hv * dv, hidden],
            rnd(hv * dv * hidden, 0.1),
        ),
        (
            "in_proj_b.weight".into(),
            vec![hv, hidden],
            rnd(hv * hidden, 0.1),
        ),
        (
            "in_proj_a.weight".into(),
            vec![hv, hidden],
            rnd(hv * hidden, 0.1),
        ),
        ("conv1d.weight".into(), vec![c, 1, k], rnd(c * k, 1.0)),
        ("dt_bias".into(), vec![hv], rnd(hv, 1.0)),
        ("A_log".into(), vec![hv], rnd(hv, 1.0)),
        ("norm.weight".into(), vec![dv], rnd(dv, 2.0)),
        (
            "out_proj.weight".into(),
            vec![hidden, hv * dv],
            rnd(hidden * hv * dv, 0.1),
        ),
    ];
    let bytes: Vec<(String, Vec<usize>, Vec<u8>)> = tensors
        .into_iter()
        .map(|(n, s, d)| (format!("{prefix}{n}"), s, bytemuck::cast_slice(&d).to_vec()))
        .collect();
    let views: Vec<(String, safetensors::tensor::TensorView<'_>)> = bytes
        .iter()
        .map(|(n, s, d)| {
            (
                n.clone(),
                safetensors::tensor::TensorView::new(safetensors::Dtype::BF16, s.clone(), d)
                    .unwrap(),
            )
        })
        .collect();
    std::fs::write(path, safetensors::tensor::serialize(views, None).unwrap()).unwrap();
}

#[test]
fn bundled_config_takes_the_kernel_through_both_entry_points() {
    let Some(ctx) = contexts().into_iter().find(|c| c.gpu().is_some()) else {
        return;
    };
    assert!(ctx.strict(), "strict: any fallback is an error");
    let bundled = gdn_tests::fixtures_root().join("../../configs/qwen3.5-0.8b.json");
    let cfg = gdn_core::ModelConfig::from_file(&bundled).unwrap();
    let t = &cfg.text;
    let tmp = tempdir().join("bundled");
    std::fs::create_dir_all(&tmp).unwrap();
    // The VLM checkpoint uses the bundled (nested) config as is; its text twin flattens text_config.
    write_random_layer(
        &tmp.join("vlm.safetensors"),
        "model.language_model.layers.0.linear_attn.",
        t,
    );
    write_random_layer(
        &tmp.join("text.safetensors"),
        "model.layers.0.linear_attn.",
        t,
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&bundled).unwrap()).unwrap();
    std::fs::write(tmp.join("text.json"), v["text_config"].to_string()).unwrap();
    let mut text = llm::load(
        ctx,
        &tmp.join("text.json"),
        &tmp.join("text.safetensors"),
        Layers::Only(vec![0]),
    )
    .unwrap();
    let mut vl = vlm::load(
        ctx,
        &bundled,
        &tmp.join("vlm.safetensors"),
        Layers::Only(vec![0]),
    )
    .unwrap();
    let h = t.hidden_size;
    let x: Vec<f32> = (0..3 * h).map(|i| ((i as f32) * 0.013).sin()).collect();
    let a = run(ctx, &mut text, &x, 1, 3, h, Some(2));
    let b = run(ctx, &mut vl, &x, 1, 3, h, Some(2));
    assert_eq!(a, b);
    // Values: the same checkpoint on the CPU (its fused kernel, an implementation of its own).
    let on_cpu = contexts()[0];
    let mut c = llm::load(
        on_cpu,
        &tmp.join("text.json"),
        &tmp.join("text.safetensors"),
        Layers::Only(vec![0]),
    )
    .unwrap();
    let c = run(on_cpu, &mut c, &x, 1, 3, h, Some(2));
    let e = rel_rmse(&a, &gdn_tests::widen(&c));
    measured("bundled", ctx, "gpu vs cpu", e);
    assert!(e <= layer_bound("bundled"), "GPU vs CPU: {e:.2e}");
    assert!(
        a.iter().any(|&v| v != 0.0),
        "the layer's output is all zero"
    );
    // The last step decoded: through the fused decode-layer module of the config's heads.
    for s in [&text, &vl] {
        let r = &s.reports()[0];
        assert_eq!(
            r.path,
            PathTaken::Kernel {
                variant: registry().decode_layer(t.heads).unwrap().name
            },
            "{r}"
        );
    }
    // A prefill takes the op's kernel.
    text.forward(ctx, &x, 1, 3).unwrap();
    assert_eq!(
        text.reports()[0].path,
        PathTaken::Kernel {
            variant: registry()
                .find(t.heads, gdn_runtime::DType::F32, r_tier(ctx))
                .unwrap()
                .name
        }
    );
    std::fs::remove_dir_all(tmp).unwrap();
}

fn r_tier(ctx: &Context) -> gdn_runtime::Tier {
    let g = ctx.gpu().unwrap();
    // One sequence of Qwen3.5-0.8B (16 value heads of 128 rows), one decode step.
    gdn_runtime::policy::tier_preference(16 * 128, 1)
        .into_iter()
        .find(|t| g.supports_tier(*t).is_ok())
        .unwrap()
}

#[test]
fn a_refused_cpu_step_leaves_the_caches_as_they_were() {
    // With the finite check on, a step whose input is not finite is refused by the op after the
    // conv has moved the conv state: the conv state goes back, the state is untouched, and the
    // next step gives what it gives without the refused one.
    let ctx = Context::cpu(registry());
    let cfg = dir("qwen35_text").join("config.json");
    let load = || {
        let mut s = llm::load(&ctx, &cfg, &weights("qwen35_text"), Layers::All).unwrap();
        s.options.check_finite = true;
        s
    };
    let (mut a, mut b) = (load(), load());
    let h = a.dims.hidden;
    let x = |s: f32| -> Vec<f32> { (0..h).map(|i| ((i as f32) * 0.17 + s).sin()).collect() };
    for s in [
        a.forward(&ctx, &x(0.0), 1, 1),
        b.forward(&ctx, &x(0.0), 1, 1),
    ] {
        s.unwrap();
    }
    let caches = |s: &LinearStack| {
        (0..s.layers().len())
            .map(|i| s.cache(i).unwrap().to_host(&ctx).unwrap().unwrap())
            .collect::<Vec<_>>()
    };
    let before = caches(&a);
    let mut bad = x(1.0);
    bad[3] = f32::NAN;
    let e = a.forward(&ctx, &bad, 1, 1).unwrap_err();
    assert!(
        e.to_string().contains("finite") || e.to_string().contains("NaN"),
        "{e}"
    );
    assert!(caches(&a) == before, "a refused step changed the caches");
    let (ya, yb) = (
        a.forward(&ctx, &x(2.0), 1, 1).unwrap(),
        b.forward(&ctx, &x(2.0), 1, 1).unwrap(),
    );
    assert_eq!(ya, yb);
}
