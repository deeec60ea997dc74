//! Every variant compiled by the build runs at least once: each one the adapter can run is forced
//! (by tier) on a small case at its shape and dtype, must be the variant the report names, and must
//! match the f64 reference. Variants whose tier the adapter cannot run (e.g. `sg32` on lavapipe,
//! whose subgroups are 8 wide) are listed; they run where the adapter has 32-wide subgroups.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, PathChoice, PathTaken, Tier};
use gdn_tests::{gpu, registry, rel_rmse, tolerance, Case, GateCase};

#[test]
fn every_runnable_variant_runs_and_matches() {
    let Some(ctx) = gpu() else { return };
    let dev = ctx.gpu().unwrap();
    let mut ran = 0;
    let mut skipped = Vec::new();
    for (i, v) in registry().variants().iter().enumerate() {
        if let Err(why) = dev.supports_tier(v.tier) {
            skipped.push(format!("{} ({why})", v.name));
            continue;
        }
        let gate = [
            GateCase::Decay,
            GateCase::Log,
            GateCase::PerKey,
            GateCase::Raw,
        ][i % 4];
        // Both entry points: unstaged at T = 3, staged at T = 11 (one full block and a partial one).
        for (staged, t) in [(false, 3), (true, 11)] {
            let case = Case::random(
                900 + i as u64,
                2,
                t,
                v.shape,
                v.dtype,
                gate,
                i % 2 == 0,
                None,
            );
            let out = ctx
                .update(
                    &case.inputs(),
                    CallOptions {
                        path: PathChoice::Kernel,
                        tier: Some(v.tier),
                        staging: Some(staged),
                        check_finite: true,
                        ..CallOptions::default()
                    },
                )
                .unwrap_or_else(|e| panic!("{} (staged {staged}): {e}", v.name));
            assert_eq!(out.report.path, PathTaken::Kernel { variant: v.name });
            let (yr, sr) = case.reference();
            let (ey, es) = (rel_rmse(&out.y.to_f32(), &yr), rel_rmse(&out.state, &sr));
            let tol = tolerance(v.dtype);
            assert!(
                ey <= tol && es <= tol,
                "{} (staged {staged}): y {ey:.2e} state {es:.2e}",
                v.name
            );
        }
        ran += 1;
    }
    eprintln!(
        "ran {ran} variants on {}; not runnable here: {}",
        ctx.device_label(),
        skipped.len()
    );
    for s in &skipped {
        eprintln!("  {s}");
    }
    assert!(ran > 0, "no variant could run on {}", ctx.device_label());
    // The portable tier runs everywhere, so every portable variant must have run.
    let portable = registry()
        .variants()
        .iter()
        .filter(|v| v.tier == Tier::Portable)
        .count();
    assert!(ran >= portable);
}
