//! One call over T equals any split of it into calls that pass the state on, including
//! prefill(T) then decode(1) vs prefill(T + 1); on every path.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, Context, DType, HeadShape};
use gdn_tests::{cpu, gpu, rel_rmse, widen, Case, GateCase};

/// The sub-case of steps [t0, t1) with a given initial state.
fn slice(c: &Case, t0: usize, t1: usize, state: Option<Vec<f32>>) -> Case {
    let (b, t, h) = (c.b, c.t, c.h);
    let take = |x: &[f32], per: usize| -> Vec<f32> {
        (0..b)
            .flat_map(|bi| x[(bi * t + t0) * per..(bi * t + t1) * per].to_vec())
            .collect()
    };
    let gcols = if matches!(c.gate, GateCase::PerKey | GateCase::PerKeyLog) {
        h.dk
    } else {
        1
    };
    let mut s = c.clone();
    s.t = t1 - t0;
    s.q = take(&c.q, h.hk * h.dk);
    s.k = take(&c.k, h.hk * h.dk);
    s.v = take(&c.v, h.hv * h.dv);
    s.g = take(&c.g, h.hv * gcols);
    s.beta = take(&c.beta, h.hv);
    s.mask = c.mask.as_ref().map(|m| {
        (0..b)
            .flat_map(|bi| m[bi * t + t0..bi * t + t1].to_vec())
            .collect()
    });
    s.state = state;
    s.round_inputs();
    s
}

fn split_run(ctx: &Context, c: &Case, cuts: &[usize]) -> (Vec<f32>, Vec<f32>) {
    let h = c.h;
    let mut state = c.state.clone();
    let mut y = vec![0.0f32; c.b * c.t * h.hv * h.dv];
    let mut t0 = 0;
    for &t1 in cuts.iter().chain(std::iter::once(&c.t)) {
        let part = slice(c, t0, t1, state.clone());
        let out = ctx.update(&part.inputs(), CallOptions::default()).unwrap();
        let yy = out.y.to_f32();
        let per = h.hv * h.dv;
        for bi in 0..c.b {
            for tt in 0..(t1 - t0) {
                y[(bi * c.t + t0 + tt) * per..][..per]
                    .copy_from_slice(&yy[(bi * (t1 - t0) + tt) * per..][..per]);
            }
        }
        state = Some(out.state);
        t0 = t1;
    }
    (y, state.unwrap())
}

fn check_splits(ctx: &Context, c: &Case) {
    let whole = ctx.update(&c.inputs(), CallOptions::default()).unwrap();
    let (wy, ws) = (whole.y.to_f32(), whole.state);
    let (wy64, ws64) = (widen(&wy), widen(&ws));
    let t = c.t;
    for cuts in [vec![t - 1], vec![1], vec![2, 5], (1..t).collect::<Vec<_>>()] {
        let (y, s) = split_run(ctx, c, &cuts);
        let (ey, es) = (rel_rmse(&y, &wy64), rel_rmse(&s, &ws64));
        assert!(
            ey <= 1e-5 && es <= 1e-5,
            "{} split {cuts:?}: y {ey:.2e} state {es:.2e} ({:?})",
            whole.report,
            c.gate
        );
    }
}

#[test]
fn splits_match_one_call() {
    let mut mask = vec![1u8; 2 * 9];
    mask[0] = 0;
    mask[9 + 4] = 0;
    let cases = [
        Case::random(
            700,
            2,
            9,
            HeadShape::new(2, 6, 32, 48),
            DType::F32,
            GateCase::Log,
            true,
            None,
        ),
        Case::random(
            701,
            2,
            9,
            HeadShape::new(2, 4, 32, 32),
            DType::F32,
            GateCase::PerKey,
            false,
            Some(mask),
        ),
        Case::random(
            702,
            1,
            9,
            HeadShape::new(16, 32, 128, 128),
            DType::F32,
            GateCase::Decay,
            true,
            None,
        ),
    ];
    for c in &cases {
        check_splits(&cpu(), c);
        if let Some(g) = gpu() {
            check_splits(g, c);
        }
    }
}

#[test]
fn prefill_then_decode_equals_longer_prefill() {
    // prefill(T) then decode(1) == prefill(T + 1), in bf16 on the real Qwen3.5-9B shape.
    let c = Case::random(
        710,
        1,
        6,
        HeadShape::new(16, 32, 128, 128),
        DType::BF16,
        GateCase::Decay,
        true,
        None,
    );
    for ctx in [Some(&cpu()), gpu()].into_iter().flatten() {
        let whole = ctx.update(&c.inputs(), CallOptions::default()).unwrap();
        let pre = slice(&c, 0, 5, c.state.clone());
        let p = ctx.update(&pre.inputs(), CallOptions::default()).unwrap();
        let dec = slice(&c, 5, 6, Some(p.state));
        let d = ctx.update(&dec.inputs(), CallOptions::default()).unwrap();
        let ws = widen(&whole.state);
        assert!(rel_rmse(&d.state, &ws) <= 1e-6, "{}", whole.report);
        let per = c.h.hv * c.h.dv;
        let wy = widen(&whole.y.to_f32()[5 * per..]);
        assert!(rel_rmse(&d.y.to_f32(), &wy) <= 1e-2, "{}", whole.report);
    }
}
