//! `gdn bench`: the kernel against the ops path, per T, at a model config.

use super::{median, DeviceArgs, PathArg};
use anyhow::{anyhow, bail, Context as _, Result};
use clap::Args;
use gdn::wgpu;
use gdn::{
    CallOptions, Context, DType, Gate, GateForm, HeadShape, HostInputs, HostTensor, HostUpload,
    PathChoice, Tier,
};
use half::{bf16, f16};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args, Debug)]
pub(crate) struct BenchArgs {
    /// Bundled config name (see `gdn info`) or a path to a config.json.
    #[arg(long, default_value = "qwen3-next-80b-a3b")]
    config: String,
    /// Batch size.
    #[arg(long, default_value_t = 1)]
    batch: usize,
    /// Sequence lengths, comma separated.
    #[arg(long, value_delimiter = ',', default_value = "1,8,64,256")]
    t: Vec<usize>,
    /// Input dtype.
    #[arg(long, default_value = "bf16")]
    dtype: String,
    /// Timed runs per row (the median is reported; the ops path, a slow reference, is timed at
    /// most 5 times after one warm-up).
    #[arg(long, default_value_t = 20)]
    runs: usize,
    /// Untimed warm-up runs per row.
    #[arg(long, default_value_t = 3)]
    warmup: usize,
    /// Paths to time: auto (the automatic choice and ops), recurrent, chunked or ops (that one only).
    #[arg(long, value_enum, default_value_t = PathArg::Auto)]
    path: PathArg,
    /// Restrict kernels to one feature tier (sg8, sg32, portable); default: the best the adapter has.
    #[arg(long)]
    tier: Option<String>,
    /// Kernel entry point: auto (the measured rule), on (q/k/v staged per block of steps) or off.
    #[arg(long, value_enum, default_value_t = Staging::Auto)]
    staging: Staging,
    /// Also write the rows as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Gate inputs: direct decays and βs, or mlx-lm's raw `a`, `b` with f32 `A_log`/`dt_bias`
    /// (computed inside the kernels), or raw with f16 constants (resolved by a pre-pass first).
    #[arg(long, value_enum, default_value_t = Gates::Direct)]
    gates: Gates,
    /// Pass q and k unnormalised and have the op L2-normalise them (`CallOptions::qk_l2norm`; on
    /// the GPU a pass before the op's, outside its timestamps: see the stream and wall columns).
    #[arg(long)]
    qk_l2norm: bool,
    /// Time the serving features instead (varlen batches, per-token snapshots, state pools)
    /// against the plain calls they replace. Its cases are fixed, so the flags that shape the
    /// plain table are refused with it.
    #[arg(long, conflicts_with_all = ["batch", "t", "path", "tier", "staging", "json", "gates", "qk_l2norm"])]
    serving: bool,
    #[command(flatten)]
    device: DeviceArgs,
}

/// `--gates` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Gates {
    /// `g` (decay) and `beta`.
    Direct,
    /// `a`, `b`, f32 `A_log` and `dt_bias`: gates computed in the kernel.
    Raw,
    /// `a`, `b`, f16 `A_log` and `dt_bias`: gates resolved by a pre-pass.
    RawPrepass,
}

/// `--staging` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Staging {
    /// The runtime's rule (`gdn_runtime::policy::stages`).
    Auto,
    /// The staged entry point.
    On,
    /// The unstaged entry point.
    Off,
}

impl BenchArgs {
    fn tier(&self) -> Option<Tier> {
        self.tier.as_deref().and_then(Tier::parse)
    }

    fn options(&self, path: PathChoice) -> CallOptions {
        CallOptions {
            path,
            tier: self.tier(),
            staging: match self.staging {
                Staging::Auto => None,
                Staging::On => Some(true),
                Staging::Off => Some(false),
            },
            qk_l2norm: self.qk_l2norm,
            ..CallOptions::default()
        }
    }
}

/// Random inputs in one dtype: q, k (unit norm), v, decays, betas, state.
pub(super) struct Data {
    qk: [Vec<f32>; 2],
    v: Vec<f32>,
    g: Vec<f32>,
    beta: Vec<f32>,
    pub(super) state: Vec<f32>,
    q16: [Vec<f16>; 3],
    b16: [Vec<bf16>; 3],
}

