//! Fixtures from an independent implementation (mlx-lm's `gated_delta_ops` / `gated_delta_update`,
//! run on a Linux CPU by tools/fixtures/gen_op_fixtures.py): every path must match them within the
//! tolerance recorded in each file (docs/CONTRACT.md §8).

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, Context, PathChoice, PathTaken};
use gdn_tests::{assert_within, cpu, fixtures_dir, gpu, rel_rmse, Fixture};

/// Runs the fixture on `path`; y and state must lie within the suite's bounds of the fixture's
/// expected values (tighter than the tolerance recorded in the file, which is the contract's, docs/CONTRACT.md §8).
fn check(ctx: &Context, fx: &Fixture, name: &str, path: PathChoice) -> PathTaken {
    let tol: f64 = fx.metadata["tolerance"].parse().expect("tolerance");
    let inputs = fx.inputs();
    let gdn_runtime::Elem::Float(dtype) = inputs.q.data.elem() else {
        panic!("{name}: q is not a float tensor")
    };
    let t = inputs.q.shape[1];
    let out = ctx
        .update(&inputs, CallOptions::path(path))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let ey = rel_rmse(&out.y.to_f32(), &fx.f64("expected_y"));
    let es = rel_rmse(&out.state, &fx.f64("expected_state"));
    assert!(
        ey <= tol && es <= tol,
        "{name}: beyond the file's {tol:.0e}"
    );
    assert_within(&format!("{name} via {}", out.report), dtype, t, ey, es);
    out.report.path
}

#[test]
fn mlx_fixtures_match_on_every_path() {
    let mut names: Vec<_> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(
        names.len() >= 9,
        "fixtures missing in {}",
        fixtures_dir().display()
    );
    let c = cpu();
    let g = gpu();
    for path in names {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let fx = Fixture::load(&path);
        assert_eq!(
            check(&c, &fx, &name, PathChoice::Auto),
            PathTaken::CpuKernel
        );
        assert_eq!(check(&c, &fx, &name, PathChoice::Ops), PathTaken::OpsCpu);
        if let Some(g) = &g {
            let p = check(g, &fx, &name, PathChoice::Auto);
            assert!(
                matches!(p, PathTaken::Kernel { .. }),
                "{name}: expected the kernel path, got {p}"
            );
            assert_eq!(check(g, &fx, &name, PathChoice::Ops), PathTaken::OpsGpu);
            // Auto may take the chunked kernel (software adapters, long inputs): the recurrent
            // kernel must match as well.
            let r = check(g, &fx, &name, PathChoice::Kernel);
            assert!(
                matches!(r, PathTaken::Kernel { variant } if variant.starts_with("recurrent_")),
                "{name}: forced recurrent kernel took {r}"
            );
        }
    }
}
