//! One time chunk over one transposed block of [`R`] state rows on explicit SIMD vectors
//! (`pulp`): per step, the previous step's update of each key column fused with this step's two
//! reductions, then δ and y, with every per-step value held in registers.
//!
//! Why registers matter here: a step's column loop ends with the stores of the block's last
//! columns still in flight. The compiler's own version of this pass (fused.rs, `chunk_block`,
//! still the path for targets without vectors of 4, 8 or 16 lanes) then read δ, kv and sq back
//! from the stack, and its speed depended on where the allocator had put the block: on the
//! 2-vCPU Zen 4 VM a T = 256 call took 14 or 19 ms on one thread (docs/PERF.md, CPU section).
//! That is the mark of 4K aliasing, where a load whose address matches an in-flight store's in
//! its low 12 bits waits for that store. Here δ, kv and sq stay in registers and v is read
//! before the column loop; after it a step reads only a few scalars (β, q·k) and the next
//! step's coefficients. Measured, its speed no longer depends on the block's address.

use super::coeffs::{BlockAt, ChunkCoeffs, Lanes, R, SCALE_FLOOR};
use pulp::{Arch, Simd, WithSimd};

/// One chunk of steps over one block.
pub(super) struct ChunkPass<'a> {
    /// The block: `st[j]` is key column j of its rows (lanes past `at.rows` are zero).
    pub st: &'a mut [Lanes],
    /// The chunk's steps and coefficients.
    pub cc: &'a ChunkCoeffs,
    /// Where the block's v and y are.
    pub at: BlockAt,
    /// The task's y (`T × stride`).
    pub yh: &'a mut [f32],
    /// One decay per head, kept in a scale (see fused.rs, `chunk_block`).
    pub scaled: bool,
}

impl ChunkPass<'_> {
    /// Runs the chunk on `arch`'s vectors; `false` (nothing done) where the target's vectors do
    /// not divide a block of [`R`] lanes, for the caller's own loop to serve.
    pub fn run(self, arch: Arch) -> bool {
        arch.dispatch(self)
    }
}

impl WithSimd for ChunkPass<'_> {
    type Output = bool;

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) -> bool {
        // Vectors per column, and two columns in flight (independent accumulators per
        // product), so that the accumulators, δ and the column fit the registers (16 on AVX2).
        // The same two columns on every target keep the sums in the same order, so every
        // target gives the same bits and the choice between them is one of speed only (see
        // [`Chooser`]).
        match (S::F32_LANES, self.scaled) {
            (16, true) => chunk::<S, 1, 2, true>(simd, self),
            (16, false) => chunk::<S, 1, 2, false>(simd, self),
            (8, true) => chunk::<S, 2, 2, true>(simd, self),
            (8, false) => chunk::<S, 2, 2, false>(simd, self),
            (4, true) => chunk::<S, 4, 2, true>(simd, self),
            (4, false) => chunk::<S, 4, 2, false>(simd, self),
            _ => return false,
        }
        true
    }
}

/// Which vectors chunk passes run on. On a CPU with AVX-512 the 512-bit vectors are not always
/// the faster ones: on the Zen 4 VM this was written on (AVX-512 on 256-bit units) a T = 256
/// call took 12.6–12.7 ms on one thread on AVX2's vectors against 13.7–14.1 ms on AVX-512's,
/// while a synthetic chunk with everything in L1 timed them equal. So the choice is measured on
/// the kernel's own work: the first calls with several tasks run every other task on each (both
/// give the same bits), and after [`CALLS`] such calls AVX2 is kept if the median of its
/// per-call ratio of time per state row is under 0.95, AVX-512 otherwise. Elsewhere there is
/// nothing to choose.
pub(super) struct Chooser {
    state: std::sync::Mutex<Choice>,
}

/// Calls measured before the choice is made.
const CALLS: usize = 5;

enum Choice {
    /// Time ratios (AVX2 / AVX-512 per task) of the calls measured so far.
    Measuring(Vec<f64>),
    Decided(Arch),
}

/// The vectors for a call's chunk passes: one for every task, or two to compare.
#[derive(Clone, Copy)]
pub(super) enum Plan {
    /// Every task on these.
    One(Arch),
    /// Even tasks on the first (AVX-512), odd ones on the second (AVX2), timed.
    Compare(Arch, Arch),
}

