//! An engine that uses gdn as engines do: its own wgpu device (created with the features gdn
//! recommends), its own buffers (one packed q | k | v projection read through views, a state pool
//! updated in place), and per decode token one compute pass holding its own kernels and gdn's op,
//! which was prepared and bound once before the loop. It reads back only at the end and checks y
//! and the state against an f64 reference of the recurrence.
//!
//! ```no_run
//! let report = engine::run(64)?;
//! assert!(report.max_error_y < 1e-4);
//! # Ok::<(), engine::EngineError>(())
//! ```

use gdn::wgpu;
use gdn::{CallOptions, DType, Gate, GateForm, GpuDevice, GpuInputs, GpuOutputs, GpuTensor};

/// The head shape the example decodes: Qwen3.5-0.8B's (bundled with gdn).
pub const HEADS: (usize, usize, usize, usize) = (16, 16, 128, 128);
/// Slots of the state pool; the decoded sequence lives in [`SLOT`], the others must stay as they
/// were.
pub const SLOTS: usize = 3;
/// The pool slot of the decoded sequence.
pub const SLOT: usize = 1;

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// No adapter at all.
    #[error("no wgpu adapter found")]
    NoAdapter,
    /// The device request failed.
    #[error("device request failed: {0}")]
    Device(String),
    /// gdn refused a call.
    #[error(transparent)]
    Gdn(#[from] gdn::Error),
    /// Reading results back failed.
    #[error("readback failed: {0}")]
    Readback(String),
}

/// What a run found.
#[derive(Clone, Debug)]
pub struct Report {
    /// The adapter it ran on.
    pub adapter: String,
    /// gdn's dispatch report for the op.
    pub path: String,
    /// Whether gdn took a kernel (not the ops fallback).
    pub kernel: bool,
    /// Tokens decoded.
    pub tokens: usize,
    /// Largest |y − reference| over every token.
    pub max_error_y: f64,
    /// Largest |state − reference| after the last token.
    pub max_error_state: f64,
    /// Whether the pool's other slots are bit for bit as they were.
    pub other_slots_untouched: bool,
}

fn hash(x: u32) -> u32 {
    let mut h = x;
    h ^= h >> 16;
    h = h.wrapping_mul(0x7feb_352d);
    h ^= h >> 15;
    h = h.wrapping_mul(0x846c_a68b);
    h ^= h >> 16;
    h
}

/// Token t's packed projection and gates, as `embed` in `engine.wgsl` writes them.
fn token_inputs(t: usize) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let (hk, hv, dk, dv) = HEADS;
    let n = 2 * hk * dk + hv * dv;
    let qkv = (0..n)
        .map(|i| (hash((t * n + i) as u32) & 0xffff) as f32 / 65536.0 - 0.5)
        .collect();
    let u: Vec<f32> = (0..hv)
        .map(|i| (hash(0x9e37_79b9 ^ (t * hv + i) as u32) & 0xff) as f32 / 256.0)
        .collect();
    let g = u.iter().map(|u| -(u / 8.0 + 1.0 / 32.0)).collect();
    let beta = u.iter().map(|u| 0.5 + u / 4.0).collect();
    (qkv, g, beta)
}

/// A pool slot's initial state: small values from the hash (slot-dependent).
fn initial_state(slot: usize) -> Vec<f32> {
    let (_, hv, dk, dv) = HEADS;
    (0..hv * dv * dk)
        .map(|i| ((hash((slot * 7919 + i) as u32 ^ 0x51ed_270b) & 0xff) as f32 / 256.0 - 0.5) / 8.0)
        .collect()
}

/// The recurrence in f64: per token, q and k L2-normalised, S ← αS, δ = β(v − Sk), S ← S + δkᵀ,
/// y = Sq; the state is `[Hv, Dv, Dk]`.
fn reference(tokens: usize) -> (Vec<f64>, Vec<f64>) {
    let (hk, hv, dk, dv) = HEADS;
    let mut s: Vec<f64> = initial_state(SLOT).iter().map(|&x| f64::from(x)).collect();
    let mut ys = Vec::with_capacity(tokens * hv * dv);
    let norm = |x: &[f32]| {
        let ss: f64 = x.iter().map(|&v| f64::from(v) * f64::from(v)).sum();
        let inv = 1.0 / (ss + 1e-6).sqrt();
        x.iter().map(|&v| f64::from(v) * inv).collect::<Vec<f64>>()
    };
    for t in 0..tokens {
        let (qkv, g, beta) = token_inputs(t);
        for h in 0..hv {
            let kh = h / (hv / hk);
            let q = norm(&qkv[kh * dk..(kh + 1) * dk]);
            let k = norm(&qkv[hk * dk + kh * dk..hk * dk + (kh + 1) * dk]);
            let v = &qkv[2 * hk * dk + h * dv..2 * hk * dk + (h + 1) * dv];
            let alpha = f64::from(g[h]).exp();
            let b = f64::from(beta[h]);
            for r in 0..dv {
                let row = &mut s[(h * dv + r) * dk..(h * dv + r + 1) * dk];
                row.iter_mut().for_each(|x| *x *= alpha);
                let kv: f64 = row.iter().zip(&k).map(|(a, b)| a * b).sum();
                let delta = b * (f64::from(v[r]) - kv);
                row.iter_mut().zip(&k).for_each(|(x, kk)| *x += delta * kk);
                ys.push(row.iter().zip(&q).map(|(a, b)| a * b).sum());
            }
        }
    }
    (ys, s)
}

