//! The runtime inside an engine's GPU program: gdn on the caller's device, prepared calls bound
//! once and recorded into the caller's passes, tensor views, a state updated in place, and every
//! misuse refused before anything is recorded.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::wgpu;
use gdn_runtime::{
    CallOptions, Context, DType, Error, Gate, GateForm, GpuDevice, GpuInputs, GpuOutputs,
    GpuTensor, HeadShape, HostInputs, HostUpload, PathChoice, PathTaken, Problem,
};
use gdn_tests::{registry, Case, GateCase};

/// The caller's own device on the best adapter (software ones included), created with the
/// features gdn recommends; `None` (or a panic under `CI`) without an adapter.
fn engine_device() -> Option<(wgpu::Adapter, wgpu::Device, wgpu::Queue)> {
    let instance = GpuDevice::instance();
    let mut adapters = pollster::block_on(instance.enumerate_adapters(wgpu::Backends::PRIMARY));
    adapters.sort_by_key(|a| a.get_info().device_type == wgpu::DeviceType::Cpu);
    let Some(adapter) = adapters.into_iter().next() else {
        assert!(std::env::var_os("CI").is_none(), "CI is set but no adapter");
        return None;
    };
    let request = GpuDevice::recommended(&adapter);
    let (device, queue) =
        pollster::block_on(adapter.request_device(&request.descriptor(Some("engine")))).unwrap();
    Some((adapter, device, queue))
}

/// A context on the caller's device.
fn engine_context(strict: bool) -> Option<(Context, wgpu::Device, wgpu::Queue)> {
    engine_context_and_adapter(strict).map(|(c, _, d, q)| (c, d, q))
}

/// [`engine_context`] and the adapter it is on.
fn engine_context_and_adapter(
    strict: bool,
) -> Option<(Context, wgpu::Adapter, wgpu::Device, wgpu::Queue)> {
    let (adapter, device, queue) = engine_device()?;
    let gpu = GpuDevice::from_device(&adapter, device.clone(), queue.clone()).unwrap();
    assert!(!gpu.owned());
    Some((
        Context::with_device(registry(), gpu, strict),
        adapter,
        device,
        queue,
    ))
}

fn storage(device: &wgpu::Device, bytes: u64, extra: wgpu::BufferUsages) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("test"),
        size: bytes.max(4),
        usage: wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_SRC
            | wgpu::BufferUsages::COPY_DST
            | extra,
        mapped_at_creation: false,
    })
}

fn read(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    b: &wgpu::Buffer,
    offset: u64,
    n: usize,
) -> Vec<f32> {
    let bytes = gdn_runtime::gpu::read_buffer(device, queue, b, offset + (n * 4) as u64).unwrap();
    bytemuck::pod_collect_to_vec(&bytes[offset as usize..])
}

/// The head shape of Qwen3-Next and the larger Qwen3.5 models.
const H: HeadShape = HeadShape::new(16, 32, 128, 128);

/// A call as an engine holds it on its device: the inputs uploaded (usage `STORAGE | extra`),
/// their problem, and y and state buffers sized for it.
struct OnDevice {
    up: HostUpload,
    p: Problem,
    y: wgpu::Buffer,
    s: wgpu::Buffer,
}

fn on_device(
    ctx: &Context,
    device: &wgpu::Device,
    host: &HostInputs<'_>,
    extra: wgpu::BufferUsages,
) -> OnDevice {
    let up = HostUpload::with_usage(ctx.gpu().unwrap(), host, extra);
    let p = Problem::of(&up.inputs()).unwrap();
    let none = wgpu::BufferUsages::empty();
    let y = storage(device, (p.y_len() * p.dtype.size()) as u64, none);
    let s = storage(device, (p.state_len() * 4) as u64, none);
    OnDevice { up, p, y, s }
}

