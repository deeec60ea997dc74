//! Resident memory stays flat over many decode calls (reliability: no leaks). Linux only: reads
//! the resident set from /proc/self/statm.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{CallOptions, Context, DType, HeadShape};
use gdn_tests::{cpu, gpu, Case, GateCase};

/// Resident set size in KiB, if the platform exposes it.
fn rss_kib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4)
}

/// Runs `calls` decode calls after a warm-up of `calls / 10`; returns (RSS after warm-up, after).
fn decode_calls(ctx: &Context, calls: usize) -> Option<(u64, u64)> {
    let case = Case::random(
        9100,
        1,
        1,
        HeadShape::new(2, 4, 32, 32),
        DType::BF16,
        GateCase::Decay,
        true,
        None,
    );
    let inp = case.inputs();
    for _ in 0..calls / 10 {
        ctx.update(&inp, CallOptions::default()).unwrap();
    }
    let before = rss_kib()?;
    for _ in 0..calls {
        ctx.update(&inp, CallOptions::default()).unwrap();
    }
    Some((before, rss_kib()?))
}

// One test, so no other test of this binary allocates while the resident set is measured.
#[test]
fn decode_calls_keep_memory_flat() {
    if let Some((before, after)) = decode_calls(&cpu(), 100_000) {
        eprintln!("CPU: 100000 decode calls, RSS {before} KiB -> {after} KiB");
        assert!(
            after <= before + 4096,
            "CPU: RSS grew from {before} to {after} KiB"
        );
    }
    let Some(ctx) = gpu() else { return };
    // 10 000 in CI (each call on lavapipe is an upload, a dispatch and a readback);
    // `GDN_LEAK_GPU_CALLS=100000` for the full count.
    let calls = std::env::var("GDN_LEAK_GPU_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    if let Some((before, after)) = decode_calls(ctx, calls) {
        eprintln!("GPU: {calls} decode calls, RSS {before} KiB -> {after} KiB");
        assert!(
            after <= before + 8192,
            "GPU: RSS grew from {before} to {after} KiB"
        );
    }
}
