//! A downstream crate generates gdn kernels for its own model config: one line.

fn main() -> Result<(), gdn_codegen::Error> {
    gdn_codegen::compile_configs(&["model/config.json"])
}
