//! Codegen: planning over real configs, committed snapshots of every module kind (WGSL and MSL),
//! and build errors that name the config, variant and template.

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

/// Snapshot files: every module Qwen3.5-0.8B's build renders (recurrent for each tier and dtype,
/// chunked and cooperative-matrix chunked for each dtype that has them) as WGSL, and the MSL a
/// Mac would run of one dtype of each kind (naga's translation: the cooperative-matrix module's
/// only check where no adapter runs it). A template or translation change shows up as a diff in
/// review. `GDN_BLESS=1 cargo test -p gdn-codegen --test generate` rewrites them (refused when
/// `CI` is set) and removes files no test produces.
fn snapshot_set() -> Vec<(String, String)> {
    let out = tempfile::tempdir().expect("temporary folder");
    let g = quiet()
        .config(root().join("configs/qwen3.5-0.8b.json"))
        .out_dir(out.path())
        .generate()
        .expect("Qwen3.5-0.8B generates");
    assert!(!g.variants.is_empty());
    let mut files = Vec::new();
    for e in std::fs::read_dir(out.path()).expect("output folder") {
        let name = e
            .expect("folder entry")
            .file_name()
            .to_string_lossy()
            .to_string();
        if name.ends_with(".wgsl") {
            let text = std::fs::read_to_string(out.path().join(&name)).expect("rendered WGSL");
            files.push((name, text));
        }
    }
    for module in [
        "recurrent_hk16_hv16_dk128_dv128_bf16_sg32",
        "chunked_hk16_hv16_dk128_dv128_bf16_sg8",
        "chunked_mma_hk16_hv16_dk128_dv128_bf16_sg8",
    ] {
        let msl = out.path().join("backends").join(format!("{module}.metal"));
        let text =
            std::fs::read_to_string(&msl).unwrap_or_else(|e| panic!("{}: {e}", msl.display()));
        files.push((format!("{module}.metal"), text));
    }
    files.sort();
    files
}

fn snapshots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// Whether `GDN_BLESS=1` asks to rewrite the snapshots; panics when `CI` is set (CI compares,
/// it never accepts) or on another value (a stray variable must not rewrite files).
fn blessing() -> bool {
    match std::env::var("GDN_BLESS").ok().as_deref() {
        None | Some("") | Some("0") => false,
        Some("1") => {
            assert!(
                std::env::var_os("CI").is_none(),
                "GDN_BLESS is refused when CI is set: snapshots are compared in CI, never rewritten"
            );
            true
        }
        Some(v) => panic!("GDN_BLESS={v}: use GDN_BLESS=1 to rewrite the snapshots"),
    }
}

#[test]
fn every_module_kind_matches_its_snapshot() {
    let files = snapshot_set();
    // Every kind of module is in the set, as WGSL and as MSL.
    for prefix in ["recurrent_", "chunked_hk", "chunked_mma_"] {
        for ext in [".wgsl", ".metal"] {
            assert!(
                files
                    .iter()
                    .any(|(n, _)| n.starts_with(prefix) && n.ends_with(ext)),
                "no {prefix}*{ext} snapshot"
            );
        }
    }
    for tier in ["_portable.wgsl", "_sg8.wgsl", "_sg32.wgsl"] {
        assert_eq!(
            files
                .iter()
                .filter(|(n, _)| n.starts_with("recurrent_") && n.ends_with(tier))
                .count(),
            3,
            "recurrent *{tier}: one per dtype"
        );
    }
    let snaps = snapshots_dir();
    let bless = blessing();
    let mut differ = Vec::new();
    for (name, got) in &files {
        let snap = snaps.join(name);
        if bless {
            std::fs::write(&snap, got).unwrap();
        } else {
            match std::fs::read_to_string(&snap) {
                Ok(want) if want == *got => {}
                Ok(_) => differ.push(format!("{name} differs")),
                Err(_) => differ.push(format!("{name} is missing")),
            }
        }
    }
    // Files no test produces (a renamed or dropped module) are stale.
    for e in std::fs::read_dir(&snaps).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        if !files.iter().any(|(n, _)| *n == name) {
            if bless {
                std::fs::remove_file(snaps.join(&name)).unwrap();
            } else {
                differ.push(format!("{name} is stale (no test produces it)"));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "snapshots in {}: {}; review and re-bless with GDN_BLESS=1",
        snaps.display(),
        differ.join(", ")
    );
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

#[test]
fn tensor_parallel_degrees_plan_each_ranks_shape() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = root().join("configs/qwen3.5-9b.json");
    let g = quiet()
        .config(&cfg)
        .tensor_parallel(&[2, 4, 1])
        .dtypes(&[DType::F32])
        .tiers(&[Tier::Portable])
        .out_dir(dir.path().join("out"))
        .generate()
        .unwrap();
    let shapes: Vec<HeadShape> = g.decode_layers.iter().map(|m| m.shape).collect();
    assert_eq!(
        shapes,
        [
            HeadShape::new(4, 8, 128, 128),
            HeadShape::new(8, 16, 128, 128),
            HeadShape::new(16, 32, 128, 128)
        ]
    );
    let tp2 = g
        .variants
        .iter()
        .find(|v| v.shape == HeadShape::new(8, 16, 128, 128))
        .unwrap();
    assert_eq!(tp2.configs, ["qwen3.5-9b/tp2"]);
    // A degree that does not divide Hk = 16: the config and the degrees that work are named.
    let e = quiet()
        .config(&cfg)
        .tensor_parallel(&[3])
        .out_dir(dir.path().join("out"))
        .generate()
        .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("qwen3.5-9b") && msg.contains("degree 3") && msg.contains("1, 2, 4, 8, 16"),
        "{msg}"
    );
    // From an environment variable (a name of this test's own), and a bad entry in it.
    let var = "GDN_CODEGEN_TEST_TP_DEGREES";
    std::env::set_var(var, "4");
    let g = quiet()
        .config(&cfg)
        .env_tensor_parallel(var)
        .dtypes(&[DType::F32])
        .tiers(&[Tier::Portable])
        .out_dir(dir.path().join("out"))
        .generate()
        .unwrap();
    assert_eq!(g.decode_layers.len(), 2);
    std::env::set_var(var, "2,x");
    let e = quiet()
        .config(&cfg)
        .env_tensor_parallel(var)
        .out_dir(dir.path().join("out"))
        .generate()
        .unwrap_err();
    assert!(
        e.to_string().contains(var) && e.to_string().contains("`x`"),
        "{e}"
    );
    std::env::remove_var(var);
}
