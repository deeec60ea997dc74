//! Structured fuzzing of the binary: sizes, dtypes, counts, offsets and metadata of `run` inputs,
//! the fields of a `layer` config, and the size flags of `bench` and `e2e`, mutated as values of
//! their kind (not only as bytes). Every case must succeed or be refused in one line with a
//! non-zero exit: never a panic, a signal, or an allocation past the limits — each process runs
//! with `GDN_MAX_HOST_BYTES` at 256 MiB under a 4 GiB address-space limit (`prlimit`), so an
//! unchecked huge allocation aborts and fails the test.
//!
//! Bounded by time: `GDN_FUZZ_SECONDS` (default 4) or `GDN_FUZZ_CASES`, whichever ends first;
//! `GDN_FUZZ_SEED` picks another sequence. It prints the figures (`-- --nocapture`).

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A small deterministic generator (64-bit LCG).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 11
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Sizes a field or dimension is set to: small, at the edges of 16, 32 and 64 bits, huge.
const SIZES: [u64; 14] = [
    0,
    1,
    2,
    3,
    7,
    128,
    4097,
    1 << 16,
    1 << 20,
    1 << 31,
    u32::MAX as u64,
    1 << 40,
    u64::MAX >> 1,
    u64::MAX,
];

/// dtypes of the raw gate's parameters: both floats, and an integer.
const PARAM_DTYPES: [&str; 3] = ["F32", "F16", "I32"];

const DTYPES: [&str; 12] = [
    "F32", "F16", "BF16", "F64", "U8", "BOOL", "I8", "I16", "I32", "I64", "U32", "U64",
];

