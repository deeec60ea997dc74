//! Rendering WGSL from the Tera templates.

use crate::plan::PlannedVariant;
use crate::Error;
use std::path::Path;

/// File name of the recurrent kernel template.
pub const RECURRENT_TEMPLATE: &str = "recurrent.wgsl.tera";
/// File name of the chunked-prefill template.
pub const CHUNKED_TEMPLATE: &str = "chunked.wgsl.tera";
/// File name of the chunked-prefill template on cooperative matrices (16-bit inputs).
pub const CHUNKED_MMA_TEMPLATE: &str = "chunked_mma.wgsl.tera";
/// File name of the fused decode-layer template (one module per head shape, f32 activations).
pub const DECODE_LAYER_TEMPLATE: &str = "decode_layer.wgsl.tera";
/// File name of the helpers the kernel templates import.
pub const COMMON_TEMPLATE: &str = "common.wgsl.tera";
const RECURRENT_BUNDLED: &str = include_str!("../templates/recurrent.wgsl.tera");
const CHUNKED_BUNDLED: &str = include_str!("../templates/chunked.wgsl.tera");
const CHUNKED_MMA_BUNDLED: &str = include_str!("../templates/chunked_mma.wgsl.tera");
const COMMON_BUNDLED: &str = include_str!("../templates/common.wgsl.tera");
const DECODE_LAYER_BUNDLED: &str = include_str!("../templates/decode_layer.wgsl.tera");

/// The loaded templates.
pub struct Templates {
    tera: tera::Tera,
}

impl Templates {
    /// The templates bundled with this crate.
    pub fn bundled() -> Result<Self, Error> {
        Self::from_sources(&[
            (COMMON_TEMPLATE, COMMON_BUNDLED),
            (RECURRENT_TEMPLATE, RECURRENT_BUNDLED),
            (CHUNKED_TEMPLATE, CHUNKED_BUNDLED),
            (CHUNKED_MMA_TEMPLATE, CHUNKED_MMA_BUNDLED),
            (DECODE_LAYER_TEMPLATE, DECODE_LAYER_BUNDLED),
        ])
    }

