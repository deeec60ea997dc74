//! safetensors input and output for `gdn run`.

use crate::files::{read_input, write_atomic};
use anyhow::{anyhow, bail, Result};
use gdn::{DType, HostData, HostTensor, OwnedData};
use half::{bf16, f16};
use safetensors::{Dtype, SafeTensors};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// One tensor read from a file, owned and aligned.
#[derive(Debug, Clone)]
pub(crate) enum Owned {
    F32(Vec<f32>),
    F16(Vec<f16>),
    BF16(Vec<bf16>),
    U8(Vec<u8>),
}

/// Tensors of a file by name, with their shapes, and the header metadata.
pub(crate) struct Loaded {
    pub tensors: BTreeMap<String, (Owned, Vec<usize>)>,
    /// Integer tensors (offsets such as `cu_seqlens`), with their shapes.
    pub ints: BTreeMap<String, (Vec<i64>, Vec<usize>)>,
    pub metadata: HashMap<String, String>,
}

/// Tensors that only integer dtypes may hold: offsets and step counts.
pub(crate) const INTEGER_ONLY: [&str; 2] = ["cu_seqlens", "positions"];

impl Loaded {
    /// Reads a safetensors file; the header is checked by the safetensors crate (offsets, lengths,
    /// overlaps), and the file must be a regular file within the host memory limit.
    pub(crate) fn read(path: &Path) -> Result<Self> {
        let bytes = read_input(path)?;
        let st = SafeTensors::deserialize(&bytes)
            .map_err(|e| anyhow!("{}: not a valid safetensors file: {e}", path.display()))?;
        let (_, meta) = SafeTensors::read_metadata(&bytes)
            .map_err(|e| anyhow!("{}: bad header: {e}", path.display()))?;
        let mut tensors = BTreeMap::new();
        let mut ints = BTreeMap::new();
        for (name, view) in st.iter() {
            let data = view.data();
            let int: Option<Vec<i64>> = match view.dtype() {
                Dtype::I32 => Some(
                    bytemuck::pod_collect_to_vec::<u8, i32>(data)
                        .into_iter()
                        .map(i64::from)
                        .collect(),
                ),
                Dtype::I64 => Some(bytemuck::pod_collect_to_vec(data)),
                Dtype::U32 => Some(
                    bytemuck::pod_collect_to_vec::<u8, u32>(data)
                        .into_iter()
                        .map(i64::from)
                        .collect(),
                ),
                _ => None,
            };
            let integer_only = INTEGER_ONLY.contains(&name);
            match int {
                Some(v) if integer_only => {
                    ints.insert(name.to_string(), (v, view.shape().to_vec()));
                    continue;
                }
                Some(_) => bail!(
                    "tensor `{name}`: dtype {:?}, expected f32, f16 or bf16 (u8/bool for `mask`; integer dtypes only for `cu_seqlens` and `positions`)",
                    view.dtype()
                ),
                None if integer_only => bail!(
                    "tensor `{name}`: dtype {:?}, expected i32, i64 or u32 (integer offsets)",
                    view.dtype()
                ),
                None => {}
            }
            let owned = match view.dtype() {
                Dtype::F32 => Owned::F32(bytemuck::pod_collect_to_vec(data)),
                Dtype::F16 => Owned::F16(bytemuck::pod_collect_to_vec(data)),
                Dtype::BF16 => Owned::BF16(bytemuck::pod_collect_to_vec(data)),
                Dtype::U8 | Dtype::BOOL => Owned::U8(data.to_vec()),
                other => bail!("tensor `{name}`: dtype {other:?} is not supported (f32, f16, bf16; u8/bool for mask; i32/i64/u32 for cu_seqlens and positions)"),
            };
            tensors.insert(name.to_string(), (owned, view.shape().to_vec()));
        }
        Ok(Self {
            tensors,
            ints,
            metadata: meta.metadata().clone().unwrap_or_default(),
        })
    }

    /// A tensor as a host view, if present.
    pub(crate) fn get(&self, name: &str) -> Option<HostTensor<'_>> {
        self.tensors.get(name).map(|(o, shape)| HostTensor {
            data: match o {
                Owned::F32(x) => HostData::F32(x),
                Owned::F16(x) => HostData::F16(x),
                Owned::BF16(x) => HostData::BF16(x),
                Owned::U8(x) => HostData::U8(x),
            },
            shape: shape.clone(),
        })
    }

    /// A rank-1 tensor of non-negative integers (offsets such as `cu_seqlens` or step positions
    /// such as `positions`), if given.
    pub(crate) fn offsets(&self, name: &str) -> Result<Option<Vec<usize>>> {
        let Some((v, shape)) = self.ints.get(name) else {
            return Ok(None);
        };
        if shape.len() != 1 {
            bail!("tensor `{name}`: shape {shape:?}, expected one dimension");
        }
        v.iter()
            .map(|&x| usize::try_from(x))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map(Some)
            .map_err(|_| anyhow!("tensor `{name}`: negative value in {v:?}"))
    }

    /// A required tensor, or an error naming it.
    pub(crate) fn need(&self, name: &str, what: &str) -> Result<HostTensor<'_>> {
        self.get(name)
            .ok_or_else(|| anyhow!("missing tensor `{name}` ({what})"))
    }
}

fn st_dtype(d: DType) -> Dtype {
    match d {
        DType::F32 => Dtype::F32,
        DType::F16 => Dtype::F16,
        DType::BF16 => Dtype::BF16,
    }
}

/// Writes tensors and metadata to `path` atomically ([`write_atomic`]), so a failed run never
/// leaves a half-written output or a temporary.
pub(crate) fn write(
    path: &Path,
    tensors: &[(&str, &OwnedData, Vec<usize>)],
    metadata: HashMap<String, String>,
) -> Result<()> {
    let views = tensors
        .iter()
        .map(|(name, data, shape)| {
            safetensors::tensor::TensorView::new(
                st_dtype(data.dtype()),
                shape.clone(),
                data.bytes(),
            )
            .map(|v| (name.to_string(), v))
            .map_err(|e| anyhow!("tensor `{name}`: {e}"))
        })
        .collect::<Result<Vec<_>>>()?;
    let bytes = safetensors::tensor::serialize(views, Some(metadata))
        .map_err(|e| anyhow!("serialising output: {e}"))?;
    write_atomic(path, &bytes)
}
