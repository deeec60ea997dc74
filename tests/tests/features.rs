//! Serving features beyond the plain op, each against the f64 reference on every path.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, DType, HeadMap, HeadShape, PathChoice};
use gdn_tests::{cpu, gpu, rel_rmse, tolerance, Case, GateCase};

/// Tiled head mapping (value head h reads key head h % Hk), chosen with `CallOptions::head_map`:
/// every path (CPU kernel and ops; GPU recurrent, chunked and ops) matches the tiled reference,
/// and differs from the grouped one, so the mapping is really applied.
#[test]
fn tiled_head_mapping_on_every_path() {
    let cases = [
        (1, GateCase::Decay, DType::F32),
        (5, GateCase::PerKey, DType::BF16),
        (40, GateCase::Raw, DType::F16),
        (40, GateCase::Log, DType::F32),
    ];
    for (i, (t, gate, dtype)) in cases.into_iter().enumerate() {
        let h = HeadShape::new(2, 6, 32, 48);
        let mut case = Case::random(9500 + i as u64, 2, t, h, dtype, gate, i % 2 == 0, None);
        case.tiled = true;
        let (yr, sr) = case.reference();
        case.tiled = false;
        let (yg, _) = case.reference();
        let tol = tolerance(dtype);
        let c = cpu();
        let mut ctxs = vec![
            (&c, PathChoice::Kernel, "cpu kernel"),
            (&c, PathChoice::Ops, "cpu ops"),
        ];
        if let Some(g) = gpu() {
            ctxs.push((g, PathChoice::Kernel, "gpu recurrent"));
            ctxs.push((g, PathChoice::Ops, "gpu ops"));
            // Per-key gates run on the recurrent kernel only.
            if gate != GateCase::PerKey {
                ctxs.push((g, PathChoice::Chunked, "gpu chunked"));
            }
        }
        for (ctx, path, name) in ctxs {
            let opts = CallOptions {
                head_map: HeadMap::Tiled,
                ..CallOptions::path(path)
            };
            let out = ctx.update(&case.inputs(), opts).unwrap();
            let y = out.y.to_f32();
            let (ey, es) = (rel_rmse(&y, &yr), rel_rmse(&out.state, &sr));
            assert!(
                ey <= tol && es <= tol,
                "{name} T={t} {gate:?} {dtype}: y {ey:.2e} state {es:.2e} via {}",
                out.report
            );
            assert!(
                rel_rmse(&y, &yg) > 10.0 * tol,
                "{name}: tiled equals grouped"
            );
        }
    }
}
