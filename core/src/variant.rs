//! Kernel variants: what the build renders for one head shape, dtype and tier, and the geometry
//! its modules are rendered with and dispatched by.
//!
//! The generator plans and renders from [`Geometry::of`], and the registry it writes builds each
//! [`Variant`] with [`Variant::new`], which fills the same geometry in: the templates and the
//! runtime read one definition of rows, lanes, chunk sizes and workgroup memory.
//!
//! ```
//! use gdn_core::{DType, Geometry, HeadShape, ModuleKind, Tier, Variant};
//!
//! let shape = HeadShape::new(16, 32, 128, 128);
//! let g = Geometry::of(shape, DType::BF16, Tier::Subgroup8);
//! assert_eq!((g.lanes, g.rows, g.staged_rows), (8, 16, 32));
//! assert_eq!(g.chunked.map(|c| c.chunk), Some(8));
//! assert_eq!(g.chunked_mma.map(|c| (c.chunk, c.scan_rows)), Some((64, 32)));
//!
//! static V: Variant = Variant::new(
//!     "recurrent_hk16_hv32_dk128_dv128_bf16_sg8",
//!     HeadShape::new(16, 32, 128, 128),
//!     DType::BF16,
//!     Tier::Subgroup8,
//!     "/* WGSL */",
//!     &["qwen3-next-80b-a3b"],
//! )
//! .with_chunked("chunked_hk16_hv32_dk128_dv128_bf16_sg8", "/* WGSL */")
//! .with_chunked_mma("chunked_mma_hk16_hv32_dk128_dv128_bf16_sg8", "/* WGSL */");
//! assert_eq!(V.geometry(), g); // the registry's numbers are the templates' numbers
//! let chunked = ModuleKind::Chunked.name(shape, DType::BF16, Tier::Subgroup8);
//! assert_eq!(V.chunked.map(|m| m.name), Some(chunked.as_str()));
//! ```

use crate::{DType, HeadShape, Tier};

/// The kinds of module a variant has: its recurrent kernel and the chunked-prefill modules
/// rendered beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ModuleKind {
    /// The recurrent kernel (`recurrent.wgsl.tera`; entry points `main`, `main_staged`, ...).
    Recurrent,
    /// The chunked-prefill module in f32 (`chunked.wgsl.tera`; `prep` and `scan`).
    Chunked,
    /// The chunked-prefill module on cooperative matrices (`chunked_mma.wgsl.tera`).
    ChunkedMma,
}

impl ModuleKind {
    /// The prefix of its module names.
    pub const fn prefix(self) -> &'static str {
        match self {
            ModuleKind::Recurrent => "recurrent",
            ModuleKind::Chunked => "chunked",
            ModuleKind::ChunkedMma => "chunked_mma",
        }
    }

    /// The module's name for a shape, dtype and tier, e.g.
    /// `chunked_hk16_hv32_dk128_dv128_bf16_sg8` (also a valid identifier and file stem).
    pub fn name(self, shape: HeadShape, dtype: DType, tier: Tier) -> String {
        format!("{}_{shape}_{dtype}_{tier}", self.prefix())
    }
}

/// The pipeline-overridable constants the modules declare: the runtime compiles a pipeline per
/// combination it needs, and the generator translates each module under each of them.
pub mod overrides {
    /// Selects the tiled head map (value head h reads key head `h % Hk`).
    pub const HEAD_TILED: &str = "HEAD_TILED";
    /// The recurrent kernel reads and writes its states in place in a pool.
    pub const POOLED: &str = "POOLED";
    /// A varlen batch: sequences packed along T, their offsets bound where the mask is.
    pub const VARLEN: &str = "VARLEN";
    /// All of them.
    pub const ALL: [&str; 3] = [HEAD_TILED, POOLED, VARLEN];
}

/// Steps per chunk of the f32 chunked module: 8. The scan is unrolled over the chunk's steps and
/// its triangular solve is quadratic in them; on an H100 chunks of 8 ran 1.17× faster than
/// chunks of 16 (T = 4096, (16,32,128,128)), and 32 multiplied shader compile times on software
/// drivers. Workgroup memory stays within [`CHUNKED_WORKGROUP_BYTES`] up to Dk = 471; beyond, it
/// needs an adapter with more (the runtime checks the limit and otherwise stays on the recurrent
/// kernel, saying why).
pub const CHUNK: usize = 8;

/// State rows per workgroup of the f32 chunked module's `scan`.
pub const CHUNKED_SCAN_ROWS: usize = 32;

/// Workgroup memory the chunked module is sized for: 32 KiB, what Vulkan desktop drivers, Metal
/// and D3D12 offer. The runtime checks the adapter's limit before choosing the chunked path.
pub const CHUNKED_WORKGROUP_BYTES: usize = 32 * 1024;

