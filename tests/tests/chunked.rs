//! The chunked-prefill kernel against the f64 reference, the recurrent kernel and the ops path:
//! chunk boundaries (T = 1, 2, 63, 64, 65, 127, 128, 129, 1000, 4096), with and without an initial
//! state, masks, decays near 0 and near 1, every dtype and gate form it serves, workspace
//! segments, and prefill by chunks followed by one decode step.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, Context, DType, HeadShape, PathChoice, PathTaken};
use gdn_tests::{
    bound, gpu, gpu_owned,
    harness::{self, test},
    missing, rel_rmse, widen, Cap, Case, GateCase, Qty, Rng,
};

const SMALL: HeadShape = HeadShape {
    hk: 2,
    hv: 4,
    dk: 32,
    dv: 32,
};

/// Runs `case` on the chunked path and checks it against the f64 reference, the recurrent kernel
/// and (up to T = 1000) the ops path; returns the chunked output's (y, state).
fn check(ctx: &Context, case: &Case, what: &str) -> (Vec<f32>, Vec<f32>) {
    check_module(ctx, case, what, "chunked_")
}

use gdn_tests::MMA_BOUND;

/// [`check`], requiring the chunked module's name to start with `module`.
fn check_module(ctx: &Context, case: &Case, what: &str, module: &str) -> (Vec<f32>, Vec<f32>) {
    let out = ctx
        .update(&case.inputs(), CallOptions::path(PathChoice::Chunked))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let PathTaken::Kernel { variant } = out.report.path else {
        panic!("{what}: took {}", out.report.path)
    };
    assert!(variant.starts_with(module), "{what}: took {variant}");
    let y = out.y.to_f32();
    let (yr, sr) = case.reference();
    let (ey, es) = (rel_rmse(&y, &yr), rel_rmse(&out.state, &sr));
    let (ty, ts) = if variant.starts_with("chunked_mma_") {
        (MMA_BOUND, MMA_BOUND)
    } else {
        (
            bound(case.dtype, Qty::Y, case.t),
            bound(case.dtype, Qty::State, case.t),
        )
    };
    if std::env::var_os("GDN_MEASURE").is_some() {
        eprintln!(
            "GDNERR {} {} {ey:.3e} {es:.3e} {what}: {variant}",
            case.dtype,
            case.t >= gdn_tests::LONG
        );
    }
    assert!(
        ey <= ty && es <= ts,
        "{what}: {variant} vs f64: y {ey:.2e} (bound {ty:.0e}) state {es:.2e} (bound {ts:.0e})"
    );
    // Against the recurrent kernel, and the ops path (one dispatch per step and operation: up
    // to T = 1000, which keeps the software adapter's time in bounds).
    let others = [(PathChoice::Kernel, "recurrent"), (PathChoice::Ops, "ops")];
    for (path, name) in others
        .into_iter()
        .filter(|&(p, _)| p != PathChoice::Ops || case.t <= 1000)
    {
        let o = ctx.update(&case.inputs(), CallOptions::path(path)).unwrap();
        let (dy, ds) = (
            rel_rmse(&y, &widen(&o.y.to_f32())),
            rel_rmse(&out.state, &widen(&o.state)),
        );
        assert!(
            dy <= ty && ds <= ts,
            "{what}: chunked vs {name}: y {dy:.2e} state {ds:.2e}"
        );
    }
    (y, out.state)
}

/// Decays drawn from `[lo, hi)` (decay form), replacing the case's.
fn with_decays(mut case: Case, seed: u64, lo: f32, hi: f32) -> Case {
    let mut r = Rng::new(seed);
    case.g.iter_mut().for_each(|g| *g = r.range(lo, hi));
    case
}

/// Left padding of 3 in sequence 0 and a masked step inside sequence 1 (B = 2).
fn two_masks(t: usize) -> Vec<u8> {
    let mut m = vec![1u8; 2 * t];
    m[..3.min(t)].fill(0);
    m[t + t / 2] = 0;
    m
}

fn cooperative_matrix_scan_at_chunk_boundaries_states_and_masks() {
    let ctx = gpu().unwrap();
    for (i, &t) in [1, 2, 15, 16, 17, 63, 64, 65, 127, 128, 129, 1000, 4096]
        .iter()
        .enumerate()
    {
        let dtype = [DType::BF16, DType::F16][i % 2];
        for with_state in [false, true] {
            let mask = (i % 3 == 1).then(|| two_masks(t));
            let case = Case::random(
                7700 + i as u64,
                2,
                t,
                SMALL,
                dtype,
                GateCase::Decay,
                with_state,
                mask.clone(),
            );
            let what = format!(
                "mma T={t} {dtype} state={with_state} mask={}",
                mask.is_some()
            );
            check_module(ctx, &case, &what, "chunked_mma_");
        }
    }
}

