//! Long horizons with decays near 1, and edge values: β ∈ {0, 1}, decay 0 and 1, zero q/k.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, DType, HeadShape, PathChoice};
use gdn_tests::{cpu, gpu, rel_rmse, Case, GateCase, Rng};

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
            assert!(
                ey <= 2e-4 && es <= 2e-4,
                "{}: y {ey:.2e} state {es:.2e}",
                out.report
            );
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
            assert!(
                ey <= 2e-5 && es <= 2e-5,
                "{}: y {ey:.2e} state {es:.2e}",
                out.report
            );
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
