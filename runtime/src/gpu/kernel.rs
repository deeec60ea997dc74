//! The kernel path: one dispatch of a precompiled variant (plus a gate pre-pass for raw gates).

use super::device::{GpuDevice, Specialisation};
use super::ops::{code, scratch, Recorder};
use super::util::init_buffer;
use crate::tensor::{Elem, Gate, GateForm, GateKind, GpuInputs, Problem};
use crate::{DType, Result, Variant};

const HAS_STATE: u32 = 1;
const HAS_MASK: u32 = 2;
const GATE_LOG: u32 = 4;
const GATE_PER_KEY: u32 = 8;
/// Later dispatches of a segmented call read the incoming state from the new-state buffer.
const STATE_FROM_OUT: u32 = 16;
/// g and β hold raw `a` and `b`; the kernels compute the decay and β where they load them.
const GATE_RAW: u32 = 64;

/// Words of the kernels' parameter block before the per-head constants.
pub(crate) const PARAM_HEADER_WORDS: usize = 8;

/// Most steps one recurrent dispatch walks on a software adapter: lavapipe stops an
/// invocation's loops after 65 535 back-edges in all (the staged kernel takes about 1.25 per
/// step, the portable one about 7) and then returns wrong values silently.
pub(crate) const SEGMENT_STEPS_SOFTWARE: usize = 2048;

/// Most steps one recurrent dispatch walks on a hardware adapter: bounds how long a single
/// dispatch can run (operating systems reset a GPU whose work runs for seconds).
pub(crate) const SEGMENT_STEPS: usize = 16384;

/// Gate buffers and flags as the kernels take them.
pub(crate) struct Gates {
    /// Decay (or log decay) per step and value head (per key too with `GATE_PER_KEY`).
    pub(crate) g: wgpu::Buffer,
    /// β per step and value head.
    pub(crate) beta: wgpu::Buffer,
    /// `HAS_STATE`, `HAS_MASK`, `GATE_LOG`, `GATE_PER_KEY`.
    pub(crate) flags: u32,
    /// dtype codes of g (bits 0-1) and β (bits 2-3).
    pub(crate) aux: u32,
    /// Value heads (the parameter block holds two constants per head).
    pub(crate) heads: usize,
    /// For raw gates computed in the kernel: the f32 `A_log` and `dt_bias` buffers, copied into
    /// each parameter block.
    pub(crate) consts: Option<(wgpu::Buffer, wgpu::Buffer)>,
}

/// The call's gates and flags. Raw gates with f32 `A_log` and `dt_bias` are computed by the
/// kernels where they load g and β (no pass of their own); with 16-bit ones they are first
/// resolved to f32 decays and βs by a generic pre-pass recorded into `enc` (over the packed steps
/// of a varlen batch, `out.seqs`).
pub(crate) fn resolve_gates(
    dev: &GpuDevice,
    enc: &mut wgpu::CommandEncoder,
    p: &Problem,
    inp: &GpuInputs<'_>,
    out: super::OutBuffers<'_>,
) -> Result<Gates> {
    let device = &dev.device;
    let mut flags = 0;
    if p.has_state {
        flags |= HAS_STATE;
    }
    if p.has_mask {
        flags |= HAS_MASK;
    }
    Ok(match (&inp.gate, p.gate) {
        (Gate::Direct { g, beta, form }, GateKind::Direct { per_key, .. }) => {
            if *form == GateForm::Log {
                flags |= GATE_LOG;
            }
            if per_key {
                flags |= GATE_PER_KEY;
            }
            Gates {
                g: g.buffer.clone(),
                beta: beta.buffer.clone(),
                flags,
                aux: code(g.elem) | (code(beta.elem) << 2),
                heads: p.heads.hv,
                consts: None,
            }
        }
        (
            Gate::Raw {
                a,
                b,
                a_log,
                dt_bias,
            },
            _,
        ) if [a_log.elem, dt_bias.elem] == [Elem::Float(DType::F32); 2] => Gates {
            g: a.buffer.clone(),
            beta: b.buffer.clone(),
            flags: flags | GATE_RAW | GATE_LOG,
            aux: code(a.elem) | (code(b.elem) << 2),
            heads: p.heads.hv,
            consts: Some((a_log.buffer.clone(), dt_bias.buffer.clone())),
        },
        (
            Gate::Raw {
                a,
                b,
                a_log,
                dt_bias,
            },
            _,
        ) => {
            let p = &out.rows(p);
            let n = p.b * p.t * p.heads.hv;
            let scratch = [
                scratch(device, "gdn A_log", p.heads.hv),
                scratch(device, "gdn dt_bias", p.heads.hv),
                scratch(device, "gdn alpha", n),
                scratch(device, "gdn beta", n),
            ];
            let mut rec = Recorder::new(dev, *p)?;
            rec.raw_gates(
                a,
                b,
                a_log,
                dt_bias,
                [&scratch[0], &scratch[1], &scratch[2], &scratch[3]],
            )?;
            rec.record(enc, None);
            let [_, _, alpha, beta] = scratch;
            let f32_code = code(Elem::Float(DType::F32));
            Gates {
                g: alpha,
                beta,
                flags,
                aux: f32_code | (f32_code << 2),
                heads: p.heads.hv,
                consts: None,
            }
        }
        _ => unreachable!("problem gate kind comes from these inputs"),
    })
}

