//! The fused decode layer (one dispatch from the in_proj output to the gated-norm output) against
//! the unfused kernel sequence and the CPU layer, at every head shape with a generated module (the
//! bundled configs and the awkward shapes of this suite), and the model path's steady state: a
//! decode step creates no wgpu object.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_core::{HeadShape, ModelConfig};
use gdn_model::{llm, Dims, LayerWeights, LinearStack};
use gdn_runtime::{CallOptions, Context, PathChoice, PathTaken};
use gdn_tests::{generated, registry, rel_rmse, widen};

/// A config of `layers` linear-attention layers with heads `s` and a small hidden size (the
/// fused module depends on the heads only).
fn config(s: HeadShape, layers: usize) -> ModelConfig {
    config_hidden(s, layers, 40)
}

fn config_hidden(s: HeadShape, layers: usize, hidden: usize) -> ModelConfig {
    gdn_tests::linear_config(s, layers, hidden)
}

fn stack(ctx: &Context, cfg: &ModelConfig, path: PathChoice) -> LinearStack {
    let d = Dims::of(&cfg.text);
    let layers = cfg
        .linear_layers()
        .into_iter()
        .map(|i| (i, LayerWeights::random(&d, 11 + i as u64)))
        .collect();
    let mut s = llm::from_weights(ctx, cfg, layers).unwrap();
    s.options = CallOptions::path(path);
    s
}

/// A run's outputs (every step's, in order) and its caches (conv state and state of each layer).
type Run = (Vec<f32>, Vec<Vec<f32>>);

/// A prefill of 3 tokens then 3 decode steps for B sequences: every output and the caches.
fn run(ctx: &Context, s: &mut LinearStack, b: usize) -> Run {
    let h = s.dims.hidden;
    let x = |t: usize, seed: f32| -> Vec<f32> {
        (0..b * t * h)
            .map(|i| ((i as f32) * 0.071 + seed).sin())
            .collect()
    };
    let mut out = s.forward(ctx, &x(3, 0.3), b, 3).unwrap();
    for step in 0..3 {
        out.extend(s.forward(ctx, &x(1, step as f32), b, 1).unwrap());
    }
    let caches = (0..s.layers().len())
        .flat_map(|i| {
            let (conv, state) = s.cache(i).unwrap().to_host(ctx).unwrap().unwrap();
            [conv, state]
        })
        .collect();
    (out, caches)
}

/// Asserts that a run's output and each cache (conv state, state, per layer) agree with a
/// reference run's within `bound` (relative RMSE), naming what differs.
fn assert_agree(what: &str, got: &Run, want: &Run, bound: f64) {
    let e = rel_rmse(&got.0, &widen(&want.0));
    assert!(e <= bound, "{what}: y {e:.2e} > {bound:.0e}");
    assert_eq!(got.1.len(), want.1.len(), "{what}: caches");
    for (i, (c, r)) in got.1.iter().zip(&want.1).enumerate() {
        let cache = if i % 2 == 0 { "conv state" } else { "state" };
        let e = rel_rmse(c, &widen(r));
        assert!(
            e <= bound,
            "{what}: layer {} {cache} {e:.2e} > {bound:.0e}",
            i / 2
        );
    }
}

#[test]
fn fused_decode_matches_the_unfused_layer_at_every_generated_shape() {
    let Some(gpu) = gdn_tests::gpu_strict() else {
        return;
    };
    let cpu = Context::cpu(registry());
    assert!(!generated::DECODE_LAYERS.is_empty());
    for m in generated::DECODE_LAYERS {
        let cfg = config(m.shape, 2);
        for b in [1, 3] {
            let mut fused = stack(gpu, &cfg, PathChoice::Auto);
            assert!(fused.decode_fused(), "{}", m.name);
            let got = run(gpu, &mut fused, b);
            for r in fused.reports() {
                assert_eq!(r.path, PathTaken::Kernel { variant: m.name }, "{r}");
            }
            // The same layers through the unfused kernels (a forced path never fuses).
            let mut unfused = stack(gpu, &cfg, PathChoice::Kernel);
            let unfused_run = run(gpu, &mut unfused, b);
            assert!(matches!(
                unfused.reports()[0].path,
                PathTaken::Kernel { variant } if variant.starts_with("recurrent_")
            ));
            let mut on_cpu = stack(&cpu, &cfg, PathChoice::Auto);
            let cpu_run = run(&cpu, &mut on_cpu, b);
            let name = m.name;
            assert_agree(
                &format!("{name} B={b} fused vs unfused"),
                &got,
                &unfused_run,
                1e-5,
            );
            assert_agree(&format!("{name} B={b} fused vs CPU"), &got, &cpu_run, 3e-5);
            assert!(got.0.iter().any(|v| *v != 0.0), "{name}: all zero");
        }
    }
}

#[test]
fn a_shape_without_a_module_decodes_unfused_and_says_why() {
    let Some(gpu) = gdn_tests::gpu_strict() else {
        return;
    };
    // A registry without decode-layer modules: the layer falls back to its unfused kernels.
    let g = gpu.gpu().unwrap();
    let dev = gdn_runtime::GpuDevice::from_device(&g.adapter, g.device.clone(), g.queue.clone());
    let bare = Context::with_device(
        gdn_runtime::Registry::new(generated::VARIANTS, generated::MODELS),
        dev.unwrap(),
        true,
    );
    let shape = generated::DECODE_LAYERS[0].shape;
    let cfg = config(shape, 1);
    let mut s = stack(&bare, &cfg, PathChoice::Auto);
    assert!(!s.decode_fused());
    let (y, _) = run(&bare, &mut s, 1);
    let r = &s.reports()[0];
    assert!(r.reason.contains("no decode-layer module"), "{r}");
    let mut fused = stack(gpu, &cfg, PathChoice::Auto);
    let (y_f, _) = run(gpu, &mut fused, 1);
    let e = rel_rmse(&y, &widen(&y_f));
    assert!(e <= 1e-5, "unfused vs fused {e:.2e}");
}

