//! Tensors larger than one GPU storage binding: host calls run as several calls (over batch when
//! one sequence fits, over time carrying the state when it does not) and agree with the f64
//! reference; what cannot be split is refused with the limit named, never a wgpu panic. The
//! binding limit is lowered with `Context::set_max_binding_bytes`, so small inputs exercise it.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, DType, Error, HeadShape, HostUpload, PathChoice};
use gdn_tests::{assert_within, gpu_owned, rel_rmse, Case, GateCase};

/// (2, 4, 32, 32): one sequence's state is 16 384 bytes.
const H: HeadShape = HeadShape::new(2, 4, 32, 32);

fn assert_close(case: &Case, y: &[f32], state: &[f32], what: &str) {
    let (yr, sr) = case.reference();
    let (ey, es) = (rel_rmse(y, &yr), rel_rmse(state, &sr));
    assert_within(what, case.dtype, case.t, ey, es);
}

#[test]
fn host_calls_split_gpu_buffer_calls_refuse() {
    let Some(mut ctx) = gpu_owned(false) else {
        return;
    };
    assert!(ctx.binding_limit().unwrap() > 1 << 20);

    // Over batch: 5 sequences of 16 384 state bytes under a 40 000-byte limit, 2 per call.
    ctx.set_max_binding_bytes(40_000);
    let case = Case::random(9300, 5, 7, H, DType::F32, GateCase::Decay, true, None);
    for path in [PathChoice::Auto, PathChoice::Kernel, PathChoice::Ops] {
        let out = ctx.update(&case.inputs(), CallOptions::path(path)).unwrap();
        assert!(
            out.report.reason.contains("run as 3 calls"),
            "{}",
            out.report
        );
        assert_close(
            &case,
            &out.y.to_f32(),
            &out.state,
            &format!("batch {path:?}"),
        );
    }

    // Over time: one sequence's v is 300 · 4 · 32 · 2 = 76 800 bytes under an 18 000-byte
    // limit, so each sequence runs in parts, the state carried; masks, raw and per-key gates,
    // bf16, and sequences without an initial state.
    ctx.set_max_binding_bytes(18_000);
    let mut mask = vec![1u8; 2 * 300];
    mask[..90].fill(0);
    mask[450..520].fill(0);
    for (i, (gate, with_state)) in [(GateCase::Raw, true), (GateCase::PerKey, false)]
        .into_iter()
        .enumerate()
    {
        let mut case = Case::random(
            9310 + i as u64,
            2,
            300,
            H,
            DType::BF16,
            gate,
            with_state,
            Some(mask.clone()),
        );
        case.round_inputs();
        for path in [PathChoice::Auto, PathChoice::Kernel] {
            let out = ctx.update(&case.inputs(), CallOptions::path(path)).unwrap();
            // Raw gates: v takes 256 bytes a step, so parts of 70 steps, 5 per sequence;
            // per-key gates take 4 · 32 floats a step, so parts of 35 steps, 9 per sequence.
            let calls = if gate == GateCase::Raw {
                "run as 10 calls"
            } else {
                "run as 18 calls"
            };
            assert!(out.report.reason.contains(calls), "{}", out.report);
            assert_close(
                &case,
                &out.y.to_f32(),
                &out.state,
                &format!("time {gate:?} {path:?}"),
            );
        }
    }

    // One sequence's state alone above the limit: refused, naming it.
    ctx.set_max_binding_bytes(16_000);
    let case = Case::random(9320, 1, 3, H, DType::F32, GateCase::Decay, true, None);
    let err = ctx
        .update(&case.inputs(), CallOptions::default())
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Limit {
                needed: 16384,
                limit: 16000,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("state of one sequence"), "{err}");
    // The GPU ops path binds the same tensors, so it is refused too.
    let out = ctx
        .update(&case.inputs(), CallOptions::path(PathChoice::Ops))
        .map(|o| o.report.path);
    assert!(
        matches!(out, Err(Error::Limit { .. })),
        "GPU ops share the limit: {out:?}"
    );

    // GPU buffers are not split: a tensor above the limit is refused by name.
    ctx.set_max_binding_bytes(18_000);
    let case = Case::random(9330, 1, 300, H, DType::F32, GateCase::Decay, false, None);
    let up = HostUpload::new(ctx.gpu().unwrap(), &case.inputs());
    let gin = up.inputs();
    let err = ctx.update_gpu(&gin, CallOptions::default()).unwrap_err();
    assert!(err.to_string().contains("tensor `q`"), "{err}");
    assert!(matches!(err, Error::Limit { limit: 18000, .. }), "{err}");
}
