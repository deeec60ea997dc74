//! Varlen batches: sequences of different lengths packed along T (`[1, ΣT, ...]`, sequence n at
//! steps `cu_seqlens[n] .. cu_seqlens[n + 1]`, as fla and vLLM take them), each with its own
//! initial and final state. The recurrent and chunked kernels take them in one dispatch (their
//! `VARLEN` specialisation reads the offsets; `Context::encode_varlen`); the ops path and the CPU
//! run one call per sequence.

use crate::tensor::fmt_shape;
use crate::{Error, Result};

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

/// The state shape a varlen call takes and returns, in words, for errors.
pub(crate) fn state_shape(n: usize, hv: usize, dv: usize, dk: usize) -> String {
    fmt_shape(&[n, hv, dv, dk])
}
