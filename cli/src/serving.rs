//! `gdn bench --serving`: the serving features against the plain calls they replace, wall time
//! (median, µs) on the context's device.

use super::bench::Data;
use super::median;
use anyhow::Result;
use gdn::wgpu;
use gdn::{CallOptions, Context, DType, GpuDevice, GpuInputs, HeadShape, HostTensor, HostUpload};
use std::time::Instant;

/// Median wall µs of `f` over `runs` after `warmup` calls.
fn time(runs: usize, warmup: usize, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    for _ in 0..warmup {
        f()?;
    }
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t0 = Instant::now();
        f()?;
        v.push(t0.elapsed().as_secs_f64() * 1e6);
    }
    Ok(median(v))
}

/// A buffer of `bytes` (rounded up to 4) for the calls' outputs and pools.
fn buffer(gpu: &GpuDevice, bytes: usize) -> wgpu::Buffer {
    gpu.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("gdn bench"),
        size: (bytes.div_ceil(4) * 4) as u64,
        usage: wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_SRC
            | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

/// Records calls with `f` into one encoder, submits it and waits for the GPU.
fn submit_wait(
    gpu: &GpuDevice,
    f: impl FnOnce(&mut wgpu::CommandEncoder) -> gdn::Result<()>,
) -> Result<()> {
    let mut enc = gpu.device.create_command_encoder(&Default::default());
    f(&mut enc)?;
    gpu.queue.submit([enc.finish()]);
    gpu.device
        .poll(wgpu::PollType::wait_indefinitely())
        .map_err(|e| anyhow::anyhow!("poll: {e}"))?;
    Ok(())
}

/// Prints the serving table.
pub(super) fn bench(
    ctx: &Context,
    name: &str,
    h: HeadShape,
    dtype: DType,
    runs: usize,
    warmup: usize,
) -> Result<()> {
    out!("adapter: {}", ctx.device_label());
    out!(
        "config {name}: Hk={} Hv={} Dk={} Dv={} {dtype}; wall time per call (host API unless noted), median of {runs} after {warmup}",
        h.hk, h.hv, h.dk, h.dv
    );
    out!("\n| feature | case | feature µs | plain calls µs | plain calls |");
    out!("|---|---|---:|---:|---|");
    let opts = CallOptions::default();

    // Varlen: 8 sequences of 32, 64, ..., 256 steps packed (ΣT = 1152), against 8 calls.
    let lens: Vec<usize> = (1..=8).map(|i| 32 * i).collect();
    let total: usize = lens.iter().sum();
    let mut cu = vec![0];
    for l in &lens {
        cu.push(cu.last().copied().unwrap_or(0) + l);
    }
    let packed = Data::new(1, total, h);
    let mut inp = packed.inputs(1, total, h, dtype);
    let states = Data::new(lens.len(), 1, h);
    inp.state = Some(HostTensor::f32(
        &states.state,
        &[lens.len(), h.hv, h.dv, h.dk],
    ));
    let varlen = time(runs, warmup, || {
        ctx.update_varlen(&inp, &cu, opts)?;
        Ok(())
    })?;
    let singles: Vec<Data> = lens.iter().map(|&l| Data::new(1, l, h)).collect();
    let separate = time(runs, warmup, || {
        for (d, &l) in singles.iter().zip(&lens) {
            ctx.update(&d.inputs(1, l, h, dtype), opts)?;
        }
        Ok(())
    })?;
    out!(
        "| varlen | 8 sequences of 32..256 steps (ΣT = {total}), one `update_varlen` | {varlen:.0} | {separate:.0} | 8 calls, one per sequence |"
    );
    // The same on GPU buffers, as an engine records it: one `encode_varlen` against 8 `encode`
    // calls on each sequence's own buffers, one submit and wait each.
    if let Some(gpu) = ctx.gpu() {
        let up = HostUpload::new(gpu, &inp);
        let singles_up: Vec<HostUpload> = singles
            .iter()
            .zip(&lens)
            .map(|(d, &l)| HostUpload::new(gpu, &d.inputs(1, l, h, dtype)))
            .collect();
        let y = buffer(gpu, total * h.hv * h.dv * dtype.size());
        let s = buffer(gpu, lens.len() * h.hv * h.dv * h.dk * 4);
        let one = time(runs, warmup, || {
            submit_wait(gpu, |enc| {
                ctx.encode_varlen(enc, &up.inputs(), &cu, &y, &s, opts)
                    .map(drop)
            })
        })?;
        // Each sequence's own outputs, so the 8 passes do not wait on each other's writes.
        let outs: Vec<(wgpu::Buffer, wgpu::Buffer)> = lens
            .iter()
            .map(|&l| {
                (
                    buffer(gpu, l * h.hv * h.dv * dtype.size()),
                    buffer(gpu, h.hv * h.dv * h.dk * 4),
                )
            })
            .collect();
        let eight = time(runs, warmup, || {
            submit_wait(gpu, |enc| {
                for (u, (y, s)) in singles_up.iter().zip(&outs) {
                    ctx.encode(enc, &u.inputs(), y, s, opts)?;
                }
                Ok(())
            })
        })?;
        out!(
            "| varlen (GPU buffers) | the same 8 sequences, one `encode_varlen` (submit + wait) | {one:.0} | {eight:.0} | 8 `encode` calls in one submit |"
        );
    }

    // Snapshots after each of 8 tokens (speculative decoding), against one call of 8 steps.
    let d8 = Data::new(1, 8, h);
    let i8 = d8.inputs(1, 8, h, dtype);
    let positions: Vec<usize> = (1..=8).collect();
    let snaps = time(runs, warmup, || {
        ctx.update_snapshots(&i8, &positions, opts)?;
        Ok(())
    })?;
    let plain = time(runs, warmup, || {
        ctx.update(&i8, opts)?;
        Ok(())
    })?;
    out!("| snapshots | B = 1, T = 8, a state after every token | {snaps:.0} | {plain:.0} | 1 call without snapshots |");
    // The same on GPU buffers: one `encode_snapshots` against one `encode`, submit and wait each.
    if let Some(gpu) = ctx.gpu() {
        let up = HostUpload::new(gpu, &i8);
        let per = h.hv * h.dv * h.dk * 4;
        let y = buffer(gpu, 8 * h.hv * h.dv * dtype.size());
        let (states, state) = (buffer(gpu, (1 + positions.len()) * per), buffer(gpu, per));
        let snaps = time(runs, warmup, || {
            submit_wait(gpu, |enc| {
                ctx.encode_snapshots(enc, &up.inputs(), &positions, &y, &states, opts)
                    .map(drop)
            })
        })?;
        let plain = time(runs, warmup, || {
            submit_wait(gpu, |enc| {
                ctx.encode(enc, &up.inputs(), &y, &state, opts).map(drop)
            })
        })?;
        out!("| snapshots (GPU buffers) | the same, one `encode_snapshots` (submit + wait) | {snaps:.0} | {plain:.0} | 1 `encode` without snapshots |");
    }

    // In-place state: B = 1 decode updating the caller's state, against `update` (which returns
    // a new state).
    let d1 = Data::new(1, 1, h);
    let mut i1 = d1.inputs(1, 1, h, dtype);
    let plain = time(runs, warmup, || {
        ctx.update(&i1, opts)?;
        Ok(())
    })?;
    i1.state = None;
    let mut st = d1.state.clone();
    let in_place = time(runs, warmup, || {
        ctx.update_in_place(&i1, &mut st, opts)?;
        Ok(())
    })?;
    out!("| in-place state | B = 1, T = 1 decode, the caller's state updated | {in_place:.0} | {plain:.0} | 1 `update` (new state) |");

    // State pool: B = 32 decode reading and writing slots of a 64-slot pool, against the same
    // call on a contiguous state buffer; GPU buffers, one submit and wait per call.
    if let Some(gpu) = ctx.gpu() {
        let b = 32;
        let d = Data::new(b, 1, h);
        let host = d.inputs(b, 1, h, dtype);
        let up = HostUpload::new(gpu, &host);
        let with_state = up.inputs();
        let pooled_in = GpuInputs {
            state: None,
            ..with_state.clone()
        };
        let per = h.hv * h.dv * h.dk * 4;
        let pool = buffer(gpu, 64 * per);
        let y = buffer(gpu, b * h.hv * h.dv * dtype.size());
        let s_out = buffer(gpu, b * per);
        let slots: Vec<u32> = (0..b as u32).map(|i| (i * 7) % 64).collect();
        let pooled = time(runs, warmup, || {
            submit_wait(gpu, |enc| {
                ctx.encode_pooled(enc, &pooled_in, &pool, &slots, &y, opts)
                    .map(drop)
            })
        })?;
        let plain = time(runs, warmup, || {
            submit_wait(gpu, |enc| {
                ctx.encode(enc, &with_state, &y, &s_out, opts).map(drop)
            })
        })?;
        out!("| state pool | B = 32 decode, slots of a 64-slot pool (GPU buffers, submit + wait) | {pooled:.0} | {plain:.0} | 1 call on a contiguous state buffer |");
    }
    Ok(())
}
