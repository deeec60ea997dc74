//! The layer's non-recurrent ops on the CPU (f32); the recurrence goes through the runtime.

use crate::weights::Dims;
use rayon::prelude::*;

/// `y[m, n] = Σ_k x[m, k] · w[n, k]` (a linear layer with weight `[N, K]`). Output rows are split
/// over threads in blocks of columns, so a decode step (m = 1) uses every core too.
pub fn matmul(x: &[f32], w: &[f32], m: usize, n: usize, k: usize) -> Vec<f32> {
    let mut y = vec![0.0f32; m * n];
    matmul_into(x, w, (m, n, k), &mut y);
    y
}

/// [`matmul`] into `y` (`m · n` values).
pub fn matmul_into(x: &[f32], w: &[f32], (m, n, k): (usize, usize, usize), y: &mut [f32]) {
    const COLS: usize = 16;
    y[..m * n]
        .par_chunks_mut(COLS)
        .enumerate()
        .for_each(|(blk, out)| {
            let (i, j0) = ((blk * COLS) / n.max(1), (blk * COLS) % n.max(1));
            // A block never straddles two rows when n is a multiple of COLS; otherwise walk it.
            for (jj, o) in out.iter_mut().enumerate() {
                let (i, j) = (i + (j0 + jj) / n, (j0 + jj) % n);
                *o = dot(&x[i * k..(i + 1) * k], &w[j * k..(j + 1) * k]);
            }
        });
}

/// A dot product in eight independent partial sums, which the compiler keeps in vector registers
/// (one running sum would be a chain of dependent adds).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(p, q)| p * q)
        .sum();
    for (pa, pb) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += pa[l] * pb[l];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// `x · sigmoid(x)`.
pub fn silu(x: f32) -> f32 {
    x / (1.0 + (-x).exp())
}

/// Causal depthwise conv over `[conv_state, qkv]` per batch, then SiLU. `qkv` is `[B,T,C]`, the conv
/// state `[B,K-1,C]` (updated in place to the last K-1 pre-conv inputs), the weight `[C,K]`.
pub fn conv_silu(
    d: &Dims,
    qkv: &[f32],
    state: &mut [f32],
    w: &[f32],
    b: usize,
    t: usize,
) -> Vec<f32> {
    let (c, k) = (d.conv_channels(), d.k);
    let mut out = vec![0.0f32; b * t * c];
    for bi in 0..b {
        let st = &mut state[bi * (k - 1) * c..(bi + 1) * (k - 1) * c];
        let xp = |u: usize, ch: usize| {
            if u < k - 1 {
                st[u * c + ch]
            } else {
                qkv[(bi * t + u - (k - 1)) * c + ch]
            }
        };
        for ti in 0..t {
            for ch in 0..c {
                let acc: f32 = (0..k).map(|j| w[ch * k + j] * xp(ti + j, ch)).sum();
                out[(bi * t + ti) * c + ch] = silu(acc);
            }
        }
        let new: Vec<f32> = (0..(k - 1) * c).map(|i| xp(t + i / c, i % c)).collect();
        st.copy_from_slice(&new);
    }
    out
}

/// `x · rsqrt(Σx² + 1e-6) · scale`, in place.
pub fn l2norm(x: &mut [f32], scale: f32) {
    let inv = 1.0 / (x.iter().map(|v| v * v).sum::<f32>() + 1e-6).sqrt();
    x.iter_mut().for_each(|v| *v *= inv * scale);
}

/// Splits the conv output `[B,T,C]` into q, k `[B,T,Hk,Dk]` (normalised; q scaled by Dk^-½) and v.
pub fn split_qkv(d: &Dims, x: &[f32], bt: usize) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let c = d.conv_channels();
    let qk = d.hk * d.dk;
    let (mut q, mut k, mut v) = (
        Vec::with_capacity(bt * qk),
        Vec::with_capacity(bt * qk),
        Vec::with_capacity(bt * d.value_width()),
    );
    for row in x.chunks_exact(c) {
        q.extend_from_slice(&row[..qk]);
        k.extend_from_slice(&row[qk..2 * qk]);
        v.extend_from_slice(&row[2 * qk..]);
    }
    let scale = (d.dk as f32).powf(-0.5);
    q.chunks_mut(d.dk).for_each(|h| l2norm(h, scale));
    k.chunks_mut(d.dk).for_each(|h| l2norm(h, 1.0));
    (q, k, v)
}

/// Gated RMSNorm per value head: `w · y · rsqrt(mean(y²) + eps) · silu(z)`.
pub fn gated_norm(y: &[f32], z: &[f32], w: &[f32], dv: usize, eps: f32) -> Vec<f32> {
    y.chunks_exact(dv)
        .zip(z.chunks_exact(dv))
        .flat_map(|(yh, zh)| {
            let inv = 1.0 / (yh.iter().map(|v| v * v).sum::<f32>() / dv as f32 + eps).sqrt();
            yh.iter()
                .zip(zh)
                .zip(w)
                .map(move |((y, z), w)| w * y * inv * silu(*z))
                .collect::<Vec<_>>()
        })
        .collect()
}