impl Chooser {
    /// The process-wide chooser.
    pub fn get() -> &'static Chooser {
        static CHOOSER: std::sync::OnceLock<Chooser> = std::sync::OnceLock::new();
        CHOOSER.get_or_init(|| {
            let state = match Self::candidates() {
                Some(_) => Choice::Measuring(Vec::with_capacity(CALLS)),
                None => Choice::Decided(Arch::new()),
            };
            Chooser {
                state: std::sync::Mutex::new(state),
            }
        })
    }

    /// AVX-512 and AVX2, where the CPU has both.
    fn candidates() -> Option<(Arch, Arch)> {
        #[cfg(target_arch = "x86_64")]
        if let (best @ Arch::V4(_), Some(v3)) = (Arch::new(), pulp::x86::V3::try_new()) {
            return Some((best, Arch::V3(v3)));
        }
        None
    }

    /// The plan for a call with `tasks` tasks.
    pub fn plan(&self, tasks: usize) -> Plan {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match (&*state, Self::candidates()) {
            (Choice::Decided(arch), _) => Plan::One(*arch),
            (Choice::Measuring(_), Some((a, b))) if tasks >= 4 => Plan::Compare(a, b),
            _ => Plan::One(Arch::new()),
        }
    }

    /// Records a compared call's times per state row on AVX-512 (`t_a`) and AVX2 (`t_b`).
    pub fn record(&self, t_a: f64, t_b: f64) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let Choice::Measuring(ratios) = &mut *state else {
            return;
        };
        if t_a > 0.0 && t_b.is_finite() {
            ratios.push(t_b / t_a);
        }
        if ratios.len() < CALLS {
            return;
        }
        let median = median(ratios);
        let (a, b) = Self::candidates().unwrap_or((Arch::new(), Arch::new()));
        let avx2 = prefers_second(median);
        log::info!(
            "CPU kernel: chunk passes took {median:.2}× as long on AVX2 as on AVX-512 vectors (median of {CALLS} calls); using {}",
            if avx2 { "AVX2" } else { "AVX-512" }
        );
        *state = Choice::Decided(if avx2 { b } else { a });
    }

    /// The vectors chosen, or the two candidates while still measuring.
    pub fn current(&self) -> Result<Arch, (Arch, Arch)> {
        match (
            &*self.state.lock().unwrap_or_else(|e| e.into_inner()),
            Self::candidates(),
        ) {
            (Choice::Measuring(_), Some(both)) => Err(both),
            (Choice::Decided(arch), _) => Ok(*arch),
            (Choice::Measuring(_), None) => Ok(Arch::new()),
        }
    }
}

/// The median of the ratios (sorted in place).
fn median(ratios: &mut [f64]) -> f64 {
    ratios.sort_by(f64::total_cmp);
    ratios.get(ratios.len() / 2).copied().unwrap_or(1.0)
}

/// Whether a median time ratio (AVX2 / AVX-512) is clear enough to leave AVX-512 for.
fn prefers_second(median: f64) -> bool {
    median < 0.95
}

/// `NV` vectors from `R` lanes.
#[inline(always)]
fn vectors<S: Simd, const NV: usize>(simd: S, lanes: &[f32]) -> [S::f32s; NV] {
    let mut out = [simd.splat_f32s(0.0); NV];
    for (o, &v) in out.iter_mut().zip(S::as_simd_f32s(lanes).0) {
        *o = v;
    }
    out
}

/// `x` (at most `R` lanes) as vectors, zero past its length.
#[inline(always)]
fn padded<S: Simd, const NV: usize>(simd: S, x: &[f32]) -> [S::f32s; NV] {
    if x.len() == R {
        return vectors::<S, NV>(simd, x);
    }
    let mut lanes = [0.0f32; R];
    lanes[..x.len()].copy_from_slice(x);
    vectors::<S, NV>(simd, &lanes)
}

/// `a ⊙ v` for every vector.
#[inline(always)]
fn scaled_by<S: Simd, const NV: usize>(simd: S, a: f32, v: [S::f32s; NV]) -> [S::f32s; NV] {
    let a = simd.splat_f32s(a);
    let mut out = v;
    for o in out.iter_mut() {
        *o = simd.mul_f32s(a, *o);
    }
    out
}

