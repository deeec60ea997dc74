//! The `gdn` binary: `run` against the mlx-lm fixtures (docs/CONTRACT.md §9 contract, path in the metadata),
//! one-line errors and no panics on bad input, atomic output, `info` and `bench`.
//!
//! (This file belongs to the `gdn-cli` package; the parity crate lives in tests/src and tests/tests.)

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use std::path::{Path, PathBuf};

type Meta = std::collections::HashMap<String, String>;
type Tensors = Vec<(String, Vec<f64>)>;
use std::process::Command;

fn gdn() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gdn"))
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/mlx");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn read(path: &Path) -> (Meta, Tensors) {
    let bytes = std::fs::read(path).unwrap();
    let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let (_, meta) = safetensors::SafeTensors::read_metadata(&bytes).unwrap();
    let tensors = st
        .iter()
        .map(|(n, v)| {
            let d = v.data();
            let vals: Vec<f64> = match v.dtype() {
                safetensors::Dtype::F32 => bytemuck::pod_collect_to_vec::<u8, f32>(d)
                    .into_iter()
                    .map(f64::from)
                    .collect(),
                safetensors::Dtype::F16 => bytemuck::pod_collect_to_vec::<u8, half::f16>(d)
                    .into_iter()
                    .map(|x| f64::from(x.to_f32()))
                    .collect(),
                safetensors::Dtype::BF16 => bytemuck::pod_collect_to_vec::<u8, half::bf16>(d)
                    .into_iter()
                    .map(|x| f64::from(x.to_f32()))
                    .collect(),
                _ => d.iter().map(|&x| f64::from(x)).collect(),
            };
            (n.to_string(), vals)
        })
        .collect();
    (meta.metadata().clone().unwrap_or_default(), tensors)
}

/// `gdn run` on the CPU from `input` to `output`, which must succeed; the output read back.
fn run_cpu(input: &Path, output: &Path) -> (Meta, Tensors) {
    let o = gdn()
        .args(["run", "--device", "cpu", "--input"])
        .arg(input)
        .arg("--output")
        .arg(output)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    read(output)
}

fn get<'a>(t: &'a [(String, Vec<f64>)], name: &str) -> &'a [f64] {
    &t.iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

fn rel(a: &[f64], b: &[f64]) -> f64 {
    let num: f64 = a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum();
    let den: f64 = b.iter().map(|y| y * y).sum();
    (num / den.max(1e-30)).sqrt()
}

#[test]
fn run_matches_mlx_fixtures_on_cpu_and_gpu() {
    let dir = tempfile::tempdir().unwrap();
    let gpu_ok = gdn()
        .args(["info", "--device", "gpu"])
        .output()
        .unwrap()
        .status
        .success();
    assert!(
        gpu_ok || std::env::var_os("CI").is_none(),
        "CI is set but `gdn info --device gpu` failed"
    );
    for fx in fixtures() {
        let (fmeta, ft) = read(&fx);
        let tol: f64 = fmeta["tolerance"].parse().unwrap();
        for device in if gpu_ok {
            vec!["cpu", "gpu"]
        } else {
            vec!["cpu"]
        } {
            for path in ["auto", "ops"] {
                let out = dir.path().join("out.safetensors");
                let o = gdn()
                    .args(["run", "--input"])
                    .arg(&fx)
                    .arg("--output")
                    .arg(&out)
                    .args(["--device", device, "--path", path, "--check-finite"])
                    .output()
                    .unwrap();
                assert!(
                    o.status.success(),
                    "{}: {}",
                    fx.display(),
                    String::from_utf8_lossy(&o.stderr)
                );
                let (meta, t) = read(&out);
                let p = &meta["path"];
                let expect = match (device, path) {
                    ("cpu", "auto") => "kernel:cpu",
                    ("cpu", _) => "ops:cpu",
                    _ => {
                        if path == "ops" {
                            "ops:gpu"
                        } else {
                            ""
                        }
                    }
                };
                assert!(
                    p.starts_with(expect) && (p.starts_with("kernel:") || p.starts_with("ops:")),
                    "{p}"
                );
                let (ey, es) = (
                    rel(get(&t, "y"), get(&ft, "expected_y")),
                    rel(get(&t, "state"), get(&ft, "expected_state")),
                );
                assert!(
                    ey <= tol && es <= tol,
                    "{} {device} {path} ({p}): y {ey:.2e} state {es:.2e}",
                    fx.display()
                );
            }
        }
    }
}

