//! Hugging Face `config.json` parsing for Qwen3-Next and Qwen3.5 checkpoints.
//!
//! Two forms exist: flat text configs (fields at the top level) and VLM configs, whose
//! language-model fields are nested under `text_config`. Only the fields gdn reads are
//! required; everything else is ignored.

use crate::HeadShape;
use serde_json::{Map, Value};
use std::path::Path;

/// Largest config file read (real ones are a few KiB).
const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// Why a config could not be used.
#[derive(Debug, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("config {name}: cannot read file: {reason}")]
    Io {
        /// Config name (file path).
        name: String,
        /// The I/O error text.
        reason: String,
    },
    /// The text is not valid JSON, or not a JSON object.
    #[error("config {name}: not a JSON object: {reason}")]
    Json {
        /// Config name.
        name: String,
        /// What the JSON parser said.
        reason: String,
    },
    /// A required field is absent.
    #[error("config {name}: missing field `{field}` ({expected})")]
    Missing {
        /// Config name.
        name: String,
        /// Field path, e.g. `text_config.linear_num_key_heads`.
        field: String,
        /// What the field should hold.
        expected: &'static str,
    },
    /// A field holds a value of the wrong type or out of range.
    #[error("config {name}: field `{field}` is {found}, expected {expected}")]
    Invalid {
        /// Config name.
        name: String,
        /// Field path.
        field: String,
        /// What was found.
        found: String,
        /// What was expected.
        expected: String,
    },
    /// The config parses but has no linear-attention (gated delta) layer.
    #[error("config {name}: no linear-attention layers (not a Qwen3-Next / Qwen3.5 config?)")]
    NoLinearLayers {
        /// Config name.
        name: String,
    },
}

/// Whether the language-model fields were at the top level or under `text_config`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigForm {
    /// Text-only checkpoint: fields at the top level.
    Flat,
    /// Vision-language checkpoint: fields under `text_config`.
    Nested,
}

/// The kind of one decoder layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayerKind {
    /// A gated-delta (linear attention) layer.
    Linear,
    /// A full (softmax) attention layer.
    Full,
}

/// The language-model fields gdn reads.
#[derive(Clone, Debug, PartialEq)]
pub struct TextConfig {
    /// `hidden_size`.
    pub hidden_size: usize,
    /// `num_hidden_layers`.
    pub num_hidden_layers: usize,
    /// `linear_num_key_heads`, `linear_num_value_heads`, `linear_key_head_dim`, `linear_value_head_dim`.
    pub heads: HeadShape,
    /// `linear_conv_kernel_dim`.
    pub conv_kernel: usize,
    /// `rms_norm_eps` (default 1e-6).
    pub rms_norm_eps: f64,
    /// Per-layer kind, from `layer_types` or else `full_attention_interval`.
    pub layers: Vec<LayerKind>,
}

/// A parsed model config.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelConfig {
    /// A name for messages: the file path or the name given to [`ModelConfig::from_json_str`].
    pub name: String,
    /// `architectures` (may be empty).
    pub architectures: Vec<String>,
    /// Top-level `model_type` (empty when absent).
    pub model_type: String,
    /// Flat (text) or nested (VLM) form.
    pub form: ConfigForm,
    /// The language-model fields.
    pub text: TextConfig,
}