#[test]
fn a_decode_step_creates_no_wgpu_object() {
    // A device of its own: the counters are per device, and the other tests run beside this one.
    let Some(owned) = gdn_tests::gpu_owned(true) else {
        return;
    };
    let gpu = &owned;
    let device = &gpu.gpu().unwrap().device;
    for m in &generated::DECODE_LAYERS[..1] {
        let cfg = config(m.shape, 3);
        for path in [PathChoice::Auto, PathChoice::Kernel] {
            let mut s = stack(gpu, &cfg, path);
            let h = s.dims.hidden;
            let tok = vec![0.25; h];
            s.forward(gpu, &vec![0.5; 4 * h], 1, 4).unwrap();
            s.forward(gpu, &tok, 1, 1).unwrap(); // the decode plan is made here
            let before = device.get_internal_counters().hal;
            for _ in 0..8 {
                s.forward(gpu, &tok, 1, 1).unwrap();
            }
            let after = device.get_internal_counters().hal;
            // Live buffers: none of the model path's own; the transient staging memory of
            // `Queue::write_buffer` (the token's upload) is wgpu's and may come and go.
            assert!(
                after.buffers.read() <= before.buffers.read(),
                "buffers made per decode step ({path:?})"
            );
            for (what, a, b) in [
                ("bind groups", &before.bind_groups, &after.bind_groups),
                (
                    "pipelines",
                    &before.compute_pipelines,
                    &after.compute_pipelines,
                ),
                ("query sets", &before.query_sets, &after.query_sets),
            ] {
                assert_eq!(a.read(), b.read(), "{what} made per decode step ({path:?})");
            }
            // The counters count: a new batch shape makes a plan.
            s.forward(gpu, &vec![0.5; 2 * h], 1, 2).unwrap();
            let made = device.get_internal_counters().hal.bind_groups.read();
            assert!(made > after.bind_groups.read());
        }
    }
}

#[test]
fn a_projection_of_many_rows_matches_the_cpu_layer() {
    let Some(gpu) = gdn_tests::gpu_strict() else {
        return;
    };
    // in_proj of 2·8·128 + 2·8·128 + 2·8 = 4 112 rows: decode steps take the four-rows-a-lane-group
    // form of the projection (B = 3, so three rows of x), prefill the batched one.
    let shape = HeadShape::new(8, 8, 128, 128);
    let cfg = config(shape, 1);
    let cpu = Context::cpu(registry());
    let mut on_gpu = stack(gpu, &cfg, PathChoice::Auto);
    let got = run(gpu, &mut on_gpu, 3);
    let mut on_cpu = stack(&cpu, &cfg, PathChoice::Auto);
    let want = run(&cpu, &mut on_cpu, 3);
    assert!(got.0.iter().any(|v| *v != 0.0), "all zero");
    assert_agree("GPU vs CPU", &got, &want, 3e-5);
}

#[test]
fn a_reset_stack_starts_from_zero_caches_and_allocates_nothing() {
    // A device of its own: the counters are per device.
    let Some(owned) = gdn_tests::gpu_owned(true) else {
        return;
    };
    let gpu = &owned;
    let device = &gpu.gpu().unwrap().device;
    let m = &generated::DECODE_LAYERS[0];
    let cfg = config(m.shape, 2);
    let mut s = stack(gpu, &cfg, PathChoice::Auto);
    let first = run(gpu, &mut s, 1);
    s.reset();
    let before = device.get_internal_counters().hal;
    let again = run(gpu, &mut s, 1);
    let after = device.get_internal_counters().hal;
    // The same sequence from zero caches: the same outputs and caches, bit for bit.
    assert_eq!(first, again);
    assert_eq!(
        before.bind_groups.read(),
        after.bind_groups.read(),
        "bind groups made after a reset"
    );
    // The caches read back are the only buffers made (`to_host`'s staging, dropped again).
    assert!(
        after.buffers.read() <= before.buffers.read(),
        "buffers kept after a reset"
    );
    // A reset stack takes another batch size, as a fresh one does.
    s.reset();
    let b3 = run(gpu, &mut s, 3);
    let mut fresh = stack(gpu, &cfg, PathChoice::Auto);
    assert_eq!(b3, run(gpu, &mut fresh, 3));
}

#[test]
fn fused_decode_of_larger_batches_and_wider_layers_matches_the_unfused_layer() {
    let Some(gpu) = gdn_tests::gpu_strict() else {
        return;
    };
    // B = 5 and 9: out_proj reads the fused module's output through the gated norm in the
    // batched and the tiled forms of the projection too; a hidden size of 4 096 gives out_proj
    // enough rows for four weight rows per 32 lanes.
    let m = &generated::DECODE_LAYERS[0];
    for (hidden, b) in [(40, 5), (40, 9), (4096, 1)] {
        let cfg = config_hidden(m.shape, 2, hidden);
        let mut fused = stack(gpu, &cfg, PathChoice::Auto);
        let got = run(gpu, &mut fused, b);
        assert_eq!(
            fused.reports()[0].path,
            PathTaken::Kernel { variant: m.name }
        );
        let mut unfused = stack(gpu, &cfg, PathChoice::Kernel);
        let want = run(gpu, &mut unfused, b);
        assert!(got.0.iter().any(|v| *v != 0.0), "B={b}: all zero");
        let what = format!("hidden {hidden}, B={b}: fused vs unfused");
        assert_agree(&what, &got, &want, 1e-5);
    }
}
