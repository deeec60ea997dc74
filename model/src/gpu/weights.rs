//! A layer's weights on the GPU: the projections in the checkpoint's dtype (16-bit values packed
//! two per `u32`), the small tensors in f32.

use super::MatvecParams;
use crate::weights::{Dims, LayerWeights};
use crate::{Error, Result};
use gdn_runtime::gpu::init_buffer;
use gdn_runtime::{wgpu, DType};

/// One projection matrix `[n, k]`, rows zero-padded to whole words of 4 (f32) or 8 (16-bit) values.
pub(crate) struct Matrix {
    pub name: &'static str,
    pub buffer: wgpu::Buffer,
    pub n: usize,
    pub k: usize,
    pub dtype: DType,
}

impl Matrix {
    fn per_word(dtype: DType) -> usize {
        if dtype == DType::F32 {
            4
        } else {
            8
        }
    }

    /// Words per row.
    pub fn kw(&self) -> usize {
        self.k.div_ceil(Self::per_word(self.dtype))
    }

    /// Uploads `rows` (one `&[f32]` of `n_i × k` values each, stacked in order) as `dtype`. Values
    /// of a 16-bit checkpoint were widened exactly, so narrowing them back is exact too.
    fn upload(
        device: &wgpu::Device,
        label: &'static str,
        rows: &[&[f32]],
        k: usize,
        dtype: DType,
    ) -> Result<Self> {
        let n: usize = rows.iter().map(|r| r.len() / k.max(1)).sum();
        let kp = k.div_ceil(Self::per_word(dtype)) * Self::per_word(dtype);
        let bytes_per = if dtype == DType::F32 { 4 } else { 2 };
        let size = (n * kp * bytes_per) as u64;
        let limit = device.limits().max_storage_buffer_binding_size;
        if size > limit {
            return Err(Error::Op(gdn_runtime::Error::Limit {
                what: format!("the {label} weight"),
                needed: size,
                limit,
            }));
        }
        let mut bytes = Vec::with_capacity(size as usize);
        for row in rows.iter().flat_map(|r| r.chunks_exact(k.max(1))) {
            match dtype {
                DType::F32 => row.iter().for_each(|v| bytes.extend(v.to_le_bytes())),
                DType::BF16 => row
                    .iter()
                    .for_each(|v| bytes.extend(half::bf16::from_f32(*v).to_le_bytes())),
                DType::F16 => row
                    .iter()
                    .for_each(|v| bytes.extend(half::f16::from_f32(*v).to_le_bytes())),
            }
            bytes.resize(bytes.len() + (kp - k) * bytes_per, 0);
        }
        let buffer = init_buffer(device, label, &bytes, wgpu::BufferUsages::STORAGE);
        Ok(Self {
            name: label,
            buffer,
            n,
            k,
            dtype,
        })
    }

    /// Parameters of `o[m, :] = self · x[m, :]` for `m` rows.
    pub fn params(&self, m: usize) -> MatvecParams {
        MatvecParams {
            m: m as u32,
            n: self.n as u32,
            k: self.k as u32,
            kw: self.kw() as u32,
            code: match self.dtype {
                DType::F16 => 1,
                DType::BF16 => 2,
                DType::F32 => 0,
            },
            ld_x: self.k as u32,
            ld_o: self.n as u32,
            ..MatvecParams::default()
        }
    }

    /// Bytes of the stored matrix.
    pub fn bytes(&self) -> u64 {
        self.buffer.size()
    }
}

/// A layer's weights on the GPU.
pub(crate) struct GpuWeights {
    /// `[qkv | z | b | a]` rows: one projection for the whole in_proj.
    pub in_proj: Matrix,
    pub out_proj: Matrix,
    /// `[C, K]`.
    pub conv: wgpu::Buffer,
    /// `[A_log (Hv) | dt_bias (Hv) | norm (Dv)]` (the fused module's constants).
    pub consts: wgpu::Buffer,
    pub a_log: wgpu::Buffer,
    pub dt_bias: wgpu::Buffer,
    pub norm: wgpu::Buffer,
}

fn upload(device: &wgpu::Device, label: &str, data: &[f32]) -> wgpu::Buffer {
    let bytes: &[u8] = bytemuck::cast_slice(data);
    init_buffer(device, label, bytes, wgpu::BufferUsages::STORAGE)
}

impl GpuWeights {
    pub(crate) fn upload(device: &wgpu::Device, w: &LayerWeights, d: &Dims) -> Result<Self> {
        let consts: Vec<f32> = [&w.a_log[..], &w.dt_bias, &w.norm].concat();
        Ok(Self {
            in_proj: Matrix::upload(
                device,
                "in_proj",
                &[&w.in_proj_qkv, &w.in_proj_z, &w.in_proj_b, &w.in_proj_a],
                d.hidden,
                w.dtype,
            )?,
            out_proj: Matrix::upload(device, "out_proj", &[&w.out_proj], d.value_width(), w.dtype)?,
            conv: upload(device, "conv1d", &w.conv),
            consts: upload(device, "layer constants", &consts),
            a_log: upload(device, "A_log", &w.a_log),
            dt_bias: upload(device, "dt_bias", &w.dt_bias),
            norm: upload(device, "norm", &w.norm),
        })
    }

    /// Bytes the layer's weights take on the GPU.
    pub(crate) fn bytes(&self) -> u64 {
        self.in_proj.bytes()
            + self.out_proj.bytes()
            + [
                &self.conv,
                &self.consts,
                &self.a_log,
                &self.dt_bias,
                &self.norm,
            ]
            .iter()
            .map(|b| b.size())
            .sum::<u64>()
    }
}