/// Encodes one call of variant `v` (which must match the problem's shape and dtype), through its
/// `main_staged` entry point when `staged`.
pub(crate) fn encode_kernel(
    dev: &GpuDevice,
    enc: &mut wgpu::CommandEncoder,
    p: &Problem,
    inp: &GpuInputs<'_>,
    (v, staged): (&'static Variant, bool),
    out: super::OutBuffers<'_>,
    timestamps: Option<wgpu::ComputePassTimestampWrites<'_>>,
) -> Result<()> {
    // A pooled call reads every segment's incoming state from the pool (bound as the new state).
    let pooled = out.slots.is_some();
    let spec = Specialisation {
        map: p.head_map,
        pooled,
        varlen: out.seqs.is_some(),
        snapshots: out.snaps.is_some(),
        // Set only where the caller has not normalised q and k already (see `encode_route`).
        qk_norm: p.qk_l2norm,
    };
    let pipeline = dev.kernel_pipeline(v, staged, spec)?;
    let gates = resolve_gates(dev, enc, p, inp, out)?;
    // Segments of at most `seg` steps, each a dispatch continuing from the state the previous one
    // wrote (one segment, starting from the caller's state, for all but very long calls).
    let seg = if dev.summary.is_software() {
        SEGMENT_STEPS_SOFTWARE
    } else {
        SEGMENT_STEPS
    };
    let groups: Vec<wgpu::BindGroup> = (0..p.t.div_ceil(seg).max(1))
        .map(|i| {
            let t0 = i * seg;
            let from_out = i > 0 || pooled;
            let flags = gates.flags
                | if from_out {
                    HAS_STATE | STATE_FROM_OUT
                } else {
                    0
                };
            let tn = seg.min(p.t - t0);
            let params: [u32; PARAM_HEADER_WORDS] = [
                p.b as u32, p.t as u32, flags, gates.aux, t0 as u32, tn as u32, 0, 0,
            ];
            kernel_bind_group(
                dev,
                enc,
                &dev.kernel_layout,
                v.name,
                &params,
                inp,
                &gates,
                out,
                None,
            )
        })
        .collect();
    let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor {
        label: Some(v.name),
        timestamp_writes: timestamps,
    });
    pass.set_pipeline(&pipeline);
    let rows = if staged && v.staged && out.snaps.is_none() {
        v.staged_rows
    } else {
        v.rows
    };
    for bg in &groups {
        pass.set_bind_group(0, bg, &[]);
        pass.dispatch_workgroups(
            (p.heads.dv as u32).div_ceil(rows),
            (p.b * p.heads.hv) as u32,
            1,
        );
    }
    Ok(())
}

/// The bind group of both kernel families: the parameters at binding 0, then q, k, v, g, β, the
/// incoming state (a pooled call's slot table), the mask, y, the new state (a pooled call's pool)
/// and, for the chunked kernels, the workspace. An absent state or mask binds the device's
/// placeholder buffer.
#[allow(clippy::too_many_arguments)]
pub(crate) fn kernel_bind_group(
    dev: &GpuDevice,
    enc: &mut wgpu::CommandEncoder,
    layout: &wgpu::BindGroupLayout,
    label: &str,
    params: &[u32; PARAM_HEADER_WORDS],
    inp: &GpuInputs<'_>,
    gates: &Gates,
    out: super::OutBuffers<'_>,
    workspace: Option<&wgpu::Buffer>,
) -> wgpu::BindGroup {
    // The header, then A_log and dt_bias per head (zeros unless raw gates need them; the
    // templates size the block as `nconst` vec4s = ⌈2·Hv / 4⌉).
    let mut words = params.to_vec();
    words.resize(
        PARAM_HEADER_WORDS + 4 * (2 * gates.heads).div_ceil(4).max(1),
        0,
    );
    let ubuf = init_buffer(
        &dev.device,
        "gdn kernel params",
        bytemuck::cast_slice(&words),
        wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
    );
    if let Some((a_log, dt_bias)) = &gates.consts {
        let (at, n) = ((PARAM_HEADER_WORDS * 4) as u64, (gates.heads * 4) as u64);
        enc.copy_buffer_to_buffer(a_log, 0, &ubuf, at, n);
        enc.copy_buffer_to_buffer(dt_bias, 0, &ubuf, at + n, n);
    }
    // A pooled call binds its slot table where the incoming state would be.
    let s_in = out
        .slots
        .or(inp.state.as_ref().map(|s| s.buffer))
        .unwrap_or(&dev.dummy);
    // A varlen batch binds its sequence offsets (the mask follows them) where the mask is.
    // So does a snapshot call its table (after the mask's words).
    let mask = match (out.seqs, out.snaps) {
        (Some(s), _) => s.buffer,
        (None, Some(table)) => table,
        (None, None) => inp.mask.as_ref().map_or(&dev.dummy, |m| m.buffer),
    };
    let bufs = [
        &ubuf,
        inp.q.buffer,
        inp.k.buffer,
        inp.v.buffer,
        &gates.g,
        &gates.beta,
        s_in,
        mask,
        out.y,
        out.state,
    ];
    let entries: Vec<_> = bufs
        .into_iter()
        // The workspace twice: as f16 elements (tiles) and as vec4<u32> (whole 16-byte stores).
        .chain(workspace)
        .chain(workspace)
        .enumerate()
        .map(|(i, b)| wgpu::BindGroupEntry {
            binding: i as u32,
            resource: b.as_entire_binding(),
        })
        .collect();
    dev.device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some(label),
        layout,
        entries: &entries,
    })
}