/// A storage buffer of `bytes` with `extra` usages.
pub fn storage(
    device: &wgpu::Device,
    label: &str,
    bytes: usize,
    extra: wgpu::BufferUsages,
) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: bytes as u64,
        usage: wgpu::BufferUsages::STORAGE | extra,
        mapped_at_creation: false,
    })
}

/// Reads a whole buffer of f32 back (it needs `COPY_SRC`).
pub fn read_back(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    buffer: &wgpu::Buffer,
) -> Result<Vec<f32>, EngineError> {
    let staging = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("engine readback"),
        size: buffer.size(),
        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let mut enc = device.create_command_encoder(&Default::default());
    enc.copy_buffer_to_buffer(buffer, 0, &staging, 0, buffer.size());
    queue.submit(Some(enc.finish()));
    let (tx, rx) = std::sync::mpsc::channel();
    staging.slice(..).map_async(wgpu::MapMode::Read, move |r| {
        let _ = tx.send(r);
    });
    device
        .poll(wgpu::PollType::wait_indefinitely())
        .map_err(|e| EngineError::Readback(e.to_string()))?;
    rx.recv()
        .map_err(|e| EngineError::Readback(e.to_string()))?
        .map_err(|e| EngineError::Readback(e.to_string()))?;
    let view = staging
        .slice(..)
        .get_mapped_range()
        .map_err(|e| EngineError::Readback(e.to_string()))?;
    let out = bytemuck::pod_collect_to_vec(&view);
    drop(view);
    staging.unmap();
    Ok(out)
}

/// The engine's device: the best adapter (hardware first, software ones too), with the features
/// gdn recommends there; and a gdn context on it.
#[allow(clippy::type_complexity)]
pub fn device() -> Result<(wgpu::Adapter, wgpu::Device, wgpu::Queue, gdn::Context), EngineError> {
    let instance = GpuDevice::instance();
    let mut adapters = pollster::block_on(instance.enumerate_adapters(wgpu::Backends::PRIMARY));
    adapters.sort_by_key(|a| a.get_info().device_type == wgpu::DeviceType::Cpu);
    let adapter = adapters.into_iter().next().ok_or(EngineError::NoAdapter)?;
    let request = GpuDevice::recommended(&adapter);
    let (device, queue) =
        pollster::block_on(adapter.request_device(&request.descriptor(Some("engine"))))
            .map_err(|e| EngineError::Device(e.to_string()))?;
    let gpu = GpuDevice::from_device(&adapter, device.clone(), queue.clone())?;
    let ctx = gdn::Context::with_device(gdn::registry(), gpu, false);
    Ok((adapter, device, queue, ctx))
}