fn cooperative_matrix_scan_on_model_shapes_decays_and_gates() {
    let ctx = gpu().unwrap();
    let shapes = [
        HeadShape::new(16, 32, 128, 128), // Qwen3-Next
        HeadShape::new(16, 64, 128, 128), // Qwen3.5 large
        HeadShape::new(2, 6, 32, 48),     // r = 3, Dk != Dv
        HeadShape::new(1, 3, 48, 16),     // Dk = 48
        HeadShape::new(2, 2, 96, 64),     // 32 rows a scan workgroup, two subgroups, Dk = 96
        HeadShape::new(2, 4, 32, 32),     // one scan workgroup of 32 rows per head
    ];
    let decays = [(0.8, 1.0), (0.0, 1e-3), (0.999, 1.0), (0.9999, 1.0)];
    for (i, h) in shapes.into_iter().enumerate() {
        for (j, (lo, hi)) in decays.into_iter().enumerate() {
            let dtype = [DType::BF16, DType::F16][(i + j) % 2];
            let gate = [GateCase::Decay, GateCase::Log, GateCase::Raw][(i + j) % 3];
            let t = [1000, 333, 129][j % 3];
            let case = Case::random(
                7800 + (i * 4 + j) as u64,
                1,
                t,
                h,
                dtype,
                gate,
                j != 1,
                None,
            );
            // Decays replace the gates only in the decay form.
            let case = if gate == GateCase::Decay {
                with_decays(case, 7900 + (i * 4 + j) as u64, lo, hi)
            } else {
                case
            };
            let what = format!("mma {h:?} {dtype} {gate:?} decays [{lo}, {hi}) T={t}");
            check_module(ctx, &case, &what, "chunked_mma_");
        }
    }
}

/// Above B·Hv = 256 Auto takes the cooperative-matrix kernel from T = 64 (`CHUNKED_MMA_AUTO`):
/// there it serves a large, odd batch, with and without a mask.
fn cooperative_matrix_scan_at_large_batches_where_auto_takes_it() {
    let ctx = gpu().unwrap();
    let (b, h) = (9, HeadShape::new(16, 32, 128, 128));
    for (t, masked) in [(64, false), (65, true)] {
        let mask = masked.then(|| {
            let mut r = Rng::new(8100);
            (0..b * t)
                .map(|_| u8::from(r.range(0.0, 1.0) > 0.2))
                .collect()
        });
        let case = Case::random(
            8000 + t as u64,
            b,
            t,
            h,
            DType::BF16,
            GateCase::Decay,
            true,
            mask,
        );
        let what = format!("mma B={b} T={t} mask={masked}");
        check_module(ctx, &case, &what, "chunked_mma_");
        let auto = ctx.update(&case.inputs(), CallOptions::default()).unwrap();
        assert!(
            auto.report
                .path
                .to_string()
                .starts_with("kernel:chunked_mma_"),
            "{what}: Auto took {}",
            auto.report
        );
    }
}

fn cooperative_matrix_scan_segments_and_prefill_then_decode() {
    let ctx = gpu().unwrap();
    let mut seg = gpu_owned(false).unwrap();
    seg.set_chunked_workspace(1);
    let case = Case::random(7950, 2, 333, SMALL, DType::BF16, GateCase::Log, true, None);
    let (y1, s1) = check_module(ctx, &case, "mma one segment", "chunked_mma_");
    let (y2, s2) = check_module(&seg, &case, "mma one chunk per segment", "chunked_mma_");
    assert!(rel_rmse(&y2, &widen(&y1)) <= 1e-6 && rel_rmse(&s2, &widen(&s1)) <= 1e-6);
    // Prefill of T steps, then one decode step, equals the prefill of T + 1 within the 16-bit
    // tolerance (the decode step runs on the recurrent kernel).
    let t = 200;
    let full = Case::random(
        7960,
        1,
        t + 1,
        SMALL,
        DType::F16,
        GateCase::Decay,
        true,
        None,
    );
    let (_, s_full) = check_module(ctx, &full, "mma prefill T+1", "chunked_mma_");
    let mut head = full.clone();
    head.t = t;
    let (kq, vv, hv) = (full.h.hk * full.h.dk, full.h.hv * full.h.dv, full.h.hv);
    head.q.truncate(t * kq);
    head.k.truncate(t * kq);
    head.v.truncate(t * vv);
    head.g.truncate(t * hv);
    head.beta.truncate(t * hv);
    head.round_inputs();
    let (_, s_head) = check_module(ctx, &head, "mma prefill T", "chunked_mma_");
    let mut step = full.clone();
    step.t = 1;
    step.q = full.q[t * kq..].to_vec();
    step.k = full.k[t * kq..].to_vec();
    step.v = full.v[t * vv..].to_vec();
    step.g = full.g[t * hv..].to_vec();
    step.beta = full.beta[t * hv..].to_vec();
    step.state = Some(s_head);
    step.round_inputs();
    let dec = ctx.update(&step.inputs(), CallOptions::default()).unwrap();
    let ds = rel_rmse(&dec.state, &widen(&s_full));
    assert!(ds <= MMA_BOUND, "prefill + decode state {ds:.2e}");
}

