use super::Prepared;
use crate::tensor::Problem;
use rayon::prelude::*;

const LANES: usize = 8;

/// Dot product with independent partial sums so the compiler can vectorise it.
#[inline]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; LANES];
    let (ac, ar) = a.split_at(a.len() - a.len() % LANES);
    let (bc, br) = b.split_at(ac.len());
    for (x, y) in ac.chunks_exact(LANES).zip(bc.chunks_exact(LANES)) {
        for l in 0..LANES {
            acc[l] += x[l] * y[l];
        }
    }
    let mut s = acc.iter().sum::<f32>();
    for (x, y) in ar.iter().zip(br) {
        s += x * y;
    }
    s
}

/// The fused CPU kernel: parallel over (batch, value head); each head's state stays in cache for
/// the whole time loop and is updated row by row (decay + S·k in one pass, rank-1 + S·q in another).
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
    let per_head: Vec<Vec<f32>> = s
        .par_chunks_mut(head)
        .enumerate()
        .map(|(n, st)| {
            let (b, hv) = (n / h.hv, n % h.hv);
            let hk = hv / r;
            let mut yh = vec![0.0f32; t_n * h.dv];
            for t in 0..t_n {
                if !x.real[b * t_n + t] {
                    continue;
                }
                let gi = (b * t_n + t) * h.hv + hv;
                let qk = ((b * t_n + t) * h.hk + hk) * h.dk;
                let (q, k) = (&x.q[qk..qk + h.dk], &x.k[qk..qk + h.dk]);
                let beta = x.beta[gi];
                let v = &x.v[gi * h.dv..(gi + 1) * h.dv];
                let a = &x.alpha[gi * x.g_cols..(gi + 1) * x.g_cols];
                for (i, row) in st.chunks_exact_mut(h.dk).enumerate() {
                    if a.len() == 1 {
                        let a0 = a[0];
                        row.iter_mut().for_each(|s| *s *= a0);
                    } else {
                        row.iter_mut().zip(a).for_each(|(s, a)| *s *= a);
                    }
                    let delta = beta * (v[i] - dot(row, k));
                    row.iter_mut().zip(k).for_each(|(s, k)| *s += delta * k);
                    yh[t * h.dv + i] = dot(row, q);
                }
            }
            yh
        })
        .collect();
    for (n, yh) in per_head.iter().enumerate() {
        let (b, hv) = (n / h.hv, n % h.hv);
        for t in 0..t_n {
            let gi = (b * t_n + t) * h.hv + hv;
            y[gi * h.dv..(gi + 1) * h.dv].copy_from_slice(&yh[t * h.dv..(t + 1) * h.dv]);
        }
    }
    (y, s)
}
