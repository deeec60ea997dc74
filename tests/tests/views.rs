//! Row-strided views (`GpuTensor::with_row_stride`): q, k and v read from the token rows of one
//! packed projection output `[B, T, C]` at B·T > 1, on every GPU path, give the bits of the same
//! call on dense tensors and stay within the bound of the f64 reference; misused strides are
//! errors naming the tensor that leave the caller's encoder untouched.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::wgpu;
use gdn_runtime::{
    CallOptions, Context, DType, DispatchReport, Error, GpuInputs, GpuOutputs, GpuTensor,
    HeadShape, HostUpload, PathChoice, Problem,
};
use gdn_tests::{assert_within, rel_rmse, Case, GateCase};
use half::{bf16, f16};

/// Dk = 24 (not a multiple of 32), Dv = 40 ≠ Dk, two value heads per key head.
const H: HeadShape = HeadShape::new(2, 4, 24, 40);
/// Odd B and T.
const B: usize = 3;
const T: usize = 5;
/// Elements of one packed row: q | k | v.
const C: usize = 2 * 2 * 24 + 4 * 40;

fn storage(device: &wgpu::Device, bytes: u64) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("test"),
        size: bytes.div_ceil(4).max(1) * 4,
        usage: wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_SRC
            | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

fn read_bytes(ctx: &Context, b: &wgpu::Buffer, n: usize) -> Vec<u8> {
    let gpu = ctx.gpu().unwrap();
    let mut bytes = gdn_runtime::gpu::read_buffer(&gpu.device, &gpu.queue, b, n as u64).unwrap();
    bytes.truncate(n);
    bytes
}

/// y bytes of `dtype` widened to f32.
fn widen_y(dtype: DType, bytes: &[u8]) -> Vec<f32> {
    match dtype {
        DType::F32 => bytemuck::pod_collect_to_vec(bytes),
        DType::F16 => bytes
            .chunks(2)
            .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
        DType::BF16 => bytes
            .chunks(2)
            .map(|c| bf16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
    }
}

/// A buffer holding q, k and v of `case` as an engine's packed projection output: `lead` bytes,
/// then a row of `stride` elements per token (b, t) with q at element 0, k at Hk·Dk and v at
/// 2·Hk·Dk. Every other byte is 0xff (NaN in every float dtype), so reading outside the views
/// shows in the results.
fn packed(ctx: &Context, case: &Case, lead: usize, stride: usize) -> wgpu::Buffer {
    let host = case.inputs();
    let es = case.dtype.size();
    let (qw, vw) = (H.hk * H.dk * es, H.hv * H.dv * es);
    let mut bytes = vec![0xffu8; (lead + case.b * case.t * stride * es).div_ceil(4) * 4];
    for r in 0..case.b * case.t {
        let at = lead + r * stride * es;
        let (q, k, v) = (
            host.q.data.bytes(),
            host.k.data.bytes(),
            host.v.data.bytes(),
        );
        bytes[at..at + qw].copy_from_slice(&q[r * qw..(r + 1) * qw]);
        bytes[at + qw..at + 2 * qw].copy_from_slice(&k[r * qw..(r + 1) * qw]);
        bytes[at + 2 * qw..at + 2 * qw + vw].copy_from_slice(&v[r * vw..(r + 1) * vw]);
    }
    let gpu = ctx.gpu().unwrap();
    let buffer = storage(&gpu.device, bytes.len() as u64);
    gpu.queue.write_buffer(&buffer, 0, &bytes);
    buffer
}

/// q, k and v as row-strided views of `packed` (laid out by [`packed`]).
fn views<'a>(
    packed: &'a wgpu::Buffer,
    (b, t, dtype): (usize, usize, DType),
    lead: usize,
    stride: usize,
) -> [GpuTensor<'a>; 3] {
    let es = dtype.size();
    let qk = [b, t, H.hk, H.dk];
    [
        (0, qk),
        (H.hk * H.dk, qk),
        (2 * H.hk * H.dk, [b, t, H.hv, H.dv]),
    ]
    .map(|(col, shape)| {
        GpuTensor::new(packed, dtype, &shape)
            .at((lead + col * es) as u64)
            .with_row_stride(stride)
    })
}

