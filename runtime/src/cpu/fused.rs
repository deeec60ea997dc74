use super::Prepared;
use crate::tensor::Problem;
use multiversion::{multiversion, target::selected_target};
use rayon::prelude::*;

/// Accumulator lanes: four AVX-512 vectors (eight AVX2 ones) of independent sums, so the FMA
/// chains of a row overlap.
const W: usize = 16;

/// The decay of one step: one α for the head, or one per key column.
#[derive(Clone, Copy)]
enum Decay<'a> {
    Scalar(f32),
    Keys(&'a [f32]),
}

/// Dot product with `W` independent partial sums (vectorisable).
#[multiversion(targets("x86_64+avx512f+avx512vl+avx2+fma", "x86_64+avx2+fma", "aarch64+neon"))]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let fma = selected_target!().supports_feature_str("fma");
    let mut acc = [0.0f32; W];
    let (ac, bc) = (a.chunks_exact(W), b.chunks_exact(W));
    let tail: f32 = ac
        .remainder()
        .iter()
        .zip(bc.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ac.zip(bc) {
        for l in 0..W {
            acc[l] = if fma {
                x[l].mul_add(y[l], acc[l])
            } else {
                x[l] * y[l] + acc[l]
            };
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// One step of one head over all its state rows (`st` is `[Dv, Dk]`): decay, then k·s and q·s in
/// one pass, then the rank-1 update in a second; y comes from the decayed state, q·(αs + kδ) =
/// q·(αs) + δ(q·k), so each row is read twice per step instead of four times. Compiled for the
/// widest SIMD the CPU has (AVX-512, AVX2+FMA, NEON), chosen once at run time. (Blocks of 4 rows
/// sharing each k/q load and 32- or 64-wide accumulators measured slower on a 2-core EPYC.)
#[allow(clippy::too_many_arguments)]
#[multiversion(targets("x86_64+avx512f+avx512vl+avx2+fma", "x86_64+avx2+fma", "aarch64+neon"))]
fn step_rows<'a>(
    st: &mut [f32],
    dk: usize,
    k: &[f32],
    q: &[f32],
    kq: f32,
    decay: Decay<'a>,
    beta: f32,
    v: &[f32],
    y: &mut [f32],
) {
    let fma = selected_target!().supports_feature_str("fma");
    let madd = |a: f32, b: f32, c: f32| if fma { a.mul_add(b, c) } else { a * b + c };
    for ((row, &vi), yi) in st.chunks_exact_mut(dk).zip(v).zip(y.iter_mut()) {
        let (mut ak, mut aq) = ([0.0f32; W], [0.0f32; W]);
        let (mut tk, mut tq) = (0.0f32, 0.0f32);
        let n = dk - dk % W;
        let (body, tail) = row.split_at_mut(n);
        match decay {
            Decay::Scalar(a) => {
                for ((s, kc), qc) in body
                    .chunks_exact_mut(W)
                    .zip(k.chunks_exact(W))
                    .zip(q.chunks_exact(W))
                {
                    for l in 0..W {
                        let x = s[l] * a;
                        s[l] = x;
                        ak[l] = madd(x, kc[l], ak[l]);
                        aq[l] = madd(x, qc[l], aq[l]);
                    }
                }
                for (j, s) in tail.iter_mut().enumerate() {
                    *s *= a;
                    tk += *s * k[n + j];
                    tq += *s * q[n + j];
                }
            }
            Decay::Keys(a) => {
                for (((s, kc), qc), ac) in body
                    .chunks_exact_mut(W)
                    .zip(k.chunks_exact(W))
                    .zip(q.chunks_exact(W))
                    .zip(a.chunks_exact(W))
                {
                    for l in 0..W {
                        let x = s[l] * ac[l];
                        s[l] = x;
                        ak[l] = madd(x, kc[l], ak[l]);
                        aq[l] = madd(x, qc[l], aq[l]);
                    }
                }
                for (j, s) in tail.iter_mut().enumerate() {
                    *s *= a[n + j];
                    tk += *s * k[n + j];
                    tq += *s * q[n + j];
                }
            }
        }
        let kv = ak.iter().sum::<f32>() + tk;
        let sq = aq.iter().sum::<f32>() + tq;
        let delta = beta * (vi - kv);
        *yi = sq + delta * kq;
        for (s, &kj) in row.iter_mut().zip(k) {
            *s = madd(delta, kj, *s);
        }
    }
}

/// State bytes one task keeps hot: a block of rows of one head small enough for the L1 cache, so
/// the block stays there for the whole time loop.
const BLOCK_BYTES: usize = 16 * 1024;

/// The fused CPU kernel: parallel over blocks of state rows of each (batch, value head); each block
/// (at most [`BLOCK_BYTES`]) stays in L1 for the whole time loop (see [`step_rows`]).
///
/// Returns `(y, state)` in f32.
pub fn fused_update(p: &Problem, mut x: Prepared) -> (Vec<f32>, Vec<f32>) {
    let h = p.heads;
    let t_n = p.t;
    let r = h.ratio();
    let head = h.dv * h.dk;
    let mut s = std::mem::take(&mut x.state);
    let mut y = vec![0.0f32; p.y_len()];
    if head == 0 || p.b == 0 {
        return (y, s);
    }
    // Rows per block: as many as fit BLOCK_BYTES, dividing Dv into equal blocks.
    let fit = (BLOCK_BYTES / (4 * h.dk)).clamp(1, h.dv);
    let blocks = h.dv.div_ceil(fit);
    let rows = h.dv.div_ceil(blocks);
    let tasks: Vec<(usize, usize, &mut [f32])> = s
        .chunks_mut(head)
        .enumerate()
        .flat_map(|(n, st)| {
            st.chunks_mut(rows * h.dk)
                .enumerate()
                .map(move |(i, blk)| (n, i * rows, blk))
        })
        .collect();
    let per_task: Vec<(usize, usize, usize, Vec<f32>)> = tasks
        .into_par_iter()
        .map(|(n, r0, st)| {
            let (b, hv) = (n / h.hv, n % h.hv);
            let hk = hv / r;
            let nr = st.len() / h.dk;
            let mut yb = vec![0.0f32; t_n * nr];
            for (t, yt) in yb.chunks_exact_mut(nr).enumerate() {
                if !x.real[b * t_n + t] {
                    continue;
                }
                let gi = (b * t_n + t) * h.hv + hv;
                let qk = ((b * t_n + t) * h.hk + hk) * h.dk;
                let (q, k) = (&x.q[qk..qk + h.dk], &x.k[qk..qk + h.dk]);
                let a = &x.alpha[gi * x.g_cols..(gi + 1) * x.g_cols];
                let decay = if a.len() == 1 {
                    Decay::Scalar(a[0])
                } else {
                    Decay::Keys(a)
                };
                let v = &x.v[gi * h.dv + r0..gi * h.dv + r0 + nr];
                step_rows(st, h.dk, k, q, dot(k, q), decay, x.beta[gi], v, yt);
            }
            (n, r0, nr, yb)
        })
        .collect();
    for (n, r0, nr, yb) in &per_task {
        let (b, hv) = (n / h.hv, n % h.hv);
        for t in 0..t_n {
            let at = ((b * t_n + t) * h.hv + hv) * h.dv + r0;
            y[at..at + nr].copy_from_slice(&yb[t * nr..(t + 1) * nr]);
        }
    }
    (y, s)
}

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
pub fn fma_peak_gflops() -> f64 {
    let threads = rayon::current_num_threads();
    let iters = 2_000_000;
    let run = || {
        let t0 = std::time::Instant::now();
        let s: f32 = (0..threads)
            .into_par_iter()
            .map(|i| fma_loop(iters, i as f32))
            .sum();
        (t0.elapsed().as_secs_f64(), s)
    };
    run();
    let (secs, _) = run();
    (threads * iters * 8 * 16 * 2) as f64 / secs / 1e9
}

/// Threads the CPU kernel runs on (rayon's global pool).
pub fn threads() -> usize {
    rayon::current_num_threads()
}
