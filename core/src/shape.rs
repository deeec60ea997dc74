use std::fmt;

/// Element type of the op's inputs `q`, `k`, `v` (and of the output `y`).
///
/// All arithmetic is f32 and the recurrent state is always f32, whatever the input dtype.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DType {
    /// IEEE single precision.
    F32,
    /// IEEE half precision.
    F16,
    /// bfloat16 (the upper half of an f32).
    BF16,
}

impl DType {
    /// Every dtype, in the order variants are planned.
    pub const ALL: [DType; 3] = [DType::F32, DType::F16, DType::BF16];

    /// Short lowercase name (`f32`, `f16`, `bf16`), as used in variant names and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            DType::F32 => "f32",
            DType::F16 => "f16",
            DType::BF16 => "bf16",
        }
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            DType::F32 => 4,
            DType::F16 | DType::BF16 => 2,
        }
    }

    /// Parses a short name (`f32`, `f16`, `bf16`; also `float32`, `float16`, `bfloat16`).
    pub fn parse(s: &str) -> Option<DType> {
        match s.to_ascii_lowercase().as_str() {
            "f32" | "float32" | "float" => Some(DType::F32),
            "f16" | "float16" | "half" => Some(DType::F16),
            "bf16" | "bfloat16" => Some(DType::BF16),
            _ => None,
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The adapter capabilities a kernel variant needs.
///
/// A variant is only ever selected on an adapter that provably has them: `Subgroup32` needs the
/// SUBGROUP feature *and* an adapter that reports a fixed subgroup size of exactly 32; `Subgroup8`
/// needs SUBGROUP and a reported minimum subgroup size of at least 8 (any size from 8 up works, as
/// its reductions stay inside aligned groups of 8 lanes); `Portable` needs no optional feature and
/// works for any subgroup size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    /// Workgroup-memory reductions only; runs on every adapter.
    Portable,
    /// `subgroupAdd` over 32-lane rows; needs `Features::SUBGROUP` and subgroup size exactly 32.
    Subgroup32,
    /// Rows of 8 lanes packed 4 (or more) to a subgroup, reduced with 3 `subgroupShuffleXor` steps;
    /// needs `Features::SUBGROUP` and a minimum subgroup size of 8.
    Subgroup8,
}

impl Tier {
    /// Every tier, in planning order.
    pub const PREFERENCE: [Tier; 3] = [Tier::Subgroup8, Tier::Subgroup32, Tier::Portable];

    /// Short name used in variant names (`sg32`, `portable`).
    pub fn name(self) -> &'static str {
        match self {
            Tier::Portable => "portable",
            Tier::Subgroup32 => "sg32",
            Tier::Subgroup8 => "sg8",
        }
    }

    /// Parses a short name as produced by [`Tier::name`].
    pub fn parse(s: &str) -> Option<Tier> {
        match s {
            "portable" => Some(Tier::Portable),
            "sg32" => Some(Tier::Subgroup32),
            "sg8" => Some(Tier::Subgroup8),
            _ => None,
        }
    }
}

impl Tier {
    /// Threads per state row: 8 for `Subgroup8`, else 32.
    pub const fn lanes(self) -> usize {
        match self {
            Tier::Subgroup8 => 8,
            Tier::Portable | Tier::Subgroup32 => 32,
        }
    }

