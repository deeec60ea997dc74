//! Unit tests of the fused CPU kernel.

use super::update_on;
use crate::cpu::{ops_update, test_lcg, Prepared};
use crate::tensor::{validate, Gate, GateForm, HostInputs, HostTensor};
use gdn_core::HeadShape;
use pulp::Arch;

fn rel_rmse(a: &[f32], b: &[f32]) -> f64 {
    let (mut num, mut den) = (0.0f64, 0.0f64);
    for (&x, &y) in a.iter().zip(b) {
        num += (f64::from(x) - f64::from(y)).powi(2);
        den += f64::from(y).powi(2);
    }
    (num / den.max(1e-30)).sqrt()
}

/// The kernel on each instruction set against the ops path: decode rows and chunk passes,
/// one decay per head (the scaled form) with small decays that force the scale back, per-key
/// decays, masked steps, a short last block and Dk with columns past the last group.
#[test]
fn every_instruction_set_matches_ops() {
    let mut seed = 11;
    // (hk, hv, dk, dv, t, per-key decay, decay range)
    let cases = [
        (2, 4, 128, 128, 1, false, 0.8),
        (2, 4, 128, 128, 37, false, 0.8),
        (2, 4, 64, 40, 20, true, 0.8),
        (1, 3, 30, 24, 33, false, 0.01),
        (1, 2, 13, 16, 18, false, 0.8),
    ];
    for (ci, &(hk, hv, dk, dv, t, per_key, lo)) in cases.iter().enumerate() {
        let h = HeadShape::new(hk, hv, dk, dv);
        let b = 2;
        let mut r = |n: usize, s: f32| {
            (0..n)
                .map(|_| test_lcg(&mut seed) as f32 * s)
                .collect::<Vec<_>>()
        };
        let (q, k) = (r(b * t * hk * dk, 0.3), r(b * t * hk * dk, 0.3));
        let (v, state) = (r(b * t * hv * dv, 2.0), r(b * hv * dv * dk, 0.5));
        let g_cols = if per_key { dk } else { 1 };
        let g: Vec<f32> = r(b * t * hv * g_cols, 1.0)
            .into_iter()
            .map(|x| lo + (1.0 - lo) * (x + 0.5))
            .collect();
        let beta: Vec<f32> = r(b * t * hv, 1.0).into_iter().map(|x| x + 0.5).collect();
        // Masks in every other case: the first step of each sequence, a run of steps across
        // a 16-step chunk's edge, and every seventh.
        let masked = ci % 2 == 1;
        let mask: Vec<u8> = (0..b * t)
            .map(|i| {
                let s = i % t;
                u8::from(!(masked && (s == 0 || (14..19).contains(&s) || s % 7 == 3)))
            })
            .collect();
        let gs: Vec<usize> = if per_key {
            vec![b, t, hv, dk]
        } else {
            vec![b, t, hv]
        };
        let inp = HostInputs {
            q: HostTensor::f32(&q, &[b, t, hk, dk]),
            k: HostTensor::f32(&k, &[b, t, hk, dk]),
            v: HostTensor::f32(&v, &[b, t, hv, dv]),
            gate: Gate::Direct {
                g: HostTensor::f32(&g, &gs),
                beta: HostTensor::f32(&beta, &[b, t, hv]),
                form: GateForm::Decay,
            },
            state: Some(HostTensor::f32(&state, &[b, hv, dv, dk])),
            mask: Some(HostTensor::u8(&mask, &[b, t])),
        };
        let p = validate(&inp).expect("valid inputs");
        let (y_ops, s_ops) = ops_update(&p, Prepared::new(&p, &inp));
        let mut first: Option<(Vec<f32>, Vec<f32>)> = None;
        for arch in crate::cpu::test_arches() {
            let mut s = state.clone();
            let mut y = vec![f32::NAN; p.y_len()];
            update_on(&p, &Prepared::new(&p, &inp), &mut s, &mut y, Some(arch));
            let (ey, es) = (rel_rmse(&y, &y_ops), rel_rmse(&s, &s_ops));
            let what = format!("{h:?} T={t} per_key={per_key} masked={masked} {arch:?}");
            assert!(ey < 1e-5 && es < 1e-5, "{what}: y {ey:.1e}, state {es:.1e}");
            // The chunk passes sum in the same order on every vector width, so the runtime's
            // choice between them (`block::Chooser`) changes no bit.
            if t > 1 && !matches!(arch, Arch::Scalar) {
                match &first {
                    Some((y0, s0)) => assert!(y == *y0 && s == *s0, "{what}: bits differ"),
                    None => first = Some((y, s)),
                }
            }
        }
    }
}