#[test]
fn a_call_on_the_callers_device_takes_the_kernel_path_in_strict_mode() {
    let Some((ctx, _, _)) = engine_context(true) else {
        return;
    };
    for (t, dtype) in [(1, DType::BF16), (3, DType::F32), (40, DType::F16)] {
        let case = Case::random(7 + t as u64, 2, t, H, dtype, GateCase::Log, true, None);
        let out = ctx.update(&case.inputs(), CallOptions::default()).unwrap();
        assert!(
            matches!(out.report.path, PathTaken::Kernel { .. }),
            "{}",
            out.report
        );
        let (ry, rs) = case.reference();
        let (ey, es) = (
            gdn_tests::rel_rmse(&out.y.to_f32(), &ry),
            gdn_tests::rel_rmse(&out.state, &rs),
        );
        gdn_tests::assert_within("caller's device", dtype, t, ey, es);
    }
}

/// A packed `[1, T, 2·Hk·Dk + Hv·Dv]`-like layout for B·T = 1: q, k, v as views of one buffer,
/// g and β views of another, and the state a slot of a pool, updated in place. Its results equal
/// the same call on separate buffers bit for bit, on the recurrent and the chunked kernels.
#[test]
fn views_and_an_in_place_state_pool_give_the_same_bits_as_separate_buffers() {
    let Some((ctx, device, queue)) = engine_context(false) else {
        return;
    };
    let h = HeadShape::new(16, 16, 128, 128);
    let align = u64::from(device.limits().min_storage_buffer_offset_alignment).max(4);
    let up = |bytes: u64| bytes.div_ceil(align) * align;
    for (t, path) in [
        (1, PathChoice::Kernel),
        (5, PathChoice::Kernel),
        (20, PathChoice::Auto),
    ] {
        let case = Case::random(
            40 + t as u64,
            1,
            t,
            h,
            DType::F32,
            GateCase::Log,
            true,
            None,
        );
        let opts = CallOptions::path(path);
        let want = ctx.update(&case.inputs(), opts).unwrap();
        let host = case.inputs();
        let (qb, vb, gb) = (
            (t * h.hk * h.dk * 4) as u64,
            (t * h.hv * h.dv * 4) as u64,
            (t * h.hv * 4) as u64,
        );
        let (k_at, v_at) = (up(qb), up(qb) + up(qb));
        let packed = storage(&device, v_at + vb, wgpu::BufferUsages::empty());
        queue.write_buffer(&packed, 0, host.q.data.bytes());
        queue.write_buffer(&packed, k_at, host.k.data.bytes());
        queue.write_buffer(&packed, v_at, host.v.data.bytes());
        let Gate::Direct { g, beta, .. } = &host.gate else {
            unreachable!()
        };
        let gates = storage(&device, up(gb) + gb, wgpu::BufferUsages::empty());
        queue.write_buffer(&gates, 0, g.data.bytes());
        queue.write_buffer(&gates, up(gb), beta.data.bytes());
        let per = (h.hv * h.dv * h.dk * 4) as u64;
        let slot_at = up(per) * 2;
        let pool = storage(
            &device,
            slot_at + per + up(per),
            wgpu::BufferUsages::empty(),
        );
        let state = host.state.as_ref().unwrap();
        queue.write_buffer(&pool, slot_at, state.data.bytes());
        let y = storage(&device, vb, wgpu::BufferUsages::empty());
        let slot = GpuTensor::new(&pool, DType::F32, &[1, h.hv, h.dv, h.dk]).at(slot_at);
        let inputs = GpuInputs {
            q: GpuTensor::new(&packed, DType::F32, &[1, t, h.hk, h.dk]),
            k: GpuTensor::new(&packed, DType::F32, &[1, t, h.hk, h.dk]).at(k_at),
            v: GpuTensor::new(&packed, DType::F32, &[1, t, h.hv, h.dv]).at(v_at),
            gate: Gate::Direct {
                g: GpuTensor::new(&gates, DType::F32, &[1, t, h.hv]),
                beta: GpuTensor::new(&gates, DType::F32, &[1, t, h.hv]).at(up(gb)),
                form: GateForm::Log,
            },
            state: Some(slot.clone()),
            mask: None,
        };
        let outputs = GpuOutputs {
            y: GpuTensor::new(&y, DType::F32, &[1, t, h.hv, h.dv]),
            state: slot,
        };
        let call = ctx.prepare(&Problem::of(&inputs).unwrap(), opts).unwrap();
        let bound = ctx.bind(&call, &inputs, &outputs).unwrap();
        assert_eq!(bound.report().path, want.report.path, "{}", bound.report());
        assert!(
            bound.report().reason.contains("in place"),
            "{}",
            bound.report()
        );
        let mut enc = device.create_command_encoder(&Default::default());
        {
            let mut pass = enc.begin_compute_pass(&Default::default());
            bound.record_in_pass(&mut pass);
        }
        queue.submit(Some(enc.finish()));
        let got_y = read(&device, &queue, &y, 0, t * h.hv * h.dv);
        let got_s = read(&device, &queue, &pool, slot_at, h.hv * h.dv * h.dk);
        assert_eq!(got_y, want.y.to_f32(), "y, T = {t}, {}", bound.report());
        assert_eq!(got_s, want.state, "state, T = {t}, {}", bound.report());
        // The bytes around the slot are as they were (zeros).
        let before = read(&device, &queue, &pool, 0, (slot_at / 4) as usize);
        assert!(before.iter().all(|&x| x == 0.0));
    }
}

