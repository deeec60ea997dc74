//! The downstream crate's own variants are registered and serve its shape on the GPU.

use gdn_runtime::{
    CallOptions, Context, ContextOptions, DeviceChoice, Gate, GateForm, HeadShape, HostInputs,
    HostTensor, PathTaken, Registry,
};

#[test]
fn variants_generated_for_own_config() {
    let shape = HeadShape::new(4, 12, 64, 32);
    assert_eq!(downstream::kernels::VARIANTS.len(), 9); // 3 dtypes x 3 tiers
    assert!(downstream::kernels::VARIANTS
        .iter()
        .all(|v| v.shape == shape));
    assert_eq!(downstream::kernels::MODELS[0].name, "model"); // `model/config.json` is named by its folder
}

#[test]
fn own_shape_runs_on_its_kernel_and_matches_cpu() {
    let reg = Registry::new(downstream::kernels::VARIANTS, downstream::kernels::MODELS);
    let gpu = match Context::new(
        reg,
        ContextOptions {
            device: DeviceChoice::Gpu,
            strict: true,
        },
    ) {
        Ok(c) => c,
        Err(e) if std::env::var_os("CI").is_none() => return eprintln!("skipping: {e}"),
        Err(e) => panic!("CI is set but no GPU adapter: {e}"),
    };
    let (b, t) = (2, 3);
    let n = |len: usize, s: f32| -> Vec<f32> {
        (0..len)
            .map(|i| ((i as f32 * 0.37 + s).sin()) * 0.2)
            .collect()
    };
    let (q, k, v) = (
        n(b * t * 4 * 64, 0.1),
        n(b * t * 4 * 64, 0.2),
        n(b * t * 12 * 32, 0.3),
    );
    let g = vec![0.9f32; b * t * 12];
    let beta = vec![0.5f32; b * t * 12];
    let inp = HostInputs {
        q: HostTensor::f32(&q, &[b, t, 4, 64]),
        k: HostTensor::f32(&k, &[b, t, 4, 64]),
        v: HostTensor::f32(&v, &[b, t, 12, 32]),
        gate: Gate::Direct {
            g: HostTensor::f32(&g, &[b, t, 12]),
            beta: HostTensor::f32(&beta, &[b, t, 12]),
            form: GateForm::Decay,
        },
        state: None,
        mask: None,
    };
    let out = gpu.update(&inp, CallOptions::default()).unwrap();
    assert!(
        matches!(out.report.path, PathTaken::Kernel { .. }),
        "{}",
        out.report
    );
    let cpu = Context::cpu(Registry::empty())
        .update(&inp, CallOptions::default())
        .unwrap();
    let (a, c) = (out.y.to_f32(), cpu.y.to_f32());
    let err = a
        .iter()
        .zip(&c)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0f32, f32::max);
    assert!(err < 1e-5, "max |gpu - cpu| = {err}");
}
