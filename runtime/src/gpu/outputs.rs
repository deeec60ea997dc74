//! The buffers a call writes, as the recorders bind them.

use super::program::BufferRange;
use crate::tensor::Problem;

/// The buffers a call writes: y (input dtype) and the new state (f32).
#[derive(Clone, Copy)]
pub(crate) struct OutBuffers<'a> {
    pub(crate) y: &'a BufferRange,
    pub(crate) state: &'a BufferRange,
    /// The state is updated in place: `state` holds the initial state and receives the new one
    /// (the inputs' state, if any, is that same range and is not bound on its own).
    pub(crate) in_place: bool,
    /// A pool's slot table (u32 per batch row): `state` is then the pool, and the recurrent
    /// kernel reads and writes batch row b's state in place in slot `slots[b]`.
    pub(crate) slots: Option<&'a wgpu::Buffer>,
    /// A varlen batch: the problem's B sequences of at most T steps are packed along `steps`
    /// steps, at the offsets `buffer` holds (N + 1 u32, then the mask's words when there is
    /// one), bound where the mask is.
    pub(crate) seqs: Option<Seqs<'a>>,
    /// Per-token snapshots (recurrent kernel): a table of T u32 after the mask's words (the
    /// 1-based snapshot the state after each step is, 0 for none), bound where the mask is;
    /// `state` then holds the new state followed by the snapshots.
    pub(crate) snaps: Option<&'a wgpu::Buffer>,
}

impl OutBuffers<'_> {
    /// `p` over the rows a per-row pass (q/k normalisation, gate resolution) walks: a varlen
    /// batch's packed steps as one sequence, else `p` itself.
    pub(crate) fn rows(&self, p: &Problem) -> Problem {
        match self.seqs {
            Some(s) => Problem {
                b: 1,
                t: s.steps,
                ..*p
            },
            None => *p,
        }
    }
}

/// The sequence offsets of a varlen batch (see [`OutBuffers::seqs`]).
#[derive(Clone, Copy)]
pub(crate) struct Seqs<'a> {
    pub(crate) buffer: &'a wgpu::Buffer,
    /// Packed steps, the sum of the lengths.
    pub(crate) steps: usize,
}
