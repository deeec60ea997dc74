use crate::tensor::{Gate, GateForm, HostData, HostInputs, Problem};
use std::borrow::Cow;

/// Host inputs widened to f32 (borrowed when they already are), with gates resolved to decay α
/// and β.
pub struct Prepared<'a> {
    /// q `[B,T,Hk,Dk]`.
    pub q: Cow<'a, [f32]>,
    /// k `[B,T,Hk,Dk]`.
    pub k: Cow<'a, [f32]>,
    /// v `[B,T,Hv,Dv]`.
    pub v: Cow<'a, [f32]>,
    /// α `[B,T,Hv,G]`, G = 1 or Dk.
    pub alpha: Vec<f32>,
    /// Columns per (b,t,h) in `alpha`: 1 or Dk.
    pub g_cols: usize,
    /// β `[B,T,Hv]`.
    pub beta: Vec<f32>,
    /// Real-token flags `[B,T]`.
    pub real: Vec<bool>,
    /// Initial state `[B,Hv,Dv,Dk]` (empty when the problem has a state the caller holds
    /// elsewhere, for the in-place entry point).
    pub state: Cow<'a, [f32]>,
}

fn softplus(x: f32) -> f32 {
    // Stable for large |x|; matches log(1 + exp(x)) to f32 precision.
    if x > 20.0 {
        x
    } else {
        x.exp().ln_1p()
    }
}

/// Each row of `dk` values x becomes x / sqrt(Σx² + 1e-6) (`CallOptions::qk_l2norm`).
fn l2norm_rows(x: &mut [f32], dk: usize) {
    for row in x.chunks_mut(dk.max(1)) {
        let ss: f32 = row.iter().map(|v| v * v).sum();
        let inv = 1.0 / (ss + 1e-6).sqrt();
        row.iter_mut().for_each(|v| *v *= inv);
    }
}

/// The data as f32: borrowed when it is f32 already, widened otherwise.
fn widen<'a>(d: &HostData<'a>) -> Cow<'a, [f32]> {
    match d {
        HostData::F32(x) => Cow::Borrowed(x),
        _ => Cow::Owned(d.to_f32()),
    }
}

impl<'a> Prepared<'a> {
    /// Widens and resolves the inputs of a validated problem.
    pub fn new(p: &Problem, inp: &HostInputs<'a>) -> Self {
        let hv = p.heads.hv;
        let (alpha, g_cols, beta) = match &inp.gate {
            Gate::Direct { g, beta, form } => {
                let mut a = g.data.to_f32();
                if *form == GateForm::Log {
                    a.iter_mut().for_each(|x| *x = x.exp());
                }
                let cols = if g.shape.len() == 4 { p.heads.dk } else { 1 };
                (a, cols, beta.data.to_f32())
            }
            Gate::Raw {
                a,
                b,
                a_log,
                dt_bias,
            } => {
                let a_log = a_log.data.to_f32();
                let dt_bias = dt_bias.data.to_f32();
                let n = p.b * p.t * hv;
                let alpha = (0..n)
                    .map(|i| {
                        let h = i % hv;
                        (-a_log[h].exp() * softplus(a.data.get(i) + dt_bias[h])).exp()
                    })
                    .collect();
                let beta = (0..n)
                    .map(|i| 1.0 / (1.0 + (-b.data.get(i)).exp()))
                    .collect();
                (alpha, 1, beta)
            }
        };
        let real = match &inp.mask {
            Some(m) => (0..m.data.len()).map(|i| m.data.get(i) != 0.0).collect(),
            None => vec![true; p.b * p.t],
        };
        let state = match &inp.state {
            Some(s) => widen(&s.data),
            None if p.has_state => Cow::Borrowed(&[][..]),
            None => Cow::Owned(vec![0.0; p.state_len()]),
        };
        let (mut q, mut k) = (widen(&inp.q.data), widen(&inp.k.data));
        if p.qk_l2norm {
            l2norm_rows(q.to_mut(), p.heads.dk);
            l2norm_rows(k.to_mut(), p.heads.dk);
        }
        Self {
            q,
            k,
            v: widen(&inp.v.data),
            alpha,
            g_cols,
            beta,
            real,
            state,
        }
    }
}
