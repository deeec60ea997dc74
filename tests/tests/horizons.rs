//! Long horizons with decays near 1, and edge values: β ∈ {0, 1}, decay 0 and 1, zero q/k.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, DType, HeadShape, PathChoice, Tier};
use gdn_tests::{assert_within, cpu, gpu, rel_rmse, Case, GateCase, Rng};

#[test]
fn steps_1024_with_decays_near_one() {
    let mut c = Case::random(
        800,
        1,
        1024,
        HeadShape::new(2, 4, 32, 16),
        DType::F32,
        GateCase::Decay,
        true,
        None,
    );
    let mut r = Rng::new(801);
    c.g.iter_mut().for_each(|g| *g = r.range(0.99, 1.0));
    let (yr, sr) = c.reference();
    for ctx in [Some(&cpu()), gpu()].into_iter().flatten() {
        for path in [PathChoice::Auto, PathChoice::Ops] {
            let out = ctx.update(&c.inputs(), CallOptions::path(path)).unwrap();
            let (ey, es) = (rel_rmse(&out.y.to_f32(), &yr), rel_rmse(&out.state, &sr));
            assert_within(&out.report.to_string(), DType::F32, c.t, ey, es);
        }
    }
}

#[test]
fn edge_values() {
    let h = HeadShape::new(2, 4, 32, 32);
    let mut c = Case::random(810, 2, 8, h, DType::F32, GateCase::Decay, true, None);
    let n = c.g.len();
    for i in 0..n {
        match i % 4 {
            0 => c.beta[i] = 0.0,
            1 => c.beta[i] = 1.0,
            2 => c.g[i] = 0.0,
            _ => c.g[i] = 1.0,
        }
    }
    // Step 3 of batch 0: zero q and k.
    let qk = h.hk * h.dk;
    c.q[3 * qk..4 * qk].fill(0.0);
    c.k[3 * qk..4 * qk].fill(0.0);
    let (yr, sr) = c.reference();
    for ctx in [Some(&cpu()), gpu()].into_iter().flatten() {
        for path in [PathChoice::Auto, PathChoice::Ops] {
            let out = ctx.update(&c.inputs(), CallOptions::path(path)).unwrap();
            let y = out.y.to_f32();
            let (ey, es) = (rel_rmse(&y, &yr), rel_rmse(&out.state, &sr));
            assert_within(&out.report.to_string(), DType::F32, c.t, ey, es);
            let per = h.hv * h.dv;
            assert!(
                y[3 * per..4 * per].iter().all(|&v| v == 0.0),
                "zero q gives y = 0 ({})",
                out.report
            );
        }
    }
}

#[test]
fn decay_zero_and_beta_one_overwrite_state() {
    // α = 0 wipes the state; β = 1 then writes v along k: S = v kᵀ, so y = v (kᵀq).
    let h = HeadShape::new(1, 1, 16, 8);
    let mut c = Case::random(820, 1, 1, h, DType::F32, GateCase::Decay, true, None);
    c.g[0] = 0.0;
    c.beta[0] = 1.0;
    for ctx in [Some(&cpu()), gpu()].into_iter().flatten() {
        let out = ctx.update(&c.inputs(), CallOptions::default()).unwrap();
        let kq: f32 = c.k.iter().zip(&c.q).map(|(a, b)| a * b).sum();
        for (i, y) in out.y.to_f32().iter().enumerate() {
            assert!(
                (y - c.v[i] * kq).abs() <= 1e-5 * (1.0 + c.v[i].abs()),
                "{}",
                out.report
            );
        }
    }
}

/// The recurrent kernel past one dispatch: long calls run as segments of steps, each dispatch
/// continuing from the state the previous one wrote. On lavapipe a single dispatch of more than
/// about 52 000 steps (9 000 on the portable tier) used to return wrong values, because llvmpipe
/// stops an invocation's loops after 65 535 back-edges.
#[test]
fn recurrent_kernel_beyond_one_dispatch() {
    let Some(ctx) = gpu() else { return };
    let h = HeadShape::new(3, 3, 8, 6);
    let runs = [
        // (steps, dtype, tier, staging)
        (70_001, DType::F32, None, Some(true)),
        (53_000, DType::BF16, None, Some(true)),
        (6_151, DType::F16, None, Some(false)),
        (12_000, DType::F32, Some(Tier::Portable), Some(true)),
        (12_000, DType::F32, Some(Tier::Portable), Some(false)),
    ];
    for (i, (t, dtype, tier, staging)) in runs.into_iter().enumerate() {
        let mut case = Case::random(7900 + i as u64, 1, t, h, dtype, GateCase::Decay, true, None);
        case.round_inputs();
        let opts = CallOptions {
            path: PathChoice::Kernel,
            tier,
            staging,
            ..Default::default()
        };
        let out = ctx.update(&case.inputs(), opts).unwrap();
        let (yr, sr) = case.reference();
        let (ey, es) = (rel_rmse(&out.y.to_f32(), &yr), rel_rmse(&out.state, &sr));
        let what = format!("{tier:?} staging {staging:?} via {}", out.report);
        assert_within(&what, dtype, t, ey, es);
    }
}
