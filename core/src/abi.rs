//! The interface between the runtime and the generated kernels, defined once: the flag bits of
//! the parameter block, its header size and view words, and the binding slot of every buffer. Codegen renders
//! these into every kernel template (`abi_flags`, `binding`); the runtime builds parameter blocks
//! and bind groups from the same constants.
//!
//! ```
//! use gdn_core::abi::{binding, flags, wgsl_flags};
//! assert_eq!(binding::Q, 1);
//! assert!(wgsl_flags().contains(&format!("const HAS_STATE: u32 = {}u;", flags::HAS_STATE)));
//! ```

/// Bits of the parameter block's `flags` word.
pub mod flags {
    /// An initial state is read (else the state starts at zero).
    pub const HAS_STATE: u32 = 1;
    /// A mask is bound; masked steps write y = 0 and keep the state.
    pub const HAS_MASK: u32 = 2;
    /// g holds the log of the decay.
    pub const GATE_LOG: u32 = 4;
    /// g has one decay per key dimension (`[B, T, Hv, Dk]`).
    pub const GATE_PER_KEY: u32 = 8;
    /// The incoming state is the one in the new-state binding (a later dispatch of a segmented
    /// call, a state pool, or a state updated in place).
    pub const STATE_FROM_OUT: u32 = 16;
    /// g and β hold mlx-lm's raw `a` and `b`; the kernels compute the decay and β from them and
    /// the per-head `A_log` and `dt_bias` in the parameter block.
    pub const GATE_RAW: u32 = 64;

    /// Every flag: name (as the kernels spell it), bit, meaning.
    pub const ALL: [(&str, u32, &str); 6] = [
        ("HAS_STATE", HAS_STATE, "an initial state is read"),
        ("HAS_MASK", HAS_MASK, "a mask is bound"),
        ("GATE_LOG", GATE_LOG, "g holds the log of the decay"),
        (
            "GATE_PER_KEY",
            GATE_PER_KEY,
            "g has one decay per key dimension",
        ),
        (
            "STATE_FROM_OUT",
            STATE_FROM_OUT,
            "the incoming state is the one in s_out (a later dispatch, a pool, in place)",
        ),
        (
            "GATE_RAW",
            GATE_RAW,
            "g and beta hold raw a and b; A_log and dt_bias are in p.consts",
        ),
    ];
}

/// 32-bit words at the start of the parameter block that each kernel family declares itself: B,
/// T, flags, the dtype codes of g and β, the dispatch's first step and step count, and two words
/// a family may use (the chunked kernels' chunks per segment).
pub const PARAM_CALL_WORDS: usize = 8;

/// The views of q, k and v in the parameter block, after the call's words: for each, the element
/// of its binding where its first token row starts, and the elements from one token row (one
/// (b, t)) to the next. A dense tensor bound from its start is `at` 0 and `stride` its row (H·D).
/// The recurrent kernels address q, k and v through them, so they read row-strided views in
/// place; the chunked kernels read dense tensors (the runtime packs strided views first).
pub mod view {
    /// Word of q's first element.
    pub const Q_AT: usize = super::PARAM_CALL_WORDS;
    /// Word of q's row stride.
    pub const Q_STRIDE: usize = Q_AT + 1;
    /// Word of k's first element.
    pub const K_AT: usize = Q_AT + 2;
    /// Word of k's row stride.
    pub const K_STRIDE: usize = Q_AT + 3;
    /// Word of v's first element.
    pub const V_AT: usize = Q_AT + 4;
    /// Word of v's row stride.
    pub const V_STRIDE: usize = Q_AT + 5;
    /// Words of the views, padded so the per-head constants after them start on 16 bytes.
    pub const WORDS: usize = 8;

    /// Every field by the name the kernels use, in word order, with its meaning.
    pub const FIELDS: [(&str, &str); WORDS] = [
        (
            "q_at",
            "element of the q binding where q's first token row starts",
        ),
        ("q_stride", "elements from one token row of q to the next"),
        (
            "k_at",
            "element of the k binding where k's first token row starts",
        ),
        ("k_stride", "elements from one token row of k to the next"),
        (
            "v_at",
            "element of the v binding where v's first token row starts",
        ),
        ("v_stride", "elements from one token row of v to the next"),
        ("view_pad0", "padding"),
        ("view_pad1", "padding"),
    ];
}

/// 32-bit words of the parameter block before the per-head constants: the call's words, then the
/// views of q, k and v.
pub const PARAM_HEADER_WORDS: usize = PARAM_CALL_WORDS + view::WORDS;

// The per-head constants are vec4s: the header must end on 16 bytes, past the last view word.
const _: () = assert!(PARAM_HEADER_WORDS.is_multiple_of(4) && view::V_STRIDE < PARAM_HEADER_WORDS);

/// Binding slots of the kernels' bind group (group 0).
pub mod binding {
    /// The parameter block (uniform).
    pub const PARAMS: u32 = 0;
    /// q.
    pub const Q: u32 = 1;
    /// k.
    pub const K: u32 = 2;
    /// v.
    pub const V: u32 = 3;
    /// g (or raw `a`).
    pub const G: u32 = 4;
    /// β (or raw `b`).
    pub const BETA: u32 = 5;
    /// The incoming state (a pool's slot table in pooled calls).
    pub const STATE_IN: u32 = 6;
    /// The mask (varlen offsets or a snapshot table before or after its words).
    pub const MASK: u32 = 7;
    /// y.
    pub const Y: u32 = 8;
    /// The new state (the pool in pooled calls).
    pub const STATE_OUT: u32 = 9;
    /// The chunked kernels' workspace.
    pub const WORKSPACE: u32 = 10;
    /// The same workspace as whole 16-byte words (cooperative-matrix kernels).
    pub const WORKSPACE_WORDS: u32 = 11;

    /// Every slot by the name templates use (`{{ binding.q }}`).
    pub const ALL: [(&str, u32); 12] = [
        ("params", PARAMS),
        ("q", Q),
        ("k", K),
        ("v", V),
        ("g", G),
        ("beta", BETA),
        ("s_in", STATE_IN),
        ("mask", MASK),
        ("y", Y),
        ("s_out", STATE_OUT),
        ("ws", WORKSPACE),
        ("ws4", WORKSPACE_WORDS),
    ];
}

/// The view fields of the parameter block as WGSL struct members, one per line (what the templates
/// render as `abi_views` after their own first [`PARAM_CALL_WORDS`] words).
///
/// ```
/// assert!(gdn_core::abi::wgsl_views().contains("    q_stride: u32,"));
/// ```
pub fn wgsl_views() -> String {
    view::FIELDS
        .iter()
        .map(|(name, what)| format!("    // {what}\n    {name}: u32,\n"))
        .collect()
}

/// The flag constants as WGSL declarations, one per line with its meaning (what the templates
/// render as `abi_flags`).
pub fn wgsl_flags() -> String {
    flags::ALL
        .iter()
        .map(|(name, bit, what)| format!("// {what}\nconst {name}: u32 = {bit}u;\n"))
        .collect()
}
