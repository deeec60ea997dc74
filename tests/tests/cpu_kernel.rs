//! The fused CPU kernel against the f64 reference and the CPU ops path where its structure has
//! edges: decode (T = 1, row-major; rows held in registers at some Dk, streamed at others) and
//! longer calls (transposed blocks of 16 rows, steps in chunks of 16 whose coefficients the
//! blocks share), so T around the chunk size and past it,
//! Dv not a multiple of 16 (short last block), Dk not a multiple of 4, every gate form, masks
//! that leave whole chunks empty, and batches.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, DType, HeadShape, PathChoice, PathTaken};
use gdn_tests::{assert_within, bound, cpu, rel_rmse, Case, GateCase, Qty};

fn check(case: &Case) {
    let ctx = cpu();
    let out = ctx
        .update(&case.inputs(), CallOptions::path(PathChoice::Kernel))
        .unwrap();
    assert_eq!(out.report.path, PathTaken::CpuKernel);
    let (yr, sr) = case.reference();
    let (ey, es) = (rel_rmse(&out.y.to_f32(), &yr), rel_rmse(&out.state, &sr));
    let (ty, ts) = (
        bound(case.dtype, Qty::Y, case.t),
        bound(case.dtype, Qty::State, case.t),
    );
    let what = format!(
        "{} B={} T={} {:?} {:?} mask={}",
        case.dtype,
        case.b,
        case.t,
        case.h,
        case.gate,
        case.mask.is_some()
    );
    assert_within(&what, case.dtype, case.t, ey, es);
    // The ops path on the same inputs agrees as closely.
    let ops = ctx
        .update(&case.inputs(), CallOptions::path(PathChoice::Ops))
        .unwrap();
    let widen = |x: &[f32]| x.iter().map(|&v| f64::from(v)).collect::<Vec<_>>();
    let ey = rel_rmse(&out.y.to_f32(), &widen(&ops.y.to_f32()));
    let es = rel_rmse(&out.state, &widen(&ops.state));
    assert!(ey <= ty && es <= ts, "{what} vs ops: {ey:.2e} {es:.2e}");
}

#[test]
fn steps_around_the_time_chunk() {
    let h = HeadShape::new(16, 32, 128, 128);
    for (i, t) in [1usize, 2, 15, 16, 17, 33, 100].into_iter().enumerate() {
        let gate = [GateCase::Decay, GateCase::PerKey, GateCase::Raw][i % 3];
        check(&Case::random(
            7000 + i as u64,
            1,
            t,
            h,
            DType::F32,
            gate,
            i % 2 == 0,
            None,
        ));
    }
}

#[test]
fn short_blocks_and_odd_key_widths() {
    let shapes = [
        (2, 6, 30, 17),
        (1, 3, 20, 40),
        (2, 2, 13, 5),
        (1, 1, 128, 33),
        // Dk of 4 and 2 whole AVX-512 vectors (8 and 4 AVX2 ones): the decode rows held in
        // registers.
        (2, 4, 64, 48),
        (1, 2, 32, 16),
    ];
    for (i, &(hk, hv, dk, dv)) in shapes.iter().enumerate() {
        for (j, t) in [1usize, 3, 18].into_iter().enumerate() {
            let gate = [
                GateCase::Decay,
                GateCase::Log,
                GateCase::PerKey,
                GateCase::PerKeyLog,
                GateCase::Raw,
            ][(i + j) % 5];
            let dtype = DType::ALL[(i + j) % 3];
            check(&Case::random(
                7100 + (i * 3 + j) as u64,
                2,
                t,
                HeadShape::new(hk, hv, dk, dv),
                dtype,
                gate,
                j != 1,
                None,
            ));
        }
    }
}

#[test]
fn masks_that_empty_whole_chunks() {
    let (b, t) = (3, 40);
    let mut mask = vec![1u8; b * t];
    // Sequence 0: left padding over the first chunk and a half; sequence 1: all masked;
    // sequence 2: every other step.
    mask[..24].fill(0);
    mask[t..2 * t].fill(0);
    for s in (2 * t..3 * t).step_by(2) {
        mask[s] = 0;
    }
    for (i, gate) in [GateCase::Decay, GateCase::PerKey].into_iter().enumerate() {
        check(&Case::random(
            7200 + i as u64,
            b,
            t,
            HeadShape::new(2, 4, 32, 24),
            DType::F32,
            gate,
            true,
            Some(mask.clone()),
        ));
    }
    // Decode with the only step masked keeps the state.
    check(&Case::random(
        7210,
        2,
        1,
        HeadShape::new(2, 4, 32, 24),
        DType::BF16,
        GateCase::Decay,
        true,
        Some(vec![0, 1]),
    ));
}

/// Small decays: with one decay per head the kernel keeps S = c·S̃ and brings S̃ back to S when
/// c falls below its floor, which decays of 0.01..0.2 reach within a chunk of 16 steps; a zero
/// decay takes the plain path for its chunk.
#[test]
fn small_and_zero_decays() {
    for (i, (lo, hi)) in [(0.01f32, 0.2f32), (0.0, 0.3)].into_iter().enumerate() {
        let mut case = Case::random(
            7300 + i as u64,
            2,
            40,
            HeadShape::new(2, 4, 32, 24),
            DType::F32,
            GateCase::Decay,
            true,
            None,
        );
        let mut r = gdn_tests::Rng::new(7310 + i as u64);
        case.g.iter_mut().for_each(|g| *g = r.range(lo, hi));
        if lo == 0.0 {
            case.g[5] = 0.0;
        }
        check(&case);
    }
}
