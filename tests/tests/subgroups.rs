//! What a Mac runs, on the adapters we have: the reported subgroup range replaced by Metal's 4..64
//! (`GpuDevice::from_adapter_overriding`, a test hook), the size learnt by the probe dispatch, and
//! the same `sg32` / `sg8` kernels and chunked module taken as with the adapter's own fixed size
//! (lavapipe: 8, NVIDIA: 32); a measured size the kernels cannot serve (forced to 4) falls back
//! to `portable` and the report says why. Results are checked against the f64 reference.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::tensor::GateKind;
use gdn_runtime::{
    wgpu, CallOptions, Context, DType, GateForm, GpuDevice, HeadShape, PathChoice, PathTaken,
    Problem, SubgroupOverride, SubgroupSize, Tier,
};
use gdn_tests::{assert_within, gpu_owned, registry, rel_rmse, Case, GateCase};

/// Metal's reported range.
const MAC: (u32, u32) = (4, 64);

/// The forced range, the size left to the probe.
const MAC_RANGE: SubgroupOverride = SubgroupOverride {
    reported: Some(MAC),
    measured: None,
};

/// The strict baseline context and its adapter, where the adapter reports one subgroup size and
/// the device has subgroups (else `None`: nothing here to compare).
fn baseline() -> Option<(Context, wgpu::Adapter)> {
    let ctx = gpu_owned(true)?;
    let gpu = ctx.gpu()?;
    let (lo, hi) = gpu.summary.subgroup_sizes;
    if lo != hi || !gpu.device.features().contains(wgpu::Features::SUBGROUP) {
        eprintln!(
            "skipping: {} reports subgroups {lo}..{hi}",
            gpu.summary.label()
        );
        return None;
    }
    let adapter = gpu.adapter.clone();
    Some((ctx, adapter))
}

/// A strict context on a device gdn creates on `adapter` with `forced`.
fn owned(adapter: &wgpu::Adapter, forced: SubgroupOverride) -> Context {
    let gpu = GpuDevice::from_adapter_overriding(adapter.clone(), forced).unwrap();
    Context::with_device(registry(), gpu, true)
}

/// A strict context on the caller's device on `adapter`, created as an engine would, with `forced`.
fn callers(adapter: &wgpu::Adapter, forced: SubgroupOverride) -> Context {
    let request = GpuDevice::recommended(adapter);
    let (device, queue) =
        pollster::block_on(adapter.request_device(&request.descriptor(Some("engine")))).unwrap();
    let gpu = GpuDevice::from_device_overriding(adapter, device, queue, forced).unwrap();
    Context::with_device(registry(), gpu, true)
}