    /// State rows per workgroup (even, so 16-bit outputs are written as packed pairs of rows).
    pub const fn rows(self) -> usize {
        match self {
            Tier::Subgroup8 => 16,
            Tier::Portable | Tier::Subgroup32 => 4,
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Head configuration of a gated-delta layer: key heads, value heads, key dim, value dim.
///
/// This is what a kernel variant is specialised on (together with dtype and tier).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HeadShape {
    /// Number of key (and query) heads, `Hk`.
    pub hk: usize,
    /// Number of value heads, `Hv`; a multiple of `hk`.
    pub hv: usize,
    /// Key head dimension, `Dk`.
    pub dk: usize,
    /// Value head dimension, `Dv`.
    pub dv: usize,
}

impl HeadShape {
    /// A head shape; see [`HeadShape::check`] for the rules.
    pub const fn new(hk: usize, hv: usize, dk: usize, dv: usize) -> Self {
        Self { hk, hv, dk, dv }
    }

    /// GQA ratio `r = Hv / Hk`.
    pub fn ratio(&self) -> usize {
        self.hv.checked_div(self.hk).unwrap_or(0)
    }

    /// Checks that every dimension is non-zero and `Hv` is a multiple of `Hk`.
    pub fn check(&self) -> Result<(), String> {
        for (name, v) in [
            ("Hk", self.hk),
            ("Hv", self.hv),
            ("Dk", self.dk),
            ("Dv", self.dv),
        ] {
            if v == 0 {
                return Err(format!("{name} must be non-zero"));
            }
        }
        if !self.hv.is_multiple_of(self.hk) {
            return Err(format!(
                "Hv ({}) must be a multiple of Hk ({})",
                self.hv, self.hk
            ));
        }
        Ok(())
    }

    /// The head shape of one rank when a layer is split over `degree` tensor-parallel ranks by
    /// heads: each rank keeps `Hk / degree` key heads and their `Hv / degree` value heads (the
    /// grouping is kept, so a rank needs no other rank's heads). An error, listing the degrees that
    /// work, where `degree` does not divide `Hk`.
    ///
    /// ```
    /// use gdn_core::HeadShape;
    /// let s = HeadShape::new(16, 32, 128, 128);
    /// assert_eq!(s.shard(4), Ok(HeadShape::new(4, 8, 128, 128)));
    /// assert!(s.shard(3).unwrap_err().contains("1, 2, 4, 8, 16"));
    /// ```
    pub fn shard(&self, degree: usize) -> Result<HeadShape, String> {
        if degree == 0 || !self.hk.is_multiple_of(degree) {
            let ok: Vec<String> = self.shard_degrees().iter().map(|d| d.to_string()).collect();
            return Err(format!(
                "tensor-parallel degree {degree} does not divide Hk = {} (degrees that do: {})",
                self.hk,
                ok.join(", ")
            ));
        }
        Ok(HeadShape::new(
            self.hk / degree,
            self.hv / degree,
            self.dk,
            self.dv,
        ))
    }

    /// The tensor-parallel degrees this shape splits into: the divisors of `Hk`, ascending.
    pub fn shard_degrees(&self) -> Vec<usize> {
        (1..=self.hk)
            .filter(|d| self.hk.is_multiple_of(*d))
            .collect()
    }

    /// The name of the recurrent kernel variant for this shape, dtype and tier,
    /// e.g. `recurrent_hk16_hv32_dk128_dv128_bf16_sg32`. Also a valid identifier and file stem.
    pub fn variant_name(&self, dtype: DType, tier: Tier) -> String {
        crate::ModuleKind::Recurrent.name(*self, dtype, tier)
    }
}

impl fmt::Display for HeadShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "hk{}_hv{}_dk{}_dv{}", self.hk, self.hv, self.dk, self.dv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for d in DType::ALL {
            assert_eq!(DType::parse(d.name()), Some(d));
        }
        for t in Tier::PREFERENCE {
            assert_eq!(Tier::parse(t.name()), Some(t));
        }
        let s = HeadShape::new(16, 48, 128, 128);
        assert_eq!(s.ratio(), 3);
        assert_eq!(
            s.variant_name(DType::BF16, Tier::Subgroup32),
            "recurrent_hk16_hv48_dk128_dv128_bf16_sg32"
        );
    }

    #[test]
    fn check_rejects_bad_shapes() {
        assert!(HeadShape::new(16, 32, 128, 128).check().is_ok());
        assert!(HeadShape::new(3, 4, 8, 8)
            .check()
            .unwrap_err()
            .contains("multiple"));
        assert!(HeadShape::new(1, 1, 0, 8)
            .check()
            .unwrap_err()
            .contains("Dk"));
    }
}
