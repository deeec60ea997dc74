//! Varlen batches: sequences of different lengths packed along T (`[1, ΣT, ...]`, sequence n at
//! steps `cu_seqlens[n] .. cu_seqlens[n + 1]`, as fla and vLLM take them), each with its own
//! initial and final state. Where the lengths are close they run as one call on a padded batch
//! `[N, max T, ...]` whose padding is masked (a masked step keeps the state and writes y = 0), so
//! every path (recurrent, chunked, ops) serves them unchanged and y is packed back; otherwise
//! `Context::update_varlen` runs one call per sequence.

use crate::tensor::{fmt_shape, Gate, HostData, HostInputs, HostTensor};
use crate::{Error, OwnedData, Result};
use half::{bf16, f16};

/// Checks `cu_seqlens` against the packed length `t`: starts at 0, never decreases, ends at `t`.
pub(crate) fn check(cu: &[usize], t: usize) -> Result<()> {
    let bad = |why: String| Error::Shape {
        tensor: "cu_seqlens",
        expected: "N + 1 offsets from 0, non-decreasing, ending at the packed length T".into(),
        found: why,
    };
    match (cu.first(), cu.last()) {
        (Some(0), Some(&last)) if cu.len() >= 2 && last == t => {}
        _ => return Err(bad(format!("{cu:?} for T = {t}"))),
    }
    if let Some(w) = cu.windows(2).find(|w| w[1] < w[0]) {
        return Err(bad(format!("offset {} after {}", w[1], w[0])));
    }
    Ok(())
}

/// Owned padded data of one tensor.
enum Padded {
    F32(Vec<f32>),
    F16(Vec<f16>),
    BF16(Vec<bf16>),
    U8(Vec<u8>),
}

impl Padded {
    fn tensor(&self, shape: Vec<usize>) -> HostTensor<'_> {
        let data = match self {
            Padded::F32(x) => HostData::F32(x),
            Padded::F16(x) => HostData::F16(x),
            Padded::BF16(x) => HostData::BF16(x),
            Padded::U8(x) => HostData::U8(x),
        };
        HostTensor { data, shape }
    }
}

/// `[1, ΣT, inner...]` elements to `[N, tmax, inner...]`, zeros in the padding.
fn pad_slice<T: Copy + Default>(x: &[T], cu: &[usize], tmax: usize, inner: usize) -> Vec<T> {
    let n = cu.len() - 1;
    let mut out = vec![T::default(); n * tmax * inner];
    for (s, w) in cu.windows(2).enumerate() {
        let (a, b) = (w[0] * inner, w[1] * inner);
        out[s * tmax * inner..s * tmax * inner + (b - a)].copy_from_slice(&x[a..b]);
    }
    out
}

/// The padded sequences of the packed inputs.
pub(crate) struct PaddedInputs {
    tensors: Vec<(&'static str, Padded, Vec<usize>)>,
    /// Largest sequence length.
    pub(crate) tmax: usize,
}

impl PaddedInputs {
    /// Pads every `[1, ΣT, ...]` tensor of `inp` (validated, B = 1) and builds the mask: the
    /// caller's mask where given, 0 in the padding.
    pub(crate) fn new(inp: &HostInputs<'_>, cu: &[usize]) -> Self {
        let n = cu.len() - 1;
        let tmax = cu.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
        let pad = |t: &HostTensor<'_>| {
            let inner: usize = t.shape.iter().skip(2).product();
            let data = match t.data {
                HostData::F32(x) => Padded::F32(pad_slice(x, cu, tmax, inner)),
                HostData::F16(x) => Padded::F16(pad_slice(x, cu, tmax, inner)),
                HostData::BF16(x) => Padded::BF16(pad_slice(x, cu, tmax, inner)),
                HostData::U8(x) => Padded::U8(pad_slice(x, cu, tmax, inner)),
            };
            let mut shape = t.shape.clone();
            shape[0] = n;
            shape[1] = tmax;
            (data, shape)
        };
        let mut tensors = Vec::new();
        let mut push = |name: &'static str, t: &HostTensor<'_>| {
            let (d, s) = pad(t);
            tensors.push((name, d, s));
        };
        push("q", &inp.q);
        push("k", &inp.k);
        push("v", &inp.v);
        match &inp.gate {
            Gate::Direct { g, beta, .. } => {
                push("g", g);
                push("beta", beta);
            }
            Gate::Raw { a, b, .. } => {
                push("a", a);
                push("b", b);
            }
        }
        let ones = vec![1u8; cu.last().copied().unwrap_or(0)];
        let real = match &inp.mask {
            Some(m) => (0..m.data.len())
                .map(|i| u8::from(m.data.get(i) != 0.0))
                .collect(),
            None => ones,
        };
        tensors.push((
            "mask",
            Padded::U8(pad_slice(&real, cu, tmax, 1)),
            vec![n, tmax],
        ));
        Self { tensors, tmax }
    }

    fn get(&self, name: &str) -> HostTensor<'_> {
        let (_, d, s) = self
            .tensors
            .iter()
            .find(|(n, _, _)| *n == name)
            .expect("padded tensors include every packed input");
        d.tensor(s.clone())
    }

    /// The padded batch's inputs, with `state` (`[N, Hv, Dv, Dk]`) as given.
    pub(crate) fn inputs<'a>(
        &'a self,
        packed: &HostInputs<'a>,
        state: Option<HostTensor<'a>>,
    ) -> HostInputs<'a> {
        HostInputs {
            q: self.get("q"),
            k: self.get("k"),
            v: self.get("v"),
            gate: match &packed.gate {
                Gate::Direct { form, .. } => Gate::Direct {
                    g: self.get("g"),
                    beta: self.get("beta"),
                    form: *form,
                },
                Gate::Raw { a_log, dt_bias, .. } => Gate::Raw {
                    a: self.get("a"),
                    b: self.get("b"),
                    a_log: a_log.clone(),
                    dt_bias: dt_bias.clone(),
                },
            },
            state,
            mask: Some(self.get("mask")),
        }
    }
}

/// y of the padded batch `[N, tmax, Hv·Dv]` packed back to `[1, ΣT, Hv·Dv]`.
pub(crate) fn unpad_y(y: &OwnedData, cu: &[usize], tmax: usize, row: usize) -> OwnedData {
    fn gather<T: Copy>(x: &[T], cu: &[usize], tmax: usize, row: usize) -> Vec<T> {
        let mut out = Vec::with_capacity(cu.last().copied().unwrap_or(0) * row);
        for (s, w) in cu.windows(2).enumerate() {
            let a = s * tmax * row;
            out.extend_from_slice(&x[a..a + (w[1] - w[0]) * row]);
        }
        out
    }
    match y {
        OwnedData::F32(x) => OwnedData::F32(gather(x, cu, tmax, row)),
        OwnedData::F16(x) => OwnedData::F16(gather(x, cu, tmax, row)),
        OwnedData::BF16(x) => OwnedData::BF16(gather(x, cu, tmax, row)),
    }
}

/// The state shape a varlen call takes and returns, in words, for errors.
pub(crate) fn state_shape(n: usize, hv: usize, dv: usize, dk: usize) -> String {
    fmt_shape(&[n, hv, dv, dk])
}
