//! Variant planning: one variant per distinct head shape, dtype and feature tier.

use gdn_core::{DType, HeadShape, Tier};
use std::collections::BTreeMap;

/// One kernel variant to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedVariant {
    /// Variant name, e.g. `recurrent_hk16_hv32_dk128_dv128_bf16_sg32`.
    pub name: String,
    /// Head shape the variant is specialised on.
    pub shape: HeadShape,
    /// Input dtype.
    pub dtype: DType,
    /// Feature tier.
    pub tier: Tier,
    /// Names of the configs (or explicit shapes) that asked for this shape.
    pub configs: Vec<String>,
}

impl PlannedVariant {
    /// Threads per workgroup along x (one state row).
    pub fn lanes(&self) -> usize {
        self.tier.lanes()
    }
    /// State rows per workgroup.
    pub fn rows(&self) -> usize {
        self.tier.rows()
    }
    /// Whether a chunked-prefill module is generated beside the recurrent kernel (the `sg8` tier:
    /// its scan reduces state rows over 8 lanes with subgroup shuffles).
    pub fn has_chunked(&self) -> bool {
        self.tier == Tier::Subgroup8
    }
    /// Whether a chunked-prefill module on cooperative matrices (16×16×16 tiles, f16 operands,
    /// f32 accumulators, f16 ones for −W) is generated too: `sg8` variants with 16-bit inputs, Dk
    /// a multiple of 16 and Dv a multiple of [`MMA_SCAN_ROWS`] (the scan's workgroups cover whole
    /// blocks of rows).
    /// f32 inputs keep the f32 scan (f16 operands would miss their 2e-5 tolerance).
    pub fn has_chunked_mma(&self) -> bool {
        self.has_chunked()
            && self.dtype != DType::F32
            && self.shape.dk.is_multiple_of(16)
            && self.shape.dv.is_multiple_of(MMA_SCAN_ROWS)
    }
    /// Steps per chunk of the chunked module: 8. The scan is unrolled over the chunk's steps and
    /// its triangular solve is quadratic in them; on an H100 chunks of 8 ran 1.17× faster than
    /// chunks of 16 (T = 4096, (16,32,128,128)), and 32 multiplied shader compile times on
    /// software drivers. Workgroup memory stays within [`CHUNKED_WORKGROUP_BYTES`] up to Dk = 471;
    /// beyond, it needs an adapter with more (the runtime checks the limit and otherwise stays on the
    /// recurrent kernel, saying why).
    pub fn chunk(&self) -> usize {
        8
    }
    /// State rows per thread in the `main_staged` entry point: 2 for `sg8` (each staged k/q
    /// column then feeds two rows), else 1.
    pub fn staged_rows_per_thread(&self) -> usize {
        if self.tier == Tier::Subgroup8 {
            2
        } else {
            1
        }
    }
    /// vec4 columns (4 elements of Dk) in a state row.
    pub fn columns(&self) -> usize {
        self.shape.dk.div_ceil(4)
    }
    /// vec4 columns of a state row each thread keeps in registers.
    pub fn per_thread(&self) -> usize {
        self.columns().div_ceil(self.lanes())
    }
}

/// Workgroup memory the chunked module is sized for: 32 KiB, what Vulkan desktop drivers, Metal
/// and D3D12 offer. The runtime checks the adapter's limit before choosing the chunked path.
pub const CHUNKED_WORKGROUP_BYTES: usize = 32 * 1024;

/// Workgroup memory of the chunked module's larger entry point for chunk size `c` (`scan`: k and q
/// of the chunk, two C×C matrices, the decays, v and y of 32 rows).
pub fn chunked_workgroup_bytes(c: usize, dk: usize) -> usize {
    4 * (2 * c * dk + 2 * c * c + 66 * c)
}

/// Subgroups of 32 per workgroup of the cooperative-matrix chunked module for Dk (a multiple of
/// 16): 4, 2 or 1, whichever is the largest that divides the Dk tiles, so each subgroup owns the
/// same number of tiles and a workgroup's 256-element tiles split evenly over its threads.
pub fn mma_subgroups(dk: usize) -> usize {
    let nt = dk / 16;
    [4, 2, 1]
        .into_iter()
        .find(|w| nt.is_multiple_of(*w))
        .unwrap_or(1)
}

/// Steps per chunk of the cooperative-matrix chunked module: 64, as fla's chunked kernels use. The
/// scan's sequential hand-offs (four barriers per chunk) are a quarter of those of 16-step chunks.
pub const MMA_CHUNK: usize = 64;