/// `gdn` under the fuzzing limits.
fn limited(args: &[&str], files: &[&Path]) -> Output {
    let mut c = if Command::new("prlimit").arg("--version").output().is_ok() {
        let mut c = Command::new("prlimit");
        c.arg(format!("--as={}", 4u64 << 30))
            .arg("--")
            .arg(env!("CARGO_BIN_EXE_gdn"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_gdn"))
    };
    c.env("GDN_MAX_HOST_BYTES", (256u64 << 20).to_string());
    c.args(args);
    for f in files {
        c.arg(f);
    }
    c.output().unwrap()
}

/// Succeeded, or refused in one line; which.
fn judge(o: &Output, what: &str) -> bool {
    if o.status.success() {
        return true;
    }
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        matches!(o.status.code(), Some(c) if c != 101),
        "{what}: killed or panicked ({:?}): {err}",
        o.status
    );
    assert_eq!(err.lines().count(), 1, "{what}: not one line: {err}");
    assert!(err.starts_with("gdn: "), "{what}: {err}");
    false
}

/// A `run` input: a valid call, then one structured mutation.
fn run_case(r: &mut Rng) -> (Vec<Raw>, Vec<(&'static str, &'static str)>, String) {
    let (b, t, hk, dk, dv) = (
        *r.pick(&[1u64, 2]),
        *r.pick(&[0u64, 1, 3, 9]),
        1u64,
        *r.pick(&[4u64, 8]),
        *r.pick(&[4u64, 8]),
    );
    let hv = hk * *r.pick(&[1u64, 2]);
    let mut ts = direct(b, t, hk, hv, dk, dv);
    if r.below(2) == 0 {
        ts.push(raw("state", "F32", &[b, hv, dv, dk]));
    }
    if r.below(3) == 0 {
        ts.push(raw("mask", "U8", &[b, t]));
    }
    let mut meta = vec![];
    let what;
    match r.below(8) {
        // One dimension of one tensor to an edge size (data regenerated when small).
        0 => {
            let i = r.below(ts.len());
            let d = r.below(ts[i].shape.len());
            let s = *r.pick(&SIZES);
            ts[i].shape[d] = s;
            if ts[i]
                .shape
                .iter()
                .try_fold(1u64, |a, &x| a.checked_mul(x))
                .is_none_or(|n| n > 1 << 16)
            {
                ts[i].data = Some(vec![0; 64]);
            }
            what = format!("{}.shape[{d}] = {s}", ts[i].name);
        }
        // One head dimension of every tensor at once (shapes stay consistent, T = 0 keeps the
        // data empty): only the size checks stand between the header and the allocation.
        1 => {
            let s = *r.pick(&SIZES);
            let axis = r.below(3);
            for x in ts.iter_mut() {
                match (x.name.as_str(), axis) {
                    ("q" | "k", 0) | ("state", 2) => *x.shape.last_mut().unwrap() = s,
                    ("v", 1) => x.shape[3] = s,
                    ("state", 1) => x.shape[2] = s,
                    (_, 2) => x.shape[0] = s,
                    _ => {}
                }
                if x.name != "state" && x.shape.len() > 1 {
                    x.shape[1] = 0;
                }
                x.data = Some(Vec::new());
                if x.name == "state" {
                    x.data = Some(vec![0; 16]);
                }
            }
            what = format!("axis {axis} = {s} on every tensor, T = 0");
        }
        // One tensor's dtype.
        2 => {
            let i = r.below(ts.len());
            let d = *r.pick(&DTYPES);
            ts[i].dtype = d;
            what = format!("{}.dtype = {d}", ts[i].name);
        }
        // Counts: a tensor dropped, or integer offsets of many entries, in order or not.
        3 => {
            if r.below(2) == 0 {
                let i = r.below(ts.len());
                what = format!("without {}", ts[i].name);
                ts.remove(i);
            } else {
                let name = *r.pick(&["cu_seqlens", "positions"]);
                let n = *r.pick(&[0usize, 1, 2, 3, 1000, 200_000]);
                let mode = r.below(3);
                let v: Vec<i64> = (0..n)
                    .map(|j| match mode {
                        0 => 0,
                        1 => j as i64,
                        _ => (r.next() % (t + 2)) as i64 - 1,
                    })
                    .collect();
                let mut x = ints(name, &v);
                x.dtype = *r.pick(&["I64", "I64", "I32", "U32", "F32", "U8"]);
                if x.dtype != "I64" {
                    x.data = Some(vec![0; n * elem(x.dtype) as usize]);
                }
                ts.push(x);
                what = format!("{name}: {n} entries, mode {mode}");
            }
        }
        // Offsets: one tensor moved over another's bytes or past the end.
        4 => {
            let i = r.below(ts.len());
            let s = *r.pick(&[0u64, 8, 1 << 20, u64::MAX - 8]);
            let len = ts[i].shape.iter().product::<u64>() * elem(ts[i].dtype);
            ts[i].offsets = Some((s, s.saturating_add(len)));
            what = format!("{} at offset {s}", ts[i].name);
        }
        // Metadata: values of each key, valid or not, and keys nobody reads.
        5 => {
            let k = *r.pick(&["gate", "head_map", "qk_l2norm", "dtype", "path"]);
            let v = *r.pick(&["log", "decay", "tiled", "grouped", "true", "false", "", "x"]);
            meta.push((k, v));
            what = format!("metadata {k} = {v:?}");
        }
        // The raw gate form with edge shapes of its parameters.
        6 => {
            ts.retain(|x| x.name != "g" && x.name != "beta");
            let s = *r.pick(&SIZES);
            ts.push(raw("a", "F32", &[b, t, hv]));
            ts.push(raw("b", "F32", &[b, t, hv]));
            let d = PARAM_DTYPES[r.below(PARAM_DTYPES.len())];
            let mut p = raw("A_log", d, &[hv]);
            if r.below(2) == 0 {
                p.shape = vec![s];
                p.data = Some(vec![0; 8]);
            }
            ts.push(p);
            ts.push(raw("dt_bias", "F32", &[hv]));
            what = format!("raw gates, A_log {:?}", ts[ts.len() - 2].shape);
        }
        // Unchanged.
        _ => what = "valid".into(),
    }
    (ts, meta, what)
}

/// A `layer` config: the fixture's, with one field set to an edge value of any JSON type.
fn config_case(r: &mut Rng, base: &serde_json::Value) -> (serde_json::Value, String) {
    let mut v = base.clone();
    let field = *r.pick(&[
        "hidden_size",
        "num_hidden_layers",
        "linear_num_key_heads",
        "linear_num_value_heads",
        "linear_key_head_dim",
        "linear_value_head_dim",
        "linear_conv_kernel_dim",
        "full_attention_interval",
        "layer_types",
    ]);
    let value: serde_json::Value = match r.below(4) {
        0 => serde_json::Value::from(*r.pick(&SIZES)),
        1 => serde_json::from_str::<serde_json::Value>(
            r.pick::<&str>(&["-1", "1.5", "null", "\"8\"", "[]", "1e30", "true"]),
        )
        .unwrap(),
        2 => serde_json::Value::from(vec!["linear_attention"; r.below(5)]),
        _ => serde_json::Value::from(v[field].as_u64().unwrap_or(2) * 2),
    };
    if field == "num_hidden_layers" && r.below(2) == 0 {
        v.as_object_mut().unwrap().remove("layer_types");
    }
    let what = format!("{field} = {value}");
    v[field] = value;
    (v, what)
}

#[test]
fn structured_mutations_never_panic_or_allocate_past_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let seed = env_num("GDN_FUZZ_SEED", 0);
    let budget = Duration::from_secs(env_num("GDN_FUZZ_SECONDS", 4));
    let max_cases = env_num("GDN_FUZZ_CASES", u64::MAX);
    let mut r = Rng(0x9E37_79B9_7F4A_7C15 ^ seed);
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/layer/qwen35_text");
    let base: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fx.join("config.json")).unwrap()).unwrap();
    let input = dir.path().join("in.safetensors");
    let output = dir.path().join("out.safetensors");
    let config = dir.path().join("config.json");
    let mut counts = [[0u32; 2]; 3];
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget && n < max_cases {
        let kind = (n % 5) as usize;
        match kind {
            0..=2 => {
                let (ts, meta, what) = run_case(&mut r);
                std::fs::write(&input, st(&ts, &meta)).unwrap();
                let o = limited(
                    &["run", "--device", "cpu", "--input"],
                    &[&input, Path::new("--output"), &output],
                );
                counts[0][usize::from(!judge(&o, &what))] += 1;
            }
            3 => {
                let (c, what) = config_case(&mut r, &base);
                std::fs::write(&config, c.to_string()).unwrap();
                let o = limited(
                    &["layer", "--device", "cpu", "--layer", "0", "--config"],
                    &[
                        &config,
                        Path::new("--weights"),
                        &fx.join("model.safetensors"),
                        Path::new("--input"),
                        &fx.join("io.safetensors"),
                        Path::new("--output"),
                        &output,
                    ],
                );
                counts[1][usize::from(!judge(&o, &what))] += 1;
            }
            _ => {
                // Size flags: tiny values run quickly, huge ones must be refused before any
                // allocation.
                let huge = *r.pick(&SIZES[7..]);
                let v = if r.below(3) == 0 { 1 } else { huge }.to_string();
                let args: Vec<&str> = match r.below(3) {
                    0 => vec![
                        "bench",
                        "--config",
                        "qwen3.5-0.8b",
                        "--runs",
                        "1",
                        "--warmup",
                        "0",
                        "--t",
                        &v,
                    ],
                    1 => vec![
                        "bench",
                        "--config",
                        "qwen3.5-0.8b",
                        "--runs",
                        "1",
                        "--warmup",
                        "0",
                        "--t",
                        "1",
                        "--batch",
                        &v,
                    ],
                    _ => vec!["e2e", "--runs", "1", "--decode", "1", "--prompt", &v],
                };
                let mut all = args.clone();
                all.extend(["--device", "cpu"]);
                let o = limited(&all, &[]);
                counts[2][usize::from(!judge(&o, &args.join(" ")))] += 1;
            }
        }
        n += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "fuzz: {n} cases in {secs:.1} s (seed {seed}): run inputs {} accepted / {} refused, layer configs {} / {}, size flags {} / {}",
        counts[0][0], counts[0][1], counts[1][0], counts[1][1], counts[2][0], counts[2][1]
    );
    assert!(n >= 20, "only {n} cases in {secs:.1} s");
    // Every class was reached with both answers somewhere.
    assert!(counts.iter().all(|c| c[0] + c[1] > 0));
}
