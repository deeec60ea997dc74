//! Row-strided views of q, k and v ([`crate::GpuTensor::with_row_stride`]). The recurrent kernels
//! read them in place: each is bound from the aligned byte at or below its offset, and its first
//! element and row stride go into the view words of the parameter block (`gdn_core::abi::view`).
//! The other paths (chunked, cooperative-matrix, ops, the q/k normalisation pass) read dense
//! tensors: a dispatch of `shaders/gather.wgsl` per strided view first packs its rows into a
//! scratch buffer, in the call's own pass.

use super::device::GpuDevice;
use super::program::{BufferRange, Program};
use super::util::grid;
use crate::tensor::{numel, padded_bytes, GpuInputs, GpuTensor};
use crate::{Error, Result};

/// The binding of q, k or v and its view words `[first element, row stride]`: a dense tensor as
/// it is (first element 0, stride one row); a strided view from the byte at or below its offset
/// that is a multiple of `align`, its first element counted from there.
pub(crate) fn view_binding(t: &GpuTensor<'_>, align: u64) -> (BufferRange, [u32; 2]) {
    let (_, row) = t.rows();
    let Some(stride) = t.row_stride else {
        return (t.range(), [0, row as u32]);
    };
    let base = t.offset - t.offset % align.max(4);
    let lead = t.offset - base;
    let range = BufferRange {
        buffer: t.buffer.clone(),
        offset: base,
        size: Some(lead + t.bytes().max(4)),
    };
    (range, [(lead / t.elem.size() as u64) as u32, stride as u32])
}

/// Whether the recurrent kernel reads `t` in place: a dense tensor always; a strided view where
/// its elements are within the kernel's 32-bit indices and, when the kernel loads whole vec4
/// columns (`vec4`: q and k with Dk a multiple of 4), every row starts on one.
pub(crate) fn kernel_reads(t: &GpuTensor<'_>, vec4: bool, align: u64) -> bool {
    let Some(stride) = t.row_stride else {
        return true;
    };
    let (_, [at, _]) = view_binding(t, align);
    let end = t.span().and_then(|n| n.checked_add(at as usize));
    let fits = end.is_some_and(|n| u32::try_from(n).is_ok());
    fits && (!vec4 || (at.is_multiple_of(4) && stride.is_multiple_of(4)))
}

/// Dense copies of the strided views of q, k and v that a path does not read in place.
pub(crate) struct Gathered {
    /// The packed rows of q, k, v (`None`: the tensor is read as given).
    bufs: [Option<wgpu::Buffer>; 3],
    /// Which of q, k, v are row-strided views.
    strided: [bool; 3],
}

const NAMES: [&str; 3] = ["q", "k", "v"];

impl Gathered {
    /// `inp` with the gathered tensors replaced by their dense copies.
    pub(crate) fn inputs<'a>(&'a self, inp: &GpuInputs<'a>) -> GpuInputs<'a> {
        let dense = |i: usize, t: &GpuTensor<'a>| match &self.bufs[i] {
            Some(buffer) => GpuTensor {
                buffer,
                offset: 0,
                row_stride: None,
                ..t.clone()
            },
            None => t.clone(),
        };
        GpuInputs {
            q: dense(0, &inp.q),
            k: dense(1, &inp.k),
            v: dense(2, &inp.v),
            ..inp.clone()
        }
    }

    /// What the report says of the views, if there are any: which the kernel reads in place, and
    /// which were gathered by a dispatch before the op.
    pub(crate) fn note(&self) -> Option<String> {
        let list = |gathered: bool| -> Vec<&str> {
            (0..3)
                .filter(|&i| self.strided[i] && self.bufs[i].is_some() == gathered)
                .map(|i| NAMES[i])
                .collect()
        };
        let (kept, gathered) = (list(false), list(true));
        let mut parts = Vec::new();
        if !kept.is_empty() {
            parts.push(format!(
                "{} read in place from row-strided views",
                kept.join(", ")
            ));
        }
        if !gathered.is_empty() {
            parts.push(format!(
                "{} gathered from row-strided views (a dispatch each before the op)",
                gathered.join(", ")
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// Packs the rows of every strided view among q, k, v into a dense scratch buffer with a dispatch
/// appended to `prog`, except where `keep` says the op reads it in place.
pub(crate) fn gather_views(
    dev: &GpuDevice,
    prog: &mut Program,
    inp: &GpuInputs<'_>,
    keep: [bool; 3],
) -> Result<Gathered> {
    let align = u64::from(dev.device.limits().min_storage_buffer_offset_alignment);
    let tensors = [&inp.q, &inp.k, &inp.v];
    let mut bufs = [None, None, None];
    for (i, t) in tensors.into_iter().enumerate() {
        if t.row_stride.is_none() || keep[i] {
            continue;
        }
        let dst = dev.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(["gdn q gathered", "gdn k gathered", "gdn v gathered"][i]),
            size: padded_bytes(numel(&t.shape) * t.elem.size()).max(4),
            usage: wgpu::BufferUsages::STORAGE,
            mapped_at_creation: false,
        });
        push_gather(dev, prog, (NAMES[i], t), align, &dst)?;
        bufs[i] = Some(dst);
    }
    Ok(Gathered {
        bufs,
        strided: tensors.map(|t| t.row_stride.is_some()),
    })
}

/// Appends the dispatch packing the rows of strided view `t` into `dst`.
fn push_gather(
    dev: &GpuDevice,
    prog: &mut Program,
    (name, t): (&'static str, &GpuTensor<'_>),
    align: u64,
    dst: &wgpu::Buffer,
) -> Result<()> {
    let (src, [at, stride]) = view_binding(t, align);
    let (_, row) = t.rows();
    let n = numel(&t.shape);
    let half = t.elem.size() == 2;
    let words = if half { n.div_ceil(2) } else { n };
    let too_big = || Error::Buffer {
        tensor: name,
        reason: "a row-strided view past 2^32 elements cannot be gathered".into(),
    };
    let end = t.span().and_then(|s| s.checked_add(at as usize));
    if end.is_none_or(|e| u32::try_from(e).is_err()) {
        return Err(too_big());
    }
    if words == 0 {
        return Ok(());
    }
    let gp = dev.gather_pipeline();
    let max = dev.device.limits().max_compute_workgroups_per_dimension;
    let (x, y) = grid((words as u32).div_ceil(64), max);
    let params: [u32; 8] = [
        words as u32,
        n as u32,
        row as u32,
        stride,
        at,
        u32::from(half),
        x,
        0,
    ];
    gp.push_one_source(
        &dev.device,
        prog,
        ("gdn gather", &params),
        (&src, dst),
        (x, y),
    );
    Ok(())
}

/// Refuses a row-strided view among the first `reads` of q, k, v on a path that reads them dense
/// (the route gathers them first; one reaching such a path would be read at the wrong elements).
pub(crate) fn expect_dense(inp: &GpuInputs<'_>, reads: usize, path: &str) -> Result<()> {
    match [&inp.q, &inp.k, &inp.v]
        .into_iter()
        .take(reads)
        .position(|t| t.row_stride.is_some())
    {
        Some(i) => Err(Error::Buffer {
            tensor: NAMES[i],
            reason: format!("a row-strided view reached {path}, which reads dense tensors"),
        }),
        None => Ok(()),
    }
}