fn lcg(seed: &mut u64) -> f32 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    ((*seed >> 40) as f32) / ((1u64 << 24) as f32)
}

impl Data {
    /// Checks what [`Data::new`] and one call's outputs take for `[B, T]` against the host memory
    /// limit, before anything is allocated.
    pub(super) fn check(b: usize, t: usize, h: HeadShape) -> Result<()> {
        if t == 0 {
            bail!("--t 0: every sequence length must be at least 1");
        }
        let mut budget = gdn::limits::Budget::new();
        let what = |n: &str| format!("--batch {b} --t {t}: {n}");
        // q, k and v in f32 and both 16-bit copies (4 + 2 + 2 bytes), then gates and states.
        budget.add(what("q and k"), &[2, b, t, h.hk, h.dk], 8)?;
        budget.add(what("v"), &[b, t, h.hv, h.dv], 8)?;
        budget.add(what("g and beta"), &[2, b, t, h.hv], 4)?;
        budget.add(what("y"), &[b, t, h.hv, h.dv], 4)?;
        budget.add(what("states in and out"), &[2, b, h.hv, h.dv, h.dk], 4)?;
        Ok(())
    }

    pub(super) fn new(b: usize, t: usize, h: HeadShape) -> Self {
        let mut s = 42u64;
        let mut qk = [0, 1].map(|_| {
            (0..b * t * h.hk * h.dk)
                .map(|_| lcg(&mut s) - 0.5)
                .collect::<Vec<f32>>()
        });
        for x in &mut qk {
            for c in x.chunks_mut(h.dk) {
                let n = c.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-6);
                c.iter_mut().for_each(|v| *v /= n);
            }
        }
        let v: Vec<f32> = (0..b * t * h.hv * h.dv)
            .map(|_| lcg(&mut s) - 0.5)
            .collect();
        let g = (0..b * t * h.hv).map(|_| 0.8 + 0.2 * lcg(&mut s)).collect();
        let beta = (0..b * t * h.hv).map(|_| lcg(&mut s)).collect();
        let state = (0..b * h.hv * h.dv * h.dk)
            .map(|_| (lcg(&mut s) - 0.5) * 0.1)
            .collect();
        let all = [&qk[0], &qk[1], &v];
        let q16 = all.map(|x| x.iter().map(|&y| f16::from_f32(y)).collect());
        let b16 = all.map(|x| x.iter().map(|&y| bf16::from_f32(y)).collect());
        Self {
            qk,
            v,
            g,
            beta,
            state,
            q16,
            b16,
        }
    }

    fn typed(&self, i: usize, dtype: DType, shape: &[usize]) -> HostTensor<'_> {
        match dtype {
            DType::F32 => HostTensor::f32([&self.qk[0], &self.qk[1], &self.v][i], shape),
            DType::F16 => HostTensor::f16(&self.q16[i], shape),
            DType::BF16 => HostTensor::bf16(&self.b16[i], shape),
        }
    }

    pub(super) fn inputs(&self, b: usize, t: usize, h: HeadShape, dtype: DType) -> HostInputs<'_> {
        let qs = [b, t, h.hk, h.dk];
        HostInputs {
            q: self.typed(0, dtype, &qs),
            k: self.typed(1, dtype, &qs),
            v: self.typed(2, dtype, &[b, t, h.hv, h.dv]),
            gate: Gate::Direct {
                g: HostTensor::f32(&self.g, &[b, t, h.hv]),
                beta: HostTensor::f32(&self.beta, &[b, t, h.hv]),
                form: GateForm::Decay,
            },
            state: Some(HostTensor::f32(&self.state, &[b, h.hv, h.dv, h.dk])),
            mask: None,
        }
    }
}

/// One timed measurement: median GPU (or wall) µs of the call, and median wall µs incl. submit+wait.
#[derive(Clone, Debug, serde::Serialize)]
struct Timing {
    path: String,
    median_us: f64,
    wall_us: f64,
    gpu_timed: bool,
    /// GPU µs per call in a stream of [`STREAM`] back-to-back calls in one submit (median): what a
    /// model's command stream pays per call, the barriers between dependent passes included.
    stream_us: Option<f64>,
}

/// Calls per submit in the stream measurement.
const STREAM: usize = 16;