/// Steps per chunk of the cooperative-matrix chunked module: 64, as fla's chunked kernels use. The
/// scan's sequential hand-offs (four barriers per chunk) are a quarter of those of 16-step chunks.
pub const MMA_CHUNK: usize = 64;

/// Dv must be a multiple of this for the cooperative-matrix module: its scan covers whole blocks
/// of 16 state rows.
pub const MMA_SCAN_ROWS: usize = 16;

/// vec4 columns (4 elements of Dk) in a state row.
pub const fn columns(dk: usize) -> usize {
    dk.div_ceil(4)
}

/// State rows per thread in the recurrent kernel's `main_staged` entry point: 2 for `sg8` (each
/// staged k/q column then feeds two rows), else 1.
pub const fn staged_rows_per_thread(tier: Tier) -> usize {
    match tier {
        Tier::Subgroup8 => 2,
        Tier::Portable | Tier::Subgroup32 => 1,
    }
}

/// Workgroup memory of the chunked module's larger entry point for chunk size `c` and `dk` key
/// elements a row (`scan`: k and q of the chunk, two C×C matrices, the decays, v and y of 32
/// rows).
pub const fn chunked_workgroup_bytes(c: usize, dk: usize) -> usize {
    4 * (2 * c * dk + 2 * c * c + 66 * c)
}

/// Subgroups of 32 per workgroup of the cooperative-matrix chunked module for Dk (a multiple of
/// 16): 4, 2 or 1, whichever is the largest that divides the Dk tiles, so each subgroup owns the
/// same number of tiles and a workgroup's 256-element tiles split evenly over its threads.
pub const fn mma_subgroups(dk: usize) -> usize {
    let nt = dk / 16;
    if nt.is_multiple_of(4) {
        4
    } else if nt.is_multiple_of(2) {
        2
    } else {
        1
    }
}

/// State rows per workgroup of the cooperative-matrix scan: 32 where Dv allows, else 16. Each
/// subgroup applies every tile of a chunk it loads to all of them, so 32 rows load each tile
/// half as often per row: on an H100 (bf16, T = 4096) 32 rows ran 11 % faster than 16 at 32
/// heads and 15 % at 64. (Workgroups of 32 rows as eight subgroups, each loading its own
/// tiles, ran 1.1-1.2x slower than 16; 64 rows, four blocks per subgroup with the f32 staging
/// shared in turn to fit 48 KiB, ran 1.5x slower than 32 at 32 heads.)
pub const fn mma_scan_rows(dv: usize) -> usize {
    if dv.is_multiple_of(32) {
        32
    } else {
        16
    }
}

/// Halves of `prep`'s space for q of a chunk, reused for T and A (C × (C + 8) each).
pub const fn mma_q_space(dk: usize) -> usize {
    max(MMA_CHUNK * (dk + 8), 2 * MMA_CHUNK * (MMA_CHUNK + 8))
}

/// Workgroup memory of the cooperative-matrix chunked module's larger entry point: `prep` keeps
/// k and q of the chunk in f16 (k's space then holds β·V, q's T and A), a scratch tile per
/// subgroup in f32 and in f16, A's diagonal blocks in f32, decays and betas; `scan` the state rows
/// in f32 and in f16, an identity tile, U in f16 and U or Y in f32.
pub const fn chunked_mma_workgroup_bytes(dk: usize, dv: usize) -> usize {
    let (c, nw, r) = (MMA_CHUNK, mma_subgroups(dk), mma_scan_rows(dv));
    let prep =
        2 * (c * (max(dk, dv) + 8) + mma_q_space(dk) + nw * 256) + 4 * (nw * 256 + 4 * 256 + 5 * c);
    let scan = 4 * r * (dk + 4) + 2 * r * (dk + 8) + 2 * 256 + 2 * c * r + 4 * c * r;
    max(prep, scan)
}

const fn max(a: usize, b: usize) -> usize {
    if a > b {
        a
    } else {
        b
    }
}

/// The geometry of a chunked-prefill module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChunkGeometry {
    /// Steps per chunk.
    pub chunk: u32,
    /// Workgroup memory its larger entry point needs.
    pub workgroup_bytes: u32,
    /// State rows per workgroup of its `scan`.
    pub scan_rows: u32,
    /// Whether it runs on cooperative matrices (its own workspace layout).
    pub mma: bool,
}

