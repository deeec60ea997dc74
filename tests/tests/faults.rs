//! Device faults are errors the caller can handle, not panics or hangs: a lost device (forced
//! with `Device::destroy`) fails every later call with `Error::Gpu`, on host and GPU-buffer calls
//! and on a model stack's steps (one of them recorded ahead before the loss), and a CPU context
//! still serves the same inputs.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, DType, Error, HeadShape, PathChoice};
use gdn_tests::{cpu, gpu_owned, Case, GateCase};

#[test]
fn lost_device_is_an_error_and_the_cpu_still_serves() {
    let Some(ctx) = gpu_owned(false) else { return };
    let case = Case::random(
        9400,
        1,
        5,
        HeadShape::new(2, 4, 32, 32),
        DType::F32,
        GateCase::Decay,
        true,
        None,
    );
    // Works before the fault.
    ctx.update(&case.inputs(), CallOptions::default()).unwrap();
    ctx.gpu().unwrap().device.destroy();
    for path in [PathChoice::Auto, PathChoice::Kernel, PathChoice::Ops] {
        let r = ctx.update(&case.inputs(), CallOptions::path(path));
        match r {
            Err(Error::Gpu(why)) => assert!(why.contains("device lost"), "{why}"),
            r => panic!("{path:?}: {:?}", r.map(|o| o.report)),
        }
    }
    // The caller falls back: a CPU context runs the same inputs.
    let out = cpu()
        .update(&case.inputs(), CallOptions::default())
        .unwrap();
    assert!(out.state.iter().all(|x| x.is_finite()));
}

#[test]
fn a_stack_on_a_lost_device_fails_its_steps_with_an_error() {
    let Some(ctx) = gpu_owned(false) else { return };
    let cfg = gdn_tests::linear_config(HeadShape::new(2, 4, 32, 32), 2, 40);
    let d = gdn_model::Dims::of(&cfg.text);
    let layers = (0..2)
        .map(|i| (i, gdn_model::LayerWeights::random(&d, 3 + i as u64)))
        .collect();
    let mut stack = gdn_model::llm::from_weights(&ctx, &cfg, layers).unwrap();
    let x = vec![0.25f32; d.hidden];
    let mut out = vec![0.0f32; d.hidden];
    // Decode steps work before the fault (the second one was recorded ahead by the first).
    for _ in 0..2 {
        stack.forward_into(&ctx, &x, (1, 1), &mut out).unwrap();
    }
    ctx.gpu().unwrap().device.destroy();
    let lost = |r: Result<(), gdn_model::Error>| match r {
        Err(gdn_model::Error::Op(Error::Gpu(why))) => assert!(why.contains("device lost"), "{why}"),
        r => panic!("a step on a lost device: {r:?}"),
    };
    // Checked before anything is recorded: every step says so, and so does a reset stack.
    lost(stack.forward_into(&ctx, &x, (1, 1), &mut out));
    lost(stack.forward_into(&ctx, &x, (1, 1), &mut out));
    stack.reset();
    lost(stack.forward_into(&ctx, &x, (1, 1), &mut out));
}