impl ModelConfig {
    /// Reads and parses a `config.json` file.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let name = path.display().to_string();
        let io = |e: std::io::Error| ConfigError::Io {
            name: name.clone(),
            reason: e.to_string(),
        };
        let bytes = crate::limits::read_regular(path, MAX_CONFIG_BYTES).map_err(io)?;
        let text = String::from_utf8(bytes).map_err(|e| ConfigError::Json {
            name: name.clone(),
            reason: e.to_string(),
        })?;
        Self::from_json_str(&text, &name)
    }

    /// Parses config text; `name` is used in error messages.
    pub fn from_json_str(text: &str, name: &str) -> Result<Self, ConfigError> {
        let value: Value = serde_json::from_str(text).map_err(|e| ConfigError::Json {
            name: name.to_string(),
            reason: e.to_string(),
        })?;
        let Value::Object(root) = value else {
            return Err(ConfigError::Json {
                name: name.to_string(),
                reason: "top level is not an object".into(),
            });
        };
        let p = Parser { name };
        let architectures = match root.get("architectures") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| p.invalid("architectures", v, "a list of strings".into()))
                })
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(p.invalid("architectures", other, "a list of strings".into()))
            }
        };
        let model_type = p.opt_str(&root, "", "model_type")?.unwrap_or_default();
        let (form, obj, prefix) = match root.get("text_config") {
            Some(Value::Object(tc)) => (ConfigForm::Nested, tc, "text_config."),
            Some(other) => return Err(p.invalid("text_config", other, "an object".into())),
            None => (ConfigForm::Flat, &root, ""),
        };
        let text = p.text_config(obj, prefix)?;
        Ok(Self {
            name: name.to_string(),
            architectures,
            model_type,
            form,
            text,
        })
    }

    /// Indices of the linear-attention layers.
    pub fn linear_layers(&self) -> Vec<usize> {
        self.text
            .layers
            .iter()
            .enumerate()
            .filter(|(_, k)| **k == LayerKind::Linear)
            .map(|(i, _)| i)
            .collect()
    }

    /// The head shape of the gated-delta layers.
    pub fn head_shape(&self) -> HeadShape {
        self.text.heads
    }

    /// A short display name: the file name without `.json`, or the folder name for `config.json`.
    pub fn short_name(&self) -> String {
        let path = Path::new(&self.name);
        let file = path
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or(&self.name);
        match file.strip_suffix(".json") {
            Some("config") => path
                .parent()
                .and_then(|p| p.file_name())
                .and_then(|s| s.to_str())
                .unwrap_or("config")
                .to_string(),
            Some(stem) => stem.to_string(),
            None => file.to_string(),
        }
    }
}

/// The accepted range of each integer field. Sizes derived from a config (layer lists, weights,
/// states) are allocated from these, so each is bounded well above any real checkpoint
/// (Qwen3-Next and Qwen3.5 have at most 94 layers, width 8192, 64 heads of 128) and far below
/// what would overflow; the bytes a layer needs are checked against memory where they are
/// allocated.
pub fn field_range(key: &str) -> (u64, u64) {
    match key {
        "num_hidden_layers" => (1, 4096),
        "hidden_size" => (1, 1 << 20),
        "linear_num_key_heads" | "linear_num_value_heads" => (1, 4096),
        "linear_key_head_dim" | "linear_value_head_dim" => (1, 1 << 14),
        // K - 1 past inputs are the conv state; K = 1 would leave it empty, which the GPU
        // layer cannot bind, so both devices refuse it.
        "linear_conv_kernel_dim" => (2, 64),
        "full_attention_interval" => (1, 4096),
        _ => (1, u64::from(u32::MAX)),
    }
}

struct Parser<'a> {
    name: &'a str,
}