/// Runs a call through a prepared call bound to fresh outputs: y bytes, state, report.
fn run(
    ctx: &Context,
    inputs: &GpuInputs<'_>,
    opts: CallOptions,
) -> (Vec<u8>, Vec<u8>, DispatchReport) {
    let gpu = ctx.gpu().unwrap();
    let p = Problem::of(inputs).unwrap();
    let y_bytes = p.y_len() * p.dtype.size();
    let (y, s) = (
        storage(&gpu.device, y_bytes as u64),
        storage(&gpu.device, (p.state_len() * 4) as u64),
    );
    let call = ctx.prepare(&p, opts).unwrap();
    let bound = ctx
        .bind(&call, inputs, &GpuOutputs::new(call.problem(), &y, &s))
        .unwrap();
    let mut enc = gpu.device.create_command_encoder(&Default::default());
    bound.record(&mut enc);
    gpu.queue.submit(Some(enc.finish()));
    (
        read_bytes(ctx, &y, y_bytes),
        read_bytes(ctx, &s, p.state_len() * 4),
        bound.report().clone(),
    )
}

#[test]
fn q_k_v_read_from_one_packed_buffer_match_dense_tensors_on_every_path() {
    let Some(ctx) = gdn_tests::gpu() else {
        return;
    };
    let kernel = CallOptions::path(PathChoice::Kernel);
    let staged = CallOptions {
        staging: Some(true),
        ..kernel
    };
    // (what, options, whether the kernel reads the views (q and k unless a pass normalises them),
    // whether the case is the plain recurrence the f64 reference computes).
    let paths = [
        ("recurrent", kernel, true, true),
        ("recurrent staged", staged, true, true),
        (
            "chunked",
            CallOptions::path(PathChoice::Chunked),
            false,
            true,
        ),
        ("ops", CallOptions::path(PathChoice::Ops), false, true),
        (
            "recurrent, q/k normalised in the kernel",
            CallOptions {
                qk_l2norm: true,
                ..kernel
            },
            true,
            false,
        ),
        (
            "recurrent staged, q/k normalised in a pass",
            CallOptions {
                qk_l2norm: true,
                ..staged
            },
            false,
            false,
        ),
    ];
    for dtype in [DType::F32, DType::BF16, DType::F16] {
        let case = Case::random(90, B, T, H, dtype, GateCase::Log, true, None);
        let up = HostUpload::new(ctx.gpu().unwrap(), &case.inputs());
        let dense = up.inputs();
        let (ry, rs) = case.reference();
        // Rows C apart from the buffer's start (vec4-aligned: the kernel reads all three in
        // place), and C + 1 apart from byte 16 (q and k rows off vec4 columns: gathered).
        for (lead, stride) in [(0, C), (16, C + 1)] {
            let buffer = packed(ctx, &case, lead, stride);
            let [q, k, v] = views(&buffer, (B, T, dtype), lead, stride);
            let strided = GpuInputs {
                q,
                k,
                v,
                ..dense.clone()
            };
            for (what, opts, kernel_qk, plain) in paths {
                let what = format!("{what}, {dtype}, rows {stride} apart from byte {lead}");
                let (want_y, want_s, want_r) = run(ctx, &dense, opts);
                let (got_y, got_s, report) = run(ctx, &strided, opts);
                assert_eq!(report.path, want_r.path, "{what}: {report}");
                let reason = &report.reason;
                let in_place = kernel_qk && stride % 4 == 0;
                match (opts.path, in_place) {
                    (PathChoice::Kernel, true) => {
                        assert!(reason.contains("q, k, v read in place"), "{what}: {report}")
                    }
                    (PathChoice::Kernel, false) => assert!(
                        reason.contains("v read in place") && reason.contains("q, k gathered"),
                        "{what}: {report}"
                    ),
                    _ => assert!(reason.contains("q, k, v gathered"), "{what}: {report}"),
                }
                assert_eq!(got_y, want_y, "{what}: y");
                assert_eq!(got_s, want_s, "{what}: state");
                if plain {
                    let y = widen_y(dtype, &got_y);
                    let s: Vec<f32> = bytemuck::pod_collect_to_vec(&got_s);
                    assert_within(&what, dtype, T, rel_rmse(&y, &ry), rel_rmse(&s, &rs));
                }
            }
        }
    }
}

