//! The runtime's contract beyond the numbers: dispatch reports, strict mode, GPU-buffer entry
//! points, clear errors for bad input, inputs never modified, empty inputs, the layout helper.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::wgpu;
use gdn_runtime::{
    transpose_state, CallOptions, Context, ContextOptions, DType, DeviceChoice, Error, Gate,
    GateForm, GpuInputs, GpuTensor, HeadShape, HostInputs, HostTensor, HostUpload, PathChoice,
    PathTaken,
};
use gdn_tests::{assert_within, cpu, gpu, registry, rel_rmse, Case, GateCase};

#[test]
fn strict_mode_turns_fallback_into_error_naming_the_config() {
    let Some(mut ctx) = gdn_tests::gpu_owned(false) else {
        return;
    };
    let case = Case::random(
        1000,
        1,
        2,
        HeadShape::new(1, 2, 24, 10),
        DType::F32,
        GateCase::Decay,
        false,
        None,
    );
    let out = ctx.update(&case.inputs(), CallOptions::default()).unwrap();
    assert_eq!(out.report.path, PathTaken::OpsGpu);
    assert!(
        out.report
            .reason
            .contains("no variant for Hk=1 Hv=2 Dk=24 Dv=10 f32"),
        "{}",
        out.report.reason
    );
    ctx.set_strict(true);
    let err = ctx
        .update(&case.inputs(), CallOptions::default())
        .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::NoKernel { .. }), "{msg}");
    assert!(
        msg.contains("Hk=1 Hv=2 Dk=24 Dv=10 f32") && msg.contains("GDN_EXTRA_CONFIGS"),
        "{msg}"
    );
    // A shape with a variant still runs in strict mode, on the kernel.
    let ok = Case::random(
        1001,
        1,
        2,
        HeadShape::new(2, 4, 32, 32),
        DType::F32,
        GateCase::Decay,
        false,
        None,
    );
    assert!(matches!(
        ctx.update(&ok.inputs(), CallOptions::default())
            .unwrap()
            .report
            .path,
        PathTaken::Kernel { .. }
    ));
    // Forcing the kernel path without a variant is an error even when not strict.
    ctx.set_strict(false);
    assert!(matches!(
        ctx.update(&case.inputs(), CallOptions::path(PathChoice::Kernel)),
        Err(Error::NoKernel { .. })
    ));
}

#[test]
fn report_names_path_device_and_reason() {
    let c = cpu();
    let case = Case::random(
        1010,
        1,
        2,
        HeadShape::new(2, 4, 32, 32),
        DType::F32,
        GateCase::Decay,
        false,
        None,
    );
    let r = c
        .update(&case.inputs(), CallOptions::default())
        .unwrap()
        .report;
    assert_eq!(r.path.to_string(), "kernel:cpu");
    assert_eq!(r.device, "cpu");
    let r = c
        .update(&case.inputs(), CallOptions::path(PathChoice::Ops))
        .unwrap()
        .report;
    assert_eq!(r.path.to_string(), "ops:cpu");
    assert!(r.reason.contains("forced"));
    if let Some(g) = gpu() {
        let r = g
            .update(&case.inputs(), CallOptions::default())
            .unwrap()
            .report;
        // The most preferred tier for 1·4·32 rows and 2 steps this adapter supports (sg8 on lavapipe).
        let dev = g.gpu().unwrap();
        let tier = gdn_runtime::policy::tier_preference(4 * 32, 2)
            .into_iter()
            .find(|t| dev.supports_tier(*t).is_ok())
            .unwrap();
        assert_eq!(
            r.path.to_string(),
            format!("kernel:recurrent_hk2_hv4_dk32_dv32_f32_{tier}")
        );
        assert_eq!(r.reason, "variant matched");
    }
}