/// The chunk with `NV` vectors per column and `U` columns in flight.
#[inline(always)]
fn chunk<S: Simd, const NV: usize, const U: usize, const SCALED: bool>(simd: S, x: ChunkPass<'_>) {
    let BlockAt { rows, c0, stride } = x.at;
    let cc = x.cc;
    let st: &mut [S::f32s] = bytemuck::cast_slice_mut(x.st);
    let dk = cc.dk;
    let z = simd.splat_f32s(0.0);
    let mut scale = 1.0f32;
    let mut delta: Option<[S::f32s; NV]> = None;
    for (i, s) in cc.steps.iter().enumerate() {
        let c = cc.get(i);
        let prev = i.checked_sub(1).map(|i| cc.get(i));
        // The step's inputs, read before its column loop.
        let v0 = i * stride + c0;
        let v = padded::<S, NV>(simd, &cc.v[v0..v0 + rows]);
        let mut next_scale = scale * s.alpha;
        if SCALED && next_scale < SCALE_FLOOR {
            // Bring the state back to S̃ = S: the pending update, then the scale, in one pass.
            let sb = simd.splat_f32s(scale);
            if let (Some(d), Some(p)) = (delta.take(), prev.as_ref()) {
                for (col, &k) in st.chunks_exact_mut(NV).zip(&p.k[..dk]) {
                    let kb = simd.splat_f32s(k);
                    for (o, &dv) in col.iter_mut().zip(&d) {
                        *o = simd.mul_f32s(simd.mul_add_e_f32s(kb, dv, *o), sb);
                    }
                }
            } else {
                for o in st.iter_mut() {
                    *o = simd.mul_f32s(*o, sb);
                }
            }
            scale = 1.0;
            next_scale = s.alpha;
        }
        let (kv, sq) = match (prev.as_ref(), delta.as_ref()) {
            (Some(p), Some(d)) => {
                columns::<S, NV, U, SCALED>(simd, st, (&c.ka[..dk], &c.qa[..dk]), Some((p, d)))
            }
            _ => columns::<S, NV, U, SCALED>(simd, st, (&c.ka[..dk], &c.qa[..dk]), None),
        };
        // δ = βv − β·scale·kv; y = δ (q·k) + scale·sq (kv and sq of S̃ carry the scale).
        let (bb, bs) = (simd.splat_f32s(s.beta), simd.splat_f32s(s.beta * scale));
        let (kq, sc) = (simd.splat_f32s(s.kq), simd.splat_f32s(scale));
        let mut d = [z; NV];
        let mut y = [z; NV];
        for n in 0..NV {
            d[n] = simd.sub_f32s(simd.mul_f32s(bb, v[n]), simd.mul_f32s(bs, kv[n]));
            y[n] = simd.mul_add_e_f32s(d[n], kq, simd.mul_f32s(sc, sq[n]));
        }
        let yt = &mut x.yh[s.t * stride + c0..s.t * stride + c0 + rows];
        if rows == R {
            // Straight from the registers: a copy through the stack would read memory here.
            for (o, &v) in S::as_mut_simd_f32s(yt).0.iter_mut().zip(&y) {
                *o = v;
            }
        } else {
            let ys: &[f32] = bytemuck::cast_slice(y.as_slice());
            yt.copy_from_slice(&ys[..rows]);
        }
        if SCALED {
            d = scaled_by::<S, NV>(simd, 1.0 / next_scale, d);
            scale = next_scale;
        }
        delta = Some(d);
    }
    // The last step's update.
    if let (Some(d), Some(last)) = (delta, cc.steps.len().checked_sub(1)) {
        let c = cc.get(last);
        let sb = simd.splat_f32s(scale);
        for ((col, &a), &k) in st.chunks_exact_mut(NV).zip(&c.a[..dk]).zip(&c.k[..dk]) {
            let (ab, kb) = (simd.splat_f32s(a), simd.splat_f32s(k));
            for (o, &dv) in col.iter_mut().zip(&d) {
                *o = if SCALED {
                    simd.mul_f32s(simd.mul_add_e_f32s(kb, dv, *o), sb)
                } else {
                    simd.mul_add_e_f32s(kb, dv, simd.mul_f32s(ab, *o))
                };
            }
        }
    }
}

