//! `gdn-codegen`: build-time generation of gdn kernel variants, in the style of `prost-build`.
//!
//! From a build script, read Hugging Face `config.json` files (flat text configs or VLM configs with
//! `text_config`), plan one recurrent-kernel variant per distinct head shape × input dtype × feature
//! tier (with its chunked-prefill modules: an f32 one, and one on cooperative matrices for 16-bit
//! inputs), render the WGSL from the bundled Tera templates, validate each module with naga for the
//! exact features it will run under, translate it to MSL, SPIR-V and HLSL (so backend failures
//! surface at build time; HLSL is skipped for cooperative matrices, which naga's HLSL backend does
//! not write), and write a registry that the crate `include!`s and hands to `gdn-runtime`.
//!
//! ```
//! use gdn_codegen::{render_variant, Builder, DType, HeadShape, Tier};
//!
//! // In memory: the kernel a build generates for one head shape (Hk, Hv, Dk, Dv), dtype and tier,
//! // validated by naga. Runtime specialisation (`gdn-runtime`'s `jit` feature) compiles this.
//! let v = render_variant(HeadShape::new(16, 32, 128, 128), DType::BF16, Tier::Subgroup8)?;
//! assert_eq!(v.planned.name, "recurrent_hk16_hv32_dk128_dv128_bf16_sg8");
//! assert!(v.wgsl.contains("fn main_staged")); // the staged entry point beside `main`
//! assert!(v.chunked.is_some()); // the chunked-prefill module of the sg8 tier
//!
//! // On disk, as a build script does (into a temporary folder here instead of `$OUT_DIR/gdn`):
//! let dir = tempfile::tempdir()?;
//! let generated = Builder::new()
//!     .shape(HeadShape::new(2, 4, 32, 32))
//!     .dtypes(&[DType::F32])
//!     .tiers(&[Tier::Portable])
//!     .out_dir(dir.path())
//!     .cargo_metadata(false)
//!     .generate()?;
//! assert_eq!(generated.variants.len(), 1);
//! assert!(generated.registry.ends_with("variants.rs"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! In a build script and the crate it builds (the README's "In your own crate" section):
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), gdn_codegen::Error> {
//!     gdn_codegen::compile_configs(&["model/config.json"])
//! }
//! ```
//! ```ignore
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/gdn/variants.rs"));
//! // VARIANTS: &[gdn_runtime::Variant], MODELS: &[gdn_runtime::BundledModel],
//! // DECODE_LAYERS: &[gdn_runtime::DecodeLayerModule] (the model path's fused decode step)
//! let registry = gdn_runtime::Registry::new(VARIANTS, MODELS).with_decode_layers(DECODE_LAYERS);
//! let ctx = gdn_runtime::Context::new(registry, Default::default())?;
//! ```
//! With more control, use the [`Builder`]:
//! ```no_run
//! # fn main() -> Result<(), gdn_codegen::Error> {
//! gdn_codegen::Builder::new()
//!     .config_dir("configs")
//!     .env_configs("GDN_EXTRA_CONFIGS")
//!     .shape(gdn_core::HeadShape::new(16, 32, 128, 128))
//!     .generate()?;
//! # Ok(()) }
//! ```

mod check;
mod decode_layer;
mod emit;
mod error;
pub mod plan;
pub mod render;
mod tp;

pub use check::features_for;
use decode_layer::decode_layer_plan;
pub use decode_layer::{
    decode_layer_name, decode_layer_workgroup, render_decode_layer, RenderedDecodeLayer,
};
pub use error::{Error, InvalidVariant};
use gdn_core::{ChunkGeometry, ModuleKind};
pub use gdn_core::{DType, HeadShape, ModelConfig, Tier};
pub use plan::PlannedVariant;
pub use tp::shard_config_name;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The environment variable the bundled build reads for extra configs (see [`Builder::env_configs`]).
pub const EXTRA_CONFIGS_ENV: &str = "GDN_EXTRA_CONFIGS";

/// The environment variable the bundled build reads for tensor-parallel degrees, e.g. `2,4` (see
/// [`Builder::env_tensor_parallel`]).
pub const TP_DEGREES_ENV: &str = "GDN_TP_DEGREES";

/// Generates variants for the given `config.json` files into `$OUT_DIR/gdn/`.
///
/// The one-line convenience for build scripts; see [`Builder`] for more control.
pub fn compile_configs(configs: &[impl AsRef<Path>]) -> Result<(), Error> {
    let mut b = Builder::new();
    for c in configs {
        b.config(c);
    }
    b.generate().map(|_| ())
}

/// A chunked-prefill module rendered in memory (see [`render_variant`]).
#[derive(Clone, Debug)]
pub struct RenderedChunked {
    /// Module name, e.g. `chunked_hk16_hv32_dk128_dv128_bf16_sg8`.
    pub name: String,
    /// Validated WGSL.
    pub wgsl: String,
    /// Steps per chunk.
    pub chunk: usize,
    /// Workgroup memory of its larger entry point, in bytes.
    pub workgroup_bytes: usize,
    /// State rows per workgroup of its `scan`.
    pub scan_rows: usize,
}

impl RenderedChunked {
    fn new(name: String, wgsl: String, g: ChunkGeometry) -> Self {
        Self {
            name,
            wgsl,
            chunk: g.chunk as usize,
            workgroup_bytes: g.workgroup_bytes as usize,
            scan_rows: g.scan_rows as usize,
        }
    }
}

/// A kernel variant rendered and validated in memory, with the geometry the runtime dispatches
/// it with: what runtime specialisation compiles when a configuration was not built.
#[derive(Clone, Debug)]
pub struct RenderedVariant {
    /// The variant.
    pub planned: PlannedVariant,
    /// Validated WGSL of the recurrent kernel.
    pub wgsl: String,
    /// Threads per workgroup along x.
    pub lanes: usize,
    /// State rows per workgroup of `main`.
    pub rows: usize,
    /// State rows per workgroup of `main_staged`.
    pub staged_rows: usize,
    /// The chunked module beside it (the `sg8` tier).
    pub chunked: Option<RenderedChunked>,
    /// The chunked module on cooperative matrices beside it (see
    /// [`PlannedVariant::has_chunked_mma`]).
    pub chunked_mma: Option<RenderedChunked>,
}

/// Renders and validates one variant in memory with the bundled templates (no files written,
/// no translation to other backends): the same kernel a build would generate for this shape,
/// dtype and tier. Errors name the variant, as at build time.
pub fn render_variant(
    shape: HeadShape,
    dtype: DType,
    tier: Tier,
) -> Result<RenderedVariant, Error> {
    let name = shape.variant_name(dtype, tier);
    shape.check().map_err(|reason| Error::Shape {
        shape: name.clone(),
        reason,
    })?;
    let shapes = BTreeMap::from([(shape, vec!["runtime".to_string()])]);
    let (planned, skipped) = plan::plan(&shapes, &[dtype], &[tier]);
    let Some(v) = planned.into_iter().next() else {
        let reason = skipped
            .into_iter()
            .next()
            .map_or_else(|| "not planned".to_string(), |s| s.reason);
        return Err(Error::Shape {
            shape: name,
            reason,
        });
    };
    let templates = render::Templates::bundled()?;
    let at = |n: &str| PathBuf::from(format!("<runtime>/{n}.wgsl"));
    let wgsl = templates.render(&v)?;
    check::validate(&v, &wgsl, &at(&v.name))?;
    let g = v.geometry();
    let chunked = match g.chunked {
        Some(cg) => {
            let name = v.module_name(ModuleKind::Chunked);
            let wgsl = templates.render_chunked(&v)?;
            let features = features_for(v.tier);
            check::validate_under(&v, (render::CHUNKED_TEMPLATE, &wgsl), &at(&name), features)?;
            Some(RenderedChunked::new(name, wgsl, cg))
        }
        None => None,
    };
    let chunked_mma = match g.chunked_mma {
        Some(cg) => {
            let name = v.module_name(ModuleKind::ChunkedMma);
            let wgsl = templates.render_chunked_mma(&v)?;
            let src = (render::CHUNKED_MMA_TEMPLATE, wgsl.as_str());
            check::validate_under(&v, src, &at(&name), check::mma_features())?;
            Some(RenderedChunked::new(name, wgsl, cg))
        }
        None => None,
    };
    Ok(RenderedVariant {
        lanes: g.lanes as usize,
        rows: g.rows as usize,
        staged_rows: g.staged_rows as usize,
        wgsl,
        chunked,
        chunked_mma,
        planned: v,
    })
}

/// What a generation run produced.
#[derive(Debug)]
pub struct Generated {
    /// The generated registry (`variants.rs`), to `include!`.
    pub registry: PathBuf,
    /// The variants, in registry order.
    pub variants: Vec<PlannedVariant>,
    /// The model configs read.
    pub models: Vec<ModelConfig>,
    /// Variants that were not generated, with the reason.
    pub skipped: Vec<plan::Skipped>,
    /// The fused decode-layer modules, one per head shape.
    pub decode_layers: Vec<PlannedVariant>,
}

/// Configures and runs kernel generation.
#[derive(Clone, Debug)]
pub struct Builder {
    config_files: Vec<PathBuf>,
    config_dirs: Vec<PathBuf>,
    env_vars: Vec<String>,
    tp_degrees: Vec<usize>,
    tp_env_vars: Vec<String>,
    shapes: Vec<HeadShape>,
    out_dir: Option<PathBuf>,
    templates_dir: Option<PathBuf>,
    dtypes: Vec<DType>,
    tiers: Vec<Tier>,
    runtime_path: String,
    cargo_metadata: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// A builder with no configs, all dtypes and all tiers, writing to `$OUT_DIR/gdn`.
    pub fn new() -> Self {
        Self {
            config_files: Vec::new(),
            config_dirs: Vec::new(),
            env_vars: Vec::new(),
            tp_degrees: Vec::new(),
            tp_env_vars: Vec::new(),
            shapes: Vec::new(),
            out_dir: None,
            templates_dir: None,
            dtypes: DType::ALL.to_vec(),
            tiers: Tier::PREFERENCE.to_vec(),
            runtime_path: "::gdn_runtime".into(),
            cargo_metadata: std::env::var_os("CARGO").is_some()
                && std::env::var_os("OUT_DIR").is_some(),
        }
    }

    /// Adds one `config.json` (flat or with `text_config`).
    pub fn config(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.config_files.push(path.as_ref().to_path_buf());
        self
    }

    /// Adds every `*.json` file in `dir` (not recursive).
    pub fn config_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.config_dirs.push(dir.as_ref().to_path_buf());
        self
    }

    /// Also reads configs named in environment variable `var`: a list of files or folders separated
    /// like `PATH` (`:` on Unix, `;` on Windows). Unset or empty adds nothing.
    pub fn env_configs(&mut self, var: &str) -> &mut Self {
        self.env_vars.push(var.to_string());
        self
    }

    /// Also plans, for every config read, the head shape of one rank of each tensor-parallel
    /// `degree` (`Hk/N`, `Hv/N`, `Dk`, `Dv`: a layer split by heads, see `HeadShape::shard`), so
    /// each rank's shape gets its kernel variants and fused decode-layer module like any other
    /// shape; they are listed under the config as `name/tpN`. Degree 1 is the whole layer. A
    /// degree that does not divide a config's `Hk` fails [`Builder::generate`], naming the
    /// degrees that work for that config. Explicit [`Builder::shape`]s are not split.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let dir = tempfile::tempdir()?;
    /// let cfg = r#"{"hidden_size": 64, "num_hidden_layers": 1, "linear_num_key_heads": 4,
    ///     "linear_num_value_heads": 8, "linear_key_head_dim": 16, "linear_value_head_dim": 16,
    ///     "linear_conv_kernel_dim": 4, "layer_types": ["linear_attention"]}"#;
    /// # let path = dir.path().join("tiny.json");
    /// # std::fs::write(&path, cfg)?;
    /// let g = gdn_codegen::Builder::new()
    ///     .config(&path)
    ///     .tensor_parallel(&[2, 4])
    ///     .dtypes(&[gdn_codegen::DType::F32])
    ///     .tiers(&[gdn_codegen::Tier::Portable])
    ///     .out_dir(dir.path().join("out"))
    ///     .cargo_metadata(false)
    ///     .generate()?;
    /// let names: Vec<&str> = g.decode_layers.iter().map(|m| m.name.as_str()).collect();
    /// assert_eq!(names, ["decode_layer_hk1_hv2_dk16_dv16", "decode_layer_hk2_hv4_dk16_dv16",
    ///                    "decode_layer_hk4_hv8_dk16_dv16"]);
    /// assert_eq!(g.decode_layers[0].configs, ["tiny/tp4"]);
    /// # Ok(()) }
    /// ```
    pub fn tensor_parallel(&mut self, degrees: &[usize]) -> &mut Self {
        self.tp_degrees.extend_from_slice(degrees);
        self
    }

    /// Also reads tensor-parallel degrees (see [`Builder::tensor_parallel`]) from environment
    /// variable `var`, comma-separated (`2,4`). Unset or empty adds none.
    pub fn env_tensor_parallel(&mut self, var: &str) -> &mut Self {
        self.tp_env_vars.push(var.to_string());
        self
    }

    /// Adds an explicit head shape (no config file needed).
    pub fn shape(&mut self, shape: HeadShape) -> &mut Self {
        self.shapes.push(shape);
        self
    }

    /// Writes into `dir` instead of `$OUT_DIR/gdn`.
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Reads templates from `dir` instead of the bundled ones (`common.wgsl.tera`,
    /// `recurrent.wgsl.tera`, `chunked.wgsl.tera` and `chunked_mma.wgsl.tera` must all be there).
    pub fn templates_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.templates_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Restricts the input dtypes variants are generated for (default: all).
    pub fn dtypes(&mut self, dtypes: &[DType]) -> &mut Self {
        self.dtypes = dtypes.to_vec();
        self
    }

    /// Restricts the feature tiers variants are generated for (default: all).
    pub fn tiers(&mut self, tiers: &[Tier]) -> &mut Self {
        self.tiers = tiers.to_vec();
        self
    }

    /// Path of the runtime crate in generated code (default `::gdn_runtime`), e.g. for a re-export.
    pub fn runtime_path(&mut self, path: &str) -> &mut Self {
        self.runtime_path = path.to_string();
        self
    }

    /// Whether to print `cargo::rerun-if-changed` / `cargo::warning` lines (default: when run by cargo
    /// as a build script).
    pub fn cargo_metadata(&mut self, on: bool) -> &mut Self {
        self.cargo_metadata = on;
        self
    }

    /// Collects the config files: explicit files, folders and the env variables.
    fn config_paths(&self) -> Result<Vec<PathBuf>, Error> {
        let mut files = self.config_files.clone();
        let mut dirs = self.config_dirs.clone();
        for var in &self.env_vars {
            if self.cargo_metadata {
                println!("cargo::rerun-if-env-changed={var}");
            }
            if let Some(val) = std::env::var_os(var) {
                for p in std::env::split_paths(&val).filter(|p| !p.as_os_str().is_empty()) {
                    if p.is_dir() {
                        dirs.push(p);
                    } else if p.is_file() {
                        files.push(p);
                    } else {
                        return Err(Error::ConfigPath {
                            path: p,
                            reason: format!("named in {var} but is not a file or folder"),
                        });
                    }
                }
            }
        }
        for d in dirs {
            if self.cargo_metadata {
                println!("cargo::rerun-if-changed={}", d.display());
            }
            let rd = std::fs::read_dir(&d).map_err(|e| Error::ConfigPath {
                path: d.clone(),
                reason: e.to_string(),
            })?;
            let mut found: Vec<PathBuf> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            found.sort();
            files.extend(found);
        }
        Ok(files)
    }

    /// Reads the configs, plans, renders, validates, translates and writes the registry.
    pub fn generate(&self) -> Result<Generated, Error> {
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => PathBuf::from(std::env::var_os("OUT_DIR").ok_or(Error::NoOutDir)?).join("gdn"),
        };
        let mut models = Vec::new();
        let mut shapes: BTreeMap<HeadShape, Vec<String>> = BTreeMap::new();
        let degrees = tp::degrees(&self.tp_degrees, &self.tp_env_vars, self.cargo_metadata)?;
        for path in self.config_paths()? {
            if self.cargo_metadata {
                println!("cargo::rerun-if-changed={}", path.display());
            }
            let model = ModelConfig::from_file(&path)?;
            let name = model.short_name();
            shapes
                .entry(model.head_shape())
                .or_default()
                .push(name.clone());
            for &n in &degrees {
                let shard =
                    model
                        .head_shape()
                        .shard(n)
                        .map_err(|reason| Error::TensorParallel {
                            of: format!("{name} ({})", path.display()),
                            reason,
                        })?;
                shapes
                    .entry(shard)
                    .or_default()
                    .push(shard_config_name(&name, n));
            }
            models.push(model);
        }
        for s in &self.shapes {
            s.check().map_err(|reason| Error::Shape {
                shape: s.to_string(),
                reason,
            })?;
            shapes.entry(*s).or_default().push(format!("shape {s}"));
        }
        if shapes.is_empty() {
            return Err(Error::Empty);
        }
        let templates = match &self.templates_dir {
            Some(d) => {
                if self.cargo_metadata {
                    println!("cargo::rerun-if-changed={}", d.display());
                }
                render::Templates::from_dir(d)?
            }
            None => render::Templates::bundled()?,
        };
        let (variants, skipped) = plan::plan(&shapes, &self.dtypes, &self.tiers);
        if self.cargo_metadata {
            for s in &skipped {
                println!(
                    "cargo::warning=gdn: variant {} not generated: {}",
                    s.name, s.reason
                );
            }
        }
        let backends = out_dir.join("backends");
        std::fs::create_dir_all(&backends).map_err(error::io_err(&backends))?;
        for v in &variants {
            let tier = features_for(v.tier);
            let mut modules = vec![(
                v.name.clone(),
                render::RECURRENT_TEMPLATE,
                templates.render(v)?,
                tier,
            )];
            if v.has_chunked() {
                let wgsl = templates.render_chunked(v)?;
                let name = v.module_name(ModuleKind::Chunked);
                modules.push((name, render::CHUNKED_TEMPLATE, wgsl, tier));
            }
            if v.has_chunked_mma() {
                let wgsl = templates.render_chunked_mma(v)?;
                let t = render::CHUNKED_MMA_TEMPLATE;
                let name = v.module_name(ModuleKind::ChunkedMma);
                modules.push((name, t, wgsl, check::mma_features()));
            }
            for (name, template, wgsl, features) in modules {
                let rendered = out_dir.join(format!("{name}.wgsl"));
                emit::write_if_changed(&rendered, wgsl.as_bytes())?;
                let (module, info) =
                    check::validate_under(v, (template, &wgsl), &rendered, features)?;
                let t = check::translate(v, &module, &info)?;
                emit::write_if_changed(&backends.join(format!("{name}.metal")), t.msl.as_bytes())?;
                emit::write_if_changed(
                    &backends.join(format!("{name}.spv")),
                    bytemuck_words(&t.spirv).as_slice(),
                )?;
                if let Some(hlsl) = &t.hlsl {
                    emit::write_if_changed(
                        &backends.join(format!("{name}.hlsl")),
                        hlsl.as_bytes(),
                    )?;
                }
            }
        }
        let mut decode_layers = Vec::new();
        for (shape, configs) in &shapes {
            let v = decode_layer_plan(*shape, configs.clone());
            let wgsl = templates.render_decode_layer(&v)?;
            let rendered = out_dir.join(format!("{}.wgsl", v.name));
            emit::write_if_changed(&rendered, wgsl.as_bytes())?;
            let src = (render::DECODE_LAYER_TEMPLATE, wgsl.as_str());
            let features = wgpu_types::Features::empty();
            let (module, info) = check::validate_under(&v, src, &rendered, features)?;
            let t = check::translate(&v, &module, &info)?;
            let name = &v.name;
            emit::write_if_changed(&backends.join(format!("{name}.metal")), t.msl.as_bytes())?;
            let spv = bytemuck_words(&t.spirv);
            emit::write_if_changed(&backends.join(format!("{name}.spv")), &spv)?;
            if let Some(hlsl) = &t.hlsl {
                emit::write_if_changed(&backends.join(format!("{name}.hlsl")), hlsl.as_bytes())?;
            }
            decode_layers.push(v);
        }
        let registry = out_dir.join("variants.rs");
        let text = emit::registry(
            &self.runtime_path,
            &out_dir,
            (&variants, &decode_layers),
            &models,
        )?;
        emit::write_if_changed(&registry, text.as_bytes())?;
        Ok(Generated {
            registry,
            variants,
            models,
            skipped,
            decode_layers,
        })
    }
}

fn bytemuck_words(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}
