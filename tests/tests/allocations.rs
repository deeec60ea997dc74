//! The CPU model path allocates no activation per decode token: with its buffers kept from step to
//! step (`LinearStack::forward_into`), the largest allocation of a warm decode step is smaller than
//! the smallest per-token activation of the layer. What remains is the runtime's bookkeeping per
//! call (dispatch reports, gate coefficients of B·Hv values, per-task coefficient blocks).
//!
//! The counting allocator is this test binary's global allocator, so the binary holds this one test.
//! A global allocator is an `unsafe` trait; this file is the one place the tests implement it.
#![allow(unsafe_code)]

use gdn_core::HeadShape;
use gdn_model::{llm, Dims, LayerWeights};
use gdn_runtime::{Context, Registry};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Passes every call to the system allocator and, while `COUNTING`, records the number and the
/// largest size of the allocations (on every thread: the runtime's CPU kernel runs on a pool).
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static COUNT: AtomicUsize = AtomicUsize::new(0);
static LARGEST: AtomicUsize = AtomicUsize::new(0);

impl Counting {
    fn note(size: usize) {
        if COUNTING.load(Ordering::Relaxed) {
            COUNT.fetch_add(1, Ordering::Relaxed);
            LARGEST.fetch_max(size, Ordering::Relaxed);
        }
    }
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds `GlobalAlloc`'s contract.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::note(layout.size());
        // SAFETY: the caller's layout is passed on as given.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::note(layout.size());
        // SAFETY: as in `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Self::note(new_size);
        // SAFETY: `ptr` came from `System` with `layout`; the caller guarantees `new_size`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn a_warm_cpu_decode_step_allocates_no_activation() {
    // Two layers (so the hidden state passes between the stack's own buffers), every per-token
    // activation at least 2 KiB: hidden 512, q/k 8 × 64, values 8 × 64, conv channels 1 536.
    let cfg = gdn_tests::linear_config(HeadShape::new(8, 8, 64, 64), 2, 512);
    let d = Dims::of(&cfg.text);
    let smallest_activation = 4 * [d.hidden, d.hk * d.dk, d.value_width(), d.conv_channels()]
        .into_iter()
        .min()
        .expect("four sizes");
    assert!(
        smallest_activation >= 2048,
        "the shape keeps every activation ≥ 2 KiB"
    );
    let ctx = Context::cpu(Registry::empty());
    let layers = (0..2)
        .map(|i| (i, LayerWeights::random(&d, 11 + i as u64)))
        .collect();
    let mut stack = llm::from_weights(&ctx, &cfg, layers).expect("stack");
    let x: Vec<f32> = (0..d.hidden).map(|i| (i as f32 * 0.37).sin()).collect();
    let mut out = vec![0.0f32; d.hidden];
    // A prompt, then two decode steps that size the buffers.
    let prompt: Vec<f32> = (0..3 * d.hidden).map(|i| (i as f32 * 0.11).cos()).collect();
    let mut prompt_out = vec![0.0f32; prompt.len()];
    stack
        .forward_into(&ctx, &prompt, (1, 3), &mut prompt_out)
        .expect("prefill");
    for _ in 0..2 {
        stack
            .forward_into(&ctx, &x, (1, 1), &mut out)
            .expect("decode");
    }
    let steps = 4;
    COUNTING.store(true, Ordering::SeqCst);
    for _ in 0..steps {
        stack
            .forward_into(&ctx, &x, (1, 1), &mut out)
            .expect("decode");
    }
    COUNTING.store(false, Ordering::SeqCst);
    let (count, largest) = (COUNT.load(Ordering::SeqCst), LARGEST.load(Ordering::SeqCst));
    assert!(
        largest < smallest_activation,
        "a warm decode step allocated {largest} bytes at once (smallest activation \
         {smallest_activation} bytes; {count} allocations over {steps} steps)"
    );
    assert!(out.iter().all(|v| v.is_finite()), "the output is finite");
    println!("{count} allocations over {steps} steps, the largest {largest} bytes");
}
