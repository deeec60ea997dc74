//! Moves between buffers inside a call's pass: word copies (`shaders/copy.wgsl`), and for state
//! pools the gather of a batch's pool slots into a contiguous scratch batch before the kernel and
//! the scatter of the new states back after it, each direction one dispatch of
//! `shaders/pool.wgsl` over a slot table.

use super::device::GpuDevice;
use super::program::{BufferRange, Program};
use super::util::{grid, init_buffer};
use crate::Result;

/// Appends a dispatch copying `words` 32-bit words from `src` (from word `src_at`) to `dst`
/// (from word `dst_at`; `dst` needs `STORAGE` usage).
pub(crate) fn push_copy(
    dev: &GpuDevice,
    prog: &mut Program,
    (src, src_at): (&BufferRange, u32),
    (dst, dst_at): (&wgpu::Buffer, u32),
    words: u32,
) {
    if words == 0 {
        return;
    }
    let cp = dev.copy_pipeline();
    let max = dev.device.limits().max_compute_workgroups_per_dimension;
    let (x, y) = grid(words.div_ceil(64), max);
    let params = [words, src_at, dst_at, x];
    cp.push_one_source(&dev.device, prog, ("gdn copy", &params), (src, dst), (x, y));
}

/// Appends the move of the states of `slots` (`state_bytes` each): pool slots to the batch when
/// `gather`, the batch back to the slots otherwise. One dispatch over the slot table `table` when
/// states are whole 16-byte words (every real shape: Hv·Dv·Dk a multiple of 4), else one word
/// copy per sequence.
pub(crate) fn record_move(
    dev: &GpuDevice,
    prog: &mut Program,
    (slots, table): (&[u32], &wgpu::Buffer),
    state_bytes: u64,
    (pool, batch): (&wgpu::Buffer, &wgpu::Buffer),
    gather: bool,
) -> Result<()> {
    if !state_bytes.is_multiple_of(16) {
        // f32 states: whole words.
        let words = (state_bytes / 4) as u32;
        for (b, &slot) in slots.iter().enumerate() {
            let (at_pool, at_batch) = (slot * words, b as u32 * words);
            if gather {
                push_copy(
                    dev,
                    prog,
                    (&BufferRange::whole(pool), at_pool),
                    (batch, at_batch),
                    words,
                );
            } else {
                push_copy(
                    dev,
                    prog,
                    (&BufferRange::whole(batch), at_batch),
                    (pool, at_pool),
                    words,
                );
            }
        }
        return Ok(());
    }
    let rows = slots.len();
    let pp = dev.pool_pipeline();
    let words = (state_bytes / 16) as u32;
    let groups = words.div_ceil(256);
    let max = dev.device.limits().max_compute_workgroups_per_dimension;
    let x_groups = groups.min(max);
    let z_groups = groups.div_ceil(x_groups);
    let params: [u32; 4] = [words, u32::from(!gather), x_groups, 0];
    let ubuf = init_buffer(
        &dev.device,
        "gdn pool params",
        bytemuck::cast_slice(&params),
        wgpu::BufferUsages::UNIFORM,
    );
    let (src, dst) = if gather { (pool, batch) } else { (batch, pool) };
    let entries: Vec<_> = [&ubuf, table, src, dst]
        .into_iter()
        .enumerate()
        .map(|(i, b)| wgpu::BindGroupEntry {
            binding: i as u32,
            resource: b.as_entire_binding(),
        })
        .collect();
    let bg = dev.device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("gdn pool"),
        layout: &pp.layout,
        entries: &entries,
    });
    prog.push(&pp.pipeline, bg, None, [x_groups, rows as u32, z_groups]);
    Ok(())
}
