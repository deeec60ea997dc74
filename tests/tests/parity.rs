//! Kernel vs ops vs f64 reference on fresh random inputs: real model shapes and awkward ones, all
//! dtypes, every gate form, masks. Every path (GPU kernel, GPU ops, CPU kernel, CPU ops) must land
//! within the tolerance of docs/CONTRACT.md §8 of the f64 reference, and the GPU must take the kernel path where a variant exists.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, Context, DType, HeadShape, PathChoice, PathTaken};
use gdn_tests::{assert_within, cpu, gpu, rel_rmse, Case, GateCase};

fn check(ctx: &Context, case: &Case, path: PathChoice, what: &str) -> PathTaken {
    let out = ctx
        .update(&case.inputs(), CallOptions::path(path))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let (yr, sr) = case.reference();
    let (ey, es) = (rel_rmse(&out.y.to_f32(), &yr), rel_rmse(&out.state, &sr));
    let what = format!(
        "{what}: B={} {:?} {:?} mask={} via {}",
        case.b,
        case.h,
        case.gate,
        case.mask.is_some(),
        out.report
    );
    assert_within(&what, case.dtype, case.t, ey, es);
    out.report.path
}

/// Runs a case on every path; `kernel` says whether a GPU variant must serve it.
fn all_paths(case: &Case, kernel: bool) {
    let c = cpu();
    assert_eq!(
        check(&c, case, PathChoice::Auto, "cpu kernel"),
        PathTaken::CpuKernel
    );
    assert_eq!(
        check(&c, case, PathChoice::Ops, "cpu ops"),
        PathTaken::OpsCpu
    );
    if let Some(g) = gpu() {
        let p = check(g, case, PathChoice::Auto, "gpu auto");
        if kernel {
            assert!(
                matches!(p, PathTaken::Kernel { .. }),
                "expected a kernel for {:?} {}, got {p}",
                case.h,
                case.dtype
            );
            // Auto may take the chunked kernel (software adapters, long inputs): the recurrent
            // kernel must agree as well.
            let r = check(g, case, PathChoice::Kernel, "gpu recurrent");
            assert!(
                matches!(r, PathTaken::Kernel { variant } if variant.starts_with("recurrent_")),
                "{r}"
            );
        } else {
            assert_eq!(p, PathTaken::OpsGpu);
        }
        assert_eq!(
            check(g, case, PathChoice::Ops, "gpu ops"),
            PathTaken::OpsGpu
        );
    }
}

const REAL: [(usize, usize, usize, usize); 4] = [
    (16, 16, 128, 128),
    (16, 32, 128, 128),
    (16, 48, 128, 128),
    (16, 64, 128, 128),
];

#[test]
fn real_shapes_all_dtypes() {
    for (i, &(hk, hv, dk, dv)) in REAL.iter().enumerate() {
        for (j, dtype) in DType::ALL.into_iter().enumerate() {
            let case = Case::random(
                100 + (i * 3 + j) as u64,
                1,
                3,
                HeadShape::new(hk, hv, dk, dv),
                dtype,
                GateCase::Decay,
                true,
                None,
            );
            all_paths(&case, true);
        }
    }
}

#[test]
fn real_shape_batch_and_gate_forms() {
    let h = HeadShape::new(16, 32, 128, 128);
    for (i, gate) in [
        GateCase::Log,
        GateCase::PerKey,
        GateCase::PerKeyLog,
        GateCase::Raw,
    ]
    .into_iter()
    .enumerate()
    {
        let case = Case::random(200 + i as u64, 3, 2, h, DType::BF16, gate, i % 2 == 0, None);
        all_paths(&case, true);
    }
}

#[test]
fn awkward_shapes() {
    let shapes = [
        (2, 6, 32, 48),
        (2, 2, 96, 64),
        (1, 3, 48, 16),
        (1, 2, 16, 8),
        (2, 4, 64, 32),
        (3, 3, 8, 6),
        (2, 2, 30, 12),
    ];
    for (i, &(hk, hv, dk, dv)) in shapes.iter().enumerate() {
        for (j, dtype) in DType::ALL.into_iter().enumerate() {
            let gate = [
                GateCase::Decay,
                GateCase::Log,
                GateCase::PerKey,
                GateCase::Raw,
                GateCase::PerKeyLog,
            ][(i + j) % 5];
            let case = Case::random(
                300 + (i * 3 + j) as u64,
                3,
                5,
                HeadShape::new(hk, hv, dk, dv),
                dtype,
                gate,
                j != 1,
                None,
            );
            all_paths(&case, true);
        }
    }
}

#[test]
fn odd_dv_half_falls_back_to_ops_f32_has_kernel() {
    let h = HeadShape::new(1, 1, 40, 7);
    all_paths(
        &Case::random(400, 3, 3, h, DType::F32, GateCase::Decay, true, None),
        true,
    );
    all_paths(
        &Case::random(401, 3, 3, h, DType::BF16, GateCase::Decay, true, None),
        false,
    );
    all_paths(
        &Case::random(402, 1, 2, h, DType::F16, GateCase::Log, false, None),
        false,
    );
}

