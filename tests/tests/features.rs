//! Serving features beyond the plain op, each against the f64 reference on every path.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::{wgpu, CallOptions, DType, GpuDevice, HeadMap, HeadShape, PathChoice};
use gdn_tests::{bound, cpu, gpu, rel_rmse, Case, GateCase, Qty};

/// Runs `case` with `opts` on every path it can take (CPU kernel and ops; where there is a GPU,
/// its recurrent kernel, ops path and chunked kernel, the last not for per-key gates) and checks
/// each against the `expected` (y, state) within the dtype's tolerance, and that y differs from
/// `unlike` (the result without the option) by more than ten times it, so the option is applied.
fn on_every_path(
    case: &Case,
    opts: CallOptions,
    expected: (&[f64], &[f64]),
    unlike: &[f64],
    what: &str,
) {
    let c = cpu();
    let mut ctxs = vec![
        (&c, PathChoice::Kernel, "cpu kernel"),
        (&c, PathChoice::Ops, "cpu ops"),
    ];
    if let Some(g) = gpu() {
        ctxs.push((g, PathChoice::Kernel, "gpu recurrent"));
        ctxs.push((g, PathChoice::Ops, "gpu ops"));
        if case.gate != GateCase::PerKey {
            ctxs.push((g, PathChoice::Chunked, "gpu chunked"));
        }
    }
    let ty = bound(case.dtype, Qty::Y, case.t);
    for (ctx, path, name) in ctxs {
        let out = ctx
            .update(&case.inputs(), CallOptions { path, ..opts })
            .unwrap();
        let y = out.y.to_f32();
        let (ey, es) = (rel_rmse(&y, expected.0), rel_rmse(&out.state, expected.1));
        let (ty, ts) = if gdn_tests::on_mma(&out.report) {
            (gdn_tests::MMA_BOUND, gdn_tests::MMA_BOUND)
        } else {
            (ty, state_bound(case.dtype, case.t, opts.qk_l2norm))
        };
        assert!(
            ey <= ty && es <= ts,
            "{name} {what} via {}: y {ey:.2e} (bound {ty:.0e}) state {es:.2e} (bound {ts:.0e})",
            out.report
        );
        assert!(
            y.iter().all(|v| v.is_finite()),
            "{name} {what}: non-finite y"
        );
        assert!(
            rel_rmse(&y, unlike) > 10.0 * ty,
            "{name} {what}: the option changed nothing"
        );
    }
}

/// The state bound of a `dtype` run of `t` steps. With `qk_l2norm` on 16-bit inputs the GPU
/// writes the normalised q and k in the input dtype (in a pass before the op) where the
/// reference keeps them in f32, so the state carries that input rounding and is bounded like y
/// (measured 1.5e-3 for bf16, 1.9e-4 for f16).
fn state_bound(dtype: DType, t: usize, qk_l2norm: bool) -> f64 {
    if qk_l2norm && dtype != DType::F32 {
        bound(dtype, Qty::Y, t)
    } else {
        bound(dtype, Qty::State, t)
    }
}

/// Scales each row of `case`'s q and k by a factor in [0.3, 3) and zeroes k's first row (which
/// must stay zero: the 1e-6 keeps it finite), then returns a copy whose q and k are those rows
/// L2-normalised, x / sqrt(Σx² + 1e-6): what a `qk_l2norm` call on `case` must compute.
fn unnormalise(case: &mut Case, seed: u64) -> Case {
    let dk = case.h.dk;
    let mut r = gdn_tests::Rng::new(seed);
    for x in [&mut case.q, &mut case.k] {
        for row in x.chunks_mut(dk) {
            let f = r.range(0.3, 3.0);
            row.iter_mut().for_each(|v| *v *= f);
        }
    }
    case.k[..dk].fill(0.0);
    case.round_inputs();
    let mut normed = case.clone();
    for x in [&mut normed.q, &mut normed.k] {
        for row in x.chunks_mut(dk) {
            let ss: f64 = row.iter().map(|&v| f64::from(v) * f64::from(v)).sum();
            let inv = 1.0 / (ss + 1e-6).sqrt();
            row.iter_mut()
                .for_each(|v| *v = (f64::from(*v) * inv) as f32);
        }
    }
    normed
}