/// Most timed runs of the ops path per row (one warm-up): it is the slow reference (five
/// dispatches a step), timing it as often as the kernel made long rows take minutes.
const OPS_RUNS: usize = 5;

/// Warm-up and timed runs of `path` for `a`.
fn runs_for(path: PathChoice, a: &BenchArgs) -> (usize, usize) {
    if path == PathChoice::Ops {
        (a.warmup.min(1), a.runs.min(OPS_RUNS))
    } else {
        (a.warmup, a.runs)
    }
}

fn time_gpu(
    ctx: &Context,
    inp: &HostInputs<'_>,
    path: PathChoice,
    a: &BenchArgs,
) -> Result<Timing> {
    let gpu = ctx.gpu().ok_or_else(|| anyhow!("no GPU"))?;
    let (device, queue) = (&gpu.device, &gpu.queue);
    let p = gdn::tensor::validate(inp)?;
    let upload = HostUpload::new(gpu, inp);
    let gin = upload.inputs();
    let mk = |bytes: usize| {
        device.create_buffer(&wgpu::BufferDescriptor {
            label: None,
            size: (bytes.div_ceil(4) * 4) as u64,
            usage: wgpu::BufferUsages::STORAGE,
            mapped_at_creation: false,
        })
    };
    let (y, s_out) = (mk(p.y_len() * p.dtype.size()), mk(p.state_len() * 4));
    let ts = device
        .features()
        .contains(wgpu::Features::TIMESTAMP_QUERY_INSIDE_ENCODERS);
    let qs = ts.then(|| PassTimer::new(device));
    let opts = a.options(path);
    let mut report = None;
    // `n` calls in one submit; with `timed`, GPU time from the first call's start to the last one's end.
    let mut one = |timed: bool, n: usize| -> Result<(f64, Option<f64>)> {
        let t0 = Instant::now();
        let mut enc = device.create_command_encoder(&Default::default());
        for i in 0..n {
            let writes = qs
                .as_ref()
                .filter(|_| timed)
                .and_then(|q| q.writes(i == 0, i + 1 == n));
            report = Some(ctx.encode_timed(&mut enc, &gin, &y, &s_out, opts, writes)?);
        }
        if let (true, Some(q)) = (timed, &qs) {
            q.resolve(&mut enc);
        }
        queue.submit(Some(enc.finish()));
        device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| anyhow!("{e}"))?;
        let wall = t0.elapsed().as_secs_f64() * 1e6;
        if let (true, Some(q)) = (timed, &qs) {
            return Ok((wall, Some(q.read_us(device, queue)? / n as f64)));
        }
        Ok((wall, None))
    };
    let (warmup, runs) = runs_for(path, a);
    for _ in 0..warmup {
        one(false, 1)?;
    }
    let mut walls = Vec::new();
    let mut gpus = Vec::new();
    for _ in 0..runs {
        let (w, g) = one(true, 1)?;
        walls.push(w);
        gpus.extend(g);
    }
    // The stream column is the kernel's; the ops path has none.
    let mut streams = Vec::new();
    if qs.is_some() && path != PathChoice::Ops {
        for _ in 0..runs.div_ceil(4) {
            streams.extend(one(true, STREAM)?.1);
        }
    }
    let stream_us = (!streams.is_empty()).then(|| median(streams));
    let path = report.map(|r| r.path.to_string()).unwrap_or_default();
    let wall_us = median(walls);
    Ok(if gpus.is_empty() {
        Timing {
            path,
            median_us: wall_us,
            wall_us,
            gpu_timed: false,
            stream_us,
        }
    } else {
        Timing {
            path,
            median_us: median(gpus),
            wall_us,
            gpu_timed: true,
            stream_us,
        }
    })
}

fn time_cpu(
    ctx: &Context,
    inp: &HostInputs<'_>,
    path: PathChoice,
    a: &BenchArgs,
) -> Result<Timing> {
    let opts = a.options(path);
    let (warmup, runs) = runs_for(path, a);
    for _ in 0..warmup {
        ctx.update(inp, opts)?;
    }
    let mut walls = Vec::new();
    let mut path_s = String::new();
    for _ in 0..runs {
        let t0 = Instant::now();
        let out = ctx.update(inp, opts)?;
        walls.push(t0.elapsed().as_secs_f64() * 1e6);
        path_s = out.report.path.to_string();
    }
    let w = median(walls);
    Ok(Timing {
        path: path_s,
        median_us: w,
        wall_us: w,
        gpu_timed: false,
        stream_us: None,
    })
}