    /// Templates read from `dir` (which must hold `common.wgsl.tera`, `recurrent.wgsl.tera`,
    /// `chunked.wgsl.tera` and `chunked_mma.wgsl.tera`; `decode_layer.wgsl.tera` is read from there
    /// when present, else the bundled one is used).
    pub fn from_dir(dir: &Path) -> Result<Self, Error> {
        let read = |name: &'static str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path)
                .map(|src| (name, src))
                .map_err(crate::error::io_err(&path))
        };
        let decode_layer = if dir.join(DECODE_LAYER_TEMPLATE).exists() {
            read(DECODE_LAYER_TEMPLATE)?
        } else {
            (DECODE_LAYER_TEMPLATE, DECODE_LAYER_BUNDLED.to_string())
        };
        let sources = [
            read(COMMON_TEMPLATE)?,
            read(RECURRENT_TEMPLATE)?,
            read(CHUNKED_TEMPLATE)?,
            read(CHUNKED_MMA_TEMPLATE)?,
            decode_layer,
        ];
        let sources: Vec<(&str, &str)> = sources.iter().map(|(n, s)| (*n, s.as_str())).collect();
        Self::from_sources(&sources)
    }

    /// Templates from (name, source) pairs, the helpers first (the kernel templates import them).
    fn from_sources(sources: &[(&str, &str)]) -> Result<Self, Error> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![]);
        for &(name, src) in sources {
            tera.add_raw_template(name, src)
                .map_err(|e| Error::Template {
                    template: name.into(),
                    variant: "(all)".into(),
                    configs: "(all)".into(),
                    message: chain(&e),
                })?;
        }
        Ok(Self { tera })
    }

    /// Renders the chunked-prefill module of one (`sg8`) variant.
    pub fn render_chunked(&self, v: &PlannedVariant) -> Result<String, Error> {
        let mut ctx = shape_context(v);
        ctx.insert("chunk", &v.chunk());
        ctx.insert("nv4", &v.columns());
        // Per thread of 128: vec4 columns of k/q, TB/P entries and v elements fetched per chunk.
        let c = v.chunk();
        ctx.insert("pk", &(c * v.columns()).div_ceil(128));
        ctx.insert("pt", &(c * c).div_ceil(128));
        ctx.insert("pv", &(c * 32).div_ceil(128));
        ctx.insert("npt", &v.columns().div_ceil(8));
        ctx.insert("ragged", &!v.columns().is_multiple_of(8));
        self.render_with(CHUNKED_TEMPLATE, v, &ctx)
    }

    /// Renders the cooperative-matrix chunked-prefill module of one variant (see
    /// [`PlannedVariant::has_chunked_mma`]).
    pub fn render_chunked_mma(&self, v: &PlannedVariant) -> Result<String, Error> {
        let mut ctx = shape_context(v);
        let (nt, nw) = (v.shape.dk / 16, crate::plan::mma_subgroups(v.shape.dk));
        // Blocks of 16 state rows per scan workgroup (the scan rows the runtime dispatches by).
        let scan_rows = v.geometry().chunked_mma.map(|g| g.scan_rows as usize);
        let rh = scan_rows.unwrap_or_else(|| crate::plan::mma_scan_rows(v.shape.dv)) / 16;
        ctx.insert("nt", &nt);
        ctx.insert("nw", &nw);
        ctx.insert("tpw", &(nt / nw));
        ctx.insert("rh", &rh);
        // 16-step tiles of a chunk per subgroup, and K K^T / Q K^T tiles (20 in all) per subgroup.
        ctx.insert("rpw", &(4 / nw));
        ctx.insert("jps", &(20 / nw));
        // Passes of a workgroup of `prep` over the chunk's 64 steps.
        ctx.insert("pw", &(64 / (32 * nw)).max(1));
        ctx.insert("qspace", &crate::plan::mma_q_space(v.shape.dk));
        // Per thread: vec4<u32> of k (and of q) in prep; state elements, v elements, y pairs
        // and U elements in scan.
        ctx.insert("lq", &(v.shape.dk / (4 * nw)));
        ctx.insert("pq", &(rh * v.shape.dk / (2 * nw)));
        // prep's k space, which takes beta V at the end: rows of max(Dk, Dv) + 8 halves; its
        // vec4<u32> of v per thread and Dv tiles of U0 per subgroup.
        ctx.insert("kr", &(v.shape.dk.max(v.shape.dv) + 8));
        ctx.insert("lv", &(v.shape.dv / (4 * nw)));
        ctx.insert("vpw", &(v.shape.dv / 16).div_ceil(nw));
        ctx.insert("nyp", &(16 * rh / nw));
        ctx.insert("nup", &(32 * rh / nw));
        self.render_with(CHUNKED_MMA_TEMPLATE, v, &ctx)
    }

    /// Renders the WGSL of one variant.
    pub fn render(&self, v: &PlannedVariant) -> Result<String, Error> {
        let mut ctx = shape_context(v);
        let g = v.geometry();
        let (lanes, rows, srows) = (g.lanes as usize, g.rows as usize, g.staged_rows as usize);
        ctx.insert("tier", v.tier.name());
        ctx.insert("lanes", &lanes);
        ctx.insert("rows", &rows);
        ctx.insert("npt", &v.per_thread());
        // main_staged keeps RPT rows per thread (sg8: 2, so each staged k/q column feeds two rows).
        ctx.insert("rpt", &(srows / rows));
        // Steps staged per block (main_staged): q, k, v and y of a block stay within 12 KiB of
        // workgroup memory, below the 16 KiB every adapter offers.
        let (wg, nv4) = (rows * lanes, v.columns());
        let tb = (3072 / (8 * nv4 + 2 * srows + 4)).clamp(1, 8);
        ctx.insert("tb", &tb);
        ctx.insert("nv4", &nv4);
        // Whole vec4 loads of q, k and the state where Dk is a multiple of 4.
        ctx.insert("vec4", &v.shape.dk.is_multiple_of(4));
        // vec4 columns of q/k and elements of v each thread fetches per block.
        ctx.insert("pk", &(tb * nv4).div_ceil(wg));
        ctx.insert("pv", &(tb * srows).div_ceil(wg));
        ctx.insert("ragged", &!nv4.is_multiple_of(lanes));
        self.render_with(RECURRENT_TEMPLATE, v, &ctx)
    }

    /// Renders the fused decode-layer module of one head shape (`v` names it; its dtype and tier
    /// are not used: the layer's activations are f32 and the module needs no optional feature).
    pub fn render_decode_layer(&self, v: &PlannedVariant) -> Result<String, Error> {
        let mut ctx = shape_context(v);
        let (dk, dv) = (v.shape.dk, v.shape.dv);
        let wg = crate::decode_layer_workgroup(v.shape);
        ctx.insert("wg", &wg);
        ctx.insert("nb", &dv.div_ceil(wg));
        ctx.insert("nv4", &dk.div_ceil(4));
        ctx.insert("vec4", &dk.is_multiple_of(4));
        self.render_with(DECODE_LAYER_TEMPLATE, v, &ctx)
    }

    fn render_with(
        &self,
        template: &str,
        v: &PlannedVariant,
        ctx: &tera::Context,
    ) -> Result<String, Error> {
        self.tera
            .render(template, ctx)
            .map_err(|e| Error::Template {
                template: template.into(),
                variant: v.name.clone(),
                configs: v.configs.join(", "),
                message: chain(&e),
            })
    }
}

/// What every template gets: the variant's name, head shape, GQA ratio, dtype and the WGSL element
/// type of q/k/v/y buffers (16-bit inputs are packed two per `u32`).
fn shape_context(v: &PlannedVariant) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("name", &v.name);
    ctx.insert("hk", &v.shape.hk);
    ctx.insert("hv", &v.shape.hv);
    ctx.insert("dk", &v.shape.dk);
    ctx.insert("dv", &v.shape.dv);
    ctx.insert("gqa", &v.shape.ratio());
    // vec4s of per-head constants in the parameters: A_log and dt_bias for raw gates.
    ctx.insert("nconst", &(2 * v.shape.hv).div_ceil(4).max(1));
    ctx.insert("dtype", v.dtype.name());
    // The runtime interface (gdn_core::abi), defined once: flag bits, the parameter block's view
    // words and binding slots.
    ctx.insert("abi_flags", &gdn_core::abi::wgsl_flags());
    ctx.insert("abi_views", &gdn_core::abi::wgsl_views());
    let binding: std::collections::BTreeMap<&str, u32> =
        gdn_core::abi::binding::ALL.into_iter().collect();
    ctx.insert("binding", &binding);
    ctx.insert(
        "in_ty",
        if v.dtype == gdn_core::DType::F32 {
            "f32"
        } else {
            "u32"
        },
    );
    ctx
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str("\n  caused by: ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}
