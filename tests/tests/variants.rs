//! Every variant compiled by the build runs: one test per tier, each declaring the capability its
//! tier needs (ignored where the adapter lacks it, failing where `GDN_EXPECT` names it). Each
//! variant is forced (by tier) on a small case at its shape and dtype, must be the variant the
//! report names, and must match the f64 reference, at both entry points.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, PathChoice, PathTaken, Tier};
use gdn_tests::harness::{self, test};
use gdn_tests::{assert_within, gpu, registry, rel_rmse, Cap, Case, GateCase};

/// Runs every variant of `tier` and checks it; the build generates every tier for every shape.
fn every_variant_of(tier: Tier) {
    let ctx = gpu().unwrap();
    let mut ran = 0;
    for (i, v) in registry().variants().iter().enumerate() {
        if v.tier != tier {
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
            assert_within(&format!("{} (staged {staged})", v.name), v.dtype, t, ey, es);
        }
        ran += 1;
    }
    // A third of the registry: every shape and dtype the build script lists has all three tiers.
    assert_eq!(
        ran * 3,
        registry().variants().len(),
        "{tier:?} variants on {}",
        ctx.device_label()
    );
}

fn every_portable_variant_runs_and_matches() {
    every_variant_of(Tier::Portable);
}

fn every_sg8_variant_runs_and_matches() {
    every_variant_of(Tier::Subgroup8);
}

fn every_sg32_variant_runs_and_matches() {
    every_variant_of(Tier::Subgroup32);
}

fn main() {
    harness::main(vec![
        test(
            "every_portable_variant_runs_and_matches",
            &[Cap::Gpu],
            every_portable_variant_runs_and_matches,
        ),
        test(
            "every_sg8_variant_runs_and_matches",
            &[Cap::Gpu, Cap::Sg8],
            every_sg8_variant_runs_and_matches,
        ),
        test(
            "every_sg32_variant_runs_and_matches",
            &[Cap::Gpu, Cap::Sg32],
            every_sg32_variant_runs_and_matches,
        ),
    ]);
}
