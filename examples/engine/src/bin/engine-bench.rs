//! What gdn costs an engine per decode call, on the engine's device: host time to record a bound
//! call into an open pass (against the one-shot `Context::encode`, which prepares and binds on
//! every call), and GPU time of a token of 36 B = 1 decode ops in one compute pass against 36
//! passes. Each layer has its own inputs and state; bf16 inputs, log gates, q/k normalised in the
//! op, the state updated in place.
//!
//! `cargo run --release -p engine --bin engine-bench [-- --layers 36 --rounds 200]`

use engine::{storage, EngineError};
use gdn::wgpu;
use gdn::{CallOptions, DType, Gate, GateForm, GpuInputs, GpuOutputs, GpuTensor, HeadShape};
use std::time::Instant;

/// One layer's buffers.
struct Layer {
    q: wgpu::Buffer,
    k: wgpu::Buffer,
    v: wgpu::Buffer,
    g: wgpu::Buffer,
    beta: wgpu::Buffer,
    y: wgpu::Buffer,
    state: wgpu::Buffer,
}

impl Layer {
    fn new(device: &wgpu::Device, h: HeadShape) -> Self {
        let e = wgpu::BufferUsages::empty();
        let s = |bytes: usize| storage(device, "layer", bytes, e);
        Self {
            q: s(h.hk * h.dk * 2),
            k: s(h.hk * h.dk * 2),
            v: s(h.hv * h.dv * 2),
            g: s(h.hv * 4),
            beta: s(h.hv * 4),
            y: s(h.hv * h.dv * 2),
            state: s(h.hv * h.dv * h.dk * 4),
        }
    }

    fn inputs(&self, h: HeadShape) -> (GpuInputs<'_>, GpuOutputs<'_>) {
        let state = GpuTensor::new(&self.state, DType::F32, &[1, h.hv, h.dv, h.dk]);
        (
            GpuInputs {
                q: GpuTensor::new(&self.q, DType::BF16, &[1, 1, h.hk, h.dk]),
                k: GpuTensor::new(&self.k, DType::BF16, &[1, 1, h.hk, h.dk]),
                v: GpuTensor::new(&self.v, DType::BF16, &[1, 1, h.hv, h.dv]),
                gate: Gate::Direct {
                    g: GpuTensor::new(&self.g, DType::F32, &[1, 1, h.hv]),
                    beta: GpuTensor::new(&self.beta, DType::F32, &[1, 1, h.hv]),
                    form: GateForm::Log,
                },
                state: Some(state.clone()),
                mask: None,
            },
            GpuOutputs {
                y: GpuTensor::new(&self.y, DType::BF16, &[1, 1, h.hv, h.dv]),
                state,
            },
        )
    }
}

fn median(mut x: Vec<f64>) -> f64 {
    x.sort_by(f64::total_cmp);
    x[x.len() / 2]
}

