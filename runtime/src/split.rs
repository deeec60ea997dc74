//! Host calls whose tensors exceed one GPU storage binding run as several calls: over batch when
//! one sequence fits, over time (carrying the state) when one sequence does not.

use crate::tensor::{Gate, HostData, HostInputs, HostTensor, Problem};
use crate::{Error, Result};
use std::ops::Range;

/// How a host call is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Split {
    /// One call.
    Whole,
    /// Calls of at most this many sequences.
    Batch(usize),
    /// One sequence at a time, in calls of at most this many steps, the state carried.
    Time(usize),
}

/// Bytes of a tensor's slice per index of its first `dims` dimensions.
fn bytes_per(t: &HostTensor<'_>, dims: usize) -> u64 {
    let outer: usize = t.shape.iter().take(dims).product();
    let total = (t.data.len() * t.data.elem().size()) as u64;
    if outer == 0 {
        0
    } else {
        total / outer as u64
    }
}

/// The `[B, T, ...]` tensors of a call (`y` is counted through `v`, which has its shape and
/// dtype), with names.
fn step_tensors<'t, 'a>(inp: &'t HostInputs<'a>) -> Vec<(&'static str, &'t HostTensor<'a>)> {
    let mut v = vec![("q", &inp.q), ("k", &inp.k), ("v", &inp.v)];
    match &inp.gate {
        Gate::Direct { g, beta, .. } => v.extend([("g", g), ("beta", beta)]),
        Gate::Raw { a, b, .. } => v.extend([("a", a), ("b", b)]),
    }
    v.extend(inp.mask.as_ref().map(|m| ("mask", m)));
    v
}

/// How to cut a call of `p` so that no tensor of any part exceeds `limit` bytes, or why it can't
/// be cut (one sequence's state alone is larger).
pub(crate) fn plan(p: &Problem, inp: &HostInputs<'_>, limit: u64) -> Result<(Split, String)> {
    let h = p.heads;
    let state_seq = (h.hv * h.dv * h.dk * 4) as u64;
    let per_seq = step_tensors(inp)
        .into_iter()
        .map(|(n, t)| (n, bytes_per(t, 1)))
        .chain([("state", state_seq)])
        .max_by_key(|&(_, b)| b)
        .unwrap_or(("state", state_seq));
    if per_seq.1.saturating_mul(p.b as u64) <= limit {
        return Ok((Split::Whole, String::new()));
    }
    if state_seq > limit {
        return Err(Error::Limit {
            what: "the state of one sequence in one storage binding".into(),
            needed: state_seq,
            limit,
        });
    }
    let why = |n: &str, b: u64| format!("`{n}` needs {b} bytes, the binding limit is {limit}");
    if per_seq.1 <= limit {
        let b = (limit / per_seq.1.max(1)) as usize;
        let total = per_seq.1 * p.b as u64;
        return Ok((Split::Batch(b.max(1)), why(per_seq.0, total)));
    }
    let per_step = step_tensors(inp)
        .into_iter()
        .map(|(_, t)| bytes_per(t, 2))
        .max()
        .unwrap_or(0)
        .max(1);
    if per_step > limit {
        return Err(Error::Limit {
            what: "one step of one sequence in one storage binding".into(),
            needed: per_step,
            limit,
        });
    }
    Ok((
        Split::Time((limit / per_step) as usize),
        why(per_seq.0, per_seq.1 * p.b as u64),
    ))
}

impl<'a> HostData<'a> {
    /// Elements `r` of the data.
    pub(crate) fn slice(&self, r: Range<usize>) -> HostData<'a> {
        match *self {
            HostData::F32(x) => HostData::F32(&x[r]),
            HostData::F16(x) => HostData::F16(&x[r]),
            HostData::BF16(x) => HostData::BF16(&x[r]),
            HostData::U8(x) => HostData::U8(&x[r]),
        }
    }
}

/// Sequences `bs` and steps `ts` of a `[B, T, ...]` tensor (`ts` all steps, or `bs` one
/// sequence, so the part is contiguous).
fn part<'a>(
    t: &HostTensor<'a>,
    t_n: usize,
    bs: &Range<usize>,
    ts: &Range<usize>,
) -> HostTensor<'a> {
    let inner: usize = t.shape.iter().skip(2).product();
    let (b0, b1) = (bs.start, bs.end);
    let start = (b0 * t_n + ts.start) * inner;
    let end = ((b1 - 1) * t_n + ts.end) * inner;
    let mut shape = t.shape.clone();
    shape[0] = b1 - b0;
    shape[1] = ts.len();
    HostTensor {
        data: t.data.slice(start..end),
        shape,
    }
}

/// Sequences `bs` of a `[B, ...]` tensor.
fn seqs<'a>(t: &HostTensor<'a>, bs: &Range<usize>) -> HostTensor<'a> {
    let inner: usize = t.shape.iter().skip(1).product();
    let mut shape = t.shape.clone();
    shape[0] = bs.len();
    HostTensor {
        data: t.data.slice(bs.start * inner..bs.end * inner),
        shape,
    }
}

/// The inputs of one part: sequences `bs`, steps `ts`, and `state` (the caller's, cut to `bs`,
/// when `None`).
pub(crate) fn part_inputs<'a>(
    inp: &HostInputs<'a>,
    t_n: usize,
    bs: Range<usize>,
    ts: Range<usize>,
    state: Option<HostTensor<'a>>,
) -> HostInputs<'a> {
    let cut = |t: &HostTensor<'a>| part(t, t_n, &bs, &ts);
    HostInputs {
        q: cut(&inp.q),
        k: cut(&inp.k),
        v: cut(&inp.v),
        gate: match &inp.gate {
            Gate::Direct { g, beta, form } => Gate::Direct {
                g: cut(g),
                beta: cut(beta),
                form: *form,
            },
            Gate::Raw {
                a,
                b,
                a_log,
                dt_bias,
            } => Gate::Raw {
                a: cut(a),
                b: cut(b),
                a_log: a_log.clone(),
                dt_bias: dt_bias.clone(),
            },
        },
        state: state.or_else(|| inp.state.as_ref().map(|s| seqs(s, &bs))),
        mask: inp.mask.as_ref().map(cut),
    }
}
