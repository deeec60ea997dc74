//! Tensor-parallel degrees: which per-rank head shapes a build plans (see
//! [`crate::Builder::tensor_parallel`]).

use crate::Error;

/// The name a config's shard shape is listed under in the registry: `qwen3.5-9b/tp2` for the
/// per-rank heads of `qwen3.5-9b` split over 2 ranks.
///
/// ```
/// assert_eq!(gdn_codegen::shard_config_name("qwen3.5-9b", 2), "qwen3.5-9b/tp2");
/// ```
pub fn shard_config_name(config: &str, degree: usize) -> String {
    format!("{config}/tp{degree}")
}

/// The degrees `given` and read from the environment variables `vars` (comma-separated), without
/// 1 (the whole layer, planned anyway), sorted and deduplicated.
pub(crate) fn degrees(
    given: &[usize],
    vars: &[String],
    cargo_metadata: bool,
) -> Result<Vec<usize>, Error> {
    let mut out = given.to_vec();
    for var in vars {
        if cargo_metadata {
            println!("cargo::rerun-if-env-changed={var}");
        }
        let Some(val) = std::env::var_os(var) else {
            continue;
        };
        let val = val.to_string_lossy();
        for item in val.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match item.parse::<usize>() {
                Ok(n) if n > 0 => out.push(n),
                _ => {
                    return Err(Error::TensorParallel {
                        of: format!("{var}={val}"),
                        reason: format!(
                            "`{item}` is not a degree (a positive integer; e.g. {var}=2,4)"
                        ),
                    })
                }
            }
        }
    }
    if out.contains(&0) {
        return Err(Error::TensorParallel {
            of: "Builder::tensor_parallel".into(),
            reason: "degree 0: a degree is a positive number of ranks".into(),
        });
    }
    out.retain(|n| *n > 1);
    out.sort_unstable();
    out.dedup();
    Ok(out)
}