fn problem(heads: HeadShape, dtype: DType, b: usize, t: usize) -> Problem {
    Problem {
        b,
        t,
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

/// Every compiled (shape, dtype) the registry serves on a subgroup tier, and one with a chunked
/// module (the smallest).
fn shapes() -> (Vec<(HeadShape, DType)>, (HeadShape, DType)) {
    let mut all: Vec<(HeadShape, DType)> = Vec::new();
    for v in registry().variants() {
        if v.tier != Tier::Portable && !all.contains(&(v.shape, v.dtype)) {
            all.push((v.shape, v.dtype));
        }
    }
    let chunked = registry()
        .variants()
        .iter()
        .filter(|v| v.tier == Tier::Subgroup8 && v.chunked.is_some())
        .min_by_key(|v| v.shape.hv * v.shape.dv * v.shape.dk)
        .map(|v| (v.shape, v.dtype))
        .unwrap();
    (all, chunked)
}

/// Runs `case` with `path` on `ctx` and checks it against the f64 reference; the path taken.
fn run_checked(ctx: &Context, case: &Case, path: PathChoice, what: &str) -> (PathTaken, String) {
    let out = ctx
        .update(&case.inputs(), CallOptions::path(path))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let (yr, sr) = case.reference();
    let (ey, es) = (rel_rmse(&out.y.to_f32(), &yr), rel_rmse(&out.state, &sr));
    if gdn_tests::on_mma(&out.report) {
        let b = gdn_tests::MMA_BOUND;
        assert!(
            ey <= b && es <= b,
            "{what} ({}): y {ey:.2e} state {es:.2e}",
            out.report
        );
    } else {
        assert_within(
            &format!("{what} ({})", out.report),
            case.dtype,
            case.t,
            ey,
            es,
        );
    }
    (out.report.path, out.report.reason)
}

#[test]
fn the_probe_measures_the_size_the_adapter_reports() {
    let Some((_, adapter)) = baseline() else {
        return;
    };
    let real = adapter.get_info().subgroup_min_size;
    let want = SubgroupSize::Measured {
        size: real,
        reported: MAC,
    };
    for ctx in [owned(&adapter, MAC_RANGE), callers(&adapter, MAC_RANGE)] {
        let gpu = ctx.gpu().unwrap();
        assert_eq!(gpu.subgroups(), &want, "{}", gpu.summary.label());
        assert_eq!(gpu.summary.subgroup_sizes, MAC);
        let note = gpu.subgroup_note();
        assert!(
            note.contains(&format!(
                "subgroup size {real} measured; adapter reports 4..64"
            )),
            "{note}"
        );
    }
}

#[test]
fn the_forced_range_takes_the_same_kernels_in_strict_mode() {
    let Some((base, adapter)) = baseline() else {
        return;
    };
    let (all, (small, small_dtype)) = shapes();
    for forced in [owned(&adapter, MAC_RANGE), callers(&adapter, MAC_RANGE)] {
        for tier in [Tier::Subgroup8, Tier::Subgroup32, Tier::Portable] {
            assert_eq!(
                forced.gpu().unwrap().supports_tier(tier).is_ok(),
                base.gpu().unwrap().supports_tier(tier).is_ok(),
                "{tier}"
            );
        }
        // The automatic choice and each tier forced, decode to prefill, chunked included.
        for &(h, dtype) in &all {
            for (b, t) in [(1, 1), (4, 3), (1, 40), (1, 64)] {
                let p = problem(h, dtype, b, t);
                let tiers = [None, Some(Tier::Subgroup8), Some(Tier::Subgroup32)];
                for opts in tiers.map(|tier| CallOptions {
                    tier,
                    ..CallOptions::default()
                }) {
                    let want = base.plan(&p, opts).map(|r| r.path);
                    let got = forced.plan(&p, opts);
                    let what = format!("{} {opts:?}", p.describe());
                    match (&want, &got) {
                        (Ok(w), Ok(g)) => {
                            assert_eq!(&g.path, w, "{what}: {}", g.reason);
                            assert!(!w.to_string().ends_with("_portable"), "{what}: {w}");
                            assert!(
                                g.reason.contains("measured; adapter reports 4..64"),
                                "{what}: {}",
                                g.reason
                            );
                        }
                        (Err(_), Err(_)) => {}
                        _ => panic!("{what}: baseline {want:?}, forced range {got:?}"),
                    }
                }
            }
        }
        // Executed: the recurrent kernel, the automatic choice and the chunked module.
        let chunked = base.plan(
            &problem(small, small_dtype, 1, 64),
            CallOptions::path(PathChoice::Chunked),
        );
        assert!(chunked.is_ok(), "chunked path on the baseline: {chunked:?}");
        for (t, path) in [
            (3, PathChoice::Kernel),
            (40, PathChoice::Auto),
            (64, PathChoice::Chunked),
        ] {
            let case = Case::random(
                2600 + t as u64,
                2,
                t,
                small,
                small_dtype,
                GateCase::Decay,
                true,
                None,
            );
            let what = format!("T = {t} {path:?}");
            let (got, reason) = run_checked(&forced, &case, path, &what);
            let want = base
                .update(&case.inputs(), CallOptions::path(path))
                .unwrap()
                .report
                .path;
            assert_eq!(got, want, "{what}: {reason}");
            assert!(
                reason.contains("measured; adapter reports 4..64"),
                "{what}: {reason}"
            );
        }
    }
}

#[test]
fn a_size_the_kernels_cannot_serve_falls_back_loudly_to_portable() {
    let Some((_, adapter)) = baseline() else {
        return;
    };
    let too_small = SubgroupOverride {
        reported: Some(MAC),
        measured: Some(4),
    };
    let (_, (small, dtype)) = shapes();
    for ctx in [owned(&adapter, too_small), callers(&adapter, too_small)] {
        let gpu = ctx.gpu().unwrap();
        for tier in [Tier::Subgroup8, Tier::Subgroup32] {
            let why = gpu.supports_tier(tier).unwrap_err();
            assert!(
                why.contains("subgroup size 4 measured; adapter reports 4..64"),
                "{why}"
            );
        }
        assert!(gpu.subgroup_note().contains("portable kernels only"));
        // Never a subgroup kernel, whatever is asked.
        for tier in [Tier::Subgroup8, Tier::Subgroup32] {
            let opts = CallOptions {
                tier: Some(tier),
                ..CallOptions::path(PathChoice::Kernel)
            };
            assert!(ctx.plan(&problem(small, dtype, 1, 3), opts).is_err());
        }
        let chunked = ctx.plan(
            &problem(small, dtype, 1, 64),
            CallOptions::path(PathChoice::Chunked),
        );
        let why = chunked.unwrap_err().to_string();
        assert!(why.contains("subgroup size 4 measured"), "{why}");
        // The automatic path runs the portable kernel, correctly, and says why.
        for t in [1, 3, 40, 64] {
            let case = Case::random(
                2700 + t as u64,
                2,
                t,
                small,
                dtype,
                GateCase::Log,
                true,
                None,
            );
            let what = format!("T = {t}");
            let (path, reason) = run_checked(&ctx, &case, PathChoice::Auto, &what);
            let PathTaken::Kernel { variant } = path else {
                panic!("{what}: took {path}")
            };
            assert!(variant.ends_with("_portable"), "{what}: took {variant}");
            assert!(
                reason.contains("portable tier: subgroup size 4 measured; adapter reports 4..64"),
                "{what}: {reason}"
            );
        }
    }
}