/// `CallOptions` for `path`, with q/k normalisation when `norm`.
fn with_norm(path: PathChoice, norm: bool) -> CallOptions {
    CallOptions {
        qk_l2norm: norm,
        ..CallOptions::path(path)
    }
}

/// A storage buffer of `bytes` (rounded up to 4) that can be read back: a call's outputs.
fn out_buffer(dev: &GpuDevice, bytes: usize) -> wgpu::Buffer {
    dev.device.create_buffer(&wgpu::BufferDescriptor {
        label: None,
        size: (bytes.div_ceil(4) * 4).max(4) as u64,
        usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
        mapped_at_creation: false,
    })
}

/// The first `n` bytes of `buf`, read back.
fn read(dev: &GpuDevice, buf: &wgpu::Buffer, n: usize) -> Vec<u8> {
    gdn_runtime::gpu::read_buffer(&dev.device, &dev.queue, buf, n as u64).unwrap()
}

/// Tiled head mapping (value head h reads key head h % Hk), chosen with `CallOptions::head_map`:
/// every path (CPU kernel and ops; GPU recurrent, chunked and ops) matches the tiled reference,
/// and differs from the grouped one, so the mapping is really applied.
#[test]
fn tiled_head_mapping_on_every_path() {
    let cases = [
        (1, GateCase::Decay, DType::F32),
        (5, GateCase::PerKey, DType::BF16),
        (40, GateCase::Raw, DType::F16),
        (40, GateCase::Log, DType::F32),
    ];
    for (i, (t, gate, dtype)) in cases.into_iter().enumerate() {
        let h = HeadShape::new(2, 6, 32, 48);
        let mut case = Case::random(9500 + i as u64, 2, t, h, dtype, gate, i % 2 == 0, None);
        case.tiled = true;
        let (yr, sr) = case.reference();
        case.tiled = false;
        let (yg, _) = case.reference();
        let opts = CallOptions {
            head_map: HeadMap::Tiled,
            ..CallOptions::default()
        };
        let what = format!("tiled T={t} {gate:?} {dtype}");
        on_every_path(&case, opts, (&yr, &sr), &yg, &what);
    }
}