/// Decodes `tokens` tokens as described in the crate docs and compares with the reference.
pub fn run(tokens: usize) -> Result<Report, EngineError> {
    let (hk, hv, dk, dv) = HEADS;
    let (adapter, device, queue, ctx) = device()?;

    // The engine's buffers.
    let (qk, vn) = (hk * dk, hv * dv);
    let per_state = hv * dv * dk;
    let qkv = storage(
        &device,
        "qkv",
        (2 * qk + vn) * 4,
        wgpu::BufferUsages::empty(),
    );
    let gates = storage(&device, "gates", 512, wgpu::BufferUsages::empty());
    let y = storage(&device, "y", vn * 4, wgpu::BufferUsages::empty());
    let history = storage(
        &device,
        "history",
        tokens.max(1) * vn * 4,
        wgpu::BufferUsages::COPY_SRC,
    );
    let pool = storage(
        &device,
        "state pool",
        SLOTS * per_state * 4,
        wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST,
    );
    let initial: Vec<f32> = (0..SLOTS).flat_map(initial_state).collect();
    queue.write_buffer(&pool, 0, bytemuck::cast_slice(&initial));
    let tok = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("token"),
        size: 16,
        usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });

    // gdn's op, prepared and bound once: q, k, v are views of the packed projection, g and β views
    // of the gates, and the state is the pool's slot, updated in place.
    let slot =
        GpuTensor::new(&pool, DType::F32, &[1, hv, dv, dk]).at((SLOT * per_state * 4) as u64);
    let inputs = GpuInputs {
        q: GpuTensor::new(&qkv, DType::F32, &[1, 1, hk, dk]),
        k: GpuTensor::new(&qkv, DType::F32, &[1, 1, hk, dk]).at((qk * 4) as u64),
        v: GpuTensor::new(&qkv, DType::F32, &[1, 1, hv, dv]).at((2 * qk * 4) as u64),
        gate: Gate::Direct {
            g: GpuTensor::new(&gates, DType::F32, &[1, 1, hv]),
            beta: GpuTensor::new(&gates, DType::F32, &[1, 1, hv]).at(256),
            form: GateForm::Log,
        },
        state: Some(slot.clone()),
        mask: None,
    };
    let outputs = GpuOutputs {
        y: GpuTensor::new(&y, DType::F32, &[1, 1, hv, dv]),
        state: slot,
    };
    let opts = CallOptions {
        qk_l2norm: true,
        ..CallOptions::default()
    };
    let problem = gdn::Problem::of(&inputs)?;
    let call = ctx.prepare(&problem, opts)?;
    let op = ctx.bind(&call, &inputs, &outputs)?;

    // The engine's kernels, on one layout that both entry points share.
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some("engine"),
        source: wgpu::ShaderSource::Wgsl(include_str!("engine.wgsl").into()),
    });
    let entry = |binding: u32, ty: wgpu::BufferBindingType| wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty,
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    };
    let rw = wgpu::BufferBindingType::Storage { read_only: false };
    let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some("engine"),
        entries: &[
            entry(0, wgpu::BufferBindingType::Uniform),
            entry(1, rw),
            entry(2, rw),
            entry(3, wgpu::BufferBindingType::Storage { read_only: true }),
            entry(4, rw),
        ],
    });
    let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some("engine"),
        bind_group_layouts: &[Some(&layout)],
        immediate_size: 0,
    });
    let pipeline = |entry: &str| {
        device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(entry),
            layout: Some(&pipeline_layout),
            module: &module,
            entry_point: Some(entry),
            compilation_options: Default::default(),
            cache: None,
        })
    };
    let (embed, collect) = (pipeline("embed"), pipeline("collect"));
    let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("engine"),
        layout: &layout,
        entries: &[&tok, &qkv, &gates, &y, &history]
            .iter()
            .enumerate()
            .map(|(i, b)| wgpu::BindGroupEntry {
                binding: i as u32,
                resource: b.as_entire_binding(),
            })
            .collect::<Vec<_>>(),
    });

    // The decode loop: one pass per token, the engine's kernels and gdn's op in it.
    for t in 0..tokens {
        let words: [u32; 4] = [t as u32, qk as u32, vn as u32, hv as u32];
        queue.write_buffer(&tok, 0, bytemuck::cast_slice(&words));
        let mut enc = device.create_command_encoder(&Default::default());
        {
            let mut pass = enc.begin_compute_pass(&Default::default());
            pass.set_pipeline(&embed);
            pass.set_bind_group(0, &bind_group, &[]);
            pass.dispatch_workgroups((2 * qk + vn).div_ceil(64) as u32, 1, 1);
            op.record_in_pass(&mut pass);
            pass.set_pipeline(&collect);
            pass.set_bind_group(0, &bind_group, &[]);
            pass.dispatch_workgroups(vn.div_ceil(64) as u32, 1, 1);
        }
        queue.submit(Some(enc.finish()));
    }

    let got_y = read_back(&device, &queue, &history)?;
    let got_pool = read_back(&device, &queue, &pool)?;
    let (want_y, want_s) = reference(tokens);
    let max_err = |got: &[f32], want: &[f64]| {
        got.iter()
            .zip(want)
            .map(|(&g, &w)| (f64::from(g) - w).abs())
            .fold(0.0, f64::max)
    };
    let got_s = &got_pool[SLOT * per_state..(SLOT + 1) * per_state];
    let other_slots_untouched = (0..SLOTS).filter(|&s| s != SLOT).all(|s| {
        got_pool[s * per_state..(s + 1) * per_state] == initial[s * per_state..(s + 1) * per_state]
    });
    Ok(Report {
        adapter: format!(
            "{} ({:?})",
            adapter.get_info().name,
            adapter.get_info().backend
        ),
        path: op.report().to_string(),
        kernel: !op.report().path.is_ops(),
        tokens,
        max_error_y: max_err(&got_y[..tokens * vn], &want_y),
        max_error_state: max_err(got_s, &want_s),
        other_slots_untouched,
    })
}