#[derive(serde::Serialize)]
struct Row {
    config: String,
    adapter: String,
    b: usize,
    t: usize,
    hk: usize,
    hv: usize,
    dk: usize,
    dv: usize,
    dtype: String,
    bytes: usize,
    /// µs to move `bytes` at the measured copy bandwidth.
    floor_us: Option<f64>,
    ops: Option<Timing>,
    kernel: Option<Timing>,
    speedup: Option<f64>,
}

/// Timestamps around compute passes: a query set of two and the buffer they resolve into.
struct PassTimer {
    set: wgpu::QuerySet,
    resolved: wgpu::Buffer,
}

impl PassTimer {
    fn new(device: &wgpu::Device) -> Self {
        Self {
            set: device.create_query_set(&wgpu::QuerySetDescriptor {
                label: None,
                ty: wgpu::QueryType::Timestamp,
                count: 2,
            }),
            resolved: device.create_buffer(&wgpu::BufferDescriptor {
                label: None,
                size: 16,
                usage: wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
                mapped_at_creation: false,
            }),
        }
    }

    /// Writes for a pass that starts (`begin`) and/or ends (`end`) the timed span; `None` if neither.
    fn writes(&self, begin: bool, end: bool) -> Option<wgpu::ComputePassTimestampWrites<'_>> {
        (begin || end).then_some(wgpu::ComputePassTimestampWrites {
            query_set: &self.set,
            beginning_of_pass_write_index: begin.then_some(0),
            end_of_pass_write_index: end.then_some(1),
        })
    }

    fn resolve(&self, enc: &mut wgpu::CommandEncoder) {
        enc.resolve_query_set(&self.set, 0..2, &self.resolved, 0);
    }

    /// µs between the two timestamps (after the resolving submit).
    fn read_us(&self, device: &wgpu::Device, queue: &wgpu::Queue) -> Result<f64> {
        let raw = gdn::gpu::read_buffer(device, queue, &self.resolved, 16)?;
        let t: &[u64] = bytemuck::cast_slice(&raw);
        Ok(t[1].saturating_sub(t[0]) as f64 * f64::from(queue.get_timestamp_period()) / 1e3)
    }
}

/// Calibration shaders: a vec4 copy (the bandwidth a memory-bound kernel can reach) and an empty
/// dispatch (what one timed pass costs with no work).
const CALIBRATE_WGSL: &str = r"
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;

@compute @workgroup_size(256)
fn copy(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x + id.y * 1048576u;
    if (i < arrayLength(&dst)) {
        dst[i] = src[i];
    }
}

@compute @workgroup_size(1)
fn empty() {}
";

/// Measured on the device: copy bandwidth in GB/s (bytes read + written by a vec4 copy kernel)
/// and the GPU µs of an empty dispatch, both from pass timestamps, medians of 9.
pub(crate) fn calibrate(gpu: &gdn::gpu::GpuDevice) -> Result<(f64, f64)> {
    let (device, queue) = (&gpu.device, &gpu.queue);
    let words = ((256u64 << 20).min(device.limits().max_storage_buffer_binding_size) / 16)
        & !((1 << 20) - 1);
    if words == 0 {
        bail!("storage buffers too small to calibrate");
    }
    let mk = || {
        device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("gdn bench calibration"),
            size: words * 16,
            usage: wgpu::BufferUsages::STORAGE,
            mapped_at_creation: false,
        })
    };
    let (src, dst) = (mk(), mk());
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some("gdn bench calibration"),
        source: wgpu::ShaderSource::Wgsl(CALIBRATE_WGSL.into()),
    });
    let pipe = |entry| {
        device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(entry),
            layout: None,
            module: &module,
            entry_point: Some(entry),
            compilation_options: Default::default(),
            cache: None,
        })
    };
    let (copy, empty) = (pipe("copy"), pipe("empty"));
    let bg = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: None,
        layout: &copy.get_bind_group_layout(0),
        entries: &[
            wgpu::BindGroupEntry {
                binding: 0,
                resource: src.as_entire_binding(),
            },
            wgpu::BindGroupEntry {
                binding: 1,
                resource: dst.as_entire_binding(),
            },
        ],
    });
    let q = PassTimer::new(device);
    let time = |with_copy: bool| -> Result<f64> {
        let mut enc = device.create_command_encoder(&Default::default());
        {
            let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: None,
                timestamp_writes: q.writes(true, true),
            });
            if with_copy {
                pass.set_pipeline(&copy);
                pass.set_bind_group(0, &bg, &[]);
                // 4096 workgroups of 256 per row of the grid (1 Mi vec4s), as the shader indexes.
                pass.dispatch_workgroups(4096, (words >> 20) as u32, 1);
            } else {
                pass.set_pipeline(&empty);
                pass.dispatch_workgroups(1, 1, 1);
            }
        }
        q.resolve(&mut enc);
        queue.submit(Some(enc.finish()));
        q.read_us(device, queue)
    };
    // A few untimed copies first: an idle GPU takes a moment to reach its clocks.
    for _ in 0..3 {
        time(true)?;
    }
    let (mut copies, mut empties) = (Vec::new(), Vec::new());
    for _ in 0..9 {
        copies.push(time(true)?);
        empties.push(time(false)?);
    }
    let bw = 2.0 * (words * 16) as f64 / median(copies) / 1e3;
    Ok((bw, median(empties)))
}