/// q/k L2 normalisation inside the op (`CallOptions::qk_l2norm`): q and k scaled per row by
/// factors in [0.3, 3) (and left alone for one row of zeros), then every path (CPU kernel and ops;
/// GPU recurrent, chunked and ops) against the reference run on x / sqrt(Σx² + 1e-6), every dtype,
/// and required to differ from the unnormalised call.
#[test]
fn qk_l2norm_in_the_op_on_every_path() {
    let cases = [
        (1, GateCase::Decay, DType::F32, HeadShape::new(2, 6, 32, 48)),
        (40, GateCase::Raw, DType::BF16, HeadShape::new(2, 6, 32, 48)),
        (
            77,
            GateCase::Log,
            DType::F16,
            HeadShape::new(16, 32, 128, 128),
        ),
        (
            9,
            GateCase::PerKey,
            DType::F32,
            HeadShape::new(2, 2, 30, 12),
        ),
        // An odd Dk of 16-bit values: pairs span rows, so the GPU normalises in two passes.
        (6, GateCase::Decay, DType::BF16, HeadShape::new(1, 3, 5, 8)),
    ];
    for (i, (t, gate, dtype, h)) in cases.into_iter().enumerate() {
        let mut case = Case::random(9800 + i as u64, 2, t, h, dtype, gate, i % 2 == 0, None);
        let normed = unnormalise(&mut case, 9900 + i as u64);
        let (yr, sr) = normed.reference();
        let (yu, _) = case.reference();
        let opts = CallOptions {
            qk_l2norm: true,
            ..CallOptions::default()
        };
        let what = format!("qk_l2norm T={t} {gate:?} {dtype}");
        on_every_path(&case, opts, (&yr, &sr), &yu, &what);
        // The report says where: the recurrent kernel's unstaged entry point (decode, short
        // calls) normalises q and k itself, other GPU paths read them from a pass before.
        if let Some(g) = gpu() {
            let report = g
                .update(&case.inputs(), with_norm(PathChoice::Kernel, true))
                .unwrap()
                .report;
            let how = if report.reason.contains("steps staged") {
                "q/k L2-normalised in a pass before the op"
            } else {
                "q/k L2-normalised in the kernel"
            };
            assert!(report.reason.contains(how), "{what}: {report}");
        }
        let (ty, ts) = (bound(dtype, Qty::Y, t), state_bound(dtype, t, true));
        let c = cpu();
        // The other entry points: the caller's state updated in place (CPU kernel), and GPU
        // buffers (`update_gpu`).
        let mut st = case.state.clone().unwrap_or_else(|| vec![0.0; sr.len()]);
        let mut stateless = case.clone();
        stateless.state = None;
        let (y, _) = c
            .update_in_place(&stateless.inputs(), &mut st, opts)
            .unwrap();
        let (ey, es) = (rel_rmse(&y.to_f32(), &yr), rel_rmse(&st, &sr));
        assert!(ey <= ty && es <= ts, "in place: y {ey:.2e} state {es:.2e}");
        if let Some(g) = gpu() {
            let dev = g.gpu().unwrap();
            let up = gdn_runtime::HostUpload::new(dev, &case.inputs());
            let out = g.update_gpu(&up.inputs(), opts).unwrap();
            let ys = read(dev, &out.y, yr.len() * dtype.size());
            let y: Vec<f32> = match dtype {
                DType::F32 => bytemuck::pod_collect_to_vec(&ys),
                DType::F16 => bytemuck::pod_collect_to_vec::<u8, half::f16>(&ys)
                    .iter()
                    .map(|v| v.to_f32())
                    .collect(),
                DType::BF16 => bytemuck::pod_collect_to_vec::<u8, half::bf16>(&ys)
                    .iter()
                    .map(|v| v.to_f32())
                    .collect(),
            };
            let s: Vec<f32> = bytemuck::pod_collect_to_vec(&read(dev, &out.state, sr.len() * 4));
            let (ey, es) = (rel_rmse(&y, &yr), rel_rmse(&s, &sr));
            assert!(
                ey <= ty && es <= ts,
                "update_gpu: y {ey:.2e} state {es:.2e}"
            );
        }
    }
}

/// Varlen batches (`Context::update_varlen`, and `Context::encode_varlen` on GPU buffers):
/// sequences of uneven lengths (an empty one among them) packed along T, each with its own
/// initial state, against the reference of each sequence run alone; caller masks inside the
/// packed steps, raw and per-key gates, every dtype; the CPU (one call per sequence) and on the
/// GPU the recurrent kernel (staged and plain entry points) and the chunked one in one dispatch,
/// the ops path one call per sequence.
#[test]
fn varlen_batches_match_each_sequence_alone() {
    varlen_case(&[5, 0, 17, 1, 33], 9600, false);
    varlen_case(&[20, 18, 20, 17, 19], 9620, false);
    // Decode-like lengths: the kernel's plain (unstaged) entry point.
    varlen_case(&[3, 1, 0, 2, 1], 9660, false);
    // Longer than one 64-step chunk, on the chunked kernel.
    varlen_case(&[70, 2, 129, 0, 64], 9680, false);
    // With q/k normalisation in the op.
    varlen_case(&[5, 0, 17, 1, 33], 9640, true);
}

