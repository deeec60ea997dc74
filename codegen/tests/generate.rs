//! Codegen: planning over real configs, committed snapshots of the rendered WGSL, and build errors
//! that name the config, variant and template.

use gdn_codegen::{Builder, DType, Error, HeadShape, Tier};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn quiet() -> Builder {
    let mut b = Builder::new();
    b.cargo_metadata(false);
    b
}

#[test]
fn bundled_configs_dedupe_to_four_shapes() {
    let out = tempfile::tempdir().unwrap();
    let g = quiet()
        .config_dir(root().join("configs"))
        .out_dir(out.path())
        .generate()
        .unwrap();
    assert_eq!(g.models.len(), 9);
    let mut shapes: Vec<HeadShape> = g.variants.iter().map(|v| v.shape).collect();
    shapes.dedup();
    assert_eq!(shapes.len(), 4, "{shapes:?}");
    assert_eq!(g.variants.len(), 4 * 3 * 3);
    let next = g
        .variants
        .iter()
        .find(|v| v.name == "recurrent_hk16_hv32_dk128_dv128_bf16_sg32")
        .unwrap();
    for m in [
        "qwen3-next-80b-a3b",
        "qwen3.5-4b",
        "qwen3.5-9b",
        "qwen3.5-35b-a3b",
    ] {
        assert!(
            next.configs.iter().any(|c| c == m),
            "{m} in {:?}",
            next.configs
        );
    }
    let reg = std::fs::read_to_string(&g.registry).unwrap();
    assert!(reg.contains("pub static VARIANTS") && reg.contains("pub static MODELS"));
    for v in &g.variants {
        for ext in ["metal", "spv", "hlsl"] {
            assert!(out
                .path()
                .join("backends")
                .join(format!("{}.{ext}", v.name))
                .exists());
        }
        let msl = std::fs::read_to_string(
            out.path()
                .join("backends")
                .join(format!("{}.metal", v.name)),
        )
        .unwrap();
        assert!(msl.contains("metal_stdlib"));
    }
}

/// The rendered WGSL of Qwen3.5-0.8B's variants is committed under tests/snapshots; a template
/// change shows up as a diff in review. `GDN_BLESS=1 cargo test -p gdn-codegen` rewrites them.
#[test]
fn rendered_wgsl_matches_snapshots() {
    let out = tempfile::tempdir().unwrap();
    let g = quiet()
        .config(root().join("configs/qwen3.5-0.8b.json"))
        .out_dir(out.path())
        .generate()
        .unwrap();
    let snaps = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let bless = std::env::var_os("GDN_BLESS").is_some();
    for v in &g.variants {
        let got = std::fs::read_to_string(out.path().join(format!("{}.wgsl", v.name))).unwrap();
        let snap = snaps.join(format!("{}.wgsl", v.name));
        if bless {
            std::fs::write(&snap, &got).unwrap();
        } else {
            let want = std::fs::read_to_string(&snap).unwrap_or_else(|_| {
                panic!("missing snapshot {} (run with GDN_BLESS=1)", snap.display())
            });
            assert!(
                got == want,
                "{} differs from its snapshot; review and re-bless with GDN_BLESS=1",
                v.name
            );
        }
    }
}

#[test]
fn dtype_and_tier_restriction_and_explicit_shapes() {
    let out = tempfile::tempdir().unwrap();
    let g = quiet()
        .shape(HeadShape::new(1, 3, 48, 7))
        .dtypes(&[DType::F32, DType::BF16])
        .tiers(&[Tier::Portable])
        .out_dir(out.path())
        .generate()
        .unwrap();
    assert_eq!(g.variants.len(), 1, "odd Dv: bf16 skipped");
    assert_eq!(g.skipped.len(), 1);
    assert!(g.skipped[0].reason.contains("even Dv"));
}

#[test]
fn config_errors_name_the_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, r#"{"text_config": {"hidden_size": 8, "num_hidden_layers": 2, "linear_num_key_heads": 3, "linear_num_value_heads": 4, "linear_key_head_dim": 8, "linear_value_head_dim": 8}}"#).unwrap();
    let e = quiet()
        .config(&bad)
        .out_dir(dir.path())
        .generate()
        .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("broken.json")
            && msg.contains("text_config.linear_num_value_heads")
            && msg.contains("multiple"),
        "{msg}"
    );
    let e = quiet()
        .config(dir.path().join("nope.json"))
        .out_dir(dir.path())
        .generate()
        .unwrap_err();
    assert!(matches!(e, Error::Config(_)), "{e}");
    let e = quiet().out_dir(dir.path()).generate().unwrap_err();
    assert!(matches!(e, Error::Empty));
    let e = quiet()
        .shape(HeadShape::new(2, 3, 8, 8))
        .out_dir(dir.path())
        .generate()
        .unwrap_err();
    assert!(e.to_string().contains("multiple of Hk"), "{e}");
}