#[test]
fn gpu_buffers_in_gpu_buffers_out() {
    let Some(ctx) = gpu() else { return };
    let dev = ctx.gpu().unwrap();
    let case = Case::random(
        1020,
        2,
        4,
        HeadShape::new(2, 6, 32, 48),
        DType::BF16,
        GateCase::Log,
        true,
        None,
    );
    let host = case.inputs();
    let up = |t: &HostTensor<'_>| {
        let mut b = t.data.bytes().to_vec();
        b.resize(b.len().div_ceil(4) * 4, 0);
        wgpu::util::DeviceExt::create_buffer_init(
            &dev.device,
            &wgpu::util::BufferInitDescriptor {
                label: None,
                contents: &b,
                usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
            },
        )
    };
    let Gate::Direct { g, beta, .. } = &host.gate else {
        unreachable!()
    };
    let bufs = [
        up(&host.q),
        up(&host.k),
        up(&host.v),
        up(g),
        up(beta),
        up(host.state.as_ref().unwrap()),
    ];
    let gt = |i: usize, t: &HostTensor<'_>| GpuTensor {
        buffer: &bufs[i],
        elem: t.data.elem(),
        shape: t.shape.clone(),
        offset: 0,
        row_stride: None,
    };
    let gin = GpuInputs {
        q: gt(0, &host.q),
        k: gt(1, &host.k),
        v: gt(2, &host.v),
        gate: Gate::Direct {
            g: gt(3, g),
            beta: gt(4, beta),
            form: GateForm::Log,
        },
        state: Some(gt(5, host.state.as_ref().unwrap())),
        mask: None,
    };
    let out = ctx.update_gpu(&gin, CallOptions::default()).unwrap();
    assert!(matches!(out.report.path, PathTaken::Kernel { .. }));
    let y: Vec<half::bf16> = bytemuck::pod_collect_to_vec(
        &gdn_runtime::gpu::read_buffer(
            &dev.device,
            &dev.queue,
            &out.y,
            (case.b * case.t * 6 * 48 * 2) as u64,
        )
        .unwrap(),
    );
    let s: Vec<f32> = bytemuck::pod_collect_to_vec(
        &gdn_runtime::gpu::read_buffer(
            &dev.device,
            &dev.queue,
            &out.state,
            (case.b * 6 * 48 * 32 * 4) as u64,
        )
        .unwrap(),
    );
    let (yr, sr) = case.reference();
    let yf: Vec<f32> = y.iter().map(|v| v.to_f32()).collect();
    assert_within(
        "update_gpu",
        DType::BF16,
        case.t,
        rel_rmse(&yf, &yr),
        rel_rmse(&s, &sr),
    );
    // The initial state buffer is untouched.
    let s0: Vec<f32> = bytemuck::pod_collect_to_vec(
        &gdn_runtime::gpu::read_buffer(
            &dev.device,
            &dev.queue,
            &bufs[5],
            (case.b * 6 * 48 * 32 * 4) as u64,
        )
        .unwrap(),
    );
    assert_eq!(&s0, case.state.as_ref().unwrap());
    // encode() into caller-owned buffers, twice in one submit (layer after layer): the kernel
    // into one pair of buffers, the ops path into another; each pair is read and checked.
    let mk = |n: u64| {
        dev.device.create_buffer(&wgpu::BufferDescriptor {
            label: None,
            size: n,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        })
    };
    let (y2, s2) = (mk(out.y.size()), mk(out.state.size()));
    let (y3, s3) = (mk(out.y.size()), mk(out.state.size()));
    let mut enc = dev.device.create_command_encoder(&Default::default());
    let kernel = ctx
        .encode(&mut enc, &gin, &y2, &s2, CallOptions::default())
        .unwrap();
    assert!(matches!(kernel.path, PathTaken::Kernel { .. }), "{kernel}");
    let ops = ctx
        .encode(&mut enc, &gin, &y3, &s3, CallOptions::path(PathChoice::Ops))
        .unwrap();
    assert_eq!(ops.path, PathTaken::OpsGpu, "{ops}");
    dev.queue.submit(Some(enc.finish()));
    for (yb, sb, what) in [(&y2, &s2, "encode kernel"), (&y3, &s3, "encode ops")] {
        let read = |b: &wgpu::Buffer, n: usize| {
            gdn_runtime::gpu::read_buffer(&dev.device, &dev.queue, b, n as u64).unwrap()
        };
        let yv: Vec<half::bf16> = bytemuck::pod_collect_to_vec(&read(yb, yf.len() * 2));
        let yv: Vec<f32> = yv.iter().map(|v| v.to_f32()).collect();
        let sv: Vec<f32> = bytemuck::pod_collect_to_vec(&read(sb, s.len() * 4));
        assert_within(
            what,
            DType::BF16,
            case.t,
            rel_rmse(&yv, &yr),
            rel_rmse(&sv, &sr),
        );
    }
    // Too-small output buffers are refused, not a wgpu panic.
    let tiny = mk(4);
    let mut enc = dev.device.create_command_encoder(&Default::default());
    let e = ctx
        .encode(&mut enc, &gin, &tiny, &s2, CallOptions::default())
        .unwrap_err();
    assert!(e.to_string().starts_with("buffer `y`"), "{e}");
}