fn varlen_case(lens: &[usize], seed: u64, norm: bool) {
    let mut cu = vec![0usize];
    for &l in lens {
        cu.push(cu.last().unwrap() + l);
    }
    let total = *cu.last().unwrap();
    let h = HeadShape::new(2, 6, 32, 48);
    let runs = [
        (GateCase::Decay, DType::F32, false),
        (GateCase::Raw, DType::BF16, true),
        (GateCase::PerKey, DType::F16, false),
    ];
    for (i, (gate, dtype, masked)) in runs.into_iter().enumerate() {
        let mask = masked.then(|| (0..total).map(|s| u8::from(s % 7 != 3)).collect());
        let mut packed = Case::random(seed + i as u64, 1, total, h, dtype, gate, false, mask);
        // The reference reads `expect`: the packed case, or its q/k normalised.
        let expect = if norm {
            unnormalise(&mut packed, seed + 20 + i as u64)
        } else {
            packed.clone()
        };
        // One initial state per sequence.
        let states = Case::random(
            seed + 10 + i as u64,
            lens.len(),
            1,
            h,
            DType::F32,
            gate,
            true,
            None,
        )
        .state
        .unwrap();
        let per = h.hv * h.dv * h.dk;
        // The reference: each sequence alone, its steps cut from the packed case.
        let (mut yr, mut sr) = (Vec::new(), Vec::new());
        for (s, w) in cu.windows(2).enumerate() {
            let mut c = expect.clone();
            let cut = |x: &[f32], inner: usize| x[w[0] * inner..w[1] * inner].to_vec();
            c.t = w[1] - w[0];
            c.q = cut(&expect.q, h.hk * h.dk);
            c.k = cut(&expect.k, h.hk * h.dk);
            c.v = cut(&expect.v, h.hv * h.dv);
            let gcols = expect.g.len() / (total * h.hv).max(1);
            c.g = cut(&expect.g, h.hv * gcols);
            c.beta = cut(&expect.beta, h.hv);
            c.mask = expect.mask.as_ref().map(|m| m[w[0]..w[1]].to_vec());
            c.state = Some(states[s * per..(s + 1) * per].to_vec());
            let (y, st) = c.reference();
            yr.extend(y);
            sr.extend(st);
        }
        let c = cpu();
        let mut ctxs = vec![(&c, PathChoice::Kernel), (&c, PathChoice::Ops)];
        if let Some(g) = gpu() {
            ctxs.push((g, PathChoice::Auto));
            ctxs.push((g, PathChoice::Kernel));
            ctxs.push((g, PathChoice::Ops));
            // Per-key gates run on the recurrent kernel only.
            if gate != GateCase::PerKey {
                ctxs.push((g, PathChoice::Chunked));
            }
        }
        for (ctx, path) in ctxs {
            let mut inp = packed.inputs();
            inp.state = Some(gdn_runtime::HostTensor::f32(
                &states,
                &[lens.len(), h.hv, h.dv, h.dk],
            ));
            let out = ctx.update_varlen(&inp, &cu, with_norm(path, norm)).unwrap();
            let (ey, es) = (rel_rmse(&out.y.to_f32(), &yr), rel_rmse(&out.state, &sr));
            let (ty, ts) = if gdn_tests::on_mma(&out.report) {
                (gdn_tests::MMA_BOUND, gdn_tests::MMA_BOUND)
            } else {
                (bound(dtype, Qty::Y, total), state_bound(dtype, total, norm))
            };
            assert!(
                ey <= ty && es <= ts,
                "{gate:?} {dtype} {path:?} qk_l2norm={norm}: y {ey:.2e} state {es:.2e} via {}",
                out.report
            );
            // The GPU kernels take the batch in one dispatch; the CPU and the ops path run one
            // call per sequence.
            let tmax = *lens.iter().max().unwrap();
            let how = if std::ptr::eq(ctx, &c) || path == PathChoice::Ops {
                "varlen: 5 sequences, one call each".to_string()
            } else {
                format!("varlen: 5 sequences in one dispatch (the longest has {tmax} steps)")
            };
            assert!(out.report.reason.contains(&how), "{}", out.report);
            if path == PathChoice::Chunked {
                assert!(out.report.reason.contains("chunked"), "{}", out.report);
            }
            // The same batch recorded on GPU buffers gives the same result.
            if !std::ptr::eq(ctx, &c) && path != PathChoice::Ops {
                let dev = ctx.gpu().unwrap();
                let up = gdn_runtime::HostUpload::new(dev, &inp);
                let (yb, sb) = (
                    out_buffer(dev, yr.len() * dtype.size()),
                    out_buffer(dev, sr.len() * 4),
                );
                let mut enc = dev.device.create_command_encoder(&Default::default());
                let report = ctx
                    .encode_varlen(&mut enc, &up.inputs(), &cu, &yb, &sb, with_norm(path, norm))
                    .unwrap();
                dev.queue.submit([enc.finish()]);
                assert_eq!(report.path, out.report.path);
                assert_eq!(
                    read(dev, &yb, yr.len() * dtype.size()),
                    out.y.bytes(),
                    "{report}"
                );
                let s: Vec<f32> = bytemuck::pod_collect_to_vec(&read(dev, &sb, sr.len() * 4));
                assert_eq!(s, out.state, "{report}");
            }
        }
    }
    // Where no kernel serves it, a varlen batch on GPU buffers is an error, not a silent
    // fallback.
    if let Some(g) = gpu() {
        let packed = Case::random(9655, 1, 10, h, DType::F32, GateCase::Decay, false, None);
        let dev = g.gpu().unwrap();
        let up = gdn_runtime::HostUpload::new(dev, &packed.inputs());
        let (yb, sb) = (
            out_buffer(dev, 10 * h.hv * h.dv * 4),
            out_buffer(dev, 2 * h.hv * h.dv * h.dk * 4),
        );
        let mut enc = dev.device.create_command_encoder(&Default::default());
        let e = g
            .encode_varlen(
                &mut enc,
                &up.inputs(),
                &[0, 4, 10],
                &yb,
                &sb,
                CallOptions::path(PathChoice::Ops),
            )
            .unwrap_err();
        assert!(e.to_string().contains("needs a kernel"), "{e}");
        // And a state buffer too small for the N states is refused by name.
        let e = g
            .encode_varlen(
                &mut enc,
                &up.inputs(),
                &[0, 4, 10],
                &yb,
                &out_buffer(dev, 64),
                CallOptions::default(),
            )
            .unwrap_err();
        assert!(e.to_string().contains("state_out"), "{e}");
    }
    // Bad offsets are refused by name.
    let packed = Case::random(9650, 1, 10, h, DType::F32, GateCase::Decay, false, None);
    for bad in [vec![0, 4], vec![1, 10], vec![0, 6, 4, 10], vec![0]] {
        let e = cpu()
            .update_varlen(&packed.inputs(), &bad, CallOptions::default())
            .unwrap_err();
        assert!(e.to_string().contains("cu_seqlens"), "{e}");
    }
}

