use crate::{Error, Result};

/// Runs `f` inside a validation + out-of-memory error scope, turning wgpu errors into [`Error::Gpu`]
/// instead of the default panic (for code that records its own work around the op, too).
pub fn scoped<T, E: From<Error>>(
    device: &wgpu::Device,
    f: impl FnOnce() -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    let oom = device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
    let val = device.push_error_scope(wgpu::ErrorFilter::Validation);
    let out = f();
    let val_err = pollster::block_on(val.pop());
    let oom_err = pollster::block_on(oom.pop());
    if let Some(e) = oom_err.or(val_err) {
        return Err(Error::Gpu(one_line(&e.to_string())).into());
    }
    out
}

/// A wgpu error report (a headline, "Caused by:" and indented causes over several lines) as one
/// line: its causes joined by "; ".
pub(crate) fn one_line(report: &str) -> String {
    let lines: Vec<&str> = report
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "Caused by:")
        .collect();
    lines.join("; ")
}

/// A storage buffer holding `bytes` (padded to a multiple of 4).
pub(crate) fn upload(
    device: &wgpu::Device,
    label: &str,
    bytes: &[u8],
    extra: wgpu::BufferUsages,
) -> wgpu::Buffer {
    let mut padded;
    let contents = if bytes.len().is_multiple_of(4) && !bytes.is_empty() {
        bytes
    } else {
        padded = bytes.to_vec();
        padded.resize(bytes.len().div_ceil(4).max(1) * 4, 0);
        &padded
    };
    init_buffer(device, label, contents, wgpu::BufferUsages::STORAGE | extra)
}

/// A buffer holding `contents` (padded to a multiple of 4, at least 4 bytes). Unlike wgpu's
/// `create_buffer_init` it never panics: on a lost device the buffer comes back invalid, and the
/// error reaches the enclosing error scope ([`scoped`]) as every other wgpu error does.
pub fn init_buffer(
    device: &wgpu::Device,
    label: &str,
    contents: &[u8],
    usage: wgpu::BufferUsages,
) -> wgpu::Buffer {
    let size = (contents.len() as u64).div_ceil(4).max(1) * 4;
    let buffer = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size,
        usage,
        mapped_at_creation: true,
    });
    if let Ok(mut view) = buffer.get_mapped_range_mut(..) {
        view.slice(..contents.len()).copy_from_slice(contents);
    }
    buffer.unmap();
    buffer
}

/// Copies `len` bytes from the start of `buffer` (which needs `COPY_SRC`) to the host, waiting for the GPU.
pub fn read_buffer(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    buffer: &wgpu::Buffer,
    len: u64,
) -> Result<Vec<u8>> {
    read_pod(device, queue, buffer, 0, len as usize)
}

/// Copies `count` values of `T` from byte `offset` (a multiple of 4) of `buffer` (which needs
/// `COPY_SRC`) to the host, waiting for the GPU: one allocation filled straight from the mapped
/// staging buffer. Host calls read their outputs this way rather than as bytes converted after:
/// each extra pass over a fresh allocation costs page faults, and on an H100 host turning 18 MB
/// of read-back bytes into f32 states and splitting them took 25 ms, longer than the readback.
pub(crate) fn read_pod<T: bytemuck::Pod>(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    buffer: &wgpu::Buffer,
    offset: u64,
    count: usize,
) -> Result<Vec<T>> {
    let len = (count * size_of::<T>()) as u64;
    let padded = len.div_ceil(4).max(1) * 4;
    let staging = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("gdn readback"),
        size: padded,
        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let mut enc = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
        label: Some("gdn readback"),
    });
    enc.copy_buffer_to_buffer(buffer, offset, &staging, 0, padded);
    queue.submit(Some(enc.finish()));
    let slice = staging.slice(..);
    let (tx, rx) = std::sync::mpsc::channel();
    slice.map_async(wgpu::MapMode::Read, move |r| {
        let _ = tx.send(r);
    });
    device
        .poll(wgpu::PollType::wait_indefinitely())
        .map_err(|e| Error::Gpu(format!("waiting for readback: {e}")))?;
    rx.recv()
        .map_err(|_| Error::Gpu("readback callback dropped".into()))?
        .map_err(|e| Error::Gpu(format!("mapping readback buffer: {e}")))?;
    let data = slice
        .get_mapped_range()
        .map_err(|e| Error::Gpu(format!("reading mapped range: {e}")))?;
    let bytes = &data[..len as usize];
    // The mapping is aligned for any T; should a backend hand out one that is not, convert.
    let out = match bytemuck::try_cast_slice::<u8, T>(bytes) {
        Ok(values) => values.to_vec(),
        Err(_) => bytemuck::pod_collect_to_vec(bytes),
    };
    drop(data);
    staging.unmap();
    Ok(out)
}

/// Splits `groups` workgroups into a 2D dispatch that stays under the per-dimension limit.
pub(crate) fn grid(groups: u32, max_dim: u32) -> (u32, u32) {
    if groups <= max_dim {
        (groups.max(1), 1)
    } else {
        (max_dim, groups.div_ceil(max_dim))
    }
}
