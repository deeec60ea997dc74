//! Renders one kernel variant per linear-attention configuration in `configs/` and in any extra
//! configs named by `GDN_EXTRA_CONFIGS` (files or folders, separated like `PATH`), and the
//! per-rank shapes of the tensor-parallel degrees in `GDN_TP_DEGREES` (e.g. `2,4`; none by default).

fn main() -> Result<(), gdn_codegen::Error> {
    gdn_codegen::Builder::new()
        .config_dir("configs")
        .env_configs(gdn_codegen::EXTRA_CONFIGS_ENV)
        .env_tensor_parallel(gdn_codegen::TP_DEGREES_ENV)
        .generate()?;
    Ok(())
}
