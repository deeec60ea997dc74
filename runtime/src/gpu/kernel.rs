//! The kernel path: one dispatch of a precompiled variant (plus a gate pre-pass for raw gates with
//! 16-bit constants).

use super::device::{GpuDevice, Specialisation};
use super::ops::{code, scratch, Recorder};
use super::pool::push_copy;
use super::program::{BufferRange, Program};
use super::util::init_buffer;
use crate::tensor::{Elem, Gate, GateForm, GateKind, GpuInputs, Problem};
use crate::{DType, Result, Variant};

use gdn_core::abi::flags::{GATE_LOG, GATE_PER_KEY, GATE_RAW, HAS_MASK, HAS_STATE, STATE_FROM_OUT};
pub(crate) use gdn_core::abi::PARAM_CALL_WORDS;
use gdn_core::abi::{binding, view, PARAM_HEADER_WORDS};

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
    pub(crate) g: BufferRange,
    /// β per step and value head.
    pub(crate) beta: BufferRange,
    /// `HAS_STATE`, `HAS_MASK`, `GATE_LOG`, `GATE_PER_KEY`.
    pub(crate) flags: u32,
    /// dtype codes of g (bits 0-1) and β (bits 2-3).
    pub(crate) aux: u32,
    /// Value heads (the parameter block holds two constants per head).
    pub(crate) heads: usize,
    /// For raw gates computed in the kernel: the f32 `A_log` and `dt_bias`, copied into each
    /// parameter block by a dispatch of the call's pass.
    pub(crate) consts: Option<(BufferRange, BufferRange)>,
}

/// The call's gates and flags. Raw gates with f32 `A_log` and `dt_bias` are computed by the
/// kernels where they load g and β (no pass of their own); with 16-bit ones they are first
/// resolved to f32 decays and βs by generic dispatches appended to `prog` (over the packed steps
/// of a varlen batch, `out.seqs`).
pub(crate) fn resolve_gates(
    dev: &GpuDevice,
    prog: &mut Program,
    p: &Problem,
    inp: &GpuInputs<'_>,
    out: super::OutBuffers<'_>,
) -> Result<Gates> {
    let device = &dev.device;
    let mut flags = 0;
    if p.has_state || out.in_place {
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
                g: g.range(),
                beta: beta.range(),
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
            g: a.range(),
            beta: b.range(),
            flags: flags | GATE_RAW | GATE_LOG,
            aux: code(a.elem) | (code(b.elem) << 2),
            heads: p.heads.hv,
            consts: Some((a_log.range(), dt_bias.range())),
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
            rec.finish(prog);
            let [_, _, alpha, beta] = scratch;
            let f32_code = code(Elem::Float(DType::F32));
            Gates {
                g: BufferRange::whole(&alpha),
                beta: BufferRange::whole(&beta),
                flags,
                aux: f32_code | (f32_code << 2),
                heads: p.heads.hv,
                consts: None,
            }
        }
        _ => unreachable!("problem gate kind comes from these inputs"),
    })
}

