//! Helpers shared by the binary's tests: the command, raw safetensors files with any header
//! (shapes, dtypes and offsets that the safetensors crate would not write), and the one-line
//! refusal check.

#![allow(clippy::unwrap_used, dead_code)] // test helpers: a failure should abort the test

use std::path::Path;
use std::process::{Command, Output};

/// The `gdn` binary, with `XDG_RUNTIME_DIR` unset (as on a machine without a desktop session):
/// a GPU context must still print nothing of the window system's on stderr.
pub fn gdn() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gdn"));
    c.env_remove("XDG_RUNTIME_DIR");
    c
}

/// Whether a GPU adapter (lavapipe counts) is there; with CI set it must be.
pub fn gpu_ok() -> bool {
    let ok = gdn()
        .args(["info", "--device", "gpu"])
        .output()
        .unwrap()
        .status
        .success();
    assert!(
        ok || std::env::var_os("CI").is_none(),
        "CI is set but `gdn info --device gpu` failed"
    );
    ok
}

/// One tensor of a raw file: its header entry and, unless `offsets` is given, data of 0.25s
/// (or small integers) sized from the shape.
#[derive(Clone, Debug)]
pub struct Raw {
    pub name: String,
    pub dtype: &'static str,
    pub shape: Vec<u64>,
    /// Explicit `data_offsets` (the data is then whatever lies there).
    pub offsets: Option<(u64, u64)>,
    /// Explicit data bytes.
    pub data: Option<Vec<u8>>,
}

/// A tensor with generated data.
pub fn raw(name: &str, dtype: &'static str, shape: &[u64]) -> Raw {
    Raw {
        name: name.into(),
        dtype,
        shape: shape.to_vec(),
        offsets: None,
        data: None,
    }
}

/// An integer tensor of i64 values.
pub fn ints(name: &str, values: &[i64]) -> Raw {
    Raw {
        name: name.into(),
        dtype: "I64",
        shape: vec![values.len() as u64],
        offsets: None,
        data: Some(values.iter().flat_map(|v| v.to_le_bytes()).collect()),
    }
}

/// Bytes per element of a safetensors dtype name.
pub fn elem(dtype: &str) -> u64 {
    match dtype {
        "F64" | "I64" | "U64" => 8,
        "F32" | "I32" | "U32" => 4,
        "F16" | "BF16" | "I16" | "U16" => 2,
        _ => 1,
    }
}

fn fill(dtype: &str, n: usize) -> Vec<u8> {
    let one: Vec<u8> = match dtype {
        "F32" => 0.25f32.to_le_bytes().to_vec(),
        "F64" => 0.25f64.to_le_bytes().to_vec(),
        "F16" => half::f16::from_f32(0.25).to_le_bytes().to_vec(),
        "BF16" => half::bf16::from_f32(0.25).to_le_bytes().to_vec(),
        "I32" | "U32" => 1i32.to_le_bytes().to_vec(),
        "I64" | "U64" => 1i64.to_le_bytes().to_vec(),
        "I16" | "U16" => 1i16.to_le_bytes().to_vec(),
        _ => vec![1],
    };
    one.repeat(n)
}

/// A safetensors file with exactly this header (data laid out in order unless offsets are given).
pub fn st(tensors: &[Raw], meta: &[(&str, &str)]) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    if !meta.is_empty() {
        let m: serde_json::Map<String, serde_json::Value> = meta
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
            .collect();
        header.insert("__metadata__".into(), m.into());
    }
    let mut data = Vec::new();
    for t in tensors {
        let (start, end) = match t.offsets {
            Some(o) => o,
            None => {
                let bytes = t.data.clone().unwrap_or_else(|| {
                    let n = t.shape.iter().product::<u64>();
                    fill(t.dtype, usize::try_from(n).unwrap())
                });
                let start = data.len() as u64;
                data.extend_from_slice(&bytes);
                (start, data.len() as u64)
            }
        };
        header.insert(
            t.name.clone(),
            serde_json::json!({"dtype": t.dtype, "shape": t.shape, "data_offsets": [start, end]}),
        );
    }
    let mut h = serde_json::to_vec(&serde_json::Value::Object(header)).unwrap();
    while !h.len().is_multiple_of(8) {
        h.push(b' ');
    }
    let mut out = (h.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(&h);
    out.extend_from_slice(&data);
    out
}

/// The inputs of a small direct-gate call: q, k `[B,T,Hk,Dk]`, v `[B,T,Hv,Dv]`, g, beta.
pub fn direct(b: u64, t: u64, hk: u64, hv: u64, dk: u64, dv: u64) -> Vec<Raw> {
    vec![
        raw("q", "F32", &[b, t, hk, dk]),
        raw("k", "F32", &[b, t, hk, dk]),
        raw("v", "F32", &[b, t, hv, dv]),
        raw("g", "F32", &[b, t, hv]),
        raw("beta", "F32", &[b, t, hv]),
    ]
}

/// Writes `bytes` to `dir/name`.
pub fn file(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Asserts a refusal: non-zero exit (not a panic's 101, not a signal), nothing on stdout, and one
/// stderr line containing `needle`. Returns the line.
pub fn refused(o: &Output, needle: &str) -> String {
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    let code = o.status.code();
    assert!(
        matches!(code, Some(c) if c != 0 && c != 101),
        "{needle}: exit {:?}, stderr {err}",
        o.status
    );
    assert_eq!(err.lines().count(), 1, "{needle}: not one line: {err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// `gdn run` on `input` (written into `dir`) on `device`, writing `dir/out.safetensors`.
pub fn run_file(dir: &Path, input: &[u8], device: &str, extra: &[&str]) -> Output {
    let p = file(dir, "in.safetensors", input);
    gdn()
        .args(["run", "--device", device, "--input"])
        .arg(&p)
        .arg("--output")
        .arg(dir.join("out.safetensors"))
        .args(extra)
        .output()
        .unwrap()
}
