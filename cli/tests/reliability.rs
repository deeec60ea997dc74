//! The binary's refusals by class: sizes checked before allocating, regular files in and atomic
//! outputs, a closed or full standard output, integer-only tensors and ignored metadata, errors
//! that name the real cause, the same acceptance on the CPU and the GPU, and flags a mode ignores.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

mod common;

use common::*;
use std::path::Path;

fn devices() -> Vec<&'static str> {
    if gpu_ok() {
        vec!["cpu", "gpu"]
    } else {
        vec!["cpu"]
    }
}

fn layer_fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/layer/qwen35_text")
}

/// A text config like the layer fixture's with `field` set to `value` (raw JSON).
fn config_with(field: &str, value: &str) -> String {
    let text = std::fs::read_to_string(layer_fixture().join("config.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v[field] = serde_json::from_str(value).unwrap();
    if field == "num_hidden_layers" || field == "full_attention_interval" {
        v.as_object_mut().unwrap().remove("layer_types");
    }
    v.to_string()
}

#[test]
fn sizes_from_headers_are_checked_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    for device in devices() {
        // Zero-sized q, k, v with Dk = Dv = 2^20: a 4 TiB state from a few hundred bytes.
        let f = st(&direct(1, 0, 1, 1, 1 << 20, 1 << 20), &[]);
        refused(&run_file(dir.path(), &f, device, &[]), "output `state`");
        // The same with B in the billions and T = 0: y is empty, the state is not.
        let f = st(&direct(1 << 32, 0, 1, 1, 4, 4), &[]);
        refused(&run_file(dir.path(), &f, device, &[]), "bytes");
        // A million empty varlen sequences: the per-sequence states are counted first.
        let mut t = direct(1, 1, 1, 1, 128, 128);
        let mut cu = vec![0i64; 1_000_001];
        cu[1_000_000] = 1;
        t.push(ints("cu_seqlens", &cu));
        refused(
            &run_file(dir.path(), &st(&t, &[]), device, &[]),
            "output `state` [1000000",
        );
    }
    // The limit is the mechanism: a small call over a lowered limit is refused by name, and runs
    // under the default one.
    let f = st(&direct(1, 64, 2, 2, 64, 64), &[]);
    let p = file(dir.path(), "mid.safetensors", &f);
    let run = |limit: Option<&str>, extra: &[&str]| {
        let mut c = gdn();
        c.args(["run", "--device", "cpu", "--input"])
            .arg(&p)
            .arg("--output")
            .arg(dir.path().join("mid_out.safetensors"))
            .args(extra);
        if let Some(l) = limit {
            c.env("GDN_MAX_HOST_BYTES", l);
        }
        c.output().unwrap()
    };
    refused(
        &run(Some("120000"), &[]),
        "output `state` [1, 2, 64, 64] needs 32768 bytes (131072 bytes with the rest of the call)",
    );
    assert!(run(None, &[]).status.success());
    // Snapshots: P states of B·Hv·Dv·Dk each, counted before the call.
    let mut t = direct(1, 64, 2, 2, 64, 64);
    t.push(ints("positions", &(1..=64).collect::<Vec<_>>()));
    let o = run_file(dir.path(), &st(&t, &[]), "cpu", &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p2 = file(dir.path(), "snap.safetensors", &st(&t, &[]));
    let o = gdn()
        .env("GDN_MAX_HOST_BYTES", "1000000")
        .args(["run", "--device", "cpu", "--input"])
        .arg(&p2)
        .arg("--output")
        .arg(dir.path().join("snap_out.safetensors"))
        .output()
        .unwrap();
    refused(&o, "output `snapshots` [64, 1, 2, 64, 64]");
}

#[test]
fn sizes_from_configs_and_flags_are_checked_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let fx = layer_fixture();
    let layer = |config: &Path, input: &Path| {
        gdn()
            .args(["layer", "--device", "cpu", "--layer", "0", "--config"])
            .arg(config)
            .arg("--weights")
            .arg(fx.join("model.safetensors"))
            .arg("--input")
            .arg(input)
            .arg("--output")
            .arg(dir.path().join("layer_out.safetensors"))
            .output()
            .unwrap()
    };
    let io = fx.join("io.safetensors");
    for (field, value) in [
        ("num_hidden_layers", "4294967295"),
        ("num_hidden_layers", "4097"),
        ("hidden_size", "1099511627776"),
        ("linear_key_head_dim", "65536"),
        ("linear_num_value_heads", "1000000"),
        ("full_attention_interval", "18446744073709551615"),
    ] {
        let c = file(
            dir.path(),
            "config.json",
            config_with(field, value).as_bytes(),
        );
        refused(&layer(&c, &io), &format!("field `{field}`"));
        let o = gdn()
            .args(["e2e", "--device", "cpu", "--runs", "1", "--config"])
            .arg(&c)
            .output()
            .unwrap();
        refused(&o, &format!("field `{field}`"));
    }
    // Within the field ranges, the weights a config implies are still counted before e2e makes
    // them.
    let mut v: serde_json::Value =
        serde_json::from_str(&config_with("hidden_size", "1048576")).unwrap();
    v["linear_num_value_heads"] = 4096.into();
    v["linear_num_key_heads"] = 4096.into();
    v["linear_value_head_dim"] = 16384.into();
    let c = file(dir.path(), "wide.json", v.to_string().as_bytes());
    let o = gdn()
        .args(["e2e", "--device", "cpu", "--runs", "1", "--config"])
        .arg(&c)
        .output()
        .unwrap();
    refused(&o, "model weights");
    for args in [
        &["bench", "--t", "1000000000"][..],
        &["bench", "--t", "1,8,18446744073709551615"],
        &["bench", "--batch", "100000000000"],
        &["bench", "--t", "0"],
    ] {
        let o = gdn()
            .args(args)
            .args(["--device", "cpu", "--runs", "1"])
            .output()
            .unwrap();
        refused(&o, "--t");
    }
    for prompt in ["1000000000000", "18446744073709551615"] {
        let o = gdn()
            .args(["e2e", "--device", "cpu", "--runs", "1", "--prompt", prompt])
            .output()
            .unwrap();
        refused(&o, "--prompt");
    }
}

#[test]
fn only_regular_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let fx = layer_fixture();
    for bad in [Path::new("/dev/zero"), dir.path(), &fifo] {
        let o = gdn()
            .args(["run", "--device", "cpu", "--input"])
            .arg(bad)
            .arg("--output")
            .arg(dir.path().join("o.safetensors"))
            .output()
            .unwrap();
        refused(&o, "not a regular file");
        for (flag, i) in [("--config", 0), ("--weights", 1), ("--input", 2)] {
            let mut args = [
                fx.join("config.json"),
                fx.join("model.safetensors"),
                fx.join("io.safetensors"),
            ];
            args[i] = bad.to_path_buf();
            if flag == "--weights" && bad == dir.path() {
                continue; // a folder of weights is a sharded checkpoint
            }
            let o = gdn()
                .args(["layer", "--device", "cpu", "--layer", "0", "--config"])
                .arg(&args[0])
                .arg("--weights")
                .arg(&args[1])
                .arg("--input")
                .arg(&args[2])
                .arg("--output")
                .arg(dir.path().join("o.safetensors"))
                .output()
                .unwrap();
            refused(&o, "not a regular file");
        }
    }
}