pub(crate) fn bench(a: &BenchArgs) -> Result<()> {
    let ctx = a.device.context()?;
    if let Some(t) = &a.tier {
        if Tier::parse(t).is_none() {
            bail!("--tier {t:?}: expected sg8, sg32 or portable");
        }
    }
    let dtype = DType::parse(&a.dtype)
        .ok_or_else(|| anyhow!("--dtype {:?}: expected f32, f16 or bf16", a.dtype))?;
    let (name, h) = ctx
        .registry()
        .lookup(&a.config)
        .with_context(|| format!("--config {}", a.config))?;
    if a.runs == 0 || a.batch == 0 {
        bail!("--runs and --batch must be at least 1");
    }
    if a.serving {
        return super::serving::bench(&ctx, &name, h, dtype, a.runs, a.warmup);
    }
    for &t in &a.t {
        Data::check(a.batch, t, h)?;
    }
    let adapter = ctx.device_label();
    let on_gpu = ctx.gpu().is_some();
    let ts = ctx.gpu().is_some_and(|g| {
        g.device
            .features()
            .contains(wgpu::Features::TIMESTAMP_QUERY_INSIDE_ENCODERS)
    });
    out!("adapter: {adapter}");
    out!(
        "config {name}: B={} Hk={} Hv={} Dk={} Dv={} {dtype}; {} of {} runs after {} warm-up",
        a.batch,
        h.hk,
        h.hv,
        h.dk,
        h.dv,
        if ts {
            "GPU time (timestamps around the compute pass), median"
        } else {
            "wall time, median"
        },
        a.runs,
        a.warmup
    );
    let calibration = match ctx.gpu().filter(|_| ts) {
        Some(g) => Some(calibrate(g)?),
        None => None,
    };
    // On the CPU the memory floor is an in-place pass over a state of this size on all threads.
    let state_bytes = a.batch * h.hv * h.dv * h.dk * 4;
    let cpu_bw = (!on_gpu).then(|| gdn::cpu::state_pass_gbps(state_bytes));
    let bw = calibration.map(|c| c.0).or(cpu_bw);
    match (calibration, cpu_bw) {
        (Some((bw, empty)), _) => out!(
            "copy bandwidth {bw:.0} GB/s (vec4 copy kernel; the floor is bytes moved at this rate); an empty dispatch measures {empty:.1} µs"
        ),
        (None, Some(bw)) => out!(
            "CPU: an in-place pass over the state ({:.1} MiB) on all threads moves {bw:.1} GB/s (the floor is bytes moved at this rate)",
            state_bytes as f64 / (1 << 20) as f64
        ),
        (None, None) => out!("no timestamps: no floor column"),
    }
    // On the CPU the ceiling is arithmetic: the kernel does 7 flops per state element and step
    // (decay, k·s and q·s as two FMAs, the rank-1 update as one FMA).
    let fma_peak = (!on_gpu).then(gdn::cpu::fma_peak_gflops);
    if let Some(pk) = fma_peak {
        out!(
            "CPU: {} threads; a plain f32 FMA loop on all of them runs at {pk:.1} GFLOP/s",
            gdn::cpu::threads()
        );
    }
    out!(
        "kernel µs: one call in its own submit; stream µs: per call in {STREAM} back-to-back calls"
    );
    out!("\n| T | ops ms | kernel µs | stream µs | speedup | GB/s | % floor | floor µs | wall ms | kernel path |");
    out!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    let mut rows = Vec::new();
    for &t in &a.t {
        let data = Data::new(a.batch, t, h);
        let mut inp = data.inputs(a.batch, t, h, dtype);
        // Raw gates: `a` from the decays' range, `b` from the βs; A_log = 0, dt_bias = 0.
        let consts = vec![0.0f32; h.hv];
        let consts16 = vec![f16::ZERO; h.hv];
        if a.gates != Gates::Direct {
            let gs = [a.batch, t, h.hv];
            let (al, dt) = if a.gates == Gates::Raw {
                (
                    HostTensor::f32(&consts, &[h.hv]),
                    HostTensor::f32(&consts, &[h.hv]),
                )
            } else {
                (
                    HostTensor::f16(&consts16, &[h.hv]),
                    HostTensor::f16(&consts16, &[h.hv]),
                )
            };
            inp.gate = Gate::Raw {
                a: HostTensor::f32(&data.g, &gs),
                b: HostTensor::f32(&data.beta, &gs),
                a_log: al,
                dt_bias: dt,
            };
        }
        let run = |path| {
            if on_gpu {
                time_gpu(&ctx, &inp, path, a)
            } else {
                time_cpu(&ctx, &inp, path, a)
            }
        };
        // `auto` times the ops path and the automatic choice; a forced path only that one.
        let ops = matches!(a.path, PathArg::Auto | PathArg::Ops)
            .then(|| run(PathChoice::Ops))
            .transpose()?;
        let kernel = (a.path != PathArg::Ops)
            .then(|| run(a.path.choice()))
            .transpose()?;
        let bytes = 2 * a.batch * h.hv * h.dv * h.dk * 4
            + a.batch * t * (2 * h.hk * h.dk + 2 * h.hv * h.dv) * dtype.size()
            + a.batch * t * h.hv * 8;
        let speedup = ops
            .as_ref()
            .zip(kernel.as_ref())
            .map(|(o, k)| o.median_us / k.median_us);
        let f = |x: Option<f64>, d: usize| x.map_or("–".to_string(), |v| format!("{v:.d$}"));
        let floor_us = bw.map(|bw| bytes as f64 / bw / 1e3);
        let kt = kernel.as_ref().map(|k| k.median_us);
        out!(
            "| {t} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            f(ops.as_ref().map(|x| x.median_us / 1e3), 3),
            f(kt, 1),
            f(kernel.as_ref().and_then(|k| k.stream_us), 1),
            f(speedup, 1),
            f(kt.map(|k| bytes as f64 / k / 1e3), 0),
            f(floor_us.zip(kt).map(|(fl, k)| 100.0 * fl / k), 0),
            f(floor_us, 1),
            f(kernel.as_ref().map(|k| k.wall_us / 1e3), 3),
            kernel.as_ref().map_or("–", |k| k.path.as_str()),
        );
        if let (Some(pk), Some(k)) = (fma_peak, kernel.as_ref()) {
            let flops = 7.0 * (a.batch * t * h.hv * h.dv * h.dk) as f64;
            let gf = flops / k.median_us / 1e3;
            out!(
                "|   | T = {t}: kernel {gf:.1} GFLOP/s, {:.0} % of the FMA loop | | | | | | | | |",
                100.0 * gf / pk
            );
        }
        rows.push(Row {
            config: name.clone(),
            adapter: adapter.clone(),
            b: a.batch,
            t,
            hk: h.hk,
            hv: h.hv,
            dk: h.dk,
            dv: h.dv,
            dtype: dtype.to_string(),
            bytes,
            floor_us,
            ops,
            kernel,
            speedup,
        });
    }
    if !on_gpu {
        // After the calls: the chunk passes' vectors are chosen on the kernel's first calls.
        out!("CPU kernel: {}", gdn::cpu::vectors());
    }
    if let Some(path) = &a.json {
        std::fs::write(path, serde_json::to_string_pretty(&rows)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
