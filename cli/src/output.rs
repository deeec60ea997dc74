//! What the process says: standard output that never panics, and log lines held until the
//! command's outcome is known.

/// Exit code when standard output was closed by its reader (as if killed by SIGPIPE).
const EXIT_STDOUT_CLOSED: u8 = 141;

/// Writes one line to standard output. If the reader is gone (`gdn info | head -c1`) the process
/// ends at once with [`EXIT_STDOUT_CLOSED`] and no message; any other failure (`> /dev/full`)
/// ends it with one error line and exit code 1. Never a panic.
pub(crate) fn stdout_line(args: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let mut o = std::io::stdout().lock();
    let r = o
        .write_fmt(args)
        .and_then(|()| o.write_all(b"\n"))
        .and_then(|()| o.flush());
    if let Err(e) = r {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(i32::from(EXIT_STDOUT_CLOSED));
        }
        let _ = writeln!(
            std::io::stderr(),
            "gdn: error: cannot write to standard output: {e}"
        );
        std::process::exit(1);
    }
}

/// Log lines held until the command ends: printed after a success, dropped after a failure, so
/// that a refusal is the one error line (a fallback warning before it would misstate the cause).
#[derive(Clone, Default)]
pub(crate) struct HeldLog(pub(crate) std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for HeldLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut v) = self.0.lock() {
            v.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