/// One step's column loop: for each key column j, the pending update (previous step's
/// coefficients `p` and δ) and the reductions kv = Σ (a k)_j s_j, sq = Σ (a q)_j s_j, in groups
/// of `U` columns whose accumulators are independent.
#[inline(always)]
fn columns<S: Simd, const NV: usize, const U: usize, const SCALED: bool>(
    simd: S,
    st: &mut [S::f32s],
    (ka, qa): (&[f32], &[f32]),
    pending: Option<(&super::coeffs::Coeffs<'_>, &[S::f32s; NV])>,
) -> ([S::f32s; NV], [S::f32s; NV]) {
    let dk = ka.len();
    let z = simd.splat_f32s(0.0);
    let (mut ak, mut aq) = ([[z; NV]; U], [[z; NV]; U]);
    let whole = dk - dk % U;
    let (head, tail) = st.split_at_mut(whole * NV);
    let kq = ka.chunks_exact(U).zip(qa.chunks_exact(U));
    let kqt = ka[whole..].iter().zip(&qa[whole..]);
    match pending {
        Some((p, d)) => {
            let d = *d;
            let (pa, pk) = (&p.a[..dk], &p.k[..dk]);
            let pp = pa.chunks_exact(U).zip(pk.chunks_exact(U));
            for ((cols, (ka, qa)), (pa, pk)) in head.chunks_exact_mut(U * NV).zip(kq).zip(pp) {
                for (u, col) in cols.chunks_exact_mut(NV).enumerate() {
                    let cj = [pa[u], pk[u], ka[u], qa[u]];
                    column::<S, NV, SCALED>(simd, col, cj, &d, (&mut ak[u], &mut aq[u]));
                }
            }
            let ppt = pa[whole..].iter().zip(&pk[whole..]);
            for ((col, (&ka, &qa)), (&pa, &pk)) in tail.chunks_exact_mut(NV).zip(kqt).zip(ppt) {
                let cj = [pa, pk, ka, qa];
                column::<S, NV, SCALED>(simd, col, cj, &d, (&mut ak[0], &mut aq[0]));
            }
        }
        None => {
            for (cols, (ka, qa)) in head.chunks_exact(U * NV).zip(kq) {
                for (u, col) in cols.chunks_exact(NV).enumerate() {
                    read_column::<S, NV>(simd, col, [ka[u], qa[u]], (&mut ak[u], &mut aq[u]));
                }
            }
            for (col, (&ka, &qa)) in tail.chunks_exact(NV).zip(kqt) {
                read_column::<S, NV>(simd, col, [ka, qa], (&mut ak[0], &mut aq[0]));
            }
        }
    }
    let (mut kv, mut sq) = (ak[0], aq[0]);
    for u in 1..U {
        for n in 0..NV {
            kv[n] = simd.add_f32s(kv[n], ak[u][n]);
            sq[n] = simd.add_f32s(sq[n], aq[u][n]);
        }
    }
    (kv, sq)
}

/// Accumulators of one product.
type Acc<'a, S, const NV: usize> = &'a mut [<S as Simd>::f32s; NV];

/// Column j: s ← a s + k δ (s + k δ when `SCALED`), stored, then the reductions of the new s.
/// `cj` is (a, k) of the previous step and (a·k, a·q) of this one at column j.
#[inline(always)]
fn column<S: Simd, const NV: usize, const SCALED: bool>(
    simd: S,
    col: &mut [S::f32s],
    [pa, pk, ka, qa]: [f32; 4],
    d: &[S::f32s; NV],
    (ak, aq): (Acc<'_, S, NV>, Acc<'_, S, NV>),
) {
    let (kb, qb, pkb) = (
        simd.splat_f32s(ka),
        simd.splat_f32s(qa),
        simd.splat_f32s(pk),
    );
    let pab = simd.splat_f32s(pa);
    for n in 0..NV {
        let s = if SCALED {
            simd.mul_add_e_f32s(pkb, d[n], col[n])
        } else {
            simd.mul_add_e_f32s(pkb, d[n], simd.mul_f32s(pab, col[n]))
        };
        col[n] = s;
        ak[n] = simd.mul_add_e_f32s(kb, s, ak[n]);
        aq[n] = simd.mul_add_e_f32s(qb, s, aq[n]);
    }
}

/// Column j's reductions without a pending update (a chunk's first step).
#[inline(always)]
fn read_column<S: Simd, const NV: usize>(
    simd: S,
    col: &[S::f32s],
    [ka, qa]: [f32; 2],
    (ak, aq): (Acc<'_, S, NV>, Acc<'_, S, NV>),
) {
    let (kb, qb) = (simd.splat_f32s(ka), simd.splat_f32s(qa));
    for n in 0..NV {
        ak[n] = simd.mul_add_e_f32s(kb, col[n], ak[n]);
        aq[n] = simd.mul_add_e_f32s(qb, col[n], aq[n]);
    }
}

#[cfg(test)]
mod tests {
    use super::{median, prefers_second};

    /// The choice follows the median call, so one slow call (a busy host) does not decide it,
    /// and a tie keeps the wider vectors.
    #[test]
    fn choice_follows_the_median_call() {
        assert!(prefers_second(median(&mut [0.9, 0.91, 3.0, 0.89, 0.92])));
        assert!(!prefers_second(median(&mut [0.2, 1.0, 1.01, 0.99, 1.0])));
        assert!(!prefers_second(median(&mut [])));
    }
}