/// State pools (`Context::encode_pooled`): batch row b reads and writes pool slot `slots[b]` in
/// place; the result matches the reference from the pooled states, other slots stay bit-exact,
/// and bad slots are refused. The recurrent kernel addresses the pool itself (the report says
/// so), also across the dispatches of a long call; other paths gather and scatter.
#[test]
fn state_pool_in_place() {
    let h = HeadShape::new(2, 6, 32, 48);
    // Decode (the kernel's plain entry point) and a few steps (its staged one).
    pool_case(h, 9850, 1, PathChoice::Auto, false);
    pool_case(h, 9800, 9, PathChoice::Auto, false);
    // No variant for (1, 3, 5, 7): the ops path, whose 105-float states move by buffer copies.
    pool_case(HeadShape::new(1, 3, 5, 7), 9810, 9, PathChoice::Auto, false);
    // With q/k normalisation in the op.
    pool_case(h, 9820, 9, PathChoice::Auto, true);
    // The chunked path (on a software adapter from T = 16; hardware adapters run f32 inputs on
    // the recurrent kernel), and a recurrent call of two dispatches on a software adapter.
    pool_case(h, 9830, 40, PathChoice::Auto, false);
    pool_case(h, 9840, 2100, PathChoice::Kernel, false);
}

fn pool_case(h: HeadShape, seed: u64, t: usize, path: PathChoice, norm: bool) {
    use gdn_runtime::wgpu;
    use gdn_runtime::HostUpload;
    let Some(ctx) = gpu() else { return };
    let dev = ctx.gpu().unwrap();
    let (b, slots_n) = (3, 5);
    let slots = [3u32, 0, 4];
    let mut case = Case::random(seed, b, t, h, DType::F32, GateCase::Log, false, None);
    let pool_states = Case::random(
        seed + 1,
        slots_n,
        1,
        h,
        DType::F32,
        GateCase::Decay,
        true,
        None,
    )
    .state
    .unwrap();
    let per = h.hv * h.dv * h.dk;
    let mut gathered = Vec::new();
    for &s in &slots {
        gathered.extend_from_slice(&pool_states[s as usize * per..(s as usize + 1) * per]);
    }
    let mut expect = if norm {
        unnormalise(&mut case, seed + 2)
    } else {
        case.clone()
    };
    expect.state = Some(gathered);
    let (yr, sr) = expect.reference();
    let inputs = HostUpload::new(dev, &case.inputs());
    let gin = inputs.inputs();
    let up = |bytes: &[u8], usage| gdn_runtime::gpu::init_buffer(&dev.device, "test", bytes, usage);
    let st = wgpu::BufferUsages::STORAGE;
    let rw = st | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST;
    let pool = up(bytemuck::cast_slice(&pool_states), rw);
    let y_gpu = up(&vec![0u8; b * t * h.hv * h.dv * 4], rw);
    let mut enc = dev.device.create_command_encoder(&Default::default());
    let report = ctx
        .encode_pooled(&mut enc, &gin, &pool, &slots, &y_gpu, with_norm(path, norm))
        .unwrap();
    // In place exactly where the recurrent kernel runs.
    let recurrent = report.path.to_string().starts_with("kernel:recurrent_");
    assert_eq!(
        report.reason.contains("in place in the pool"),
        recurrent,
        "{report}"
    );
    dev.queue.submit([enc.finish()]);
    let after: Vec<f32> = bytemuck::pod_collect_to_vec(&read(dev, &pool, slots_n * per * 4));
    let y: Vec<f32> = bytemuck::pod_collect_to_vec(&read(dev, &y_gpu, b * t * h.hv * h.dv * 4));
    let mut new_states = Vec::new();
    for &s in &slots {
        new_states.extend_from_slice(&after[s as usize * per..(s as usize + 1) * per]);
    }
    let (ty, ts) = (
        bound(DType::F32, Qty::Y, t),
        bound(DType::F32, Qty::State, t),
    );
    let (ey, es) = (rel_rmse(&y, &yr), rel_rmse(&new_states, &sr));
    assert!(
        ey <= ty && es <= ts,
        "T={t} qk_l2norm={norm}: y {ey:.2e} state {es:.2e} via {report}"
    );
    for untouched in [1usize, 2] {
        let r = untouched * per..(untouched + 1) * per;
        assert_eq!(
            &after[r.clone()],
            &pool_states[r],
            "slot {untouched} changed"
        );
    }
    // A repeated or an out-of-range slot is refused, naming the pool.
    for bad in [[3u32, 3, 0], [0, 1, 5]] {
        let mut enc = dev.device.create_command_encoder(&Default::default());
        let e = ctx
            .encode_pooled(&mut enc, &gin, &pool, &bad, &y_gpu, CallOptions::default())
            .unwrap_err();
        assert!(e.to_string().contains("pool"), "{e}");
    }
}