#[test]
fn template_errors_name_template_variant_and_config() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("templates");
    std::fs::create_dir(&tpl).unwrap();
    let good = std::fs::read_to_string(root().join("templates/recurrent.wgsl.tera")).unwrap();
    // Generation from the folder as it is now, which must fail.
    let refused = || {
        quiet()
            .config(root().join("configs/qwen3.5-0.8b.json"))
            .templates_dir(&tpl)
            .out_dir(dir.path())
            .generate()
            .unwrap_err()
    };
    std::fs::copy(
        root().join("templates/common.wgsl.tera"),
        tpl.join("common.wgsl.tera"),
    )
    .unwrap();
    // Without the chunked template the folder is refused, naming the missing file.
    std::fs::write(tpl.join("recurrent.wgsl.tera"), &good).unwrap();
    let e = refused();
    assert!(e.to_string().contains("chunked.wgsl.tera"), "{e}");
    std::fs::copy(
        root().join("templates/chunked.wgsl.tera"),
        tpl.join("chunked.wgsl.tera"),
    )
    .unwrap();
    // And without the cooperative-matrix one.
    let e = refused();
    assert!(e.to_string().contains("chunked_mma.wgsl.tera"), "{e}");
    std::fs::copy(
        root().join("templates/chunked_mma.wgsl.tera"),
        tpl.join("chunked_mma.wgsl.tera"),
    )
    .unwrap();
    // A render error: an undefined variable.
    std::fs::write(
        tpl.join("recurrent.wgsl.tera"),
        good.replace("{{ hk }}u;", "{{ nonexistent }}u;"),
    )
    .unwrap();
    let e = refused();
    let msg = e.to_string();
    assert!(
        msg.contains("recurrent.wgsl.tera")
            && msg.contains("recurrent_hk16_hv16")
            && msg.contains("qwen3.5-0.8b"),
        "{msg}"
    );
    // Invalid WGSL: naga's diagnostic, with the rendered file, variant, config and features.
    std::fs::write(
        tpl.join("recurrent.wgsl.tera"),
        good.replace(
            "let live = dv < DV;",
            "let live = dv < DV + undefined_name;",
        ),
    )
    .unwrap();
    let e = refused();
    let msg = e.to_string();
    assert!(matches!(e, Error::Validation(_)), "{msg}");
    assert!(
        msg.contains("undefined_name") && msg.contains("qwen3.5-0.8b") && msg.contains(".wgsl"),
        "{msg}"
    );
    // Subgroup builtins are rejected for the portable tier's feature set (no SUBGROUP).
    std::fs::write(
        tpl.join("recurrent.wgsl.tera"),
        good.replace(
            "    let base = row * LANES;",
            "    let base = row * LANES + u32(subgroupAdd(1.0));",
        ),
    )
    .unwrap();
    let e = refused();
    assert!(
        matches!(e, Error::Validation(_)) && e.to_string().contains("portable"),
        "{e}"
    );
}

#[test]
fn extra_configs_from_an_environment_variable() {
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("extra");
    std::fs::create_dir(&extra).unwrap();
    std::fs::copy(
        root().join("examples/downstream/model/config.json"),
        extra.join("tiny.json"),
    )
    .unwrap();
    // A variable name of this test's own, so parallel tests do not see it.
    let var = "GDN_CODEGEN_TEST_EXTRA_CONFIGS";
    let list = std::env::join_paths([extra, root().join("configs/qwen3.5-0.8b.json")]).unwrap();
    std::env::set_var(var, &list);
    let g = quiet()
        .env_configs(var)
        .out_dir(dir.path().join("out"))
        .generate()
        .unwrap();
    let mut names: Vec<_> = g.models.iter().map(|m| m.short_name()).collect();
    names.sort();
    assert_eq!(names, ["qwen3.5-0.8b", "tiny"]);
    assert!(g
        .variants
        .iter()
        .any(|v| v.shape == HeadShape::new(4, 12, 64, 32)));
    std::env::set_var(var, dir.path().join("does-not-exist"));
    let e = quiet()
        .env_configs(var)
        .out_dir(dir.path().join("out"))
        .generate()
        .unwrap_err();
    assert!(e.to_string().contains(var), "{e}");
    std::env::remove_var(var);
}

#[test]
fn render_variant_in_memory() {
    use gdn_codegen::render_variant;
    let r = render_variant(HeadShape::new(1, 2, 24, 10), DType::BF16, Tier::Subgroup8).unwrap();
    assert_eq!(r.planned.name, "recurrent_hk1_hv2_dk24_dv10_bf16_sg8");
    assert!(r.wgsl.contains("const HK: u32 = 1u;"));
    let c = r.chunked.expect("sg8 has a chunked module");
    assert!(c.name.starts_with("chunked_") && c.wgsl.contains("fn scan"));
    // Dk = 24 is not a multiple of 16: no cooperative-matrix module; Dk = 48, Dv = 32 bf16 has one,
    // validated for its features; f32 inputs never do.
    assert!(r.chunked_mma.is_none());
    let r = render_variant(HeadShape::new(1, 3, 48, 32), DType::BF16, Tier::Subgroup8).unwrap();
    let m = r
        .chunked_mma
        .expect("16-bit sg8 with Dk, Dv multiples of 16");
    assert!(m.name.starts_with("chunked_mma_") && m.wgsl.contains("coopMultiplyAdd"));
    assert_eq!((m.chunk, m.scan_rows), (64, 32));
    // Dv = 48 is not a multiple of 32: scan workgroups of 16 rows.
    let r = render_variant(HeadShape::new(1, 3, 48, 48), DType::F16, Tier::Subgroup8).unwrap();
    let m = r.chunked_mma.expect("Dv = 48 is a multiple of 16");
    assert_eq!(m.scan_rows, 16);
    let r = render_variant(HeadShape::new(1, 3, 48, 32), DType::F32, Tier::Subgroup8).unwrap();
    assert!(r.chunked_mma.is_none());
    // What a build would skip is refused with the same reason.
    let e = render_variant(HeadShape::new(1, 1, 40, 7), DType::F16, Tier::Portable).unwrap_err();
    assert!(e.to_string().contains("even Dv"), "{e}");
}
