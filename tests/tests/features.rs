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

/// Varlen batches (`Context::update_varlen`): sequences of lengths 5, 0, 17, 1 and 33 packed
/// along T, each with its own initial state, against the reference of each sequence run alone;
/// caller masks inside the packed steps, raw and per-key gates, every dtype, CPU and GPU paths.
#[test]
fn varlen_batches_match_each_sequence_alone() {
    let lens = [5usize, 0, 17, 1, 33];
    let mut cu = vec![0usize];
    for l in lens {
        cu.push(cu.last().unwrap() + l);
    }
    let total = *cu.last().unwrap();
    let h = HeadShape::new(2, 6, 32, 48);
    let runs = [
        (GateCase::Decay, DType::F32, false),
        (GateCase::Raw, DType::BF16, true),
        (GateCase::PerKey, DType::F16, false),
    ];
    for (i, (gate, dtype, masked)) in runs.into_iter().enumerate() {
        let mask = masked.then(|| (0..total).map(|s| u8::from(s % 7 != 3)).collect());
        let packed = Case::random(9600 + i as u64, 1, total, h, dtype, gate, false, mask);
        // One initial state per sequence.
        let states = Case::random(
            9700 + i as u64,
            lens.len(),
            1,
            h,
            DType::F32,
            gate,
            true,
            None,
        )
        .state
        .unwrap();
        let per = h.hv * h.dv * h.dk;
        // The reference: each sequence alone, its steps cut from the packed case.
        let (mut yr, mut sr) = (Vec::new(), Vec::new());
        for (s, w) in cu.windows(2).enumerate() {
            let mut c = packed.clone();
            let cut = |x: &[f32], inner: usize| x[w[0] * inner..w[1] * inner].to_vec();
            c.t = w[1] - w[0];
            c.q = cut(&packed.q, h.hk * h.dk);
            c.k = cut(&packed.k, h.hk * h.dk);
            c.v = cut(&packed.v, h.hv * h.dv);
            let gcols = packed.g.len() / (total * h.hv).max(1);
            c.g = cut(&packed.g, h.hv * gcols);
            c.beta = cut(&packed.beta, h.hv);
            c.mask = packed.mask.as_ref().map(|m| m[w[0]..w[1]].to_vec());
            c.state = Some(states[s * per..(s + 1) * per].to_vec());
            let (y, st) = c.reference();
            yr.extend(y);
            sr.extend(st);
        }
        let c = cpu();
        let mut ctxs = vec![(&c, PathChoice::Kernel), (&c, PathChoice::Ops)];
        if let Some(g) = gpu() {
            ctxs.push((g, PathChoice::Auto));
            ctxs.push((g, PathChoice::Kernel));
        }
        for (ctx, path) in ctxs {
            let mut inp = packed.inputs();
            inp.state = Some(gdn_runtime::HostTensor::f32(
                &states,
                &[lens.len(), h.hv, h.dv, h.dk],
            ));
            let out = ctx
                .update_varlen(&inp, &cu, CallOptions::path(path))
                .unwrap();
            let (ey, es) = (rel_rmse(&out.y.to_f32(), &yr), rel_rmse(&out.state, &sr));
            let tol = tolerance(dtype);
            assert!(
                ey <= tol && es <= tol,
                "{gate:?} {dtype} {path:?}: y {ey:.2e} state {es:.2e} via {}",
                out.report
            );
            assert!(out
                .report
                .reason
                .contains("varlen: 5 sequences padded to T = 33"));
        }
    }
    // Bad offsets are refused by name.
    let packed = Case::random(9650, 1, 10, h, DType::F32, GateCase::Decay, false, None);
    for bad in [vec![0, 4], vec![1, 10], vec![0, 6, 4, 10], vec![0]] {
        let e = cpu()
            .update_varlen(&packed.inputs(), &bad, CallOptions::default())
            .unwrap_err();
        assert!(e.to_string().contains("cu_seqlens"), "{e}");
    }
}