/// Per-token state snapshots (`Context::update_snapshots`): the state after each chosen
/// position equals the final state of the reference run on the first that many tokens, for
/// every sequence of a batch with masks, and y and the final state match the whole run.
#[test]
fn snapshots_after_chosen_positions() {
    snapshots_case(false, DType::F32, 6, &[1, 2, 3, 5, 6]);
    // With q/k normalisation in the op.
    snapshots_case(true, DType::F32, 6, &[1, 2, 3, 5, 6]);
    // 16-bit inputs, positions short of T.
    snapshots_case(false, DType::BF16, 9, &[2, 7]);
}

/// Snapshots across the dispatches of a long call (a software adapter walks 2048 steps per
/// dispatch): the kernel's table is indexed by the call's step, and the state carried.
#[test]
fn snapshots_across_dispatches() {
    let Some(g) = gpu() else { return };
    let h = HeadShape::new(2, 6, 32, 48);
    let t = 2100;
    let case = Case::random(9950, 1, t, h, DType::F32, GateCase::Decay, true, None);
    let positions = [1usize, 2047, 2048, 2049, 2100];
    let (out, snaps) = g
        .update_snapshots(&case.inputs(), &positions, CallOptions::default())
        .unwrap();
    assert!(
        out.report.reason.contains("in the same dispatch"),
        "{}",
        out.report
    );
    let per = h.hv * h.dv * h.dk;
    let ts = bound(DType::F32, Qty::State, t);
    for (i, &pos) in positions.iter().enumerate() {
        let mut short = case.clone();
        short.t = pos;
        short.q.truncate(pos * h.hk * h.dk);
        short.k.truncate(pos * h.hk * h.dk);
        short.v.truncate(pos * h.hv * h.dv);
        short.g.truncate(pos * h.hv);
        short.beta.truncate(pos * h.hv);
        let (_, s_ref) = short.reference();
        let e = rel_rmse(&snaps[i * per..(i + 1) * per], &s_ref);
        assert!(e <= ts, "position {pos}: {e:.2e}");
    }
}

