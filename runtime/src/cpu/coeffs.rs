//! What the fused kernel's passes share: the lane blocks of the transposed state, and the
//! coefficients of a time chunk of one head that every block of it reads. Below both passes
//! (`fused`'s compiler-vectorised one and `block`'s explicit vectors) and the transposes.

use super::Prepared;
use crate::tensor::Problem;

/// State rows a block holds side by side: the SIMD width of the transposed layout (one AVX-512
/// vector, two AVX2 ones, four NEON ones).
pub(super) const R: usize = 16;

/// One row of the transposed block: key column j of `R` state rows.
pub(super) type Lanes = [f32; R];

/// `a * b + c`, fused where the target has FMA (a plain multiply-add otherwise, never a libm call).
#[inline(always)]
pub(super) fn madd<const FMA: bool>(a: f32, b: f32, c: f32) -> f32 {
    if FMA {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// Dot product over `R` lanes of partial sums.
#[inline(always)]
pub(super) fn dot<const FMA: bool>(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; R];
    let (ac, bc) = (a.chunks_exact(R), b.chunks_exact(R));
    let tail: f32 = ac
        .remainder()
        .iter()
        .zip(bc.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ac.zip(bc) {
        for l in 0..R {
            acc[l] = madd::<FMA>(x[l], y[l], acc[l]);
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Steps whose coefficients are computed once per head and shared by all its blocks: small
/// enough that they and one block's state stay in L1 (16 steps × 4 × Dk floats = 32 KiB at
/// Dk = 128) while the head's blocks take turns.
pub(super) const TIME_CHUNK: usize = 16;

/// The per-column coefficients of one step of one head, shared by every lane: `a` = α per key
/// column (a head-wide α repeated), `k`, and `ka` = a·k, `qa` = a·q for the reductions.
pub(super) struct Coeffs<'c> {
    pub(super) a: &'c [f32],
    pub(super) k: &'c [f32],
    pub(super) ka: &'c [f32],
    pub(super) qa: &'c [f32],
}

/// One real step of a time chunk: where its inputs are, and its scalars.
#[derive(Clone, Copy)]
pub(super) struct StepInfo {
    /// Step index within the call.
    pub(super) t: usize,
    /// Index of (b, t, hv) into β and v rows.
    gi: usize,
    pub(super) beta: f32,
    /// q·k.
    pub(super) kq: f32,
    /// The step's decay when it is one per head (the smallest per-key one otherwise).
    pub(super) alpha: f32,
}

/// The coefficients of up to [`TIME_CHUNK`] steps of one head, laid out `[step][a|k|ka|qa][Dk]`.
pub(super) struct ChunkCoeffs {
    pub(super) dk: usize,
    buf: Vec<f32>,
    pub(super) steps: Vec<StepInfo>,
    /// v of the filled steps for one task's rows, `[step][row]` (see [`ChunkCoeffs::fill_v`]).
    pub(super) v: Vec<f32>,
}

impl ChunkCoeffs {
    /// Room for `steps` steps (at most [`TIME_CHUNK`]): a decode call fills one, and zeroing
    /// the whole chunk's buffer for every task cost more than its step.
    pub(super) fn new(dk: usize, steps: usize) -> Self {
        let steps = steps.clamp(1, TIME_CHUNK);
        Self {
            dk,
            buf: vec![0.0; steps * 4 * dk],
            steps: Vec::with_capacity(steps),
            v: Vec::new(),
        }
    }

    /// v of the filled steps at value rows `r0 .. r0 + rows` of their head, as f32.
    pub(super) fn fill_v(&mut self, x: &Prepared<'_>, dv: usize, r0: usize, rows: usize) {
        self.v.resize(self.steps.len() * rows, 0.0);
        for (s, out) in self.steps.iter().zip(self.v.chunks_exact_mut(rows.max(1))) {
            x.v.read(s.gi * dv + r0, out);
        }
    }

    pub(super) fn get(&self, i: usize) -> Coeffs<'_> {
        let dk = self.dk;
        let c = &self.buf[i * 4 * dk..(i + 1) * 4 * dk];
        Coeffs {
            a: &c[..dk],
            k: &c[dk..2 * dk],
            ka: &c[2 * dk..3 * dk],
            qa: &c[3 * dk..],
        }
    }

    /// Fills the real steps of `t0..t1` of head (b, hv).
    #[inline(always)]
    pub(super) fn fill<const FMA: bool>(
        &mut self,
        p: &Problem,
        x: &Prepared<'_>,
        b: usize,
        hv: usize,
        t0: usize,
        t1: usize,
    ) {
        let h = p.heads;
        let dk = self.dk;
        let hk = p.key_head(hv);
        self.steps.clear();
        for t in t0..t1 {
            let bt = b * p.t + t;
            if !x.real[bt] {
                continue;
            }
            let gi = bt * h.hv + hv;
            let qk = (bt * h.hk + hk) * dk;
            let alpha = &x.alpha[gi * x.g_cols..(gi + 1) * x.g_cols];
            let i = self.steps.len();
            let c = &mut self.buf[i * 4 * dk..(i + 1) * 4 * dk];
            let (ca, rest) = c.split_at_mut(dk);
            let (ck, rest) = rest.split_at_mut(dk);
            let (cka, cqa) = rest.split_at_mut(dk);
            if let [a0] = alpha {
                ca.fill(*a0);
            } else {
                ca.copy_from_slice(alpha);
            }
            // k and q of the step (q into its a·q slot, scaled once k·q is taken).
            x.k.read(qk, ck);
            x.q.read(qk, cqa);
            let kq = dot::<FMA>(ck, cqa);
            for (((ka, qa), &a), &kj) in cka.iter_mut().zip(cqa.iter_mut()).zip(&*ca).zip(&*ck) {
                *ka = a * kj;
                *qa *= a;
            }
            self.steps.push(StepInfo {
                t,
                gi,
                beta: x.beta[gi],
                kq,
                alpha: alpha.iter().copied().fold(f32::INFINITY, f32::min),
            });
        }
    }
}

/// Below this scale the state is brought back to S̃ = S (c = 1) before the next step, so δ / c
/// stays far from overflow.
pub(super) const SCALE_FLOOR: f32 = 1e-12;

/// Where one block's values of v and y are: its `rows` rows from column `c0` of the task's rows,
/// in the chunk's v (`steps × stride`, [`ChunkCoeffs::fill_v`]) and in the task's y (`T × stride`).
#[derive(Clone, Copy)]
pub(super) struct BlockAt {
    pub(super) rows: usize,
    pub(super) c0: usize,
    pub(super) stride: usize,
}