#[test]
fn bad_input_is_one_line_nonzero_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.safetensors");
    std::fs::write(&out, b"previous output").unwrap();
    let garbage = dir.path().join("garbage.safetensors");
    std::fs::write(&garbage, b"\xff\xff\xff\xff\xff\xff\xff\x7fnot a header").unwrap();
    let truncated = dir.path().join("truncated.safetensors");
    let whole = std::fs::read(&fixtures()[0]).unwrap();
    std::fs::write(&truncated, &whole[..whole.len() / 2]).unwrap();
    // A valid file with q removed and one with a bad gate metadata.
    let src = fixtures()
        .into_iter()
        .find(|p| p.ends_with("log_f32_r3.safetensors"))
        .unwrap();
    let bytes = std::fs::read(&src).unwrap();
    let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let write_without = |skip: &str, meta: &[(&str, &str)], name: &str| {
        let views: Vec<_> = st
            .iter()
            .filter(|(n, _)| *n != skip)
            .map(|(n, v)| (n.to_string(), v))
            .collect();
        let m = meta
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let p = dir.path().join(name);
        std::fs::write(&p, safetensors::tensor::serialize(views, Some(m)).unwrap()).unwrap();
        p
    };
    let no_q = write_without("q", &[("gate", "log")], "no_q.safetensors");
    let bad_gate = write_without("", &[("gate", "sideways")], "bad_gate.safetensors");
    let no_beta = write_without("beta", &[("gate", "log")], "no_beta.safetensors");
    let bad_map = write_without(
        "",
        &[("gate", "log"), ("head_map", "diagonal")],
        "bad_map.safetensors",
    );
    // The tiled head map runs (value head h reads key head h % Hk; this fixture has Hv = 3 Hk),
    // and changes the result.
    let tiled = write_without(
        "",
        &[("gate", "log"), ("head_map", "tiled")],
        "tiled.safetensors",
    );
    let grouped = write_without("", &[("gate", "log")], "grouped.safetensors");
    let mut ys = Vec::new();
    for (input, name) in [(&tiled, "tiled_out"), (&grouped, "grouped_out")] {
        ys.push(get(&run_cpu(input, &dir.path().join(name)).1, "y").to_vec());
    }
    assert!(
        rel(&ys[0], &ys[1]) > 1e-3,
        "tiled and grouped gave the same y"
    );
    // q/k normalisation in the op runs and changes the result; a value other than true/false is
    // refused.
    let normed = write_without(
        "",
        &[("gate", "log"), ("qk_l2norm", "true")],
        "normed.safetensors",
    );
    let y_normed = get(&run_cpu(&normed, &dir.path().join("normed_out")).1, "y").to_vec();
    assert!(
        y_normed.iter().all(|v| v.is_finite()) && rel(&y_normed, &ys[1]) > 1e-3,
        "qk_l2norm changed nothing"
    );
    let bad_norm = write_without(
        "",
        &[("gate", "log"), ("qk_l2norm", "yes")],
        "bad_norm.safetensors",
    );
    // Varlen: `cu_seqlens` = [0, 3, T] splits the packed steps into two sequences from zero
    // state; the first sequence's y equals the plain run's first 3 steps (no state in either).
    let one = fixtures()
        .into_iter()
        .find(|p| p.ends_with("decay_f32_real.safetensors"))
        .unwrap();
    let one_bytes = std::fs::read(&one).unwrap();
    let st = safetensors::SafeTensors::deserialize(&one_bytes).unwrap();
    let without_state = |extra: Option<(&str, &[u8], usize)>, name: &str| {
        let mut views: Vec<(String, safetensors::tensor::TensorView<'_>)> = st
            .iter()
            .filter(|(n, _)| *n != "state")
            .map(|(n, v)| (n.to_string(), v))
            .collect();
        if let Some((n, bytes, len)) = extra {
            let v = safetensors::tensor::TensorView::new(safetensors::Dtype::I64, vec![len], bytes);
            views.push((n.to_string(), v.unwrap()));
        }
        let p = dir.path().join(name);
        std::fs::write(&p, safetensors::tensor::serialize(views, None).unwrap()).unwrap();
        p
    };
    let plain = without_state(None, "plain.safetensors");
    let q = st.tensor("q").unwrap();
    let (b, t) = (q.shape()[0], q.shape()[1]);
    assert_eq!(b, 1, "fixture is one sequence");
    let offsets: Vec<i64> = vec![0, 3, t as i64];
    let off_bytes: Vec<u8> = offsets.iter().flat_map(|x| x.to_le_bytes()).collect();
    let varlen = without_state(Some(("cu_seqlens", &off_bytes, 3)), "varlen.safetensors");
    let mut outs = Vec::new();
    for (input, name) in [(&plain, "plain_out"), (&varlen, "varlen_out")] {
        outs.push(run_cpu(input, &dir.path().join(name)));
    }
    let (y_plain, y_var) = (get(&outs[0].1, "y"), get(&outs[1].1, "y"));
    let first = y_plain.len() / t * 3;
    assert_eq!(y_var.len(), y_plain.len());
    assert!(rel(&y_var[..first], &y_plain[..first]) < 1e-6);
    assert!(
        rel(&y_var[first..], &y_plain[first..]) > 1e-3,
        "the second sequence restarts"
    );
    assert_eq!(
        get(&outs[1].1, "state").len(),
        2 * get(&outs[0].1, "state").len()
    );
    assert!(outs[1].0["reason"].contains("varlen: 2 sequences"));
    // Snapshots: `positions` = [2, T] writes the state after 2 and after T steps; the last one
    // is the final state.
    let at: Vec<u8> = [2i64, t as i64]
        .iter()
        .flat_map(|x| x.to_le_bytes())
        .collect();
    let snap_in = without_state(Some(("positions", &at, 2)), "positions.safetensors");
    let (_, ts) = run_cpu(&snap_in, &dir.path().join("snap_out"));
    let (snaps, state) = (get(&ts, "snapshots"), get(&ts, "state"));
    assert_eq!(snaps.len(), 2 * state.len());
    assert_eq!(&snaps[state.len()..], state);
    assert!(rel(&snaps[..state.len()], state) > 1e-3);
    let cases: Vec<(PathBuf, &str)> = vec![
        (dir.path().join("missing.safetensors"), "cannot read"),
        (garbage, "not a valid safetensors file"),
        (truncated, "not a valid safetensors file"),
        (no_q, "missing tensor `q`"),
        (bad_gate, "metadata `gate`"),
        (no_beta, "missing tensor `beta`"),
        (bad_map, "metadata `head_map`"),
        (bad_norm, "metadata `qk_l2norm`"),
    ];
    for (input, needle) in cases {
        let o = gdn()
            .args(["run", "--device", "cpu", "--input"])
            .arg(&input)
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{needle}");
        assert!(err.contains(needle), "expected {needle:?} in {err:?}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(
            err.trim_end()
                .lines()
                .filter(|l| l.starts_with("gdn: error:"))
                .count(),
            1,
            "{err}"
        );
        assert_eq!(
            std::fs::read(&out).unwrap(),
            b"previous output",
            "a failed run leaves the output untouched"
        );
    }
}