fn snapshots_case(norm: bool, dtype: DType, t: usize, positions: &[usize]) {
    let h = HeadShape::new(2, 6, 32, 48);
    let b = 2;
    let mask: Vec<u8> = (0..b * t).map(|i| u8::from(i != 4)).collect();
    let mut case = Case::random(9900, b, t, h, dtype, GateCase::Raw, true, Some(mask));
    // The reference reads `expect`: the case, or its q/k normalised.
    let expect = if norm {
        unnormalise(&mut case, 9910)
    } else {
        case.clone()
    };
    let (yr, sr) = expect.reference();
    let per = h.hv * h.dv * h.dk;
    let c = cpu();
    let mut ctxs = vec![(&c, PathChoice::Kernel)];
    if let Some(g) = gpu() {
        ctxs.push((g, PathChoice::Auto));
        ctxs.push((g, PathChoice::Ops));
    }
    for (ctx, path) in ctxs {
        let opts = with_norm(path, norm);
        let (out, snaps) = ctx
            .update_snapshots(&case.inputs(), positions, opts)
            .unwrap();
        assert_eq!(snaps.len(), positions.len() * b * per);
        let (ty, ts) = (bound(dtype, Qty::Y, t), state_bound(dtype, t, norm));
        assert!(rel_rmse(&out.y.to_f32(), &yr) <= ty && rel_rmse(&out.state, &sr) <= ts);
        // The GPU's recurrent kernel writes the snapshots itself; elsewhere one call a stretch.
        let in_kernel = !std::ptr::eq(ctx, &c) && path == PathChoice::Auto;
        let how = if in_kernel {
            "written by the kernel in the same dispatch"
        } else {
            "one call per stretch"
        };
        assert!(out.report.reason.contains(how), "{}", out.report);
        // On GPU buffers: the same y, new state and snapshots.
        if in_kernel {
            let dev = ctx.gpu().unwrap();
            let up = gdn_runtime::HostUpload::new(dev, &case.inputs());
            let y_bytes = yr.len() * dtype.size();
            let s_len = (1 + positions.len()) * sr.len();
            let (yb, sb) = (out_buffer(dev, y_bytes), out_buffer(dev, s_len * 4));
            let mut enc = dev.device.create_command_encoder(&Default::default());
            ctx.encode_snapshots(&mut enc, &up.inputs(), positions, &yb, &sb, opts)
                .unwrap();
            dev.queue.submit([enc.finish()]);
            assert_eq!(read(dev, &yb, y_bytes), out.y.bytes());
            let all: Vec<f32> = bytemuck::pod_collect_to_vec(&read(dev, &sb, s_len * 4));
            assert_eq!(&all[..sr.len()], &out.state[..]);
            assert_eq!(&all[sr.len()..], &snaps[..]);
            // A states buffer without room for the snapshots is refused by name.
            let mut enc = dev.device.create_command_encoder(&Default::default());
            let e = ctx
                .encode_snapshots(
                    &mut enc,
                    &up.inputs(),
                    positions,
                    &yb,
                    &out_buffer(dev, sr.len() * 4),
                    opts,
                )
                .unwrap_err();
            assert!(e.to_string().contains("state_out"), "{e}");
        }
        for (i, &pos) in positions.iter().enumerate() {
            // The reference on the first `pos` tokens of every sequence.
            let mut short = expect.clone();
            short.t = pos;
            let cut = |x: &[f32], inner: usize| -> Vec<f32> {
                (0..b)
                    .flat_map(|s| x[(s * t) * inner..(s * t + pos) * inner].to_vec())
                    .collect()
            };
            short.q = cut(&expect.q, h.hk * h.dk);
            short.k = cut(&expect.k, h.hk * h.dk);
            short.v = cut(&expect.v, h.hv * h.dv);
            short.g = cut(&expect.g, h.hv);
            short.beta = cut(&expect.beta, h.hv);
            short.mask = expect.mask.as_ref().map(|m| {
                (0..b)
                    .flat_map(|s| m[s * t..s * t + pos].to_vec())
                    .collect()
            });
            let (_, s_ref) = short.reference();
            let snap = &snaps[i * b * per..(i + 1) * b * per];
            let e = rel_rmse(snap, &s_ref);
            assert!(e <= ts, "{path:?} qk_l2norm={norm} position {pos}: {e:.2e}");
        }
    }
    // Positions out of order or past T are refused by name.
    for bad in [vec![2, 2], vec![0], vec![t + 1]] {
        let e = cpu()
            .update_snapshots(&case.inputs(), &bad, CallOptions::default())
            .unwrap_err();
        assert!(e.to_string().contains("positions"), "{e}");
    }
}

