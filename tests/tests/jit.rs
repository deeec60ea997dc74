//! Runtime specialisation (the `jit` feature, off unless turned on): a shape no config of this
//! build compiles runs on the ops path by default, and as a kernel rendered at run time once
//! turned on, recurrent and chunked, within tolerance of the f64 reference.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, DType, HeadShape, PathChoice, PathTaken};
use gdn_tests::{assert_within, gpu_owned, rel_rmse, Case, GateCase};

#[test]
fn shapes_not_built_get_a_kernel_at_run_time() {
    let Some(mut ctx) = gpu_owned(false) else {
        return;
    };
    // No config of the suite has this shape (Dk = 24 is not a multiple of 32, Dv = 10).
    let h = HeadShape::new(1, 2, 24, 10);
    let case = Case::random(9950, 2, 21, h, DType::BF16, GateCase::Log, true, None);
    let (yr, sr) = case.reference();
    let check = |out: &gdn_runtime::HostOutput| {
        let (ey, es) = (rel_rmse(&out.y.to_f32(), &yr), rel_rmse(&out.state, &sr));
        assert_within(&format!("via {}", out.report), DType::BF16, case.t, ey, es);
    };
    let out = ctx.update(&case.inputs(), CallOptions::default()).unwrap();
    assert_eq!(out.report.path, PathTaken::OpsGpu, "{}", out.report);
    ctx.set_runtime_specialisation(true);
    for path in [PathChoice::Kernel, PathChoice::Chunked] {
        let out = ctx.update(&case.inputs(), CallOptions::path(path)).unwrap();
        assert!(
            matches!(out.report.path, PathTaken::Kernel { .. }),
            "{path:?}: {}",
            out.report
        );
        check(&out);
    }
    let out = ctx
        .update(&case.inputs(), CallOptions::path(PathChoice::Kernel))
        .unwrap();
    assert!(
        out.report.reason.contains("rendered at run time"),
        "{}",
        out.report
    );
}
