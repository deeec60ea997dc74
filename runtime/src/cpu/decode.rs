//! One step (decode, T = 1) of consecutive state rows in their own row-major layout, on explicit
//! SIMD vectors (`pulp`: AVX-512, AVX2+FMA, NEON or scalar, picked at run time).
//!
//! Per row: the reductions against a·k and a·q, δ and y, then the updated row. The compiler's own
//! vectorisation of this loop (16-lane arrays, horizontal sums) came out as 2-wide vectors and ran
//! at about 50 ns a row on AVX-512; on explicit vectors with the row held in registers between the
//! reductions and the update it takes about 10–14 ns (docs/PERF.md, CPU section).
//!
//! No closures touch vectors here: a closure is not compiled for the SIMD target of the function
//! that defines it, so vectors passed through one go through memory.

use pulp::{Arch, Simd, WithSimd};

/// What one decode task computes: rows of one head for one step.
pub(super) struct DecodeRows<'a> {
    /// The task's rows of the state (`rows × Dk`), updated in place.
    pub state: &'a mut [f32],
    /// α per key column.
    pub a: &'a [f32],
    /// k.
    pub k: &'a [f32],
    /// α·k.
    pub ka: &'a [f32],
    /// α·q.
    pub qa: &'a [f32],
    /// v of the task's rows.
    pub v: &'a [f32],
    /// y of the task's rows.
    pub y: &'a mut [f32],
    /// β of the step.
    pub beta: f32,
    /// q·k of the step.
    pub kq: f32,
}

impl DecodeRows<'_> {
    /// Runs the step on `arch`'s vectors (the runtime passes the widest the CPU has).
    pub fn run(self, arch: Arch) {
        arch.dispatch(self)
    }
}

/// Whole vectors of a row held in registers by [`rows_in_registers`]: Dk = 128 (the real
/// models' key width) or 64 on AVX-512, 64 or 32 on AVX2, 32 or 16 on NEON. Other Dk, Dk = 128
/// on AVX2 among them, are streamed ([`rows_streamed`]).
const REG_VECTORS: [usize; 2] = [8, 4];

impl WithSimd for DecodeRows<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let n = self.ka.len() / S::F32_LANES;
        let whole = self.ka.len().is_multiple_of(S::F32_LANES);
        if whole && n == REG_VECTORS[0] {
            rows_in_registers::<S, 8>(simd, self)
        } else if whole && n == REG_VECTORS[1] {
            rows_in_registers::<S, 4>(simd, self)
        } else {
            rows_streamed(simd, self)
        }
    }
}

/// δ = β(v − kv) and y = q·(α s + k δ) = sq + δ (q·k) of one row.
#[inline(always)]
fn delta_y(x: &DecodeRows<'_>, v: f32, kv: f32, sq: f32) -> (f32, f32) {
    let d = x.beta * v - x.beta * kv;
    (d, d.mul_add(x.kq, sq))
}

/// Copies `NV` vectors of `src` into a register array.
#[inline(always)]
fn load<S: Simd, const NV: usize>(simd: S, src: &[f32]) -> [S::f32s; NV] {
    let v = S::as_simd_f32s(src).0;
    let mut out = [simd.splat_f32s(0.0); NV];
    for (o, x) in out.iter_mut().zip(v) {
        *o = *x;
    }
    out
}

/// Dk = `NV` whole vectors: the coefficients and each row are loaded once into registers, the
/// row is reduced, then updated from the same registers and stored.
#[inline(always)]
fn rows_in_registers<S: Simd, const NV: usize>(simd: S, x: DecodeRows<'_>) {
    let dk = NV * S::F32_LANES;
    let (ka, qa) = (load::<S, NV>(simd, x.ka), load::<S, NV>(simd, x.qa));
    let (a, k) = (load::<S, NV>(simd, x.a), load::<S, NV>(simd, x.k));
    let z = simd.splat_f32s(0.0);
    let rows = x.v.len();
    for i in 0..rows {
        let at = i * dk..(i + 1) * dk;
        let r = load::<S, NV>(simd, &x.state[at.clone()]);
        // Two accumulators per product, so consecutive FMAs do not wait on each other.
        let (mut k0, mut k1, mut q0, mut q1) = (z, z, z, z);
        for c in (0..NV).step_by(2) {
            k0 = simd.mul_add_e_f32s(ka[c], r[c], k0);
            q0 = simd.mul_add_e_f32s(qa[c], r[c], q0);
            k1 = simd.mul_add_e_f32s(ka[c + 1], r[c + 1], k1);
            q1 = simd.mul_add_e_f32s(qa[c + 1], r[c + 1], q1);
        }
        let kv = simd.reduce_sum_f32s(simd.add_f32s(k0, k1));
        let sq = simd.reduce_sum_f32s(simd.add_f32s(q0, q1));
        let (d, y) = delta_y(&x, x.v[i], kv, sq);
        x.y[i] = y;
        let dv = simd.splat_f32s(d);
        let out = S::as_mut_simd_f32s(&mut x.state[at]).0;
        for ((o, &s), (&ac, &kc)) in out.iter_mut().zip(&r).zip(a.iter().zip(&k)) {
            *o = simd.mul_add_e_f32s(kc, dv, simd.mul_f32s(ac, s));
        }
    }
}

