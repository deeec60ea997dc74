//! Device faults are errors the caller can handle, not panics or hangs: a lost device (forced
//! with `Device::destroy`) fails every later call with `Error::Gpu`, on host and GPU-buffer calls,
//! and a CPU context still serves the same inputs.

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