/// Varlen batches and state pools take row-strided views too: the same bits as dense tensors.
#[test]
fn varlen_batches_and_state_pools_read_row_strided_views() {
    let Some(ctx) = gdn_tests::gpu() else {
        return;
    };
    let gpu = ctx.gpu().unwrap();
    let dtype = DType::BF16;
    let cu = [0, 2, 7, 8];
    let case = Case::random(91, 1, 8, H, dtype, GateCase::Log, false, None);
    let host = case.inputs();
    let up = HostUpload::new(gpu, &host);
    let dense = up.inputs();
    let buffer = packed(ctx, &case, 0, C);
    let [q, k, v] = views(&buffer, (1, 8, dtype), 0, C);
    let strided = GpuInputs {
        q,
        k,
        v,
        ..dense.clone()
    };
    let n = cu.len() - 1;
    let per = H.hv * H.dv * H.dk * 4;
    for path in [PathChoice::Kernel, PathChoice::Chunked] {
        let opts = CallOptions::path(path);
        let mut got = Vec::new();
        for inp in [&dense, &strided] {
            let y = storage(&gpu.device, (8 * H.hv * H.dv * 2) as u64);
            let s = storage(&gpu.device, (n * per) as u64);
            let mut enc = gpu.device.create_command_encoder(&Default::default());
            let report = ctx.encode_varlen(&mut enc, inp, &cu, &y, &s, opts).unwrap();
            gpu.queue.submit(Some(enc.finish()));
            let y = read_bytes(ctx, &y, 8 * H.hv * H.dv * 2);
            got.push((y, read_bytes(ctx, &s, n * per), report));
        }
        assert!(got[1].2.reason.contains("row-strided"), "{}", got[1].2);
        assert_eq!(got[1].0, got[0].0, "varlen {path:?}: y, {}", got[1].2);
        assert_eq!(got[1].1, got[0].1, "varlen {path:?}: states, {}", got[1].2);
    }
    // A pool of four slots; the batch of three reads and writes slots 3, 0, 2.
    let case = Case::random(92, B, T, H, dtype, GateCase::Log, false, None);
    let host = case.inputs();
    let up = HostUpload::new(gpu, &host);
    let dense = up.inputs();
    let buffer = packed(ctx, &case, 0, C);
    let [q, k, v] = views(&buffer, (B, T, dtype), 0, C);
    let strided = GpuInputs {
        q,
        k,
        v,
        ..dense.clone()
    };
    let slots = [3, 0, 2];
    let init: Vec<f32> = (0..4 * per / 4).map(|i| (i % 7) as f32 * 0.01).collect();
    for path in [PathChoice::Kernel, PathChoice::Chunked] {
        let opts = CallOptions::path(path);
        let mut got = Vec::new();
        for inp in [&dense, &strided] {
            let pool = storage(&gpu.device, (4 * per) as u64);
            gpu.queue
                .write_buffer(&pool, 0, bytemuck::cast_slice(&init));
            let y_bytes = B * T * H.hv * H.dv * 2;
            let y = storage(&gpu.device, y_bytes as u64);
            let mut enc = gpu.device.create_command_encoder(&Default::default());
            let report = ctx
                .encode_pooled(&mut enc, inp, &pool, &slots, &y, opts)
                .unwrap();
            gpu.queue.submit(Some(enc.finish()));
            got.push((
                read_bytes(ctx, &y, y_bytes),
                read_bytes(ctx, &pool, 4 * per),
                report,
            ));
        }
        assert!(got[1].2.reason.contains("row-strided"), "{}", got[1].2);
        assert_eq!(got[1].0, got[0].0, "pooled {path:?}: y, {}", got[1].2);
        assert_eq!(got[1].1, got[0].1, "pooled {path:?}: pool, {}", got[1].2);
    }
}