fn chunk_boundaries_state_and_masks() {
    let ctx = gpu().unwrap();
    for (i, &t) in [1, 2, 63, 64, 65, 127, 128, 129, 1000, 4096]
        .iter()
        .enumerate()
    {
        for with_state in [false, true] {
            let mask = (i % 2 == 1).then(|| two_masks(t));
            let case = Case::random(
                7000 + i as u64,
                2,
                t,
                SMALL,
                DType::F32,
                GateCase::Decay,
                with_state,
                mask.clone(),
            );
            check(
                ctx,
                &case,
                &format!("T={t} state={with_state} mask={}", mask.is_some()),
            );
        }
    }
}

fn decays_near_zero_and_near_one() {
    let ctx = gpu().unwrap();
    for (i, (lo, hi)) in [(0.0, 1e-3), (1e-6, 0.05), (0.999, 1.0), (0.9999, 1.0)]
        .into_iter()
        .enumerate()
    {
        for t in [129, 1000] {
            let case = Case::random(
                7100 + i as u64,
                1,
                t,
                SMALL,
                DType::F32,
                GateCase::Decay,
                true,
                None,
            );
            let case = with_decays(case, 7200 + i as u64, lo, hi);
            check(ctx, &case, &format!("decays in [{lo}, {hi}) T={t}"));
        }
    }
}

fn dtypes_gate_forms_and_shapes() {
    let ctx = gpu().unwrap();
    let shapes = [
        HeadShape::new(16, 32, 128, 128), // Qwen3-Next
        HeadShape::new(2, 6, 32, 48),     // r = 3, Dk != Dv
        HeadShape::new(1, 3, 48, 16),     // Dk = 48
        HeadShape::new(3, 3, 8, 6),       // Dv below the rows of a workgroup
        HeadShape::new(2, 2, 30, 12),     // Dk not a multiple of 8
    ];
    for (i, h) in shapes.into_iter().enumerate() {
        for (j, dtype) in DType::ALL.into_iter().enumerate() {
            let gate = [GateCase::Decay, GateCase::Log, GateCase::Raw][(i + j) % 3];
            let case = Case::random(
                7300 + (i * 3 + j) as u64,
                3,
                77,
                h,
                dtype,
                gate,
                j != 1,
                None,
            );
            check(ctx, &case, &format!("{h:?} {dtype} {gate:?}"));
        }
    }
}

fn workspace_segments_give_the_same_result() {
    let mut ctx = gpu_owned(false).unwrap();
    let case = Case::random(7400, 2, 333, SMALL, DType::BF16, GateCase::Log, true, None);
    let (y1, s1) = check(&ctx, &case, "one segment");
    // A workspace of one chunk: every chunk is its own segment.
    ctx.set_chunked_workspace(1);
    let (y2, s2) = check(&ctx, &case, "one chunk per segment");
    assert!(rel_rmse(&y2, &widen(&y1)) <= 1e-6 && rel_rmse(&s2, &widen(&s1)) <= 1e-6);
}

