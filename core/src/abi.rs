//! The interface between the runtime and the generated kernels, defined once: the flag bits of
//! the parameter block, its header size, and the binding slot of every buffer. Codegen renders
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

/// 32-bit words of the parameter block before the per-head constants: B, T, flags, the dtype codes
/// of g and β, the dispatch's first step and step count, and two words a kernel family may use
/// (the chunked kernels' chunks per segment).
pub const PARAM_HEADER_WORDS: usize = 8;

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

/// The flag constants as WGSL declarations, one per line with its meaning (what the templates
/// render as `abi_flags`).
pub fn wgsl_flags() -> String {
    flags::ALL
        .iter()
        .map(|(name, bit, what)| format!("// {what}\nconst {name}: u32 = {bit}u;\n"))
        .collect()
}
