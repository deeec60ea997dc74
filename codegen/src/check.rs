//! Build-time checks: naga validation for the exact features a variant runs under, and
//! translation to MSL, SPIR-V and HLSL so backend failures surface at build time.

use crate::plan::PlannedVariant;
use crate::Error;
use gdn_core::Tier;
use naga::valid::{Capabilities, ModuleInfo, ShaderStages, SubgroupOperationSet, ValidationFlags};
use std::path::Path;
use wgpu_types::{DownlevelFlags, Features};

/// The wgpu features a variant of `tier` is created under at run time.
pub fn features_for(tier: Tier) -> Features {
    match tier {
        Tier::Portable => Features::empty(),
        Tier::Subgroup32 | Tier::Subgroup8 => Features::SUBGROUP,
    }
}

/// The wgpu features the cooperative-matrix chunked module is created under (it uses no
/// subgroup operations of its own; its matrix operations are subgroup-wide).
pub fn mma_features() -> Features {
    Features::SHADER_F16 | Features::EXPERIMENTAL_COOPERATIVE_MATRIX
}

/// Backend sources produced from one variant (kept for inspection in `OUT_DIR`).
pub struct Translations {
    /// Metal Shading Language (language version 2.4).
    pub msl: String,
    /// SPIR-V words (version 1.3).
    pub spirv: Vec<u32>,
    /// HLSL (shader model 6.0); `None` for modules on cooperative matrices, which naga's HLSL
    /// backend does not write (and wgpu offers only on Vulkan and Metal).
    pub hlsl: Option<String>,
}

/// Parses and validates `src` (rendered from the recurrent template at `rendered`) for the
/// features of `v.tier`.
pub fn validate(
    v: &PlannedVariant,
    src: &str,
    rendered: &Path,
) -> Result<(naga::Module, ModuleInfo), Error> {
    validate_under(
        v,
        (crate::render::RECURRENT_TEMPLATE, src),
        rendered,
        features_for(v.tier),
    )
}

/// Parses and validates `src` (rendered from `template` at `rendered`) for `features`.
pub fn validate_under(
    v: &PlannedVariant,
    (template, src): (&str, &str),
    rendered: &Path,
    features: Features,
) -> Result<(naga::Module, ModuleInfo), Error> {
    let path = rendered.display().to_string();
    let invalid = |diagnostic: String| {
        Error::Validation(Box::new(crate::error::InvalidVariant {
            variant: v.name.clone(),
            configs: v.configs.join(", "),
            template: template.into(),
            features: format!("{features:?}"),
            rendered: rendered.to_path_buf(),
            diagnostic,
        }))
    };
    let module = naga::front::wgsl::parse_str(src)
        .map_err(|e| invalid(e.emit_to_string_with_path(src, &path)))?;
    let caps: Capabilities =
        wgpu_naga_bridge::features_to_naga_capabilities(features, DownlevelFlags::all());
    let mut validator = naga::valid::Validator::new(ValidationFlags::all(), caps);
    if features.contains(Features::SUBGROUP) {
        validator
            .subgroup_stages(ShaderStages::COMPUTE)
            .subgroup_operations(SubgroupOperationSet::all());
    }
    let info = validator
        .validate(&module)
        .map_err(|e| invalid(e.emit_to_string_with_path(src, &path)))?;
    Ok((module, info))
}

/// Translates a validated module to MSL, SPIR-V and HLSL, once per specialisation it can be
/// compiled for (overrides resolved as wgpu resolves them when it creates the pipeline): the plain
/// pipeline, each boolean override the module declares set on its own, and all of them together.
/// The plain pipeline's translations are returned; the others are only checked.
pub fn translate(
    v: &PlannedVariant,
    module: &naga::Module,
    info: &ModuleInfo,
) -> Result<Translations, Error> {
    let fail = |backend: &'static str, message: String| Error::Translation {
        variant: v.name.clone(),
        configs: v.configs.join(", "),
        backend,
        message,
    };
    let declared: Vec<&str> = gdn_core::variant::overrides::ALL
        .into_iter()
        .filter(|name| {
            module
                .overrides
                .iter()
                .any(|(_, o)| o.name.as_deref() == Some(*name))
        })
        .collect();
    let mut sets: Vec<Vec<&str>> = declared.iter().map(|&name| vec![name]).collect();
    if declared.len() > 1 {
        sets.push(declared.clone());
    }
    for set in sets {
        let mut constants = naga::back::PipelineConstants::default();
        for name in set {
            constants.insert(name.to_string(), 1.0);
        }
        let (m, i) =
            naga::back::pipeline_constants::process_overrides(module, info, None, &constants)
                .map_err(|e| fail("overrides", e.to_string()))?;
        write_backends(&m, &i).map_err(|(backend, e)| fail(backend, e))?;
    }
    let (m, i) =
        naga::back::pipeline_constants::process_overrides(module, info, None, &Default::default())
            .map_err(|e| fail("overrides", e.to_string()))?;
    write_backends(&m, &i).map_err(|(backend, e)| fail(backend, e))
}

/// MSL, SPIR-V and HLSL of a module whose overrides are resolved; an error names the backend.
fn write_backends(
    module: &naga::Module,
    info: &ModuleInfo,
) -> Result<Translations, (&'static str, String)> {
    let msl_opts = naga::back::msl::Options {
        lang_version: (2, 4),
        zero_initialize_workgroup_memory: false,
        ..Default::default()
    };
    let (msl, _) = naga::back::msl::write_string(
        module,
        info,
        &msl_opts,
        &naga::back::msl::PipelineOptions::default(),
    )
    .map_err(|e| ("msl", e.to_string()))?;
    let spv_opts = naga::back::spv::Options {
        lang_version: (1, 3),
        ..Default::default()
    };
    let spirv = naga::back::spv::write_vec(module, info, &spv_opts, None)
        .map_err(|e| ("spir-v", e.to_string()))?;
    let hlsl_opts = naga::back::hlsl::Options {
        shader_model: naga::back::hlsl::ShaderModel::V6_0,
        ..Default::default()
    };
    let cooperative = module
        .types
        .iter()
        .any(|(_, t)| matches!(t.inner, naga::TypeInner::CooperativeMatrix { .. }));
    let hlsl = if cooperative {
        None
    } else {
        let pipeline = naga::back::hlsl::PipelineOptions::default();
        let mut hlsl = String::new();
        naga::back::hlsl::Writer::new(&mut hlsl, &hlsl_opts, &pipeline)
            .write(module, info, None)
            .map_err(|e| ("hlsl", e.to_string()))?;
        Some(hlsl)
    };
    Ok(Translations { msl, spirv, hlsl })
}