#[test]
fn shape_without_variant_takes_ops_everywhere() {
    // Dk = 24 is compiled for no shape: the GPU falls back to ops and still matches the reference.
    let case = Case::random(
        450,
        2,
        3,
        HeadShape::new(1, 2, 24, 10),
        DType::F32,
        GateCase::Decay,
        true,
        None,
    );
    all_paths(&case, false);
}

#[test]
fn masks_left_padding_and_all_masked_row() {
    // T = 6 runs the kernel's unstaged entry point, T = 13 the staged one (masked steps staged as 0).
    for t in [6, 13] {
        masks_case(t);
    }
}

fn masks_case(t: usize) {
    let b = 3;
    let mut mask = vec![1u8; b * t];
    mask[0] = 0; // row 0: left padding of 2
    mask[1] = 0;
    for x in &mut mask[t..2 * t] {
        *x = 0; // row 1: all masked
    }
    for (i, dtype) in DType::ALL.into_iter().enumerate() {
        let case = Case::random(
            500 + (i + t) as u64,
            b,
            t,
            HeadShape::new(2, 4, 32, 32),
            dtype,
            GateCase::Decay,
            true,
            Some(mask.clone()),
        );
        all_paths(&case, true);
        // Masked steps write y = 0 and keep the state: the all-masked row ends where it began.
        let out = cpu()
            .update(&case.inputs(), CallOptions::default())
            .unwrap();
        let y = out.y.to_f32();
        let h = case.h;
        for tt in 0..t {
            for j in 0..h.hv * h.dv {
                assert_eq!(y[(t + tt) * h.hv * h.dv + j], 0.0);
            }
        }
        let n = h.hv * h.dv * h.dk;
        assert_eq!(
            &out.state[n..2 * n],
            &case.state.as_ref().unwrap()[n..2 * n]
        );
        if let Some(g) = gpu() {
            let out = g.update(&case.inputs(), CallOptions::default()).unwrap();
            let y = out.y.to_f32();
            assert!(
                y[t * h.hv * h.dv..2 * t * h.hv * h.dv]
                    .iter()
                    .all(|&x| x == 0.0),
                "GPU y of the all-masked row is 0 (T = {t})"
            );
            assert_eq!(
                &out.state[n..2 * n],
                &case.state.as_ref().unwrap()[n..2 * n],
                "GPU kept state bit-exact"
            );
        }
    }
}

#[test]
fn odd_batch_and_steps() {
    for (i, (b, t)) in [(1, 1), (3, 7), (5, 1), (2, 13)].into_iter().enumerate() {
        let case = Case::random(
            600 + i as u64,
            b,
            t,
            HeadShape::new(2, 6, 32, 48),
            DType::F32,
            GateCase::Log,
            true,
            None,
        );
        all_paths(&case, true);
    }
}

#[test]
fn gpu_context_reports_its_adapter() {
    // The tiers each known adapter must run are stated in tests/tests/adapters.rs.
    if let Some(g) = gpu() {
        let s = &g.gpu().unwrap().summary;
        eprintln!("adapter: {} subgroups {:?}", s.label(), s.subgroup_sizes);
        assert!(!s.name.is_empty() && g.device_label().contains(&s.name));
        assert!(s.subgroup_sizes.0 <= s.subgroup_sizes.1);
    }
}

#[test]
fn nan_in_masked_positions_never_reaches_the_state() {
    // T = 11 also takes the staged sg8 path (q/k in workgroup memory) where the adapter has it.
    let (b, t) = (2, 11);
    let mut mask = vec![1u8; b * t];
    mask[1] = 0;
    mask[t + 3] = 0;
    let h = HeadShape::new(2, 4, 32, 32);
    for (i, gate) in [GateCase::Decay, GateCase::PerKeyLog]
        .into_iter()
        .enumerate()
    {
        let mut case = Case::random(
            1100 + i as u64,
            b,
            t,
            h,
            DType::F32,
            gate,
            true,
            Some(mask.clone()),
        );
        let gcols = if gate == GateCase::PerKeyLog { h.dk } else { 1 };
        for (bi, ti) in [(0, 1), (1, 3)] {
            let bt = bi * t + ti;
            case.q[bt * h.hk * h.dk..(bt + 1) * h.hk * h.dk].fill(f32::NAN);
            case.k[bt * h.hk * h.dk..(bt + 1) * h.hk * h.dk].fill(f32::NAN);
            case.v[bt * h.hv * h.dv..(bt + 1) * h.hv * h.dv].fill(f32::NAN);
            case.g[bt * h.hv * gcols..(bt + 1) * h.hv * gcols].fill(f32::NAN);
            case.beta[bt * h.hv..(bt + 1) * h.hv].fill(f32::NAN);
        }
        all_paths(&case, true);
    }
}

#[test]
fn half_outputs_across_several_staging_blocks() {
    // 16-bit y is staged per 8 steps; T = 17, 19 and 24 cross one, two and three flushes.
    for (i, (dtype, t)) in [(DType::BF16, 19), (DType::F16, 17), (DType::BF16, 24)]
        .into_iter()
        .enumerate()
    {
        let case = Case::random(
            1200 + i as u64,
            3,
            t,
            HeadShape::new(2, 6, 32, 48),
            dtype,
            GateCase::Decay,
            true,
            None,
        );
        all_paths(&case, true);
    }
}