/// Appends one call of variant `v` (which must match the problem's shape and dtype) to `prog`,
/// through its `main_staged` entry point when `staged`.
pub(crate) fn kernel_steps(
    dev: &GpuDevice,
    prog: &mut Program,
    p: &Problem,
    inp: &GpuInputs<'_>,
    (v, staged): (&'static Variant, bool),
    out: super::OutBuffers<'_>,
) -> Result<()> {
    // A pooled call reads every segment's incoming state from the pool (bound as the new state),
    // and so does an in-place call from the state it updates.
    let pooled = out.slots.is_some();
    let spec = Specialisation {
        map: p.head_map,
        pooled,
        varlen: out.seqs.is_some(),
        snapshots: out.snaps.is_some(),
        // Set only where the caller has not normalised q and k already (see `route_steps`).
        qk_norm: p.qk_l2norm,
    };
    let pipeline = dev.kernel_pipeline(v, staged, spec)?;
    let layout = &dev.kernel_layouts()?.0;
    let gates = resolve_gates(dev, prog, p, inp, out)?;
    // Segments of at most `seg` steps, each a dispatch continuing from the state the previous one
    // wrote (one segment, starting from the caller's state, for all but very long calls).
    let seg = if dev.summary.is_software() {
        SEGMENT_STEPS_SOFTWARE
    } else {
        SEGMENT_STEPS
    };
    let rows = if staged && v.staged && out.snaps.is_none() {
        v.staged_rows
    } else {
        v.rows
    };
    let groups = [
        (p.heads.dv as u32).div_ceil(rows),
        (p.b * p.heads.hv) as u32,
        1,
    ];
    for i in 0..p.t.div_ceil(seg).max(1) {
        let t0 = i * seg;
        let from_out = i > 0 || pooled || out.in_place;
        let flags = gates.flags
            | if from_out {
                HAS_STATE | STATE_FROM_OUT
            } else {
                0
            };
        let tn = seg.min(p.t - t0);
        let params: [u32; PARAM_CALL_WORDS] = [
            p.b as u32, p.t as u32, flags, gates.aux, t0 as u32, tn as u32, 0, 0,
        ];
        let bg = kernel_bind_group(dev, prog, layout, v.name, &params, inp, &gates, out, None);
        prog.push(&pipeline, bg, None, groups);
    }
    Ok(())
}

/// The bind group of both kernel families: the parameters at binding 0 (the call's words, then
/// the views of q, k and v), then q, k, v, g, β, the incoming state (a pooled call's slot
/// table), the mask, y, the new state (a pooled call's pool) and, for the chunked kernels, the
/// workspace. An absent state or mask binds the device's
/// placeholder buffer. Raw-gate constants are copied into the parameter block by a dispatch
/// appended to `prog` (so the caller's `A_log` and `dt_bias` need no `COPY_SRC`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn kernel_bind_group(
    dev: &GpuDevice,
    prog: &mut Program,
    layout: &wgpu::BindGroupLayout,
    label: &str,
    params: &[u32; PARAM_CALL_WORDS],
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
    // Row-strided views are bound from an aligned byte below them, their first element and
    // stride in the view words; dense tensors are their own binding, rows back to back.
    let align = u64::from(dev.device.limits().min_storage_buffer_offset_alignment);
    let (q, [q_at, q_stride]) = super::views::view_binding(&inp.q, align);
    let (k, [k_at, k_stride]) = super::views::view_binding(&inp.k, align);
    let (v, [v_at, v_stride]) = super::views::view_binding(&inp.v, align);
    for (word, x) in [
        (view::Q_AT, q_at),
        (view::Q_STRIDE, q_stride),
        (view::K_AT, k_at),
        (view::K_STRIDE, k_stride),
        (view::V_AT, v_at),
        (view::V_STRIDE, v_stride),
    ] {
        words[word] = x;
    }
    let usage = if gates.consts.is_some() {
        wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::STORAGE
    } else {
        wgpu::BufferUsages::UNIFORM
    };
    let ubuf = init_buffer(
        &dev.device,
        "gdn kernel params",
        bytemuck::cast_slice(&words),
        usage,
    );
    if let Some((a_log, dt_bias)) = &gates.consts {
        let (at, n) = (PARAM_HEADER_WORDS as u32, gates.heads as u32);
        push_copy(dev, prog, (a_log, 0), (&ubuf, at), n);
        push_copy(dev, prog, (dt_bias, 0), (&ubuf, at + n), n);
    }
    let dummy = BufferRange::whole(&dev.dummy);
    // A pooled call binds its slot table where the incoming state would be; an in-place call
    // reads its state from the new-state binding.
    let s_in = match (out.slots, &inp.state) {
        (Some(slots), _) => BufferRange::whole(slots),
        (None, Some(s)) if !out.in_place => s.range(),
        _ => dummy.clone(),
    };
    // A varlen batch binds its sequence offsets (the mask follows them) where the mask is.
    // So does a snapshot call its table (after the mask's words).
    let mask = match (out.seqs, out.snaps) {
        (Some(s), _) => BufferRange::whole(s.buffer),
        (None, Some(table)) => BufferRange::whole(table),
        (None, None) => inp.mask.as_ref().map_or(dummy, |m| m.range()),
    };
    let mut slots = vec![
        (binding::PARAMS, BufferRange::whole(&ubuf)),
        (binding::Q, q),
        (binding::K, k),
        (binding::V, v),
        (binding::G, gates.g.clone()),
        (binding::BETA, gates.beta.clone()),
        (binding::STATE_IN, s_in),
        (binding::MASK, mask),
        (binding::Y, out.y.clone()),
        (binding::STATE_OUT, out.state.clone()),
    ];
    // The workspace twice: as f16 elements (tiles) and as vec4<u32> (whole 16-byte stores).
    if let Some(ws) = workspace {
        slots.push((binding::WORKSPACE, BufferRange::whole(ws)));
        slots.push((binding::WORKSPACE_WORDS, BufferRange::whole(ws)));
    }
    let entries: Vec<_> = slots
        .iter()
        .map(|(slot, r)| wgpu::BindGroupEntry {
            binding: *slot,
            resource: r.resource(),
        })
        .collect();
    dev.device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some(label),
        layout,
        entries: &entries,
    })
}
