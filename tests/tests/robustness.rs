//! Malformed inputs never panic: thousands of deterministic mutations of a real config and of real
//! safetensors checkpoints go through the config parser and the checkpoint reader, which must
//! answer with a value or an error, never a panic or an absurd allocation.
//!
//! CI runs a fixed budget (3 000 configs, 1 800 checkpoints). A longer fuzzing run takes another
//! budget and seed: `GDN_FUZZ_CASES=300000 GDN_FUZZ_SEED=1 cargo test --release -p gdn-tests
//! --test robustness -- --nocapture` (each test prints the inputs it tried).

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_core::ModelConfig;
use gdn_model::Checkpoint;
use gdn_tests::{fixtures_root, Rng};

const CONFIG: &str = include_str!("../../configs/qwen3.5-27b.json");

/// Inputs to try: `GDN_FUZZ_CASES`, or `default`.
fn cases(default: usize) -> usize {
    std::env::var("GDN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The mutation seed: `GDN_FUZZ_SEED` added to `base`.
fn seed(base: u64) -> u64 {
    base + std::env::var("GDN_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[test]
fn config_parser_survives_mutations() {
    let mut r = Rng::new(seed(42));
    let n = cases(3000);
    let replacements = [
        "0",
        "-1",
        "1e309",
        "null",
        "\"x\"",
        "[]",
        "{}",
        "true",
        "18446744073709551616",
        "[\"linear_attention\"]",
        "3.5",
    ];
    let bytes = CONFIG.as_bytes();
    let (mut ok, mut refused) = (0, 0);
    for i in 0..n {
        let mut text = CONFIG.to_string();
        match i % 3 {
            // Replace one JSON value (after a ':') by something of another type.
            0 => {
                let colons: Vec<usize> = text.match_indices(':').map(|(p, _)| p).collect();
                let at = colons[(r.uniform() * colons.len() as f32) as usize % colons.len()] + 1;
                let end = text[at..]
                    .find([',', '\n', '}'])
                    .map_or(text.len(), |e| at + e);
                let rep = replacements
                    [(r.uniform() * replacements.len() as f32) as usize % replacements.len()];
                text.replace_range(at..end, rep);
            }
            // Truncate.
            1 => text.truncate((r.uniform() * bytes.len() as f32) as usize),
            // Flip a byte (keeping UTF-8 by using ASCII).
            _ => {
                let at = (r.uniform() * bytes.len() as f32) as usize % bytes.len();
                let mut b = text.into_bytes();
                b[at] = b" {}[]:,\"0a-"[(r.uniform() * 11.0) as usize % 11];
                text = String::from_utf8_lossy(&b).into_owned();
            }
        }
        match ModelConfig::from_json_str(&text, "mutated") {
            Ok(c) => {
                ok += 1;
                c.head_shape()
                    .check()
                    .unwrap_or_else(|e| panic!("accepted a config with a bad head shape: {e}"));
            }
            Err(e) => {
                refused += 1;
                let msg = e.to_string();
                assert!(msg.contains("mutated") && !msg.contains('\n'), "{msg}");
            }
        }
    }
    eprintln!("config parser: {n} mutated configs, {ok} accepted, {refused} refused, no panic");
    assert!(ok > 0 && refused > n / 3, "ok {ok}, refused {refused}");
}

#[test]
fn checkpoint_reader_survives_corruption() {
    let dir = std::env::temp_dir().join(format!("gdn-robust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut r = Rng::new(seed(7));
    let mut refused = 0;
    let per = cases(1800) / 3;
    let sources = [
        "layer/qwen35_text/model.safetensors",
        "mlx/edge_f32.safetensors",
        "mlx/vec_f32_dk48.safetensors",
    ];
    for (n, src) in sources.iter().enumerate() {
        let good = std::fs::read(fixtures_root().join(src)).unwrap();
        for i in 0..per {
            let mut b = good.clone();
            match i % 4 {
                0 => b.truncate((r.uniform() * good.len() as f32) as usize),
                1 => {
                    // Corrupt the header region (the first few hundred bytes).
                    let at = (r.uniform() * good.len().min(400) as f32) as usize;
                    b[at] = (r.uniform() * 256.0) as u8;
                }
                2 => {
                    // An absurd or inconsistent header length.
                    let n: u64 = [u64::MAX, 1 << 40, 0, 7, (good.len() as u64) + 1][i / 4 % 5];
                    b[..8].copy_from_slice(&n.to_le_bytes());
                }
                _ => {
                    // Change a digit inside the JSON header (shapes and offsets).
                    let hl = u64::from_le_bytes(b[..8].try_into().unwrap()) as usize;
                    let digits: Vec<usize> =
                        (8..8 + hl).filter(|&p| b[p].is_ascii_digit()).collect();
                    if let Some(&p) = digits.get((r.uniform() * digits.len() as f32) as usize) {
                        b[p] = b'0' + (r.uniform() * 10.0) as u8 % 10;
                    }
                }
            }
            let path = dir.join(format!("m{n}.safetensors"));
            std::fs::write(&path, &b).unwrap();
            match Checkpoint::open(&path) {
                Err(_) => refused += 1,
                Ok(ck) => {
                    // Whatever was accepted reads back within the file, tensor by tensor.
                    for name in [
                        "q",
                        "k",
                        "v",
                        "model.layers.0.linear_attn.in_proj_qkv.weight",
                    ] {
                        if let Some(shape) = ck.shape(name).map(<[usize]>::to_vec) {
                            let (data, s) =
                                ck.read_f32(name, "test").unwrap_or_else(|e| panic!("{e}"));
                            assert_eq!(s, shape);
                            assert_eq!(data.len(), shape.iter().product::<usize>());
                        }
                    }
                }
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    eprintln!(
        "checkpoint reader: {} corrupted files, {refused} refused, the rest read back, no panic",
        3 * per
    );
    assert!(refused > per, "refused {refused}");
}

/// The op's outputs are sized from the shapes alone: a zero-sized q with a huge head dim, or a
/// huge batch with no steps, is refused as `Error::Size` naming the output and its bytes, on the
/// CPU and the GPU alike, before anything is allocated.
#[test]
fn op_output_sizes_are_checked_before_allocating_on_every_device() {
    use gdn_runtime::{CallOptions, Error, Gate, GateForm, HostInputs, HostTensor};
    let empty: [f32; 0] = [];
    let call = |b: usize, t: usize, d: usize| {
        let (qs, gs) = ([b, t, 1, d], [b, t, 1]);
        move |ctx: &gdn_runtime::Context| {
            let inp = HostInputs {
                q: HostTensor::f32(&empty, &qs),
                k: HostTensor::f32(&empty, &qs),
                v: HostTensor::f32(&empty, &qs),
                gate: Gate::Direct {
                    g: HostTensor::f32(&empty, &gs),
                    beta: HostTensor::f32(&empty, &gs),
                    form: GateForm::Decay,
                },
                state: None,
                mask: None,
            };
            ctx.update(&inp, CallOptions::default())
        }
    };
    for ctx in [Some(&gdn_tests::cpu()), gdn_tests::gpu()]
        .into_iter()
        .flatten()
    {
        for (b, t, d) in [(1, 0, 1 << 20), (1 << 32, 0, 4), (usize::MAX, 0, 2)] {
            match call(b, t, d)(ctx) {
                Err(Error::Size(e)) => {
                    let msg = e.to_string();
                    assert!(
                        msg.contains("output `state`") && msg.contains("bytes"),
                        "{msg}"
                    );
                }
                other => panic!("B={b} T={t} D={d}: {:?}", other.map(|o| o.report)),
            }
        }
    }
}

/// A checkpoint whose tensors share bytes, or that names one tensor in two shards, is refused; a
/// config field out of its range is refused by name.
#[test]
fn overlapping_tensors_and_field_ranges_are_refused() {
    let dir = std::env::temp_dir().join(format!("gdn-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let header = |entries: &str| {
        let mut h = format!("{{{entries}}}").into_bytes();
        while !h.len().is_multiple_of(8) {
            h.push(b' ');
        }
        let mut f = (h.len() as u64).to_le_bytes().to_vec();
        f.extend_from_slice(&h);
        f.extend_from_slice(&[0u8; 32]);
        f
    };
    let overlap = dir.join("overlap.safetensors");
    std::fs::write(
        &overlap,
        header(r#""a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}"#),
    )
    .unwrap();
    let e = Checkpoint::open(&overlap).unwrap_err().to_string();
    assert!(e.contains("overlap"), "{e}");
    let shards = dir.join("shards");
    std::fs::create_dir_all(&shards).unwrap();
    for s in ["x.safetensors", "y.safetensors"] {
        std::fs::write(
            shards.join(s),
            header(r#""a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}"#),
        )
        .unwrap();
    }
    let e = Checkpoint::open(&shards).unwrap_err().to_string();
    assert!(e.contains("is also in"), "{e}");
    let e = Checkpoint::open(std::path::Path::new("/dev/zero"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a regular file"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
    for (field, value) in [
        ("num_hidden_layers", "4294967295"),
        ("linear_key_head_dim", "65536"),
        ("linear_conv_kernel_dim", "1"),
        ("hidden_size", "1099511627776"),
    ] {
        let mut v: serde_json::Value = serde_json::from_str(CONFIG).unwrap();
        // The bundled config nests its text fields under `text_config`.
        let obj = &mut v["text_config"];
        obj[field] = serde_json::from_str(value).unwrap();
        obj.as_object_mut().unwrap().remove("layer_types");
        let e = ModelConfig::from_json_str(&v.to_string(), "x")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(field) && e.contains("expected an integer from"),
            "{e}"
        );
    }
}

/// The states of a varlen batch and the snapshots of a snapshot call are counted before anything
/// is allocated: a million empty sequences (2 TB of states), or a snapshot after each of 600 steps
/// of a 1 GiB state (600 GiB), are refused as `Error::Size` naming the output, on the CPU and the
/// GPU.
#[test]
fn varlen_states_and_snapshots_are_counted_before_allocating() {
    use gdn_runtime::{CallOptions, Error, Gate, GateForm, HostInputs, HostTensor};
    let empty: &'static [f32] = &[];
    let inputs = |t: usize, (hv, dk, dv): (usize, usize, usize), x: &'static [f32]| HostInputs {
        q: HostTensor::f32(x, &[1, t, 1, dk]),
        k: HostTensor::f32(x, &[1, t, 1, dk]),
        v: HostTensor::f32(x, &[1, t, hv, dv]),
        gate: Gate::Direct {
            g: HostTensor::f32(&x[..t * hv], &[1, t, hv]),
            beta: HostTensor::f32(&x[..t * hv], &[1, t, hv]),
            form: GateForm::Decay,
        },
        state: None,
        mask: None,
    };
    let (steps, wide) = (600, 1 << 14);
    let x: &'static [f32] = Vec::leak(vec![0.1f32; steps * wide]);
    let cu = vec![0usize; 1_000_001];
    let positions: Vec<usize> = (1..=steps).collect();
    for ctx in [Some(&gdn_tests::cpu()), gdn_tests::gpu()]
        .into_iter()
        .flatten()
    {
        let err = ctx
            .update_varlen(
                &inputs(0, (32, 128, 128), empty),
                &cu,
                CallOptions::default(),
            )
            .unwrap_err();
        assert!(matches!(err, Error::Size(_)), "{err}");
        assert!(err.to_string().contains("one per sequence"), "{err}");
        let err = ctx
            .update_snapshots(
                &inputs(steps, (1, wide, wide), x),
                &positions,
                CallOptions::default(),
            )
            .map(|_| ())
            .unwrap_err();
        assert!(matches!(err, Error::Size(_)), "{err}");
        assert!(err.to_string().contains("snapshots"), "{err}");
    }
}