fn expect_err(ctx: &Context, inp: &HostInputs<'_>, needle: &str) {
    let e = ctx.update(inp, CallOptions::default()).expect_err(needle);
    let msg = e.to_string();
    assert!(msg.contains(needle), "expected {needle:?} in {msg:?}");
    assert!(!msg.contains('\n'), "one line: {msg:?}");
}

#[test]
fn bad_inputs_are_clear_errors() {
    let c = cpu();
    let case = Case::random(
        1030,
        2,
        3,
        HeadShape::new(2, 4, 32, 16),
        DType::F32,
        GateCase::Decay,
        true,
        Some(vec![1; 6]),
    );
    let good = case.inputs();
    c.update(&good, CallOptions::default()).unwrap();
    let mut i = good.clone();
    i.q.shape = vec![2, 3, 64];
    expect_err(&c, &i, "tensor `q`: shape [2, 3, 64], expected rank 4");
    let mut i = good.clone();
    i.k.shape = vec![2, 3, 1, 64];
    expect_err(&c, &i, "tensor `k`");
    let mut i = good.clone();
    i.v.shape = vec![2, 3, 3, 16];
    i.v.data = gdn_runtime::HostData::F32(&case.v[..2 * 3 * 3 * 16]);
    expect_err(&c, &i, "Hv a multiple of Hk = 2");
    let mut i = good.clone();
    i.q.data = gdn_runtime::HostData::F32(&case.q[1..]);
    expect_err(
        &c,
        &i,
        "tensor `q`: 383 elements of data for shape [2, 3, 2, 32] (384 elements)",
    );
    let mut i = good.clone();
    let half_q: Vec<half::f16> = case.q.iter().map(|&x| half::f16::from_f32(x)).collect();
    i.k.data = gdn_runtime::HostData::F16(&half_q);
    expect_err(
        &c,
        &i,
        "tensor `k`: dtype f16, expected f32 (the dtype of q)",
    );
    let mut i = good.clone();
    if let Gate::Direct { g, .. } = &mut i.gate {
        g.shape = vec![2, 3, 5];
    }
    expect_err(
        &c,
        &i,
        "tensor `g`: shape [2, 3, 5], expected [2, 3, 4] or [2, 3, 4, 32]",
    );
    let mut i = good.clone();
    if let Some(s) = &mut i.state {
        s.shape = vec![2, 4, 32, 16];
    }
    expect_err(
        &c,
        &i,
        "tensor `state`: shape [2, 4, 32, 16], expected [2, 4, 16, 32] [B,Hv,Dv,Dk]",
    );
    let mut i = good.clone();
    i.mask = Some(HostTensor::u8(&[1, 1, 1], &[1, 3]));
    expect_err(&c, &i, "tensor `mask`");
    let mut i = good.clone();
    i.mask = Some(HostTensor::f32(&case.beta[..6], &[2, 3]));
    expect_err(&c, &i, "tensor `mask`: dtype f32, expected u8 or bool");
    let mut i = good.clone();
    i.q.shape = vec![2, 3, 2, 0];
    i.q.data = gdn_runtime::HostData::F32(&[]);
    expect_err(&c, &i, "non-zero");
}

#[test]
fn inputs_are_not_modified() {
    let case = Case::random(
        1040,
        2,
        3,
        HeadShape::new(2, 4, 32, 32),
        DType::F32,
        GateCase::Decay,
        true,
        None,
    );
    let before = case.clone();
    for ctx in [Some(&cpu()), gpu()].into_iter().flatten() {
        for path in [PathChoice::Auto, PathChoice::Ops] {
            ctx.update(&case.inputs(), CallOptions::path(path)).unwrap();
        }
    }
    assert_eq!(case.state, before.state);
    assert_eq!(case.q, before.q);
    assert_eq!(case.g, before.g);
}