/// The geometry of a variant's modules: what the templates are rendered with and the runtime
/// dispatches by. A function of the head shape, dtype and tier alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Geometry {
    /// Threads per state row (workgroup x).
    pub lanes: u32,
    /// State rows per workgroup (workgroup y) of `main`.
    pub rows: u32,
    /// State rows per workgroup of `main_staged` (rows per thread × `rows`).
    pub staged_rows: u32,
    /// The f32 chunked-prefill module, where the variant has one: the `sg8` tier, whose scan
    /// reduces state rows over 8 lanes with subgroup shuffles.
    pub chunked: Option<ChunkGeometry>,
    /// The chunked-prefill module on cooperative matrices (16×16×16 tiles, f16 operands, f32
    /// accumulators, f16 ones for −W), where the variant has one: `sg8` with 16-bit inputs, Dk a
    /// multiple of 16 and Dv a multiple of [`MMA_SCAN_ROWS`] (the scan's workgroups cover whole
    /// blocks of rows). f32 inputs keep the f32 scan (f16 operands would miss their 2e-5
    /// tolerance).
    pub chunked_mma: Option<ChunkGeometry>,
}

impl Geometry {
    /// The geometry of the variant for `shape`, `dtype` and `tier`.
    pub const fn of(shape: HeadShape, dtype: DType, tier: Tier) -> Self {
        let chunked = match tier {
            Tier::Subgroup8 => Some(ChunkGeometry {
                chunk: CHUNK as u32,
                workgroup_bytes: chunked_workgroup_bytes(CHUNK, 4 * columns(shape.dk)) as u32,
                scan_rows: CHUNKED_SCAN_ROWS as u32,
                mma: false,
            }),
            Tier::Portable | Tier::Subgroup32 => None,
        };
        let mma = chunked.is_some()
            && !matches!(dtype, DType::F32)
            && shape.dk.is_multiple_of(16)
            && shape.dv.is_multiple_of(MMA_SCAN_ROWS);
        let chunked_mma = if mma {
            Some(ChunkGeometry {
                chunk: MMA_CHUNK as u32,
                workgroup_bytes: chunked_mma_workgroup_bytes(shape.dk, shape.dv) as u32,
                scan_rows: mma_scan_rows(shape.dv) as u32,
                mma: true,
            })
        } else {
            None
        };
        Self {
            lanes: tier.lanes() as u32,
            rows: tier.rows() as u32,
            staged_rows: (tier.rows() * staged_rows_per_thread(tier)) as u32,
            chunked,
            chunked_mma,
        }
    }
}

/// One kernel variant as the registry holds it: a recurrent kernel for one head shape, dtype and
/// tier, the chunked-prefill modules rendered beside it, and their geometry. The generated
/// registry builds each with [`Variant::new`] (geometry from [`Geometry::of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// Variant name, e.g. `recurrent_hk16_hv32_dk128_dv128_bf16_sg32`.
    pub name: &'static str,
    /// The head shape it is specialised on.
    pub shape: HeadShape,
    /// Input dtype of q, k, v and y.
    pub dtype: DType,
    /// Feature tier it needs.
    pub tier: Tier,
    /// Threads per state row (workgroup x).
    pub lanes: u32,
    /// State rows per workgroup (workgroup y) of `main`.
    pub rows: u32,
    /// State rows per workgroup of `main_staged` (a multiple of `rows`: rows per thread × `rows`).
    pub staged_rows: u32,
    /// The rendered, build-time-validated WGSL.
    pub wgsl: &'static str,
    /// Whether the module also has the `main_staged` entry point (q/k/v staged per block of
    /// steps). Every variant rendered from the bundled template has it.
    pub staged: bool,
    /// The chunked-prefill module generated beside it (`sg8` variants), if any.
    pub chunked: Option<ChunkedModule>,
    /// The chunked-prefill module on cooperative matrices (`sg8` variants with 16-bit inputs and
    /// Dk, Dv multiples of 16), if any; it runs where the adapter offers 16×16×16 f16 → f32 and
    /// f16 → f16 tiles with subgroups of exactly 32.
    pub chunked_mma: Option<ChunkedModule>,
    /// Configs (or explicit shapes) that asked for it.
    pub configs: &'static [&'static str],
}

/// A chunked-prefill module (entry points `prep` and `scan`), generated beside a recurrent variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkedModule {
    /// Module name, e.g. `chunked_hk16_hv32_dk128_dv128_bf16_sg8`.
    pub name: &'static str,
    /// The rendered, build-time-validated WGSL.
    pub wgsl: &'static str,
    /// Steps per chunk.
    pub chunk: u32,
    /// Workgroup memory its larger entry point needs; the adapter's limit must allow it.
    pub workgroup_bytes: u32,
    /// State rows per workgroup of its `scan`.
    pub scan_rows: u32,
    /// Whether it runs on cooperative matrices (`chunked_mma.wgsl.tera`: its own workspace
    /// layout).
    pub mma: bool,
}