/// Any Dk: each row is read twice (reductions, then update) and the coefficients from memory;
/// columns past the last whole vector are done one by one.
#[inline(always)]
fn rows_streamed<S: Simd>(simd: S, x: DecodeRows<'_>) {
    let dk = x.ka.len();
    let (ka, kat) = S::as_simd_f32s(x.ka);
    let (qa, qat) = S::as_simd_f32s(x.qa);
    let (a, at_) = S::as_simd_f32s(x.a);
    let (k, kt) = S::as_simd_f32s(x.k);
    let z = simd.splat_f32s(0.0);
    for i in 0..x.v.len() {
        let at = i * dk..(i + 1) * dk;
        let (kv, sq) = {
            let (sv, st) = S::as_simd_f32s(&x.state[at.clone()]);
            let (mut k0, mut q0) = (z, z);
            for ((&s, &kc), &qc) in sv.iter().zip(ka).zip(qa) {
                k0 = simd.mul_add_e_f32s(kc, s, k0);
                q0 = simd.mul_add_e_f32s(qc, s, q0);
            }
            let (mut kv, mut sq) = (simd.reduce_sum_f32s(k0), simd.reduce_sum_f32s(q0));
            for ((&s, &kc), &qc) in st.iter().zip(kat).zip(qat) {
                kv = kc.mul_add(s, kv);
                sq = qc.mul_add(s, sq);
            }
            (kv, sq)
        };
        let (d, y) = delta_y(&x, x.v[i], kv, sq);
        x.y[i] = y;
        let dv = simd.splat_f32s(d);
        let (out, rest) = S::as_mut_simd_f32s(&mut x.state[at]);
        for (o, (&ac, &kc)) in out.iter_mut().zip(a.iter().zip(k)) {
            *o = simd.mul_add_e_f32s(kc, dv, simd.mul_f32s(ac, *o));
        }
        for (o, (&ac, &kc)) in rest.iter_mut().zip(at_.iter().zip(kt)) {
            *o = kc.mul_add(d, ac * *o);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DecodeRows;
    use crate::cpu::test_lcg as lcg;

    /// Both row paths (registers at Dk = 32, 64, 128 on wide vectors; streamed with column tails
    /// elsewhere) against the step in f64, on every instruction set the CPU has.
    #[test]
    fn rows_match_f64() {
        let mut seed = 7;
        for dk in [128, 64, 32, 100, 20, 13, 1] {
            let rows = 5;
            let r = |seed: &mut u64, n: usize, s: f64| -> Vec<f64> {
                (0..n).map(|_| lcg(seed) * s).collect()
            };
            let (k, q) = (r(&mut seed, dk, 0.3), r(&mut seed, dk, 0.3));
            let a: Vec<f64> = (0..dk).map(|_| 0.9 + 0.1 * lcg(&mut seed)).collect();
            let (v, s0) = (r(&mut seed, rows, 2.0), r(&mut seed, rows * dk, 1.0));
            let (beta, kq) = (0.7, q.iter().zip(&k).map(|(x, y)| x * y).sum::<f64>());
            // f64: δ = β(v − Σ a k s), y = Σ q (a s + k δ), s' = a s + k δ.
            let mut want_s = s0.clone();
            let mut want_y = vec![0.0; rows];
            for i in 0..rows {
                let row = &mut want_s[i * dk..(i + 1) * dk];
                let kv: f64 = (0..dk).map(|j| a[j] * k[j] * row[j]).sum();
                let d = beta * (v[i] - kv);
                for j in 0..dk {
                    row[j] = a[j] * row[j] + k[j] * d;
                }
                want_y[i] = (0..dk).map(|j| q[j] * row[j]).sum();
            }
            let f = |x: &[f64]| x.iter().map(|&x| x as f32).collect::<Vec<f32>>();
            let ka = f(&(0..dk).map(|j| a[j] * k[j]).collect::<Vec<_>>());
            let qa = f(&(0..dk).map(|j| a[j] * q[j]).collect::<Vec<_>>());
            let (a32, k32, v32) = (f(&a), f(&k), f(&v));
            for arch in crate::cpu::test_arches() {
                let mut state = f(&s0);
                let mut y = vec![0.0f32; rows];
                DecodeRows {
                    state: &mut state,
                    a: &a32,
                    k: &k32,
                    ka: &ka,
                    qa: &qa,
                    v: &v32,
                    y: &mut y,
                    beta: beta as f32,
                    kq: kq as f32,
                }
                .run(arch);
                let err = |got: &[f32], want: &[f64]| {
                    got.iter()
                        .zip(want)
                        .map(|(&g, &w)| (f64::from(g) - w).abs())
                        .fold(0.0, f64::max)
                };
                assert!(err(&state, &want_s) < 1e-5, "state, Dk = {dk}, {arch:?}");
                assert!(err(&y, &want_y) < 1e-5, "y, Dk = {dk}, {arch:?}");
            }
        }
    }
}
