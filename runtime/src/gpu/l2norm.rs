//! q/k L2 normalisation on the GPU (`CallOptions::qk_l2norm`): dispatches of the ops shaders
//! (`l2norm_rows`, one dispatch for both tensors) recorded before the op in its pass, writing normalised
//! copies of q and k in their dtype into buffers the device reuses across calls, which every GPU
//! path then reads in place of the caller's tensors.

use super::device::GpuDevice;
use super::ops::{l2norm_in_one_pass, scratch, Recorder};
use super::program::Program;
use crate::tensor::{Elem, GpuInputs, GpuTensor, Problem};
use crate::{Error, Result};

/// Normalised copies of q and k, referenced by the op recorded after them (wgpu keeps the buffers
/// alive until the commands that use them have run, so the handles may be dropped after encoding).
pub(crate) struct NormalisedQk {
    q: wgpu::Buffer,
    k: wgpu::Buffer,
}

impl NormalisedQk {
    /// `inp` with q and k replaced by the normalised copies.
    pub(crate) fn inputs<'a>(&'a self, inp: &GpuInputs<'a>) -> GpuInputs<'a> {
        GpuInputs {
            q: GpuTensor {
                buffer: &self.q,
                offset: 0,
                row_stride: None,
                ..inp.q.clone()
            },
            k: GpuTensor {
                buffer: &self.k,
                offset: 0,
                row_stride: None,
                ..inp.k.clone()
            },
            ..inp.clone()
        }
    }
}

/// Appends the normalisation of q and k (rows of Dk) of problem `p` to `prog`.
pub(crate) fn normalise_qk(
    dev: &GpuDevice,
    prog: &mut Program,
    p: &Problem,
    inp: &GpuInputs<'_>,
) -> Result<NormalisedQk> {
    super::views::expect_dense(inp, 2, "the q/k normalisation pass")?;
    let elem = inp.q.elem;
    if !matches!(elem, Elem::Float(_)) || inp.k.elem != elem {
        return Err(Error::Gpu(
            "q and k must be float tensors of one dtype".into(),
        ));
    }
    let n: usize = inp.q.shape.iter().product();
    // Whole 32-bit words: 16-bit values are packed two per word.
    let words = (n * elem.size()).div_ceil(4);
    let (q, k) = dev.qk_scratch(4 * words.max(1) as u64)?;
    let out = NormalisedQk { q, k };
    // One inverse norm per row, for the two-pass form (an odd Dk of 16-bit values).
    let inv = if l2norm_in_one_pass(elem, p.heads.dk) {
        dev.dummy.clone()
    } else {
        scratch(&dev.device, "gdn q/k inverse norms", n / p.heads.dk.max(1))
    };
    let mut rec = Recorder::new(dev, *p)?;
    rec.l2norm_qk((&inp.q, &inp.k), &inv, (&out.q, &out.k));
    rec.finish(prog);
    Ok(out)
}