#[test]
fn empty_batch_and_zero_steps() {
    for ctx in [Some(&cpu()), gpu()].into_iter().flatten() {
        for path in [PathChoice::Auto, PathChoice::Ops] {
            // T = 0: y is empty and the state comes back unchanged.
            let c = Case::random(
                1050,
                2,
                0,
                HeadShape::new(2, 4, 32, 32),
                DType::BF16,
                GateCase::Decay,
                true,
                None,
            );
            let out = ctx.update(&c.inputs(), CallOptions::path(path)).unwrap();
            assert_eq!(out.y.to_f32().len(), 0);
            assert_eq!(&out.state, c.state.as_ref().unwrap(), "{}", out.report);
            // B = 0: everything empty.
            let c = Case::random(
                1051,
                0,
                3,
                HeadShape::new(2, 4, 32, 32),
                DType::F32,
                GateCase::Decay,
                true,
                None,
            );
            let out = ctx.update(&c.inputs(), CallOptions::path(path)).unwrap();
            assert!(out.y.to_f32().is_empty() && out.state.is_empty());
        }
    }
}

#[test]
fn state_layout_helper_round_trips() {
    let s: Vec<f32> = (0..2 * 3 * 4).map(|x| x as f32).collect();
    let t = transpose_state(&s, 2, 3, 4);
    assert_eq!(t[1], s[4]); // [0][c=0][r=1] <- [0][r=1][c=0]
    assert_eq!(transpose_state(&t, 2, 4, 3), s);
}

#[test]
fn cpu_choice_and_env_parsing() {
    let ctx = Context::new(
        registry(),
        ContextOptions {
            device: DeviceChoice::Cpu,
            strict: false,
        },
    )
    .unwrap();
    assert!(ctx.gpu().is_none());
    assert_eq!(DeviceChoice::parse("GPU"), Some(DeviceChoice::Gpu));
    assert_eq!(DeviceChoice::parse("tpu"), None);
}

#[test]
fn check_finite_names_the_first_non_finite_value() {
    let mut case = Case::random(
        1300,
        1,
        4,
        HeadShape::new(2, 4, 32, 32),
        DType::F32,
        GateCase::Decay,
        true,
        None,
    );
    case.v[37] = f32::NAN;
    case.k[70] = f32::INFINITY;
    for ctx in [Some(&cpu()), gpu()].into_iter().flatten() {
        let opts = CallOptions {
            check_finite: true,
            ..CallOptions::default()
        };
        let e = ctx.update(&case.inputs(), opts).unwrap_err();
        // k is checked before v; the message names the tensor, the index and the value.
        assert!(
            matches!(
                e,
                Error::NonFinite {
                    tensor: "k",
                    index: 70,
                    ..
                }
            ),
            "{e}"
        );
        assert!(
            e.to_string().contains("`k`") && e.to_string().contains("70"),
            "{e}"
        );
        // Without the flag the call runs (and the non-finite values reach the output).
        let out = ctx.update(&case.inputs(), CallOptions::default()).unwrap();
        assert!(out.state.iter().any(|x| !x.is_finite()));
    }
}

#[test]
fn check_finite_on_gpu_buffers() {
    let Some(ctx) = gpu() else { return };
    let dev = ctx.gpu().unwrap();
    let mut case = Case::random(
        1310,
        1,
        4,
        HeadShape::new(2, 4, 32, 32),
        DType::F32,
        GateCase::Decay,
        true,
        None,
    );
    let opts = CallOptions {
        check_finite: true,
        ..CallOptions::default()
    };
    let run = |case: &Case, extra: wgpu::BufferUsages| {
        let up = HostUpload::with_usage(dev, &case.inputs(), extra);
        ctx.update_gpu(&up.inputs(), opts).map(|o| o.report.path)
    };
    let readable = wgpu::BufferUsages::COPY_SRC;
    // Clean inputs pass, and so do the outputs.
    assert!(run(&case, readable).is_ok());
    // Without COPY_SRC the check cannot read the buffers: a clear refusal naming the first one.
    let e = run(&case, wgpu::BufferUsages::empty()).unwrap_err();
    assert!(matches!(e, Error::Buffer { tensor: "q", .. }), "{e}");
    // The first non-finite value of the first tensor that has one, by name and index.
    case.v[37] = f32::NAN;
    let e = run(&case, readable).unwrap_err();
    assert!(
        matches!(
            e,
            Error::NonFinite {
                tensor: "v",
                index: 37,
                ..
            }
        ),
        "{e}"
    );
}