/// GPU µs between two timestamps written around what `record` puts in the encoder, median of
/// `reps` submissions.
fn gpu_us(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    reps: usize,
    record: &dyn Fn(&mut wgpu::CommandEncoder),
) -> Result<f64, EngineError> {
    let set = device.create_query_set(&wgpu::QuerySetDescriptor {
        label: Some("bench"),
        ty: wgpu::QueryType::Timestamp,
        count: 2,
    });
    let resolve = storage(
        device,
        "timestamps",
        16,
        wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
    );
    let mut times = Vec::new();
    for _ in 0..reps {
        let mut enc = device.create_command_encoder(&Default::default());
        enc.write_timestamp(&set, 0);
        record(&mut enc);
        enc.write_timestamp(&set, 1);
        enc.resolve_query_set(&set, 0..2, &resolve, 0);
        queue.submit(Some(enc.finish()));
        let words = engine::read_back(device, queue, &resolve)?;
        let ticks: &[u64] = bytemuck::cast_slice(&words);
        let ns = ticks[1].saturating_sub(ticks[0]) as f64 * f64::from(queue.get_timestamp_period());
        times.push(ns / 1000.0);
    }
    Ok(median(times))
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<(), EngineError> {
    let layers = arg("--layers", 36);
    let rounds = arg("--rounds", 200).max(1);
    let (adapter, device, queue, ctx) = engine::device()?;
    let info = adapter.get_info();
    println!(
        "adapter: {} ({:?}, driver {} {})",
        info.name, info.backend, info.driver, info.driver_info
    );
    let timestamps = device.features().contains(
        wgpu::Features::TIMESTAMP_QUERY | wgpu::Features::TIMESTAMP_QUERY_INSIDE_ENCODERS,
    );
    let opts = CallOptions {
        qk_l2norm: true,
        ..CallOptions::default()
    };
    for h in [
        HeadShape::new(16, 32, 128, 128),
        HeadShape::new(16, 16, 128, 128),
    ] {
        let stack: Vec<Layer> = (0..layers).map(|_| Layer::new(&device, h)).collect();
        let views: Vec<_> = stack.iter().map(|l| l.inputs(h)).collect();
        let problem = gdn::Problem::of(&views[0].0)?;
        let call = ctx.prepare(&problem, opts)?;
        let bound = views
            .iter()
            .map(|(i, o)| ctx.bind(&call, i, o))
            .collect::<Result<Vec<_>, _>>()?;
        println!(
            "({},{},{},{}) bf16, B = 1, T = 1, {layers} layers: {}",
            h.hk,
            h.hv,
            h.dk,
            h.dv,
            bound[0].report()
        );
        // Host: recording bound calls into an open pass.
        let mut record_us = Vec::new();
        let mut submit_us = Vec::new();
        for _ in 0..rounds {
            let mut enc = device.create_command_encoder(&Default::default());
            let t0 = Instant::now();
            {
                let mut pass = enc.begin_compute_pass(&Default::default());
                for b in &bound {
                    b.record_in_pass(&mut pass);
                }
            }
            record_us.push(t0.elapsed().as_secs_f64() * 1e6 / layers as f64);
            let t1 = Instant::now();
            queue.submit(Some(enc.finish()));
            submit_us.push(t1.elapsed().as_secs_f64() * 1e6);
        }
        device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| EngineError::Readback(e.to_string()))?;
        // Host: the one-shot API, which prepares and binds on every call.
        let mut encode_us = Vec::new();
        for _ in 0..rounds.div_ceil(10) {
            let mut enc = device.create_command_encoder(&Default::default());
            let t0 = Instant::now();
            for ((inputs, _), l) in views.iter().zip(&stack) {
                ctx.encode(&mut enc, inputs, &l.y, &l.state, opts)?;
            }
            encode_us.push(t0.elapsed().as_secs_f64() * 1e6 / layers as f64);
            queue.submit(Some(enc.finish()));
        }
        device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| EngineError::Readback(e.to_string()))?;
        println!(
            "host per call: record_in_pass {:.2} us (median of {rounds} tokens), one-shot encode {:.1} us; finish+submit per token {:.1} us",
            median(record_us),
            median(encode_us),
            median(submit_us)
        );
        // Wall per token: one pass of every layer, submit and wait.
        let mut wall = Vec::new();
        for _ in 0..rounds.min(100) {
            let t0 = Instant::now();
            let mut enc = device.create_command_encoder(&Default::default());
            {
                let mut pass = enc.begin_compute_pass(&Default::default());
                bound.iter().for_each(|b| b.record_in_pass(&mut pass));
            }
            queue.submit(Some(enc.finish()));
            device
                .poll(wgpu::PollType::wait_indefinitely())
                .map_err(|e| EngineError::Readback(e.to_string()))?;
            wall.push(t0.elapsed().as_secs_f64() * 1e6);
        }
        println!(
            "wall per token ({layers} ops, one pass, record + submit + wait): {:.1} us",
            median(wall)
        );
        if timestamps {
            let reps = rounds.min(50);
            let one = gpu_us(&device, &queue, reps, &|enc| {
                let mut pass = enc.begin_compute_pass(&Default::default());
                bound.iter().for_each(|b| b.record_in_pass(&mut pass));
            })?;
            let many = gpu_us(&device, &queue, reps, &|enc| {
                bound.iter().for_each(|b| b.record(enc));
            })?;
            println!(
                "GPU per token: {one:.1} us in one pass ({:.2} us an op), {many:.1} us in {layers} passes ({:.2} us an op)",
                one / layers as f64,
                many / layers as f64
            );
        } else {
            println!("GPU per token: the device has no timestamp queries inside encoders");
        }
    }
    Ok(())
}
