//! Moves between the state's row layout and the kernel's lane blocks.

use super::coeffs::Lanes;

/// A 4 × 4 transpose written out, which the compiler turns into register shuffles (a strided
/// loop over the state instead becomes gathers, several times slower).
#[inline(always)]
pub(super) fn transpose4(m: [[f32; 4]; 4]) -> [[f32; 4]; 4] {
    let [a, b, c, d] = m;
    [
        [a[0], b[0], c[0], d[0]],
        [a[1], b[1], c[1], d[1]],
        [a[2], b[2], c[2], d[2]],
        [a[3], b[3], c[3], d[3]],
    ]
}

/// 4 values of `x` from `i` (in bounds by construction of the callers).
#[inline(always)]
pub(super) fn quad(x: &[f32], i: usize) -> [f32; 4] {
    let mut q = [0.0f32; 4];
    q.copy_from_slice(&x[i..i + 4]);
    q
}

/// Transposes rows (`n × Dk` row-major, n ≤ R) into the lane layout `st[j][lane]`, 4 × 4 at a
/// time (rows past n are left zero).
#[inline(always)]
pub(super) fn transpose_in(rows: &[f32], dk: usize, st: &mut [Lanes]) {
    let n = rows.len() / dk;
    let (n4, dk4) = (n - n % 4, dk - dk % 4);
    for l0 in (0..n4).step_by(4) {
        for j0 in (0..dk4).step_by(4) {
            let at = l0 * dk + j0;
            let m = [
                quad(rows, at),
                quad(rows, at + dk),
                quad(rows, at + 2 * dk),
                quad(rows, at + 3 * dk),
            ];
            let [c0, c1, c2, c3] = transpose4(m);
            st[j0][l0..l0 + 4].copy_from_slice(&c0);
            st[j0 + 1][l0..l0 + 4].copy_from_slice(&c1);
            st[j0 + 2][l0..l0 + 4].copy_from_slice(&c2);
            st[j0 + 3][l0..l0 + 4].copy_from_slice(&c3);
        }
    }
    for l in 0..n {
        let j_from = if l < n4 { dk4 } else { 0 };
        for j in j_from..dk {
            st[j][l] = rows[l * dk + j];
        }
    }
}

/// The inverse of [`transpose_in`]: writes the lanes back as `n × Dk` rows.
#[inline(always)]
pub(super) fn transpose_out(st: &[Lanes], dk: usize, rows: &mut [f32]) {
    let n = rows.len() / dk;
    let (n4, dk4) = (n - n % 4, dk - dk % 4);
    for l0 in (0..n4).step_by(4) {
        for j0 in (0..dk4).step_by(4) {
            let m = [
                quad(&st[j0], l0),
                quad(&st[j0 + 1], l0),
                quad(&st[j0 + 2], l0),
                quad(&st[j0 + 3], l0),
            ];
            let [r0, r1, r2, r3] = transpose4(m);
            let at = l0 * dk + j0;
            rows[at..at + 4].copy_from_slice(&r0);
            rows[at + dk..at + dk + 4].copy_from_slice(&r1);
            rows[at + 2 * dk..at + 2 * dk + 4].copy_from_slice(&r2);
            rows[at + 3 * dk..at + 3 * dk + 4].copy_from_slice(&r3);
        }
    }
    for l in 0..n {
        let j_from = if l < n4 { dk4 } else { 0 };
        for j in j_from..dk {
            rows[l * dk + j] = st[j][l];
        }
    }
}