#[test]
fn misused_row_strides_are_errors_naming_the_tensor_and_record_nothing() {
    let Some(ctx) = gdn_tests::gpu() else {
        return;
    };
    let gpu = ctx.gpu().unwrap();
    let device = &gpu.device;
    let dtype = DType::BF16;
    let case = Case::random(93, B, T, H, dtype, GateCase::Log, true, None);
    let up = HostUpload::new(gpu, &case.inputs());
    let dense = up.inputs();
    let buffer = packed(ctx, &case, 0, C);
    let [q, k, v] = views(&buffer, (B, T, dtype), 0, C);
    let good = GpuInputs {
        q: q.clone(),
        k: k.clone(),
        v: v.clone(),
        ..dense.clone()
    };
    let p = Problem::of(&good).unwrap();
    let y_bytes = p.y_len() * 2;
    let (y, s) = (
        storage(device, y_bytes as u64),
        storage(device, (p.state_len() * 4) as u64),
    );
    let sentinel = vec![0x5au8; y_bytes];
    gpu.queue.write_buffer(&y, 0, &sentinel);
    let out = GpuOutputs::new(&p, &y, &s);
    let row = H.hk * H.dk;
    let gate_strided = match &dense.gate {
        gdn_runtime::Gate::Direct { g, beta, form } => gdn_runtime::Gate::Direct {
            g: g.clone().with_row_stride(2 * H.hv),
            beta: beta.clone(),
            form: *form,
        },
        _ => unreachable!(),
    };
    // (what, inputs, outputs, words the one-line error must contain)
    let cases: Vec<(&str, GpuInputs<'_>, GpuOutputs<'_>, [&str; 2])> = vec![
        (
            "stride shorter than a row",
            GpuInputs {
                k: k.clone().with_row_stride(row - 1),
                ..good.clone()
            },
            out.clone(),
            ["`k`", "row stride"],
        ),
        (
            "last row past the buffer's end",
            GpuInputs {
                v: v.clone().with_row_stride(C + 8),
                ..good.clone()
            },
            out.clone(),
            ["`v`", "bytes"],
        ),
        (
            "offset off 4 bytes",
            GpuInputs {
                q: q.clone().at(2),
                ..good.clone()
            },
            out.clone(),
            ["`q`", "multiple of 4"],
        ),
        (
            "a stride on g",
            GpuInputs {
                gate: gate_strided,
                ..good.clone()
            },
            out.clone(),
            ["`g`", "only q, k and v"],
        ),
        (
            "a stride on y",
            good.clone(),
            GpuOutputs {
                y: out.y.clone().with_row_stride(H.hv * H.dv),
                ..out.clone()
            },
            ["`y`", "only q, k and v"],
        ),
        (
            "y written over v's rows",
            good.clone(),
            GpuOutputs {
                y: GpuTensor::new(&buffer, dtype, &[B, T, H.hv, H.dv]),
                ..out.clone()
            },
            ["`y`", "share a buffer"],
        ),
    ];
    let marker = storage(device, 16);
    let src = gdn_runtime::gpu::init_buffer(
        device,
        "marker",
        bytemuck::cast_slice(&[1.0f32, 2.0, 3.0, 4.0]),
        wgpu::BufferUsages::COPY_SRC,
    );
    for (what, inputs, outputs, words) in cases {
        let mut enc = device.create_command_encoder(&Default::default());
        enc.copy_buffer_to_buffer(&src, 0, &marker, 0, 16);
        let call = ctx.prepare(&p, CallOptions::default()).unwrap();
        let msg = ctx.bind(&call, &inputs, &outputs).unwrap_err().to_string();
        for w in words {
            assert!(msg.contains(w), "{what}: {msg:?} lacks {w:?}");
        }
        assert!(!msg.contains('\n'), "{what}: not one line: {msg:?}");
        if outputs.y.row_stride.is_none() && outputs.y.buffer == &y {
            let r = ctx.encode(&mut enc, &inputs, &y, &s, CallOptions::default());
            assert!(matches!(r, Err(Error::Buffer { .. })), "{what}: {r:?}");
        }
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        gpu.queue.submit(Some(enc.finish()));
        assert!(
            pollster::block_on(scope.pop()).is_none(),
            "{what}: the encoder was left invalid"
        );
        let m: Vec<f32> = bytemuck::pod_collect_to_vec(&read_bytes(ctx, &marker, 16));
        assert_eq!(m, [1.0, 2.0, 3.0, 4.0], "{what}");
        assert_eq!(
            read_bytes(ctx, &y, y_bytes),
            sentinel,
            "{what}: y was written"
        );
    }
    // The good views run.
    let mut enc = device.create_command_encoder(&Default::default());
    let report = ctx
        .encode(&mut enc, &good, &y, &s, CallOptions::default())
        .unwrap();
    gpu.queue.submit(Some(enc.finish()));
    assert!(report.reason.contains("row-strided"), "{report}");
    assert_ne!(read_bytes(ctx, &y, y_bytes), sentinel);
}
