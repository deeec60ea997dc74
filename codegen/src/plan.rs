//! Variant planning: one variant per distinct head shape, dtype and feature tier.

use gdn_core::variant::{columns, staged_rows_per_thread, CHUNK};
use gdn_core::{DType, Geometry, HeadShape, ModuleKind, Tier};
use std::collections::BTreeMap;

// The geometry is defined in gdn-core, beside the variant type the runtime reads.
pub use gdn_core::variant::{
    chunked_mma_workgroup_bytes, chunked_workgroup_bytes, mma_q_space, mma_scan_rows,
    mma_subgroups, CHUNKED_WORKGROUP_BYTES, MMA_CHUNK, MMA_SCAN_ROWS,
};

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
    /// The geometry its modules are rendered with, and the registry fills in for the runtime
    /// ([`gdn_core::Variant::new`]): one definition, [`Geometry::of`].
    pub fn geometry(&self) -> Geometry {
        Geometry::of(self.shape, self.dtype, self.tier)
    }
    /// Threads per workgroup along x (one state row).
    pub fn lanes(&self) -> usize {
        self.geometry().lanes as usize
    }
    /// State rows per workgroup.
    pub fn rows(&self) -> usize {
        self.geometry().rows as usize
    }
    /// Whether a chunked-prefill module is generated beside the recurrent kernel (see
    /// [`Geometry::chunked`]).
    pub fn has_chunked(&self) -> bool {
        self.geometry().chunked.is_some()
    }
    /// Whether a chunked-prefill module on cooperative matrices is generated too (see
    /// [`Geometry::chunked_mma`]).
    pub fn has_chunked_mma(&self) -> bool {
        self.geometry().chunked_mma.is_some()
    }
    /// Steps per chunk of the chunked module ([`gdn_core::variant::CHUNK`]).
    pub fn chunk(&self) -> usize {
        CHUNK
    }
    /// State rows per thread in the `main_staged` entry point (see
    /// [`gdn_core::variant::staged_rows_per_thread`]).
    pub fn staged_rows_per_thread(&self) -> usize {
        staged_rows_per_thread(self.tier)
    }
    /// vec4 columns (4 elements of Dk) in a state row.
    pub fn columns(&self) -> usize {
        columns(self.shape.dk)
    }
    /// vec4 columns of a state row each thread keeps in registers.
    pub fn per_thread(&self) -> usize {
        self.columns().div_ceil(self.lanes())
    }
    /// The name of a module of this variant.
    pub fn module_name(&self, kind: ModuleKind) -> String {
        kind.name(self.shape, self.dtype, self.tier)
    }
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
