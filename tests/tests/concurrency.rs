//! Many threads calling the op at once on one context get bit-identical results to serial calls,
//! and repeated runs are deterministic (reliability: concurrency and determinism), on every path:
//! the GPU's recurrent, chunked and ops paths, the CPU kernel and the CPU ops path.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, Context, DType, HeadShape, PathChoice};
use gdn_tests::{cpu, gpu, Case, GateCase};

const THREADS: usize = 8;
const CALLS: usize = 1000;

/// `THREADS` threads × `CALLS` calls each on `ctx`, cycling through `cases`; every result must be
/// bit-identical to the serial result of its case.
fn hammer(ctx: &Context, cases: &[Case], opts: CallOptions) {
    hammer_n(ctx, cases, opts, THREADS, CALLS, "");
}

/// [`hammer`] with `threads` × `calls`; the serial calls must take a path whose name starts with
/// `path` (so a fallback cannot stand in for the path under test).
fn hammer_n(
    ctx: &Context,
    cases: &[Case],
    opts: CallOptions,
    threads: usize,
    calls: usize,
    path: &str,
) {
    let serial: Vec<(Vec<f32>, Vec<f32>)> = cases
        .iter()
        .map(|c| {
            let o = ctx.update(&c.inputs(), opts).unwrap();
            assert!(o.report.path.to_string().starts_with(path), "{}", o.report);
            (o.y.to_f32(), o.state)
        })
        .collect();
    // Deterministic: the same inputs again give the same bits.
    for (c, (y, s)) in cases.iter().zip(&serial) {
        let o = ctx.update(&c.inputs(), opts).unwrap();
        assert!(
            o.y.to_f32() == *y && o.state == *s,
            "a repeated call differs"
        );
    }
    std::thread::scope(|scope| {
        for th in 0..threads {
            let serial = &serial;
            scope.spawn(move || {
                for i in 0..calls {
                    let j = (th + i) % cases.len();
                    let o = ctx.update(&cases[j].inputs(), opts).unwrap();
                    assert!(
                        o.y.to_f32() == serial[j].0 && o.state == serial[j].1,
                        "thread {th} call {i}: result differs from the serial call"
                    );
                }
            });
        }
    });
}

fn cases() -> Vec<Case> {
    let h = HeadShape::new(2, 4, 32, 32);
    [
        (1, DType::F32, GateCase::Decay),
        (3, DType::BF16, GateCase::Log),
        (9, DType::F16, GateCase::Raw),
        (20, DType::F32, GateCase::PerKey),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (t, dtype, gate))| Case::random(9000 + i as u64, 2, t, h, dtype, gate, true, None))
    .collect()
}

#[test]
fn gpu_threads_match_serial_calls_bit_for_bit() {
    let Some(ctx) = gpu() else { return };
    hammer(ctx, &cases(), CallOptions::default());
}

/// The chunked kernel (several chunks, 16-bit and f32, scalar and raw gates) and the GPU ops
/// path (one dispatch per step and operation): fewer calls, as each is longer on a software
/// adapter.
#[test]
fn gpu_chunked_and_ops_threads_match_serial_calls_bit_for_bit() {
    let Some(ctx) = gpu() else { return };
    if ctx
        .gpu()
        .unwrap()
        .supports_tier(gdn_runtime::Tier::Subgroup8)
        .is_ok()
    {
        let h = HeadShape::new(2, 4, 32, 32);
        let long: Vec<Case> = [
            (77, DType::F32, GateCase::Decay),
            (40, DType::BF16, GateCase::Raw),
            (129, DType::F16, GateCase::Log),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, (t, dtype, gate))| {
            Case::random(9100 + i as u64, 2, t, h, dtype, gate, i != 1, None)
        })
        .collect();
        hammer_n(
            ctx,
            &long,
            CallOptions::path(PathChoice::Chunked),
            4,
            30,
            "kernel:chunked_",
        );
    }
    hammer_n(
        ctx,
        &cases(),
        CallOptions::path(PathChoice::Ops),
        4,
        30,
        "ops:gpu",
    );
}

#[test]
fn cpu_threads_match_serial_calls_bit_for_bit() {
    let ctx = cpu();
    hammer(&ctx, &cases(), CallOptions::default());
    hammer(&ctx, &cases()[..2], CallOptions::path(PathChoice::Ops));
}
