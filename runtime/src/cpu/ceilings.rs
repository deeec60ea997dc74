//! Ceilings the CPU kernel is compared against (`gdn bench`): a plain FMA loop and a pass over
//! the state.

use multiversion::{multiversion, target::selected_target};
use rayon::prelude::*;

/// One thread's plain f32 FMA loop: `iters` rounds over 8 independent 16-wide accumulators.
#[multiversion(targets("x86_64+avx512f+avx512vl+avx2+fma", "x86_64+avx2+fma", "aarch64+neon"))]
fn fma_loop(iters: usize, seed: f32) -> f32 {
    let fma = selected_target!().supports_feature_str("fma");
    let (a, b) = (0.999_f32, 1e-3_f32);
    let f = |x: f32| if fma { x.mul_add(a, b) } else { x * a + b };
    let (mut r0, mut r1, mut r2, mut r3) = ([seed; 16], [seed; 16], [seed; 16], [seed; 16]);
    let (mut r4, mut r5, mut r6, mut r7) = ([seed; 16], [seed; 16], [seed; 16], [seed; 16]);
    for _ in 0..iters {
        for l in 0..16 {
            r0[l] = f(r0[l]);
            r1[l] = f(r1[l]);
            r2[l] = f(r2[l]);
            r3[l] = f(r3[l]);
            r4[l] = f(r4[l]);
            r5[l] = f(r5[l]);
            r6[l] = f(r6[l]);
            r7[l] = f(r7[l]);
        }
    }
    [r0, r1, r2, r3, r4, r5, r6, r7].iter().flatten().sum()
}

/// The f32 FLOP rate (GFLOP/s, an FMA counted as 2) of a plain FMA loop on every rayon thread,
/// with the same SIMD selection as the kernel: the machine's compute ceiling for `gdn bench`.
/// The best of five runs, since a ceiling is what is asked for and a run that a busy host slows
/// (one of the two threads descheduled) would halve it.
pub fn fma_peak_gflops() -> f64 {
    let threads = rayon::current_num_threads();
    let iters = 2_000_000;
    let run = || {
        let t0 = std::time::Instant::now();
        let s: f32 = (0..threads)
            .into_par_iter()
            .map(|i| fma_loop(iters, i as f32))
            .sum();
        std::hint::black_box(s);
        t0.elapsed().as_secs_f64()
    };
    run();
    let secs = (0..5).map(|_| run()).fold(f64::INFINITY, f64::min);
    (threads * iters * 8 * 16 * 2) as f64 / secs / 1e9
}

/// Bandwidth (GB/s, bytes read plus written) of an in-place pass over `bytes` of f32 on every
/// rayon thread, cut into tasks as the kernel cuts the state (four a thread), median of 50 passes
/// after 10: how fast this machine moves a state of that size, the memory floor of decode for
/// `gdn bench` on the CPU.
pub fn state_pass_gbps(bytes: usize) -> f64 {
    let n = (bytes / 4).max(1024);
    let mut x = vec![1.0f32; n];
    let chunk = n.div_ceil(4 * rayon::current_num_threads()).max(16);
    let mut secs = Vec::with_capacity(50);
    for i in 0..60 {
        let t0 = std::time::Instant::now();
        x.par_chunks_mut(chunk)
            .for_each(|c| c.iter_mut().for_each(|v| *v = *v * 0.999 + 1e-3));
        if i >= 10 {
            secs.push(t0.elapsed().as_secs_f64());
        }
    }
    std::hint::black_box(&x);
    secs.sort_by(f64::total_cmp);
    (2 * n * 4) as f64 / secs[secs.len() / 2] / 1e9
}

/// Threads the CPU kernel runs on (rayon's global pool).
pub fn threads() -> usize {
    rayon::current_num_threads()
}
