//! Renders one kernel variant per linear-attention configuration in `configs/` and in any extra
//! configs named by `GDN_EXTRA_CONFIGS` (files or folders, separated like `PATH`).

fn main() -> Result<(), gdn_codegen::Error> {
    gdn_codegen::Builder::new()
        .config_dir("configs")
        .env_configs(gdn_codegen::EXTRA_CONFIGS_ENV)
        .generate()?;
    Ok(())
}
