//! The `gdn` command: `run` (the file contract of docs/CONTRACT.md §9), `info` (adapter, variants, per-model
//! paths), `bench` (kernel vs ops table), `e2e` (layer-stack tokens/s) and `layer` (one layer of a
//! checkpoint).

/// `println!` that never panics: a closed or full standard output ends the process quietly
/// ([`stdout_line`]).
macro_rules! out {
    () => {
        $crate::output::stdout_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::output::stdout_line(format_args!($($arg)*))
    };
}

mod bench;
mod e2e;
mod files;
mod info;
mod layer;
mod output;
mod run;
mod serving;
mod tensors;

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};
use gdn::{Context, ContextOptions, DeviceChoice, PathChoice};
use std::process::ExitCode;

/// gdn: the gated delta rule (Gated DeltaNet) on every GPU wgpu reaches, with a CPU path.
#[derive(Parser, Debug)]
#[command(name = "gdn", version, about)]
struct Cli {
    #[command(subcommand)]
    cmd: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the op on a safetensors file (docs/CONTRACT.md §9): reads q, k, v, g/beta or a/b/A_log/dt_bias,
    /// optional state and mask; writes y and state, with the path that ran in the metadata.
    Run(run::RunArgs),
    /// Show the adapter, its features and subgroup sizes, the compiled variants, and which path each
    /// bundled model config takes here.
    Info(DeviceArgs),
    /// Time the kernel against the ops path for T = 1, 8, 64, 256 at a model config.
    Bench(bench::BenchArgs),
    /// Prefill and decode tokens/s over a model's linear-attention layers (random weights), LLM and
    /// VLM entry points, kernel vs ops path.
    E2e(e2e::E2eArgs),
    /// Run one linear-attention layer of a Qwen3-Next / Qwen3.5 checkpoint (text or VLM) on `hidden`.
    Layer(layer::LayerArgs),
}

/// Device selection shared by the subcommands.
#[derive(Args, Debug, Clone)]
pub(crate) struct DeviceArgs {
    /// auto: a hardware GPU if any, else the CPU; gpu: any adapter (software ones too); cpu.
    #[arg(long, value_enum, default_value_t = Device::Auto, env = "GDN_DEVICE")]
    device: Device,
    /// Make an ops-path fallback an error (also GDN_STRICT=1).
    #[arg(long)]
    strict: bool,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum Device {
    Auto,
    Gpu,
    Cpu,
}

/// Path selection shared by run and bench.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathArg {
    /// The fastest correct path.
    Auto,
    /// The recurrent kernel only (error if no variant matches).
    Recurrent,
    /// The chunked-prefill kernel only (error if it cannot serve the call).
    Chunked,
    /// The per-step ops composition.
    Ops,
}

impl PathArg {
    pub(crate) fn choice(self) -> PathChoice {
        match self {
            PathArg::Auto => PathChoice::Auto,
            PathArg::Recurrent => PathChoice::Kernel,
            PathArg::Chunked => PathChoice::Chunked,
            PathArg::Ops => PathChoice::Ops,
        }
    }
}

impl DeviceArgs {
    pub(crate) fn context(&self) -> Result<Context> {
        let mut opts = ContextOptions::from_env()?;
        opts.device = match self.device {
            Device::Auto => DeviceChoice::Auto,
            Device::Gpu => DeviceChoice::Gpu,
            Device::Cpu => DeviceChoice::Cpu,
        };
        opts.strict |= self.strict;
        Ok(Context::new(gdn::registry(), opts)?)
    }

    /// Names strict mode in a refusal that it caused (a forced path's refusal is not one).
    pub(crate) fn explain<T>(&self, r: gdn::Result<T>, path: PathArg) -> Result<T> {
        let strict = self.strict || std::env::var("GDN_STRICT").is_ok_and(|v| v == "1");
        match r {
            Err(e @ gdn::Error::NoKernel { .. }) if strict && path == PathArg::Auto => {
                Err(anyhow::Error::new(e).context("strict mode (--strict or GDN_STRICT=1)"))
            }
            r => Ok(r?),
        }
    }
}

fn dispatch(cli: Cli) -> Result<()> {
    match cli.cmd {
        Command::Run(a) => run::run(&a),
        Command::Info(a) => info::info(&a),
        Command::Bench(a) => bench::bench(&a),
        Command::Layer(a) => layer::layer(&a),
        Command::E2e(a) => e2e::e2e(&a),
    }
}

/// The median of timing samples (upper median for an even count).
pub(crate) fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> ExitCode {
    // The Vulkan driver's window-system support loads the Wayland client library, which prints
    // an error line of its own when XDG_RUNTIME_DIR is unset, before any refusal of gdn's. gdn
    // opens no window: any absolute folder keeps it quiet. Set before any thread starts.
    #[cfg(target_os = "linux")]
    if std::env::var_os("XDG_RUNTIME_DIR").is_none() {
        std::env::set_var("XDG_RUNTIME_DIR", std::env::temp_dir());
    }
    let held = output::HeldLog::default();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn"))
        .target(env_logger::Target::Pipe(Box::new(held.clone())))
        .init();
    let args = match Cli::try_parse() {
        Ok(a) => a,
        Err(e) if !e.use_stderr() => e.exit(), // --help, --version
        Err(e) => {
            // A usage error is one line too: clap's first line, without its usage block.
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or_default();
            eprintln!("gdn: {first} (see --help)");
            return ExitCode::from(2);
        }
    };
    let result = dispatch(args);
    let log = held.0.lock().map(|v| v.clone()).unwrap_or_default();
    match result {
        Ok(()) => {
            use std::io::Write as _;
            let _ = std::io::stderr().write_all(&log);
            ExitCode::SUCCESS
        }
        Err(e) => {
            // One line: the error and its causes.
            eprintln!("gdn: error: {}", format!("{e:#}").replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}
