//! Reading only the tensors the layer needs from safetensors checkpoints: a single file, or a
//! sharded folder with `model.safetensors.index.json`. Headers are validated (length, JSON, dtypes,
//! offsets within the file, byte counts matching shapes) before any tensor data is read.

use crate::{Error, Result};
use half::{bf16, f16};
use serde_json::Value;
use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Largest header accepted (the safetensors format's own limit is 100 MB).
const MAX_HEADER: u64 = 100 * 1024 * 1024;

#[derive(Clone, Debug)]
struct Entry {
    file: usize,
    dtype: String,
    shape: Vec<usize>,
    start: u64,
    end: u64,
}

/// An opened checkpoint: tensor index over one or more files; data is read on demand.
#[derive(Debug)]
pub struct Checkpoint {
    files: Vec<PathBuf>,
    entries: HashMap<String, Entry>,
}

fn fmt_err(path: &Path, reason: impl Into<String>) -> Error {
    Error::Format {
        path: path.display().to_string(),
        reason: reason.into(),
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

fn elem_size(dtype: &str) -> Option<u64> {
    match dtype {
        "F32" => Some(4),
        "F16" | "BF16" => Some(2),
        "F64" => Some(8),
        "U8" | "I8" | "BOOL" => Some(1),
        "I32" | "U32" => Some(4),
        "I64" | "U64" => Some(8),
        "I16" | "U16" => Some(2),
        _ => None,
    }
}

impl Checkpoint {
    /// Opens a `.safetensors` file, or a folder holding `model.safetensors.index.json` (sharded) or
    /// `*.safetensors` files.
    pub fn open(path: &Path) -> Result<Self> {
        let mut ck = Self {
            files: Vec::new(),
            entries: HashMap::new(),
        };
        if path.is_dir() {
            let index = path.join("model.safetensors.index.json");
            if index.exists() {
                let text =
                    gdn_core::limits::read_regular(&index, MAX_HEADER).map_err(io_err(&index))?;
                let v: Value =
                    serde_json::from_slice(&text).map_err(|e| fmt_err(&index, e.to_string()))?;
                let map = v
                    .get("weight_map")
                    .and_then(Value::as_object)
                    .ok_or_else(|| fmt_err(&index, "no `weight_map` object"))?;
                let mut shards: Vec<String> = map
                    .values()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect();
                shards.sort();
                shards.dedup();
                for s in shards {
                    if s.contains("..") || s.contains('/') || s.contains('\\') {
                        return Err(fmt_err(
                            &index,
                            format!("shard name {s:?} is not a plain file name"),
                        ));
                    }
                    ck.add_file(&path.join(s))?;
                }
            } else {
                let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                    .map_err(io_err(path))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "safetensors"))
                    .collect();
                files.sort();
                if files.is_empty() {
                    return Err(Error::Io {
                        path: path.display().to_string(),
                        reason: "no *.safetensors file and no model.safetensors.index.json".into(),
                    });
                }
                for f in files {
                    ck.add_file(&f)?;
                }
            }
        } else {
            ck.add_file(path)?;
        }
        Ok(ck)
    }

    fn add_file(&mut self, path: &Path) -> Result<()> {
        // Only regular files: a device or FIFO could be endless or block.
        let (mut f, size) = gdn_core::limits::open_regular(path).map_err(io_err(path))?;
        let mut n = [0u8; 8];
        f.read_exact(&mut n)
            .map_err(|_| fmt_err(path, "shorter than the 8-byte header length"))?;
        let n = u64::from_le_bytes(n);
        if n > MAX_HEADER || n + 8 > size {
            return Err(fmt_err(
                path,
                format!("header length {n} is impossible for a file of {size} bytes"),
            ));
        }
        let mut header = vec![0u8; n as usize];
        f.read_exact(&mut header)
            .map_err(|_| fmt_err(path, "truncated header"))?;
        let v: Value = serde_json::from_slice(&header)
            .map_err(|e| fmt_err(path, format!("header is not JSON: {e}")))?;
        let obj = v
            .as_object()
            .ok_or_else(|| fmt_err(path, "header is not a JSON object"))?;
        let data_len = size - 8 - n;
        let file = self.files.len();
        let mut spans = Vec::new();
        for (name, info) in obj {
            if name == "__metadata__" {
                continue;
            }
            let dtype = info
                .get("dtype")
                .and_then(Value::as_str)
                .ok_or_else(|| fmt_err(path, format!("tensor `{name}`: no dtype")))?;
            let esize = elem_size(dtype)
                .ok_or_else(|| fmt_err(path, format!("tensor `{name}`: unknown dtype {dtype}")))?;
            let shape: Vec<usize> = info
                .get("shape")
                .and_then(Value::as_array)
                .and_then(|a| a.iter().map(|d| d.as_u64().map(|d| d as usize)).collect())
                .ok_or_else(|| fmt_err(path, format!("tensor `{name}`: bad shape")))?;
            let offs: Vec<u64> = info
                .get("data_offsets")
                .and_then(Value::as_array)
                .and_then(|a| a.iter().map(Value::as_u64).collect())
                .filter(|o: &Vec<u64>| o.len() == 2)
                .ok_or_else(|| fmt_err(path, format!("tensor `{name}`: bad data_offsets")))?;
            let (start, end) = (offs[0], offs[1]);
            let numel = shape
                .iter()
                .try_fold(1u64, |a, &d| a.checked_mul(d as u64))
                .ok_or_else(|| fmt_err(path, format!("tensor `{name}`: shape overflows")))?;
            if start > end || end > data_len || numel.checked_mul(esize) != Some(end - start) {
                return Err(fmt_err(path, format!("tensor `{name}`: offsets {start}..{end} do not hold {numel} {dtype} elements within {data_len} data bytes")));
            }
            if start < end {
                spans.push((start, end, name.as_str()));
            }
            if let Some(first) = self.entries.get(name) {
                return Err(fmt_err(
                    path,
                    format!(
                        "tensor `{name}` is also in {}",
                        self.files[first.file].display()
                    ),
                ));
            }
            self.entries.insert(
                name.clone(),
                Entry {
                    file,
                    dtype: dtype.to_string(),
                    shape,
                    start: 8 + n + start,
                    end: 8 + n + end,
                },
            );
        }
        // Tensors sharing bytes would alias each other (the safetensors crate refuses them too).
        spans.sort_unstable();
        if let Some(w) = spans.windows(2).find(|w| w[1].0 < w[0].1) {
            return Err(fmt_err(
                path,
                format!(
                    "tensors `{}` ({}..{}) and `{}` ({}..{}) overlap",
                    w[0].2, w[0].0, w[0].1, w[1].2, w[1].0, w[1].1
                ),
            ));
        }
        self.files.push(path.to_path_buf());
        Ok(())
    }

    /// Whether a tensor exists.
    pub fn contains(&self, name: &str) -> bool {
        self.entries.contains_key(name)
    }

    /// A tensor's shape, if present.
    pub fn shape(&self, name: &str) -> Option<&[usize]> {
        self.entries.get(name).map(|e| e.shape.as_slice())
    }

    /// The float dtype of a tensor (`None` if absent or not f32, f16 or bf16).
    pub fn dtype(&self, name: &str) -> Option<gdn_core::DType> {
        match self.entries.get(name)?.dtype.as_str() {
            "F32" => Some(gdn_core::DType::F32),
            "F16" => Some(gdn_core::DType::F16),
            "BF16" => Some(gdn_core::DType::BF16),
            _ => None,
        }
    }

    /// Reads one float tensor (f32, f16 or bf16) widened to f32, with its shape.
    pub fn read_f32(&self, name: &str, what: &str) -> Result<(Vec<f32>, Vec<usize>)> {
        let numel = self.shape(name).map_or(0, |s| s.iter().product::<usize>());
        self.read_f32_spans(name, what, std::slice::from_ref(&(0..numel)))
    }

    /// Reads the elements `spans` (ranges of flat, row-major element indices, in order) of one
    /// float tensor widened to f32, concatenated, with the tensor's whole shape: only those bytes
    /// are read (adjacent spans in one read), so a tensor-parallel rank never reads the rows of
    /// the others.
    pub fn read_f32_spans(
        &self,
        name: &str,
        what: &str,
        spans: &[std::ops::Range<usize>],
    ) -> Result<(Vec<f32>, Vec<usize>)> {
        let e = self.entries.get(name).ok_or_else(|| Error::Missing {
            name: name.into(),
            what: what.into(),
        })?;
        let esize = match e.dtype.as_str() {
            "F32" => 4,
            "F16" | "BF16" => 2,
            other => {
                return Err(Error::Shape {
                    name: name.into(),
                    found: format!("dtype {other}"),
                    expected: "f32, f16 or bf16".into(),
                })
            }
        };
        let numel = (e.end - e.start) / esize;
        // Adjacent spans merge into one read.
        let mut merged: Vec<(u64, u64)> = Vec::new();
        for r in spans.iter().filter(|r| r.start < r.end) {
            let (a, b) = (r.start as u64, r.end as u64);
            if b > numel {
                return Err(Error::Shape {
                    name: name.into(),
                    found: format!("{numel} elements"),
                    expected: format!("at least {b}"),
                });
            }
            match merged.last_mut() {
                Some(last) if last.1 == a => last.1 = b,
                _ => merged.push((a, b)),
            }
        }
        let path = &self.files[e.file];
        let mut f = File::open(path).map_err(io_err(path))?;
        let total: u64 = merged.iter().map(|(a, b)| b - a).sum();
        let mut bytes = vec![0u8; (total * esize) as usize];
        let mut at = 0usize;
        for (a, b) in merged {
            let n = ((b - a) * esize) as usize;
            f.seek(SeekFrom::Start(e.start + a * esize))
                .map_err(io_err(path))?;
            f.read_exact(&mut bytes[at..at + n]).map_err(io_err(path))?;
            at += n;
        }
        let data = match esize {
            4 => bytemuck::pod_collect_to_vec(&bytes),
            _ if e.dtype == "F16" => bytemuck::pod_collect_to_vec::<u8, f16>(&bytes)
                .into_iter()
                .map(f16::to_f32)
                .collect(),
            _ => bytemuck::pod_collect_to_vec::<u8, bf16>(&bytes)
                .into_iter()
                .map(bf16::to_f32)
                .collect(),
        };
        Ok((data, e.shape.clone()))
    }
}
