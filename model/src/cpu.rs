//! The layer's non-recurrent ops on the CPU (f32); the recurrence goes through the runtime.

use crate::weights::Dims;
use rayon::prelude::*;

/// `y[m, n] = Σ_k x[m, k] · w[n, k]` (a linear layer with weight `[N, K]`) into `y` (`m · n`
/// values). Output rows are split over threads in blocks of columns, so a decode step (m = 1)
/// uses every core too.
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
                *o = gdn_runtime::cpu::dot(&x[i * k..(i + 1) * k], &w[j * k..(j + 1) * k]);
            }
        });
}

/// `x · sigmoid(x)`.
pub fn silu(x: f32) -> f32 {
    x / (1.0 + (-x).exp())
}

/// Causal depthwise conv over `[conv_state, qkv]` per batch, then SiLU, into `out` `[B,T,C]`.
/// `qkv` is `[B,T,C]`, the conv state `[B,K-1,C]` (updated in place to the last K-1 pre-conv
/// inputs), the weight `[C,K]`.
pub fn conv_silu_into(
    d: &Dims,
    qkv: &[f32],
    state: &mut [f32],
    w: &[f32],
    (b, t): (usize, usize),
    out: &mut [f32],
) {
    let (c, k) = (d.conv_channels(), d.k);
    let keep = k - 1;
    for bi in 0..b {
        let st = &mut state[bi * keep * c..(bi + 1) * keep * c];
        let x = &qkv[bi * t * c..(bi + 1) * t * c];
        let xp = |u: usize, ch: usize| {
            if u < keep {
                st[u * c + ch]
            } else {
                x[(u - keep) * c + ch]
            }
        };
        for ti in 0..t {
            for ch in 0..c {
                let acc: f32 = (0..k).map(|j| w[ch * k + j] * xp(ti + j, ch)).sum();
                out[(bi * t + ti) * c + ch] = silu(acc);
            }
        }
        // The new state is the last K-1 rows of [state; x]: the old rows move up by T (when T is
        // shorter than the window) and x's last rows fill the end.
        let from_x = t.min(keep);
        st.copy_within(from_x * c.., 0);
        st[(keep - from_x) * c..].copy_from_slice(&x[(t - from_x) * c..]);
    }
}

/// `x · rsqrt(Σx² + 1e-6) · scale`, in place.
pub fn l2norm(x: &mut [f32], scale: f32) {
    let inv = 1.0 / (x.iter().map(|v| v * v).sum::<f32>() + 1e-6).sqrt();
    x.iter_mut().for_each(|v| *v *= inv * scale);
}

/// Splits the conv output `[B,T,C]` into q, k `[B,T,Hk,Dk]` (normalised; q scaled by Dk^-½) and v
/// `[B,T,Hv,Dv]`, written into the three slices.
pub fn split_qkv_into(d: &Dims, x: &[f32], (q, k, v): (&mut [f32], &mut [f32], &mut [f32])) {
    let c = d.conv_channels();
    let (qk, vw) = (d.hk * d.dk, d.value_width());
    for (i, row) in x.chunks_exact(c).enumerate() {
        q[i * qk..(i + 1) * qk].copy_from_slice(&row[..qk]);
        k[i * qk..(i + 1) * qk].copy_from_slice(&row[qk..2 * qk]);
        v[i * vw..(i + 1) * vw].copy_from_slice(&row[2 * qk..]);
    }
    let scale = (d.dk as f32).powf(-0.5);
    q.chunks_mut(d.dk).for_each(|h| l2norm(h, scale));
    k.chunks_mut(d.dk).for_each(|h| l2norm(h, 1.0));
}

/// Gated RMSNorm per value head into `out`: `w · y · rsqrt(mean(y²) + eps) · silu(z)`.
pub fn gated_norm_into(y: &[f32], z: &[f32], w: &[f32], (dv, eps): (usize, f32), out: &mut [f32]) {
    for ((yh, zh), oh) in y
        .chunks_exact(dv)
        .zip(z.chunks_exact(dv))
        .zip(out.chunks_exact_mut(dv))
    {
        let inv = 1.0 / (yh.iter().map(|v| v * v).sum::<f32>() / dv as f32 + eps).sqrt();
        for (((o, y), z), w) in oh.iter_mut().zip(yh).zip(zh).zip(w) {
            *o = w * y * inv * silu(*z);
        }
    }
}

/// The activations of one layer step on the CPU for `m = B·T` tokens, kept from step to step (a
/// stack's layers share one), so a decode token allocates none of them.
#[derive(Default)]
pub(crate) struct Scratch {
    qkv: Vec<f32>,
    z: Vec<f32>,
    b: Vec<f32>,
    a: Vec<f32>,
    conv: Vec<f32>,
    q: Vec<f32>,
    k: Vec<f32>,
    v: Vec<f32>,
    y: Vec<f32>,
    normed: Vec<f32>,
    conv_before: Vec<f32>,
}

/// The activations of a step, each sized for its `m` tokens.
pub(crate) struct Activations<'a> {
    pub qkv: &'a mut [f32],
    pub z: &'a mut [f32],
    pub b: &'a mut [f32],
    pub a: &'a mut [f32],
    pub conv: &'a mut [f32],
    pub q: &'a mut [f32],
    pub k: &'a mut [f32],
    pub v: &'a mut [f32],
    pub y: &'a mut [f32],
    pub normed: &'a mut [f32],
    /// The conv state before the step (restored if the op fails after the conv moved it).
    pub conv_before: &'a mut [f32],
}

impl Scratch {
    /// The buffers sized for `m` tokens of `d` and a conv state of `conv_len` values (grown when
    /// needed, never shrunk).
    pub(crate) fn for_tokens(&mut self, d: &Dims, m: usize, conv_len: usize) -> Activations<'_> {
        fn fit(v: &mut Vec<f32>, n: usize) -> &mut [f32] {
            if v.len() < n {
                v.resize(n, 0.0);
            }
            &mut v[..n]
        }
        let (c, vw, qk) = (d.conv_channels(), d.value_width(), d.hk * d.dk);
        Activations {
            qkv: fit(&mut self.qkv, m * c),
            z: fit(&mut self.z, m * vw),
            b: fit(&mut self.b, m * d.hv),
            a: fit(&mut self.a, m * d.hv),
            conv: fit(&mut self.conv, m * c),
            q: fit(&mut self.q, m * qk),
            k: fit(&mut self.k, m * qk),
            v: fit(&mut self.v, m * vw),
            y: fit(&mut self.y, m * vw),
            normed: fit(&mut self.normed, m * vw),
            conv_before: fit(&mut self.conv_before, conv_len),
        }
    }
}