fn prefill_by_chunks_then_decode_equals_prefill_of_one_more() {
    let ctx = gpu().unwrap();
    let t = 200;
    let full = Case::random(
        7500,
        2,
        t + 1,
        SMALL,
        DType::F32,
        GateCase::Decay,
        true,
        None,
    );
    let (y_full, s_full) = check(ctx, &full, "prefill T+1");
    // The first T steps through the chunked path, then the last step as a decode call.
    let mut head = full.clone();
    head.t = t;
    let cut = |x: &[f32], per: usize| -> Vec<f32> {
        (0..2)
            .flat_map(|b| x[b * (t + 1) * per..(b * (t + 1) + t) * per].to_vec())
            .collect()
    };
    let last = |x: &[f32], per: usize| -> Vec<f32> {
        (0..2)
            .flat_map(|b| x[(b * (t + 1) + t) * per..(b * (t + 1) + t + 1) * per].to_vec())
            .collect()
    };
    let (h, kq, vv) = (full.h, full.h.hk * full.h.dk, full.h.hv * full.h.dv);
    head.q = cut(&full.q, kq);
    head.k = cut(&full.k, kq);
    head.v = cut(&full.v, vv);
    head.g = cut(&full.g, h.hv);
    head.beta = cut(&full.beta, h.hv);
    let (y_head, s_head) = check(ctx, &head, "prefill T");
    let mut step = full.clone();
    step.t = 1;
    step.q = last(&full.q, kq);
    step.k = last(&full.k, kq);
    step.v = last(&full.v, vv);
    step.g = last(&full.g, h.hv);
    step.beta = last(&full.beta, h.hv);
    step.state = Some(s_head);
    let dec = ctx.update(&step.inputs(), CallOptions::default()).unwrap();
    assert!(rel_rmse(&dec.state, &widen(&s_full)) <= 2e-5);
    let y_dec = dec.y.to_f32();
    assert!(rel_rmse(&y_dec, &widen(&last(&y_full, vv))) <= 2e-5);
    assert!(rel_rmse(&y_head, &widen(&cut(&y_full, vv))) <= 2e-5);
}

/// A long f32 call of the small shape on the Auto path.
fn auto_report(ctx: &Context, t: usize, dtype: DType, seed: u64) -> gdn_runtime::DispatchReport {
    let case = Case::random(seed, 1, t, SMALL, dtype, GateCase::Decay, true, None);
    ctx.update(&case.inputs(), CallOptions::default())
        .unwrap()
        .report
}

fn is_chunked(r: &gdn_runtime::DispatchReport) -> bool {
    r.path.to_string().starts_with("kernel:chunked_")
}

/// Per-key gates are not served by the chunked path: a forced call says so, and Auto keeps them
/// off it (saying why where it would otherwise take it: past the software threshold).
fn per_key_gates_stay_off_the_chunked_path(ctx: &Context, software: bool) {
    let case = Case::random(
        7601,
        1,
        100,
        SMALL,
        DType::F32,
        GateCase::PerKey,
        true,
        None,
    );
    let e = ctx
        .update(&case.inputs(), CallOptions::path(PathChoice::Chunked))
        .unwrap_err();
    assert!(e.to_string().contains("per-key"), "{e}");
    let r = ctx
        .update(&case.inputs(), CallOptions::default())
        .unwrap()
        .report;
    assert!(!is_chunked(&r), "{r}");
    if software {
        assert!(r.reason.contains("per-key"), "{r}");
    }
}

/// Software adapters: Auto takes the chunked path from the measured threshold on.
fn auto_takes_the_chunked_path_from_the_software_threshold() {
    let ctx = gpu().unwrap();
    let m = ctx
        .chunked_min_steps()
        .expect("a software adapter has a chunked threshold");
    assert_eq!(m, gdn_runtime::CHUNKED_MIN_STEPS_SOFTWARE);
    let (long, short) = (
        auto_report(ctx, m, DType::F32, 7600),
        auto_report(ctx, m - 1, DType::F32, 7600),
    );
    assert!(is_chunked(&long), "T = {m}: {long}");
    assert!(!is_chunked(&short), "T = {}: {short}", m - 1);
    per_key_gates_stay_off_the_chunked_path(ctx, true);
}

/// Hardware adapters: f32 inputs on the recurrent kernel at every length; 16-bit inputs on the
/// cooperative-matrix scan where the adapter has it, by the measured rule.
fn auto_takes_the_chunked_path_on_hardware_by_the_measured_rule() {
    let ctx = gpu().unwrap();
    assert_eq!(ctx.chunked_min_steps(), None);
    let r = auto_report(ctx, 4096, DType::F32, 7600);
    assert!(!is_chunked(&r), "T = 4096: {r}");
    let (rows, steps) = gdn_runtime::CHUNKED_MMA_AUTO[0];
    assert!(SMALL.hv <= rows);
    let (long, short) = (
        auto_report(ctx, steps, DType::BF16, 7602),
        auto_report(ctx, steps - 1, DType::BF16, 7602),
    );
    assert_eq!(
        long.path.to_string().starts_with("kernel:chunked_mma_"),
        missing(Cap::Mma).is_none(),
        "T = {steps}: {long}"
    );
    assert!(!is_chunked(&short), "T = {}: {short}", steps - 1);
    per_key_gates_stay_off_the_chunked_path(ctx, false);
}