/// In-place state (`Context::update_in_place`): the caller's state slice becomes the new state,
/// bit-identical to `update`'s on the CPU kernel and on the GPU; a state also given in the inputs
/// or a slice of the wrong length is refused.
#[test]
fn in_place_state_matches_update() {
    let h = HeadShape::new(2, 6, 32, 48);
    let c = cpu();
    let mut ctxs = vec![(&c, PathChoice::Kernel), (&c, PathChoice::Ops)];
    if let Some(g) = gpu() {
        ctxs.push((g, PathChoice::Auto));
    }
    for (i, t) in [1usize, 5, 20].into_iter().enumerate() {
        let case = Case::random(
            9990 + i as u64,
            2,
            t,
            h,
            DType::BF16,
            GateCase::Raw,
            true,
            None,
        );
        for &(ctx, path) in &ctxs {
            let opts = CallOptions::path(path);
            let whole = ctx.update(&case.inputs(), opts).unwrap();
            let mut state = case.state.clone().unwrap();
            let mut inp = case.inputs();
            inp.state = None;
            let (y, report) = ctx.update_in_place(&inp, &mut state, opts).unwrap();
            assert_eq!(report.path, whole.report.path);
            assert_eq!(y, whole.y, "T={t} {path:?}: y");
            assert_eq!(state, whole.state, "T={t} {path:?}: state");
        }
    }
    let case = Case::random(9995, 1, 2, h, DType::F32, GateCase::Decay, true, None);
    let mut state = case.state.clone().unwrap();
    let e = c
        .update_in_place(&case.inputs(), &mut state, CallOptions::default())
        .unwrap_err();
    assert!(e.to_string().contains("state"), "{e}");
    let mut inp = case.inputs();
    inp.state = None;
    let e = c
        .update_in_place(&inp, &mut state[1..], CallOptions::default())
        .unwrap_err();
    assert!(e.to_string().contains("state"), "{e}");
}