/// Files in `dir` other than those named.
fn leftovers(dir: &Path, expected: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| !expected.contains(&n.as_str()))
        .collect()
}

#[test]
fn outputs_are_atomic_exclusive_and_regular() {
    let dir = tempfile::tempdir().unwrap();
    let input = file(
        dir.path(),
        "in.safetensors",
        &st(&direct(1, 2, 1, 1, 4, 4), &[]),
    );
    let run = |out: &Path| {
        gdn()
            .args(["run", "--device", "cpu", "--input"])
            .arg(&input)
            .arg("--output")
            .arg(out)
            .output()
            .unwrap()
    };
    // A long but legal name (NAME_MAX is 255): the temporary's name does not grow with it.
    let long = dir.path().join(format!("{}.safetensors", "x".repeat(240)));
    let o = run(&long);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A folder, a FIFO and a symbolic link as the destination are refused and left as they were.
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    refused(&run(&sub), "not a regular file");
    assert!(sub.is_dir());
    let fifo = dir.path().join("fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    refused(&run(&fifo), "not a regular file");
    let target = file(dir.path(), "target", b"keep");
    let link = dir.path().join("link.safetensors");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    refused(&run(&link), "symbolic link");
    assert_eq!(std::fs::read(&target).unwrap(), b"keep");
    // A device node is refused (the check is by file type, so /dev/null is never replaced).
    refused(&run(Path::new("/dev/null")), "not a regular file");
    // A destination folder that does not exist: no temporary is left anywhere.
    refused(
        &run(&dir.path().join("missing/out.safetensors")),
        "temporary file",
    );
    // A failed run leaves the previous output and no temporary.
    let out = file(dir.path(), "out.safetensors", b"previous");
    let bad = file(dir.path(), "bad.safetensors", b"garbage");
    let o = gdn()
        .args(["run", "--device", "cpu", "--input"])
        .arg(&bad)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    refused(&o, "not a valid safetensors file");
    assert_eq!(std::fs::read(&out).unwrap(), b"previous");
    let long_name = long.file_name().unwrap().to_string_lossy().to_string();
    let left = leftovers(
        dir.path(),
        &[
            "in.safetensors",
            "sub",
            "fifo",
            "target",
            "link.safetensors",
            "out.safetensors",
            "bad.safetensors",
            &long_name,
        ],
    );
    assert!(left.is_empty(), "left behind: {left:?}");
    // A full disk: the write fails and the temporary is removed. /dev/full cannot hold a
    // temporary, so the failure is made by a file size limit (EFBIG, with SIGXFSZ ignored).
    let big = file(
        dir.path(),
        "big.safetensors",
        &st(&direct(1, 64, 4, 4, 64, 64), &[]),
    );
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 64; exec \"$0\" run --device cpu --input \"$1\" --output \"$2\"")
        .arg(env!("CARGO_BIN_EXE_gdn"))
        .arg(&big)
        .arg(dir.path().join("big_out.safetensors"))
        .output()
        .unwrap();
    refused(&o, "cannot write");
    let left = leftovers(
        dir.path(),
        &[
            "in.safetensors",
            "sub",
            "fifo",
            "target",
            "link.safetensors",
            "out.safetensors",
            "bad.safetensors",
            "big.safetensors",
            &long_name,
        ],
    );
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn closed_or_full_stdout_ends_quietly_never_a_panic() {
    for args in [
        &["info", "--device", "cpu"][..],
        &[
            "bench", "--device", "cpu", "--t", "1", "--runs", "1", "--warmup", "0",
        ],
        &[
            "bench",
            "--device",
            "cpu",
            "--serving",
            "--runs",
            "1",
            "--warmup",
            "0",
        ],
    ] {
        // The reader gone before the first line (`true` exits before gdn starts; a pipe made
        // here could be held open by children that other tests fork meanwhile).
        let o = std::process::Command::new("bash")
            .arg("-c")
            .arg(r#"{ sleep 0.2; exec "$0" "$@"; } | true; exit "${PIPESTATUS[0]}""#)
            .arg(env!("CARGO_BIN_EXE_gdn"))
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(141), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
        // A full device.
        let o = gdn()
            .args(args)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        refused(&o, "cannot write to standard output");
    }
}

#[test]
fn integer_only_tensors_and_ignored_metadata_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["cu_seqlens", "positions"] {
        for dtype in ["F32", "U8", "BOOL", "F16", "F64"] {
            let mut t = direct(1, 4, 1, 1, 4, 4);
            t.push(raw(name, dtype, &[3]));
            let line = refused(&run_file(dir.path(), &st(&t, &[]), "cpu", &[]), name);
            assert!(line.contains("expected i32, i64 or u32"), "{line}");
        }
    }
    // A float input of an integer dtype names its dtype, not a missing tensor.
    for name in ["q", "k", "v", "g", "beta", "state", "mask"] {
        let mut t = direct(1, 2, 1, 1, 4, 4);
        t.retain(|r| r.name != name);
        t.push(raw(name, "I32", &[1, 2, 1, 4]));
        let line = refused(
            &run_file(dir.path(), &st(&t, &[]), "cpu", &[]),
            &format!("tensor `{name}`: dtype I32"),
        );
        assert!(!line.contains("missing"), "{line}");
    }
    // The raw gate computes a decay: a `gate` = log would be ignored, so it is refused.
    let raw_gate = vec![
        raw("q", "F32", &[1, 2, 1, 4]),
        raw("k", "F32", &[1, 2, 1, 4]),
        raw("v", "F32", &[1, 2, 1, 4]),
        raw("a", "F32", &[1, 2, 1]),
        raw("b", "F32", &[1, 2, 1]),
        raw("A_log", "F32", &[1]),
        raw("dt_bias", "F32", &[1]),
    ];
    refused(
        &run_file(dir.path(), &st(&raw_gate, &[("gate", "log")]), "cpu", &[]),
        "metadata `gate`",
    );
    let o = run_file(dir.path(), &st(&raw_gate, &[("gate", "decay")]), "cpu", &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn refusals_name_the_real_cause_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    // A forced path without a kernel is not strict mode.
    let odd = st(&direct(1, 4, 1, 1, 3, 5), &[]);
    let line = refused(
        &run_file(dir.path(), &odd, "cpu", &["--path", "chunked"]),
        "no precompiled kernel",
    );
    assert!(!line.contains("strict"), "{line}");
    if gpu_ok() {
        let line = refused(
            &run_file(dir.path(), &odd, "gpu", &["--path", "recurrent"]),
            "no precompiled kernel",
        );
        assert!(!line.contains("strict"), "{line}");
        let line = refused(
            &run_file(dir.path(), &odd, "gpu", &["--strict"]),
            "strict mode",
        );
        assert!(line.contains("no precompiled kernel"), "{line}");
        // A refusal after a fallback warning is still one line: outputs that overflow to
        // infinity on the ops path, found by --check-finite.
        let mut t = direct(1, 4, 1, 1, 3, 5);
        t[2].data = Some(1e38f32.to_le_bytes().repeat(20));
        t[0].data = Some(1e38f32.to_le_bytes().repeat(12));
        t[1].data = Some(1e38f32.to_le_bytes().repeat(12));
        refused(
            &run_file(dir.path(), &st(&t, &[]), "gpu", &["--check-finite"]),
            "non-finite",
        );
    }
    // A usage error is one line too.
    let o = gdn().args(["bench", "--no-such-flag"]).output().unwrap();
    refused(&o, "--no-such-flag");
}

#[test]
fn cpu_and_gpu_accept_the_same_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let fx = layer_fixture();
    // B = 0 and T = 0 hidden inputs, and a conv kernel of 1, refused on every device.
    let hidden = |b: u64, t: u64| st(&[raw("hidden", "F32", &[b, t, 64])], &[]);
    let k1 = file(
        dir.path(),
        "k1.json",
        config_with("linear_conv_kernel_dim", "1").as_bytes(),
    );
    for device in devices() {
        for (input, config, needle) in [
            (
                hidden(0, 3),
                fx.join("config.json"),
                "B and T must be at least 1",
            ),
            (hidden(2, 0), fx.join("config.json"), "T = 0"),
            (hidden(2, 3), k1.clone(), "linear_conv_kernel_dim"),
        ] {
            let i = file(dir.path(), "hidden.safetensors", &input);
            let o = gdn()
                .args(["layer", "--device", device, "--layer", "0", "--config"])
                .arg(&config)
                .arg("--weights")
                .arg(fx.join("model.safetensors"))
                .arg("--input")
                .arg(&i)
                .arg("--output")
                .arg(dir.path().join("o.safetensors"))
                .output()
                .unwrap();
            refused(&o, needle);
        }
        // Zero-step op calls run on both.
        let o = run_file(dir.path(), &st(&direct(1, 0, 1, 1, 4, 4), &[]), device, &[]);
        assert!(
            o.status.success(),
            "{device}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn overlapping_tensors_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // An op input whose k lies over q's bytes.
    let mut t = direct(1, 2, 1, 1, 4, 4);
    t[1].offsets = Some((0, 32));
    refused(
        &run_file(dir.path(), &st(&t, &[]), "cpu", &[]),
        "not a valid safetensors file",
    );
    // A checkpoint whose two same-sized tensors share bytes.
    let fx = layer_fixture();
    let bytes = std::fs::read(fx.join("model.safetensors")).unwrap();
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let mut h: serde_json::Value = serde_json::from_slice(&bytes[8..8 + n]).unwrap();
    let obj = h.as_object_mut().unwrap();
    let mut by_len: std::collections::HashMap<u64, String> = Default::default();
    let mut pair = None;
    for (k, v) in obj.iter() {
        if k == "__metadata__" {
            continue;
        }
        let o = &v["data_offsets"];
        let len = o[1].as_u64().unwrap() - o[0].as_u64().unwrap();
        if let Some(first) = by_len.get(&len) {
            pair = Some((first.clone(), k.clone()));
            break;
        }
        by_len.insert(len, k.clone());
    }
    let (a, b) = pair.expect("two tensors of one size");
    let offs = obj[&a]["data_offsets"].clone();
    obj.get_mut(&b).unwrap()["data_offsets"] = offs;
    let mut head = serde_json::to_vec(&h).unwrap();
    while !head.len().is_multiple_of(8) {
        head.push(b' ');
    }
    let mut out = (head.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(&head);
    out.extend_from_slice(&bytes[8 + n..]);
    let w = file(dir.path(), "overlap.safetensors", &out);
    let o = gdn()
        .args(["layer", "--device", "cpu", "--layer", "0", "--config"])
        .arg(fx.join("config.json"))
        .arg("--weights")
        .arg(&w)
        .arg("--input")
        .arg(fx.join("io.safetensors"))
        .arg("--output")
        .arg(dir.path().join("o.safetensors"))
        .output()
        .unwrap();
    refused(&o, "overlap");
}

#[test]
fn flags_a_mode_ignores_are_refused() {
    for extra in [
        &["--json", "x.json"][..],
        &["--t", "8"],
        &["--batch", "2"],
        &["--path", "ops"],
        &["--tier", "sg8"],
        &["--staging", "on"],
        &["--gates", "raw"],
        &["--qk-l2norm"],
    ] {
        let o = gdn()
            .args(["bench", "--device", "cpu", "--serving"])
            .args(extra)
            .output()
            .unwrap();
        refused(&o, "cannot be used with");
    }
}