fn forced_chunked_with_empty_batch_or_no_steps() {
    let ctx = gpu().unwrap();
    for (b, t) in [(2, 0), (0, 5)] {
        let case = Case::random(7700, b, t, SMALL, DType::BF16, GateCase::Decay, true, None);
        let out = ctx
            .update(&case.inputs(), CallOptions::path(PathChoice::Chunked))
            .unwrap();
        assert!(out.y.to_f32().is_empty());
        assert_eq!(&out.state, case.state.as_ref().unwrap());
    }
}

fn inputs_longer_than_a_segment_of_chunks() {
    let ctx = gpu().unwrap();
    // 16 384 chunks (131 072 steps) at most per segment, whatever the workspace allows: beyond,
    // one `scan` invocation would loop more often than software drivers let it (lavapipe stops
    // at 65 535 iterations and returns wrong values).
    let t = 2 * 8 * 16_384 + 9;
    let h = HeadShape::new(3, 3, 8, 6);
    let case = Case::random(7800, 1, t, h, DType::F32, GateCase::Decay, true, None);
    let out = ctx
        .update(&case.inputs(), CallOptions::path(PathChoice::Chunked))
        .unwrap();
    let (yr, sr) = case.reference();
    let (ey, es) = (rel_rmse(&out.y.to_f32(), &yr), rel_rmse(&out.state, &sr));
    assert!(ey <= 2e-5 && es <= 2e-5, "y {ey:.2e} state {es:.2e}");
}

/// The chunked kernels are built for the sg8 tier.
const CHUNKED: &[Cap] = &[Cap::Gpu, Cap::Sg8];
/// The cooperative-matrix scan (16-bit inputs; lavapipe has no cooperative matrices, an NVIDIA
/// card's Vulkan driver offers them).
const MMA: &[Cap] = &[Cap::Gpu, Cap::Sg8, Cap::Mma];

fn main() {
    harness::main(vec![
        test(
            "cooperative_matrix_scan_at_chunk_boundaries_states_and_masks",
            MMA,
            cooperative_matrix_scan_at_chunk_boundaries_states_and_masks,
        ),
        test(
            "cooperative_matrix_scan_on_model_shapes_decays_and_gates",
            MMA,
            cooperative_matrix_scan_on_model_shapes_decays_and_gates,
        ),
        test(
            "cooperative_matrix_scan_at_large_batches_where_auto_takes_it",
            MMA,
            cooperative_matrix_scan_at_large_batches_where_auto_takes_it,
        ),
        test(
            "cooperative_matrix_scan_segments_and_prefill_then_decode",
            MMA,
            cooperative_matrix_scan_segments_and_prefill_then_decode,
        ),
        test(
            "chunk_boundaries_state_and_masks",
            CHUNKED,
            chunk_boundaries_state_and_masks,
        ),
        test(
            "decays_near_zero_and_near_one",
            CHUNKED,
            decays_near_zero_and_near_one,
        ),
        test(
            "dtypes_gate_forms_and_shapes",
            CHUNKED,
            dtypes_gate_forms_and_shapes,
        ),
        test(
            "workspace_segments_give_the_same_result",
            CHUNKED,
            workspace_segments_give_the_same_result,
        ),
        test(
            "prefill_by_chunks_then_decode_equals_prefill_of_one_more",
            CHUNKED,
            prefill_by_chunks_then_decode_equals_prefill_of_one_more,
        ),
        test(
            "auto_takes_the_chunked_path_from_the_software_threshold",
            &[Cap::Gpu, Cap::Sg8, Cap::Software],
            auto_takes_the_chunked_path_from_the_software_threshold,
        ),
        test(
            "auto_takes_the_chunked_path_on_hardware_by_the_measured_rule",
            &[Cap::Gpu, Cap::Hardware],
            auto_takes_the_chunked_path_on_hardware_by_the_measured_rule,
        ),
        test(
            "forced_chunked_with_empty_batch_or_no_steps",
            CHUNKED,
            forced_chunked_with_empty_batch_or_no_steps,
        ),
        test(
            "inputs_longer_than_a_segment_of_chunks",
            CHUNKED,
            inputs_longer_than_a_segment_of_chunks,
        ),
    ]);
}