/// Dv must be a multiple of this for the cooperative-matrix module: its scan covers whole blocks
/// of 16 state rows.
pub const MMA_SCAN_ROWS: usize = 16;

/// State rows per workgroup of the cooperative-matrix scan: 32 where Dv allows, else 16. Each
/// subgroup applies every tile of a chunk it loads to all of them, so 32 rows load each tile
/// half as often per row: on an H100 (bf16, T = 4096) 32 rows ran 11 % faster than 16 at 32
/// heads and 15 % at 64. (Workgroups of 32 rows as eight subgroups, each loading its own
/// tiles, ran 1.1-1.2x slower than 16; 64 rows, four blocks per subgroup with the f32 staging
/// shared in turn to fit 48 KiB, ran 1.5x slower than 32 at 32 heads.)
pub fn mma_scan_rows(dv: usize) -> usize {
    if dv.is_multiple_of(32) {
        32
    } else {
        16
    }
}

/// Workgroup memory of the cooperative-matrix chunked module's larger entry point: `prep` keeps
/// k and q of the chunk in f16 (k's space then holds β·V, q's T and A), a scratch tile per
/// subgroup in f32 and in f16, A's diagonal blocks in f32, decays and betas; `scan` the state rows
/// in f32 and in f16, an identity tile, U in f16 and U or Y in f32.
pub fn chunked_mma_workgroup_bytes(dk: usize, dv: usize) -> usize {
    let (c, nw, r) = (MMA_CHUNK, mma_subgroups(dk), mma_scan_rows(dv));
    let prep =
        2 * (c * (dk.max(dv) + 8) + mma_q_space(dk) + nw * 256) + 4 * (nw * 256 + 4 * 256 + 5 * c);
    let scan = 4 * r * (dk + 4) + 2 * r * (dk + 8) + 2 * 256 + 2 * c * r + 4 * c * r;
    prep.max(scan)
}

/// Halves of `prep`'s space for q of a chunk, reused for T and A (C × (C + 8) each).
pub fn mma_q_space(dk: usize) -> usize {
    (MMA_CHUNK * (dk + 8)).max(2 * MMA_CHUNK * (MMA_CHUNK + 8))
}

/// A variant that was not planned, and why (reported as a cargo warning).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The variant name.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// Plans variants for `shapes` (shape → config names), for the given dtypes and tiers.
/// Identical shapes are generated once; the config names are merged.
pub fn plan(
    shapes: &BTreeMap<HeadShape, Vec<String>>,
    dtypes: &[DType],
    tiers: &[Tier],
) -> (Vec<PlannedVariant>, Vec<Skipped>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for (shape, configs) in shapes {
        for &dtype in dtypes {
            for &tier in tiers {
                let name = shape.variant_name(dtype, tier);
                if dtype != DType::F32 && shape.dv % 2 != 0 {
                    skipped.push(Skipped {
                        name,
                        reason: format!(
                            "{dtype} outputs are written as packed pairs and need an even Dv (Dv = {}); \
                             this shape runs on the ops path for {dtype}",
                            shape.dv
                        ),
                    });
                    continue;
                }
                out.push(PlannedVariant {
                    name,
                    shape: *shape,
                    dtype,
                    tier,
                    configs: configs.clone(),
                });
            }
        }
    }
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedupes_shapes_and_skips_odd_dv_halves() {
        let mut shapes = BTreeMap::new();
        shapes.insert(
            HeadShape::new(16, 32, 128, 128),
            vec!["a".into(), "b".into()],
        );
        shapes.insert(HeadShape::new(1, 3, 48, 7), vec!["odd".into()]);
        let (v, s) = plan(&shapes, &DType::ALL, &Tier::PREFERENCE);
        // 3 dtypes x 3 tiers for the even shape, f32 x 3 tiers for the odd one.
        assert_eq!(v.len(), 12);
        assert_eq!(s.len(), 6);
        assert!(v
            .iter()
            .any(|p| p.name == "recurrent_hk16_hv32_dk128_dv128_bf16_sg32"
                && p.configs == ["a", "b"]));
        let dk48 = |t: Tier| {
            v.iter()
                .find(|p| p.shape.dk == 48 && p.tier == t)
                .map(|p| p.per_thread())
        };
        assert_eq!(dk48(Tier::Subgroup32), Some(1));
        assert_eq!(dk48(Tier::Subgroup8), Some(2));
    }
}
