use super::Prepared;
use crate::tensor::Problem;

/// The plain per-step composition of tensor ops (as mlx-lm's `_gated_delta_step_ops`): for each
/// step, over the whole batch: decay, matvec, delta, rank-1 update, matvec. The reference path.
///
/// Returns `(y, state)` in f32.
pub fn ops_update(p: &Problem, x: Prepared<'_>) -> (Vec<f32>, Vec<f32>) {
    let (b_n, t_n) = (p.b, p.t);
    let h = p.heads;
    let rows = b_n * h.hv * h.dv;
    let (q, k, v) = (x.q.to_f32(), x.k.to_f32(), x.v.to_f32());
    let mut s = x.state.into_owned();
    let mut y = vec![0.0f32; p.y_len()];
    let mut kv = vec![0.0f32; rows];
    for t in 0..t_n {
        // 1. decay: S = alpha * S (masked steps keep S)
        for (row, srow) in s.chunks_exact_mut(h.dk).enumerate() {
            let n = row / h.dv;
            let (b, hv) = (n / h.hv, n % h.hv);
            if !x.real[b * t_n + t] {
                continue;
            }
            let gi = ((b * t_n + t) * h.hv + hv) * x.g_cols;
            for (j, sv) in srow.iter_mut().enumerate() {
                *sv *= x.alpha[gi + if x.g_cols == 1 { 0 } else { j }];
            }
        }
        // 2. kv = S k
        for (row, srow) in s.chunks_exact(h.dk).enumerate() {
            let n = row / h.dv;
            let (b, hv) = (n / h.hv, n % h.hv);
            let kb = ((b * t_n + t) * h.hk + p.key_head(hv)) * h.dk;
            kv[row] = srow.iter().zip(&k[kb..kb + h.dk]).map(|(a, c)| a * c).sum();
        }
        // 3. delta = beta (v - kv)
        for (row, d) in kv.iter_mut().enumerate() {
            let (n, i) = (row / h.dv, row % h.dv);
            let (b, hv) = (n / h.hv, n % h.hv);
            let gi = (b * t_n + t) * h.hv + hv;
            *d = x.beta[gi] * (v[gi * h.dv + i] - *d);
        }
        // 4. S = S + delta k^T (masked steps keep S)
        for (row, srow) in s.chunks_exact_mut(h.dk).enumerate() {
            let n = row / h.dv;
            let (b, hv) = (n / h.hv, n % h.hv);
            if !x.real[b * t_n + t] {
                continue;
            }
            let kb = ((b * t_n + t) * h.hk + p.key_head(hv)) * h.dk;
            for (sv, kj) in srow.iter_mut().zip(&k[kb..kb + h.dk]) {
                *sv += kv[row] * kj;
            }
        }
        // 5. y = S q (masked steps write 0)
        for (row, srow) in s.chunks_exact(h.dk).enumerate() {
            let (n, i) = (row / h.dv, row % h.dv);
            let (b, hv) = (n / h.hv, n % h.hv);
            let gi = (b * t_n + t) * h.hv + hv;
            let qb = ((b * t_n + t) * h.hk + p.key_head(hv)) * h.dk;
            y[gi * h.dv + i] = if x.real[b * t_n + t] {
                srow.iter().zip(&q[qb..qb + h.dk]).map(|(a, c)| a * c).sum()
            } else {
                0.0
            };
        }
    }
    (y, s)
}
