use crate::tensor::{Gate, GateForm, HostData, HostInputs, Problem};
use half::slice::HalfFloatSliceExt;
use half::{bf16, f16};
use std::borrow::Cow;

/// One of q, k, v as the CPU paths read it: f32 (borrowed, or owned once normalised), or the
/// caller's 16-bit data, widened row by row where the kernel reads it (a widened copy of every
/// input up front cost a bf16 call more than the kernel: allocation, page faults, one thread).
pub enum Source<'a> {
    /// f32 elements.
    F32(Cow<'a, [f32]>),
    /// f16 elements.
    F16(&'a [f16]),
    /// bf16 elements.
    BF16(&'a [bf16]),
}

impl<'a> Source<'a> {
    fn new(d: &HostData<'a>) -> Self {
        match *d {
            HostData::F32(x) => Self::F32(Cow::Borrowed(x)),
            HostData::F16(x) => Self::F16(x),
            HostData::BF16(x) => Self::BF16(x),
            HostData::U8(_) => Self::F32(Cow::Owned(d.to_f32())),
        }
    }

    /// Elements `at .. at + out.len()` as f32 into `out`. Inlined into the kernel, which is
    /// compiled per SIMD target, so the bf16 shift vectorises there.
    #[inline(always)]
    pub fn read(&self, at: usize, out: &mut [f32]) {
        let r = at..at + out.len();
        match self {
            Self::F32(x) => out.copy_from_slice(&x[r]),
            Self::F16(x) => x[r].convert_to_f32_slice(out),
            Self::BF16(x) => {
                for (o, v) in out.iter_mut().zip(&x[r]) {
                    *o = f32::from_bits(u32::from(v.to_bits()) << 16);
                }
            }
        }
    }

    /// All elements as f32 (borrowed when they are f32).
    pub fn to_f32(&self) -> Cow<'_, [f32]> {
        match self {
            Self::F32(x) => Cow::Borrowed(x),
            Self::F16(x) => Cow::Owned(super::convert::widen(x)),
            Self::BF16(x) => Cow::Owned(super::convert::widen(x)),
        }
    }
}

/// Host inputs as the CPU paths read them (q, k, v in their own dtype, see [`Source`]), with gates
/// resolved to decay α and β.
pub struct Prepared<'a> {
    /// q `[B,T,Hk,Dk]`.
    pub q: Source<'a>,
    /// k `[B,T,Hk,Dk]`.
    pub k: Source<'a>,
    /// v `[B,T,Hv,Dv]`.
    pub v: Source<'a>,
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
    /// Resolves the gates of a validated problem and wraps its q, k, v (normalised when the
    /// call asks for it).
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
        let (mut q, mut k) = (Source::new(&inp.q.data), Source::new(&inp.k.data));
        if p.qk_l2norm {
            let normed = |x: &Source<'_>| {
                let mut x = x.to_f32().into_owned();
                l2norm_rows(&mut x, p.heads.dk);
                Source::F32(Cow::Owned(x))
            };
            (q, k) = (normed(&q), normed(&k));
        }
        Self {
            q,
            k,
            v: Source::new(&inp.v.data),
            alpha,
            g_cols,
            beta,
            real,
            state,
        }
    }
}