/// Recording a bound call creates no wgpu object: 64 recordings into one encoder leave wgpu's
/// live object counts as they were (objects made per recording would stay alive until the
/// commands run).
#[test]
fn recording_a_bound_call_creates_no_wgpu_object() {
    let Some((ctx, device, queue)) = engine_context(false) else {
        return;
    };
    for gate in [GateCase::Log, GateCase::Raw] {
        let case = Case::random(3, 1, 1, H, DType::BF16, gate, true, None);
        let OnDevice { up, p, y, s } =
            on_device(&ctx, &device, &case.inputs(), wgpu::BufferUsages::COPY_SRC);
        let inputs = up.inputs();
        let opts = CallOptions {
            qk_l2norm: true,
            ..CallOptions::default()
        };
        let call = ctx.prepare(&p, opts).unwrap();
        let bound = ctx
            .bind(&call, &inputs, &GpuOutputs::new(&p, &y, &s))
            .unwrap();
        let mut enc = device.create_command_encoder(&Default::default());
        bound.record(&mut enc);
        let before = device.get_internal_counters().hal;
        {
            let mut pass = enc.begin_compute_pass(&Default::default());
            for _ in 0..64 {
                bound.record_in_pass(&mut pass);
            }
        }
        let after = device.get_internal_counters().hal;
        queue.submit(Some(enc.finish()));
        for (what, a, b) in [
            ("buffers", &before.buffers, &after.buffers),
            ("bind groups", &before.bind_groups, &after.bind_groups),
            (
                "pipelines",
                &before.compute_pipelines,
                &after.compute_pipelines,
            ),
            (
                "shader modules",
                &before.shader_modules,
                &after.shader_modules,
            ),
        ] {
            assert_eq!(
                a.read(),
                b.read(),
                "{what} created while recording ({gate:?})"
            );
        }
        // The counters count: binding again makes objects.
        let _again = ctx
            .bind(&call, &inputs, &GpuOutputs::new(&p, &y, &s))
            .unwrap();
        assert!(device.get_internal_counters().hal.bind_groups.read() > after.bind_groups.read());
    }
}