impl Parser<'_> {
    fn invalid(&self, field: &str, found: &Value, expected: String) -> ConfigError {
        let mut found = found.to_string();
        if found.len() > 60 {
            found.truncate(57);
            found.push_str("...");
        }
        ConfigError::Invalid {
            name: self.name.to_string(),
            field: field.to_string(),
            found,
            expected,
        }
    }

    fn opt_str(
        &self,
        obj: &Map<String, Value>,
        prefix: &str,
        key: &str,
    ) -> Result<Option<String>, ConfigError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.invalid(&format!("{prefix}{key}"), other, "a string".into())),
        }
    }

    fn opt_usize(
        &self,
        obj: &Map<String, Value>,
        prefix: &str,
        key: &str,
    ) -> Result<Option<usize>, ConfigError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => {
                let (min, max) = field_range(key);
                match v.as_u64() {
                    Some(n) if n >= min && n <= max => Ok(usize::try_from(n).ok()),
                    _ => Err(self.invalid(
                        &format!("{prefix}{key}"),
                        v,
                        format!("an integer from {min} to {max}"),
                    )),
                }
            }
        }
    }

    fn usize(
        &self,
        obj: &Map<String, Value>,
        prefix: &str,
        key: &str,
        expected: &'static str,
    ) -> Result<usize, ConfigError> {
        self.opt_usize(obj, prefix, key)?
            .ok_or_else(|| ConfigError::Missing {
                name: self.name.to_string(),
                field: format!("{prefix}{key}"),
                expected,
            })
    }

    fn text_config(
        &self,
        obj: &Map<String, Value>,
        prefix: &str,
    ) -> Result<TextConfig, ConfigError> {
        let hidden_size = self.usize(obj, prefix, "hidden_size", "the model width")?;
        let num_hidden_layers = self.usize(
            obj,
            prefix,
            "num_hidden_layers",
            "the number of decoder layers",
        )?;
        let hk = self.usize(obj, prefix, "linear_num_key_heads", "gated-delta key heads")?;
        let hv = self.usize(
            obj,
            prefix,
            "linear_num_value_heads",
            "gated-delta value heads",
        )?;
        let dk = self.usize(
            obj,
            prefix,
            "linear_key_head_dim",
            "gated-delta key head dim",
        )?;
        let dv = self.usize(
            obj,
            prefix,
            "linear_value_head_dim",
            "gated-delta value head dim",
        )?;
        if !hv.is_multiple_of(hk) {
            return Err(ConfigError::Invalid {
                name: self.name.to_string(),
                field: format!("{prefix}linear_num_value_heads"),
                found: hv.to_string(),
                expected: format!("a multiple of linear_num_key_heads ({hk})"),
            });
        }
        let conv_kernel = self
            .opt_usize(obj, prefix, "linear_conv_kernel_dim")?
            .unwrap_or(4);
        let rms_norm_eps = match obj.get("rms_norm_eps") {
            None | Some(Value::Null) => 1e-6,
            Some(v) => match v.as_f64() {
                Some(x) if x > 0.0 && x.is_finite() => x,
                _ => {
                    return Err(self.invalid(
                        &format!("{prefix}rms_norm_eps"),
                        v,
                        "a positive number".into(),
                    ))
                }
            },
        };
        let layers = self.layer_kinds(obj, prefix, num_hidden_layers)?;
        if !layers.contains(&LayerKind::Linear) {
            return Err(ConfigError::NoLinearLayers {
                name: self.name.to_string(),
            });
        }
        Ok(TextConfig {
            hidden_size,
            num_hidden_layers,
            heads: HeadShape::new(hk, hv, dk, dv),
            conv_kernel,
            rms_norm_eps,
            layers,
        })
    }

    fn layer_kinds(
        &self,
        obj: &Map<String, Value>,
        prefix: &str,
        n: usize,
    ) -> Result<Vec<LayerKind>, ConfigError> {
        let field = format!("{prefix}layer_types");
        match obj.get("layer_types") {
            Some(Value::Array(items)) => {
                if items.len() != n {
                    return Err(ConfigError::Invalid {
                        name: self.name.to_string(),
                        field,
                        found: format!("a list of {} entries", items.len()),
                        expected: format!("one entry per layer (num_hidden_layers = {n})"),
                    });
                }
                items
                    .iter()
                    .map(|v| match v.as_str() {
                        Some("linear_attention") => Ok(LayerKind::Linear),
                        Some("full_attention") => Ok(LayerKind::Full),
                        _ => Err(self.invalid(
                            &field,
                            v,
                            "\"linear_attention\" or \"full_attention\"".into(),
                        )),
                    })
                    .collect()
            }
            Some(Value::Null) | None => {
                let interval = self
                    .opt_usize(obj, prefix, "full_attention_interval")?
                    .unwrap_or(4);
                Ok((0..n)
                    .map(|i| {
                        if (i + 1) % interval == 0 {
                            LayerKind::Full
                        } else {
                            LayerKind::Linear
                        }
                    })
                    .collect())
            }
            Some(other) => Err(self.invalid(&field, other, "a list of layer types".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAT: &str = r#"{"architectures":["Qwen3NextForCausalLM"],"model_type":"qwen3_next",
        "hidden_size":2048,"num_hidden_layers":8,"linear_num_key_heads":16,"linear_num_value_heads":32,
        "linear_key_head_dim":128,"linear_value_head_dim":128,"linear_conv_kernel_dim":4,
        "full_attention_interval":4,"rms_norm_eps":1e-6}"#;

    #[test]
    fn short_names() {
        let c = |n: &str| ModelConfig::from_json_str(FLAT, n).unwrap().short_name();
        assert_eq!(c("configs/qwen3.5-0.8b.json"), "qwen3.5-0.8b");
        assert_eq!(c("qwen3.5-0.8b"), "qwen3.5-0.8b");
        assert_eq!(c("models/Qwen3-Next/config.json"), "Qwen3-Next");
    }

    #[test]
    fn flat_with_interval() {
        let c = ModelConfig::from_json_str(FLAT, "next").unwrap();
        assert_eq!(c.form, ConfigForm::Flat);
        assert_eq!(c.head_shape(), HeadShape::new(16, 32, 128, 128));
        assert_eq!(c.linear_layers(), vec![0, 1, 2, 4, 5, 6]);
        assert_eq!(c.model_type, "qwen3_next");
    }

    #[test]
    fn nested_with_layer_types() {
        let text = r#"{"architectures":["Qwen3_5ForConditionalGeneration"],"model_type":"qwen3_5",
          "text_config":{"hidden_size":1024,"num_hidden_layers":4,"linear_num_key_heads":16,
          "linear_num_value_heads":16,"linear_key_head_dim":128,"linear_value_head_dim":128,
          "layer_types":["linear_attention","full_attention","linear_attention","linear_attention"]}}"#;
        let c = ModelConfig::from_json_str(text, "vlm").unwrap();
        assert_eq!(c.form, ConfigForm::Nested);
        assert_eq!(c.linear_layers(), vec![0, 2, 3]);
        assert_eq!(c.text.conv_kernel, 4);
    }

    #[test]
    fn errors_name_the_field() {
        let e = ModelConfig::from_json_str(r#"{"hidden_size":8}"#, "x").unwrap_err();
        assert!(e.to_string().contains("num_hidden_layers"), "{e}");
        let bad = FLAT.replace(
            "\"linear_num_value_heads\":32",
            "\"linear_num_value_heads\":33",
        );
        let e = ModelConfig::from_json_str(&bad, "x").unwrap_err();
        assert!(
            e.to_string().contains("multiple of linear_num_key_heads"),
            "{e}"
        );
        let bad = FLAT.replace("\"linear_key_head_dim\":128", "\"linear_key_head_dim\":-1");
        let e = ModelConfig::from_json_str(&bad, "x").unwrap_err();
        assert!(e.to_string().contains("linear_key_head_dim"), "{e}");
        let e = ModelConfig::from_json_str("[1]", "x").unwrap_err();
        assert!(matches!(e, ConfigError::Json { .. }));
        let e = ModelConfig::from_json_str("{", "x").unwrap_err();
        assert!(matches!(e, ConfigError::Json { .. }));
        let bad = FLAT.replace(
            "\"full_attention_interval\":4",
            "\"layer_types\":[\"linear_attention\"]",
        );
        let e = ModelConfig::from_json_str(&bad, "x").unwrap_err();
        assert!(e.to_string().contains("one entry per layer"), "{e}");
        let bad = FLAT.replace(
            "\"full_attention_interval\":4",
            "\"full_attention_interval\":1",
        );
        let e = ModelConfig::from_json_str(&bad, "x").unwrap_err();
        assert!(matches!(e, ConfigError::NoLinearLayers { .. }), "{e}");
    }
}
