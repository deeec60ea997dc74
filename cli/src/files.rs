//! Files in and out: inputs are read only from regular files, within the host memory limit;
//! outputs go through an exclusively created temporary in the destination's folder, renamed
//! over the destination, and removed on every failure.

use anyhow::{anyhow, bail, Context as _, Result};
use std::collections::hash_map::RandomState;
use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// Reads a whole input file: a regular file (a device such as `/dev/zero` or a FIFO is refused
/// before anything is read) no larger than the host memory limit.
pub(crate) fn read_input(path: &Path) -> Result<Vec<u8>> {
    gdn::limits::read_regular(path, gdn::limits::host_limit())
        .with_context(|| format!("cannot read {}", path.display()))
}

/// Removes the temporary on drop unless it was renamed into place.
struct Temp(Option<PathBuf>);

impl Drop for Temp {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = fs::remove_file(p);
        }
    }
}

/// A temporary name that cannot be guessed ahead (the process's random hash keys), short and of
/// fixed length whatever the destination's name, so it stays within NAME_MAX.
fn temp_name(attempt: u32) -> String {
    let mut h = RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u32(attempt);
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(d.as_nanos());
    }
    format!(".gdn-{:016x}.tmp", h.finish())
}

/// Writes `bytes` to `path` atomically. The destination, if it exists, must be a regular file: a
/// device node, folder, FIFO or symbolic link is refused (renaming over a link would replace the
/// link, not what it points at, so it is not guessed either way). The temporary is created with
/// O_EXCL in the same folder, so a planted file or link there is never followed or reused.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            bail!("output {} is a symbolic link; give the file itself", path.display())
        }
        Ok(m) if !m.is_file() => bail!(
            "output {} exists and is not a regular file (a folder, device or FIFO); refusing to replace it",
            path.display()
        ),
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(anyhow!("output {}: {e}", path.display())),
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if path.file_name().is_none() {
        bail!("output path {} has no file name", path.display());
    }
    let (mut file, mut temp) = create_temp(dir)?;
    let shown = temp.0.as_deref().unwrap_or(dir).display().to_string();
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {shown}"))?;
    drop(file);
    let from = temp.0.clone().unwrap_or_default();
    fs::rename(&from, path)
        .with_context(|| format!("cannot move output into {}", path.display()))?;
    temp.0 = None;
    Ok(())
}

/// Creates a new temporary in `dir` (never an existing name), retrying a few names on collision.
fn create_temp(dir: &Path) -> Result<(File, Temp)> {
    for attempt in 0..16 {
        let p = dir.join(temp_name(attempt));
        match OpenOptions::new().write(true).create_new(true).open(&p) {
            Ok(f) => return Ok((f, Temp(Some(p)))),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(anyhow!(
                    "cannot create a temporary file in {}: {e}",
                    dir.display()
                ))
            }
        }
    }
    bail!(
        "cannot create a temporary file in {}: every name tried exists",
        dir.display()
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn temp_names_differ_and_stay_short() {
        let (a, b) = (temp_name(0), temp_name(0));
        assert_ne!(a, b);
        assert_eq!(a.len(), ".gdn-".len() + 16 + ".tmp".len());
    }
}