#[test]
fn info_lists_variants_and_per_model_paths() {
    let o = gdn().args(["info", "--device", "cpu"]).output().unwrap();
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    assert!(s.contains("compiled variants: 36"), "{s}");
    // No tensor-parallel degree in the default build; the line says how to add them.
    assert!(
        s.contains("tensor-parallel shards: none built (GDN_TP_DEGREES"),
        "{s}"
    );
    // The CPU kernel says which vectors it runs on.
    assert!(
        s.contains("cpu kernel: ") && s.contains("decode rows on ") && s.contains(" vectors"),
        "{s}"
    );
    assert!(
        s.contains("qwen3.5-0.8b")
            && s.contains("VLM (text_config)")
            && s.contains("qwen3-next-80b-a3b")
            && s.contains("flat text"),
        "{s}"
    );
}

#[test]
fn bench_prints_the_table_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("bench.json");
    let o = gdn()
        .args([
            "bench",
            "--device",
            "cpu",
            "--config",
            "qwen3.5-0.8b",
            "--t",
            "1,2",
            "--runs",
            "2",
            "--warmup",
            "0",
            "--json",
        ])
        .arg(&json)
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        s.contains("| T | ops ms | kernel µs | stream µs | speedup"),
        "{s}"
    );
    assert!(s.contains("kernel:cpu"), "{s}");
    let rows: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    let o = gdn()
        .args(["bench", "--device", "cpu", "--config", "no-such-model"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("neither a bundled config"));
}

