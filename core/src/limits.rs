//! Sizes derived from headers, configs and flags, checked before anything is allocated: every
//! product is computed with overflow checks and compared against the host memory limit, so a
//! few-byte input cannot ask for terabytes.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::OnceLock;

/// Environment variable that sets the host memory limit in bytes (default: the machine's memory).
pub const MAX_HOST_BYTES_ENV: &str = "GDN_MAX_HOST_BYTES";

/// Limit used where the machine's memory cannot be read (no `/proc/meminfo`): 64 GiB.
const FALLBACK_LIMIT: u64 = 64 << 30;

/// A size over the host memory limit, or one that overflows 128 bits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} needs {}, over the host memory limit of {limit} bytes ({MAX_HOST_BYTES_ENV} or the machine's memory)", fmt_bytes(*.bytes, *.total))]
pub struct SizeError {
    /// What was to be allocated: a tensor or field and its shape.
    pub what: String,
    /// The bytes it needs; `None` when the count overflows.
    pub bytes: Option<u128>,
    /// The bytes of the whole operation with it, where that is more than `bytes`.
    pub total: Option<u128>,
    /// The limit it was compared against.
    pub limit: u64,
}

fn fmt_bytes(bytes: Option<u128>, total: Option<u128>) -> String {
    match (bytes, total) {
        (None, _) => "more than 2^128 bytes".to_string(),
        (Some(b), Some(t)) if t > b => format!("{b} bytes ({t} bytes with the rest of the call)"),
        (Some(b), _) => format!("{b} bytes"),
    }
}

/// The host memory limit: [`MAX_HOST_BYTES_ENV`] if set to a number, else the machine's memory
/// (`MemTotal`), read once per process.
pub fn host_limit() -> u64 {
    static LIMIT: OnceLock<u64> = OnceLock::new();
    *LIMIT.get_or_init(|| {
        if let Some(n) = std::env::var(MAX_HOST_BYTES_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            return n;
        }
        std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("MemTotal:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            })
            .and_then(|kib| kib.checked_mul(1024))
            .unwrap_or(FALLBACK_LIMIT)
    })
}

/// Bytes of `dims` elements of `elem_bytes` each, or `None` on overflow.
pub fn bytes_of(dims: &[usize], elem_bytes: usize) -> Option<u128> {
    dims.iter()
        .try_fold(elem_bytes as u128, |a, &d| a.checked_mul(d as u128))
}

/// A running total of the bytes one operation will hold, checked against [`host_limit`] on every
/// addition.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    used: u128,
    limit: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Self::new()
    }
}

impl Budget {
    /// An empty budget under [`host_limit`].
    pub fn new() -> Self {
        Self::with_limit(host_limit())
    }

    /// An empty budget under `limit` bytes.
    pub fn with_limit(limit: u64) -> Self {
        Self { used: 0, limit }
    }

    /// Adds `dims` elements of `elem_bytes` named by `what` (e.g. "tensor `state`"); an error names
    /// it with its shape and bytes when the total passes the limit. Returns the element count.
    pub fn add(
        &mut self,
        what: impl fmt::Display,
        dims: &[usize],
        elem_bytes: usize,
    ) -> Result<usize, SizeError> {
        let err = |bytes, total| SizeError {
            what: format!("{what} {dims:?}"),
            bytes,
            total,
            limit: self.limit,
        };
        let bytes = bytes_of(dims, elem_bytes).ok_or_else(|| err(None, None))?;
        let total = self.used.checked_add(bytes);
        match total {
            Some(t) if t <= u128::from(self.limit) => {
                self.used = t;
                usize::try_from(bytes / elem_bytes.max(1) as u128)
                    .map_err(|_| err(Some(bytes), total))
            }
            _ => Err(err(Some(bytes), total)),
        }
    }

    /// Bytes added so far.
    pub fn used(&self) -> u128 {
        self.used
    }
}

/// Checks one allocation of `dims` elements of `elem_bytes` against [`host_limit`]; returns the
/// element count.
pub fn check(
    what: impl fmt::Display,
    dims: &[usize],
    elem_bytes: usize,
) -> Result<usize, SizeError> {
    Budget::new().add(what, dims, elem_bytes)
}

/// Opens `path` for reading if it is a regular file (not a device, FIFO or folder, which could be
/// endless or block), returning it with its length.
pub fn open_regular(path: &Path) -> io::Result<(File, u64)> {
    // Checked before opening too: opening a FIFO blocks until a writer comes.
    if !std::fs::metadata(path)?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let f = File::open(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok((f, meta.len()))
}

/// Reads a whole regular file of at most `max` bytes ([`open_regular`]); a larger file, or one
/// that grows past `max` while read, is an error before its content is held.
pub fn read_regular(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let (f, len) = open_regular(path)?;
    let too_big = |n: u64| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{n} bytes, over the limit of {max} bytes"),
        )
    };
    if len > max {
        return Err(too_big(len));
    }
    let mut buf = Vec::with_capacity(usize::try_from(len).map_err(|_| too_big(len))?);
    f.take(max.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(too_big(buf.len() as u64));
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_and_limit_are_errors_naming_the_tensor() {
        let mut b = Budget::with_limit(1000);
        assert_eq!(b.add("tensor `y`", &[10, 10], 4), Ok(100));
        let e = b.add("tensor `state`", &[10, 20], 4).unwrap_err();
        assert!(
            e.to_string()
                .contains("tensor `state` [10, 20] needs 800 bytes (1200 bytes with the rest"),
            "{e}"
        );
        let e = b
            .add("x", &[usize::MAX, usize::MAX, usize::MAX], 4)
            .unwrap_err();
        assert_eq!(e.bytes, None);
        assert_eq!(b.add("empty", &[0, usize::MAX], 4), Ok(0));
    }

    #[test]
    fn only_regular_files_are_read() {
        let e = read_regular(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let e = read_regular(Path::new("."), 1 << 20).unwrap_err();
        assert!(!e.to_string().is_empty());
        let e = read_regular(Path::new("Cargo.toml"), 4).unwrap_err();
        assert!(e.to_string().contains("over the limit of 4 bytes"), "{e}");
    }
}
