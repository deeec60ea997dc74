//! The chunked-prefill path: per segment of chunks, `prep` (every chunk of the segment in parallel)
//! then `scan` (the chunks in order, state rows in registers), all in one compute pass.

use super::device::{GpuDevice, Specialisation};
use super::kernel::{kernel_bind_group, resolve_gates};
use super::outputs::OutBuffers;
use super::program::Program;
use crate::tensor::{GpuInputs, Problem};
use crate::{ChunkedModule, Result};

use gdn_core::abi::flags::STATE_FROM_OUT;

/// Most chunks in one segment. `prep` dispatches one workgroup per chunk along x (every adapter
/// allows at least 65 535), and `scan` loops over the segment's chunks in one invocation: software
/// drivers bound the loop iterations of an invocation (lavapipe stops loops after 65 535, giving
/// wrong results, not an error), and a scan makes about 3 per chunk.
const SEGMENT_MAX_CHUNKS: u64 = 16_384;

/// Default cap on the chunked workspace (kept on the device and reused); longer inputs run in
/// several segments. Each segment costs a pass over the state and a drain of the GPU: on an H100
/// (bf16, (16,32,128,128), T = 4096) one segment took 753 µs, two (64 MiB) 846 µs.
pub(crate) const CHUNKED_WORKSPACE_BYTES: u64 = 256 << 20;

/// Workspace bytes per chunk of every (batch, value head): T·diag(β) and P (C×C each) and G (C)
/// in f32; for the cooperative-matrix module U0 = T·diag(β)·V, P, −W, Qg and Kt (C×Dv, C×C,
/// three C×Dk) and e^{G_C} in f16 (see `templates/chunked_mma.wgsl.tera`).
pub(crate) fn bytes_per_chunk(p: &Problem, m: &ChunkedModule) -> u64 {
    let c = m.chunk as u64;
    let per_head = if m.mma {
        (c * p.heads.dv as u64 + c * c + 3 * c * p.heads.dk as u64 + 16) * 2
    } else {
        (2 * c * c + c) * 4
    };
    (p.b * p.heads.hv) as u64 * per_head
}

/// Chunks per segment: as many as fit `budget` bytes (at least one), the device's binding limits
/// and [`SEGMENT_MAX_CHUNKS`]; `None` when not even one chunk fits those limits.
pub(crate) fn segment_chunks(
    dev: &GpuDevice,
    p: &Problem,
    m: &ChunkedModule,
    budget: u64,
) -> Option<u64> {
    let limits = dev.device.limits();
    let cap = budget
        .max(bytes_per_chunk(p, m))
        .min(limits.max_storage_buffer_binding_size)
        .min(limits.max_buffer_size);
    let per = bytes_per_chunk(p, m);
    let total = (p.t as u64).div_ceil(m.chunk as u64);
    if per == 0 || total == 0 {
        // B = 0 or T = 0: nothing to run (the call takes the empty-output path).
        return Some(1);
    }
    (per <= cap).then(|| (cap / per).min(SEGMENT_MAX_CHUNKS).clamp(1, total))
}

/// Appends one call through chunked module `m`, `sc` chunks per segment, to `prog`.
pub(crate) fn chunked_steps(
    dev: &GpuDevice,
    prog: &mut Program,
    p: &Problem,
    inp: &GpuInputs<'_>,
    (m, sc): (&'static ChunkedModule, u64),
    out: OutBuffers<'_>,
) -> Result<()> {
    let spec = Specialisation {
        map: p.head_map,
        varlen: out.seqs.is_some(),
        ..Default::default()
    };
    super::views::expect_dense(inp, 3, "the chunked kernels")?;
    let [prep, scan] = dev.chunked_pipelines_for(m, spec)?;
    let layout = &dev.chunk_layouts()?.0;
    let gates = resolve_gates(dev, prog, p, inp, out)?;
    let total = (p.t as u64).div_ceil(m.chunk as u64);
    let ws = dev.chunk_scratch(sc * bytes_per_chunk(p, m))?;
    let n = (p.b * p.heads.hv) as u32;
    let mut seg = 0;
    while seg * sc < total {
        let nc = sc.min(total - seg * sc);
        let from_out = seg > 0 || out.in_place;
        let flags = gates.flags | if from_out { STATE_FROM_OUT } else { 0 };
        let params: [u32; super::kernel::PARAM_CALL_WORDS] = [
            p.b as u32,
            p.t as u32,
            flags,
            gates.aux,
            (seg * sc * m.chunk as u64) as u32,
            nc as u32,
            sc as u32,
            0,
        ];
        let bg = kernel_bind_group(
            dev,
            prog,
            layout,
            m.name,
            &params,
            inp,
            &gates,
            out,
            Some(&ws),
        );
        prog.push(&prep, bg.clone(), None, [nc as u32, n, 1]);
        let scan_groups = (p.heads.dv as u32).div_ceil(m.scan_rows);
        prog.push(&scan, bg, None, [scan_groups, n, 1]);
        seg += 1;
    }
    Ok(())
}