#[test]
fn layer_runs_checkpoints_and_names_family_and_layout() {
    let dir = tempfile::tempdir().unwrap();
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/layer");
    for (case, weights, family, layout) in [
        ("next_llm", "model.safetensors", "qwen3_next", "text"),
        ("qwen35_vlm", "", "qwen3_5", "vlm"),
        (
            "qwen35_vlm_mlx_lm",
            "model.safetensors",
            "qwen3_5",
            "vlm-mlx",
        ),
    ] {
        let c = fx.join(case);
        let (io_meta, io) = read(&c.join("io.safetensors"));
        let out = dir.path().join("out.safetensors");
        for prefill in [None, Some(io_meta["prefill"].clone())] {
            let mut cmd = gdn();
            cmd.args(["layer", "--device", "cpu", "--layer", "0", "--config"])
                .arg(c.join("config.json"))
                .arg("--weights")
                .arg(c.join(weights));
            cmd.arg("--input")
                .arg(c.join("io.safetensors"))
                .arg("--output")
                .arg(&out);
            if let Some(p) = &prefill {
                cmd.args(["--prefill", p]);
            }
            let o = cmd.output().unwrap();
            assert!(
                o.status.success(),
                "{case}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let (meta, t) = read(&out);
            assert_eq!(meta["family"], family);
            assert!(meta["layout"].starts_with(layout), "{}", meta["layout"]);
            assert_eq!(meta["path"], "kernel:cpu");
            let want = if prefill.is_some() {
                "out_split"
            } else {
                "out"
            };
            assert!(rel(get(&t, "out"), get(&io, want)) < 2e-4, "{case} {want}");
            assert!(
                rel(get(&t, "state"), get(&io, "state")) < 2e-4,
                "{case} state"
            );
            assert!(
                rel(get(&t, "conv_state"), get(&io, "conv_state")) < 2e-4,
                "{case} conv_state"
            );
        }
    }
    let c = fx.join("qwen35_text");
    let o = gdn()
        .args(["layer", "--device", "cpu", "--layer", "1", "--config"])
        .arg(c.join("config.json"))
        .arg("--weights")
        .arg(c.join("model.safetensors"))
        .arg("--input")
        .arg(c.join("io.safetensors"))
        .arg("--output")
        .arg(dir.path().join("x.safetensors"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("layer 1 is full attention"),
        "{err}"
    );
}

/// `gdn layer` on the fixture `case` on the CPU, with extra arguments; the output read back.
fn layer_cpu(case: &str, out: &Path, extra: &[&str]) -> (Meta, Tensors) {
    let c = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/layer/")
        .join(case);
    let o = gdn()
        .args(["layer", "--device", "cpu", "--layer", "0", "--config"])
        .arg(c.join("config.json"))
        .arg("--weights")
        .arg(c.join("model.safetensors"))
        .arg("--input")
        .arg(c.join("io.safetensors"))
        .arg("--output")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{case} {extra:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    read(out)
}

#[test]
fn layer_tp_ranks_sum_to_the_whole_layer_and_e2e_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    for case in ["next_llm", "qwen35_text"] {
        for prefill in [&[][..], &["--prefill", "3"][..]] {
            let (_, whole) = layer_cpu(case, &dir.path().join("whole.safetensors"), prefill);
            let (out, state, conv) = (
                get(&whole, "out"),
                get(&whole, "state"),
                get(&whole, "conv_state"),
            );
            let mut sum = vec![0.0; out.len()];
            let (mut states, mut convs) = (Vec::new(), Vec::new());
            for rank in ["0", "1"] {
                let mut args = vec!["--tp", "2", "--rank", rank];
                args.extend(prefill);
                let (meta, t) = layer_cpu(
                    case,
                    &dir.path().join(format!("r{rank}.safetensors")),
                    &args,
                );
                assert_eq!((meta["tp"].as_str(), meta["rank"].as_str()), ("2", rank));
                sum.iter_mut()
                    .zip(get(&t, "out"))
                    .for_each(|(a, v)| *a += v);
                states.push(get(&t, "state").to_vec());
                convs.push(get(&t, "conv_state").to_vec());
            }
            assert!(
                rel(&sum, out) < 3e-5,
                "{case} {prefill:?}: sum of ranks {}",
                rel(&sum, out)
            );
            // State [B, Hv, Dv, Dk] (Hv = 4, Dv = 24, Dk = 16 in the fixtures): per batch row,
            // rank 0's two value heads then rank 1's.
            let half = 2 * 24 * 16;
            let stacked: Vec<f64> = (0..state.len() / (2 * half))
                .flat_map(|bi| {
                    let rows = states
                        .iter()
                        .map(move |s| s[bi * half..(bi + 1) * half].to_vec());
                    rows.flatten()
                })
                .collect();
            assert!(rel(&stacked, state) < 3e-5, "{case}: states");
            // Conv state [B, K-1, C]: each row's [q | k | v] channels split per rank.
            let (hk, dk, hv, dv) = (2, 16, 4, 24);
            assert_eq!(state.len() % (hv * dv * dk), 0);
            let c = 2 * hk * dk + hv * dv;
            let mut whole_rows = Vec::new();
            for row in conv.chunks(c) {
                for r in 0..2 {
                    let q = r * dk..(r + 1) * dk;
                    let k = hk * dk + r * dk..hk * dk + (r + 1) * dk;
                    let v = 2 * hk * dk + r * 2 * dv..2 * hk * dk + (r + 1) * 2 * dv;
                    whole_rows.push([&row[q], &row[k], &row[v]].concat());
                }
            }
            let rank_rows: Vec<Vec<f64>> = convs[0]
                .chunks(c / 2)
                .zip(convs[1].chunks(c / 2))
                .flat_map(|(a, b)| [a.to_vec(), b.to_vec()])
                .collect();
            assert!(
                rel(&rank_rows.concat(), &whole_rows.concat()) < 3e-5,
                "{case}: conv"
            );
        }
    }
    // One-line refusals naming the option.
    let c = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/layer/qwen35_text");
    for (args, want) in [
        (&["--tp", "4", "--rank", "0"][..], "degrees that do: 1, 2"),
        (
            &["--tp", "2", "--rank", "2"][..],
            "--rank 2 must be below --tp 2",
        ),
        (&["--tp", "2"][..], "--rank"),
    ] {
        let o = gdn()
            .args(["layer", "--device", "cpu", "--layer", "0", "--config"])
            .arg(c.join("config.json"))
            .arg("--weights")
            .arg(c.join("model.safetensors"))
            .arg("--input")
            .arg(c.join("io.safetensors"))
            .arg("--output")
            .arg(dir.path().join("bad.safetensors"))
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !o.status.success() && err.contains(want) && err.lines().count() == 1,
            "{args:?}: {err}"
        );
    }
    // e2e: each rank's weights and state bytes, half the whole stack's state each.
    let o = gdn()
        .args([
            "e2e", "--device", "cpu", "--runs", "1", "--prompt", "2", "--decode", "1", "--tp", "2",
            "--config",
        ])
        .arg(c.join("config.json"))
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        s.contains("tensor-parallel over 2 ranks") && s.contains("LLM rank 0 of 2"),
        "{s}"
    );
    let state = |row: &str| -> f64 {
        let line = s.lines().find(|l| l.starts_with(row)).unwrap();
        line.split('|').nth(5).unwrap().trim().parse().unwrap()
    };
    let (r0, r1, whole) = (state("| 0 |"), state("| 1 |"), state("| whole |"));
    assert!(
        r0 > 0.0 && r0 == r1 && (r0 + r1 - whole).abs() < 2e-3,
        "{s}"
    );
}