/// Every misuse is an error naming the tensor, before anything is recorded: the caller's encoder
/// still holds exactly what the caller recorded and runs without a validation error.
#[test]
fn misuse_is_an_error_naming_the_tensor_and_leaves_the_encoder_untouched() {
    let Some((ctx, adapter, device, queue)) = engine_context_and_adapter(false) else {
        return;
    };
    let h = H;
    let case = Case::random(11, 1, 1, h, DType::F32, GateCase::Raw, true, None);
    let host = case.inputs();
    let OnDevice { up, p, y, s } = on_device(&ctx, &device, &host, wgpu::BufferUsages::COPY_SRC);
    let good = up.inputs();
    let sentinel = vec![7.0f32; p.y_len()];
    queue.write_buffer(&y, 0, bytemuck::cast_slice(&sentinel));

    // Buffers of another device of the same wgpu instance (wgpu ties resources to their
    // instance by id, so only devices of one instance can be told apart).
    let (d2, q2) = pollster::block_on(adapter.request_device(&Default::default())).unwrap();
    let other = Context::with_device(
        registry(),
        GpuDevice::from_device(&adapter, d2, q2).unwrap(),
        false,
    );
    let foreign = HostUpload::new(other.gpu().unwrap(), &host);
    let foreign_q = GpuInputs {
        q: foreign.inputs().q.clone(),
        ..good.clone()
    };
    // No STORAGE usage.
    let plain = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("plain"),
        size: (p.y_len() * 4) as u64,
        usage: wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let big = storage(
        &device,
        (p.state_len() * 8) as u64,
        wgpu::BufferUsages::empty(),
    );
    let align = u64::from(device.limits().min_storage_buffer_offset_alignment);
    let bf16_y = storage(&device, (p.y_len() * 2) as u64, wgpu::BufferUsages::empty());
    let short = storage(&device, 64, wgpu::BufferUsages::empty());
    let f32s = |b| GpuTensor::new(b, DType::F32, &[1, h.hv, h.dv, h.dk]);
    let ys = [1, 1, h.hv, h.dv];
    let good_out = GpuOutputs::new(&p, &y, &s);
    type Misuse<'a> = (
        &'static str,
        GpuInputs<'a>,
        GpuOutputs<'a>,
        &'static [&'static str],
    );
    let mut cases: Vec<Misuse<'_>> = vec![
        ("foreign q", foreign_q, good_out.clone(), &["`q`", "device"]),
        (
            "y without STORAGE",
            good.clone(),
            GpuOutputs {
                y: GpuTensor::new(&plain, DType::F32, &ys),
                ..good_out.clone()
            },
            &["`y`", "STORAGE"],
        ),
        (
            "state view past the buffer",
            good.clone(),
            GpuOutputs {
                state: f32s(&big).at(align * ((p.state_len() * 4) as u64 / align + 1)),
                ..good_out.clone()
            },
            &["`state_out`", "needs"],
        ),
        (
            "y of the wrong dtype",
            good.clone(),
            GpuOutputs {
                y: GpuTensor::new(&bf16_y, DType::BF16, &ys),
                ..good_out.clone()
            },
            &["`y`", "bf16", "f32"],
        ),
        (
            "y too small",
            good.clone(),
            GpuOutputs {
                y: GpuTensor::new(&short, DType::F32, &ys),
                ..good_out.clone()
            },
            &["`y`", "64 bytes"],
        ),
        (
            "y in v's buffer",
            good.clone(),
            GpuOutputs {
                y: GpuTensor::new(good.v.buffer, DType::F32, &ys),
                ..good_out.clone()
            },
            &["`v`", "`y`"],
        ),
        (
            "state and state_out overlapping",
            GpuInputs {
                state: Some(f32s(&big)),
                ..good.clone()
            },
            GpuOutputs {
                state: f32s(&big).at(align),
                ..good_out.clone()
            },
            &["`state`", "`state_out`", "overlap"],
        ),
        (
            "y and state_out overlapping",
            good.clone(),
            GpuOutputs {
                y: GpuTensor::new(&s, DType::F32, &ys),
                ..good_out.clone()
            },
            &["`y`", "`state_out`", "overlap"],
        ),
    ];
    if align >= 8 {
        cases.push((
            "misaligned view",
            GpuInputs {
                v: GpuTensor::new(&big, DType::F32, &[1, 1, h.hv, h.dv]).at(align / 2),
                ..good.clone()
            },
            good_out.clone(),
            &["`v`", "alignment"],
        ));
    }
    let marker = storage(&device, 16, wgpu::BufferUsages::empty());
    let src = gdn_runtime::gpu::init_buffer(
        &device,
        "marker",
        bytemuck::cast_slice(&[1.0f32, 2.0, 3.0, 4.0]),
        wgpu::BufferUsages::COPY_SRC,
    );
    for (what, inputs, outputs, words) in cases {
        let mut enc = device.create_command_encoder(&Default::default());
        enc.copy_buffer_to_buffer(&src, 0, &marker, 0, 16);
        // Through a prepared call, and through the one-shot encode of whole buffers where the
        // case has whole buffers.
        let call = ctx.prepare(&p, CallOptions::default()).unwrap();
        let err = ctx.bind(&call, &inputs, &outputs).unwrap_err();
        let msg = err.to_string();
        for w in words {
            assert!(msg.contains(w), "{what}: {msg:?} lacks {w:?}");
        }
        assert!(!msg.contains('\n'), "{what}: not one line: {msg:?}");
        if outputs.y.offset == 0 && outputs.state.offset == 0 {
            let r = ctx.encode(
                &mut enc,
                &inputs,
                outputs.y.buffer,
                outputs.state.buffer,
                CallOptions::default(),
            );
            assert!(r.is_err(), "{what}: encode accepted it");
        }
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        queue.submit(Some(enc.finish()));
        assert!(
            pollster::block_on(scope.pop()).is_none(),
            "{what}: the encoder was left invalid"
        );
        assert_eq!(
            read(&device, &queue, &marker, 0, 4),
            [1.0, 2.0, 3.0, 4.0],
            "{what}"
        );
        assert_eq!(
            read(&device, &queue, &y, 0, p.y_len()),
            sentinel,
            "{what}: y was written"
        );
    }
    // A call prepared on another context cannot be bound here.
    let call = other.prepare(&p, CallOptions::default()).unwrap();
    let err = ctx.bind(&call, &good, &good_out).unwrap_err();
    assert!(matches!(err, Error::Prepared(_)), "{err}");
    // Inputs that differ from the prepared problem.
    let call = ctx.prepare(&p, CallOptions::default()).unwrap();
    let no_state = GpuInputs {
        state: None,
        ..good.clone()
    };
    let err = ctx.bind(&call, &no_state, &good_out).unwrap_err();
    assert!(err.to_string().contains("prepared for"), "{err}");
}

/// Raw gates whose f32 `A_log` and `dt_bias` buffers lack `COPY_SRC` (an engine's weights) run
/// and give the host call's answer: the constants are copied by a dispatch, not a buffer copy.
#[test]
fn raw_gate_constants_need_no_copy_usage() {
    let Some((ctx, device, queue)) = engine_context(false) else {
        return;
    };
    for t in [1, 7, 40] {
        let case = Case::random(
            21 + t as u64,
            2,
            t,
            H,
            DType::BF16,
            GateCase::Raw,
            true,
            None,
        );
        let host = case.inputs();
        let want = ctx.update(&host, CallOptions::default()).unwrap();
        let OnDevice { up, p, y, s } = on_device(&ctx, &device, &host, wgpu::BufferUsages::empty());
        let inputs = up.inputs();
        let mut enc = device.create_command_encoder(&Default::default());
        let report = ctx
            .encode(&mut enc, &inputs, &y, &s, CallOptions::default())
            .unwrap();
        queue.submit(Some(enc.finish()));
        assert_eq!(report.path, want.report.path);
        let got = read(&device, &queue, &s, 0, p.state_len());
        assert_eq!(got, want.state, "T = {t}: {report}");
    }
}