impl ChunkedModule {
    /// A module of geometry `g`.
    pub const fn new(name: &'static str, wgsl: &'static str, g: ChunkGeometry) -> Self {
        Self {
            name,
            wgsl,
            chunk: g.chunk,
            workgroup_bytes: g.workgroup_bytes,
            scan_rows: g.scan_rows,
            mma: g.mma,
        }
    }

    /// Its geometry.
    pub const fn geometry(&self) -> ChunkGeometry {
        ChunkGeometry {
            chunk: self.chunk,
            workgroup_bytes: self.workgroup_bytes,
            scan_rows: self.scan_rows,
            mma: self.mma,
        }
    }
}

impl Variant {
    /// A variant with the recurrent kernel `wgsl` (both entry points, `main` and `main_staged`)
    /// and the geometry of [`Geometry::of`]; add its chunked modules with
    /// [`Variant::with_chunked`] and [`Variant::with_chunked_mma`].
    pub const fn new(
        name: &'static str,
        shape: HeadShape,
        dtype: DType,
        tier: Tier,
        wgsl: &'static str,
        configs: &'static [&'static str],
    ) -> Self {
        let g = Geometry::of(shape, dtype, tier);
        Self {
            name,
            shape,
            dtype,
            tier,
            lanes: g.lanes,
            rows: g.rows,
            staged_rows: g.staged_rows,
            wgsl,
            staged: true,
            chunked: None,
            chunked_mma: None,
            configs,
        }
    }

    /// With its f32 chunked-prefill module.
    ///
    /// # Panics
    /// Where [`Geometry::of`] has no such module for the variant (at compile time in a `static`).
    pub const fn with_chunked(mut self, name: &'static str, wgsl: &'static str) -> Self {
        match Geometry::of(self.shape, self.dtype, self.tier).chunked {
            Some(g) => self.chunked = Some(ChunkedModule::new(name, wgsl, g)),
            None => panic!("this variant has no chunked module"),
        }
        self
    }

    /// With its chunked-prefill module on cooperative matrices.
    ///
    /// # Panics
    /// Where [`Geometry::of`] has no such module for the variant (at compile time in a `static`).
    pub const fn with_chunked_mma(mut self, name: &'static str, wgsl: &'static str) -> Self {
        match Geometry::of(self.shape, self.dtype, self.tier).chunked_mma {
            Some(g) => self.chunked_mma = Some(ChunkedModule::new(name, wgsl, g)),
            None => panic!("this variant has no cooperative-matrix chunked module"),
        }
        self
    }

    /// Its geometry, as its fields hold it.
    pub const fn geometry(&self) -> Geometry {
        Geometry {
            lanes: self.lanes,
            rows: self.rows,
            staged_rows: self.staged_rows,
            chunked: match &self.chunked {
                Some(m) => Some(m.geometry()),
                None => None,
            },
            chunked_mma: match &self.chunked_mma {
                Some(m) => Some(m.geometry()),
                None => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_per_tier_and_dtype() {
        let s = HeadShape::new(16, 32, 128, 128);
        let sg32 = Geometry::of(s, DType::BF16, Tier::Subgroup32);
        assert_eq!((sg32.lanes, sg32.rows, sg32.staged_rows), (32, 4, 4));
        assert!(sg32.chunked.is_none() && sg32.chunked_mma.is_none());
        let f32 = Geometry::of(s, DType::F32, Tier::Subgroup8);
        let c = f32.chunked.expect("sg8 has a chunked module");
        assert_eq!((c.chunk, c.workgroup_bytes, c.scan_rows), (8, 10816, 32));
        assert!(f32.chunked_mma.is_none());
        // Dv = 48: scan workgroups of 16 rows; Dk = 24: no tiles.
        let m = Geometry::of(HeadShape::new(1, 3, 48, 48), DType::F16, Tier::Subgroup8);
        assert_eq!(m.chunked_mma.map(|c| c.scan_rows), Some(16));
        let m = Geometry::of(HeadShape::new(1, 2, 24, 10), DType::BF16, Tier::Subgroup8);
        assert!(m.chunked_mma.is_none());
    }

    #[test]
    fn module_names() {
        let s = HeadShape::new(16, 32, 128, 128);
        let (d, t) = (DType::BF16, Tier::Subgroup8);
        assert_eq!(ModuleKind::Recurrent.name(s, d, t), s.variant_name(d, t));
        assert_eq!(
            ModuleKind::ChunkedMma.name(s, d, t),
            "chunked_mma_hk16_hv32_dk128_dv128_bf16_sg8"
        );
    }
}
