//! Runs the example engine's 64-token decode loop and prints what it found.

fn main() -> std::process::ExitCode {
    match engine::run(64) {
        Ok(r) => {
            println!("adapter: {}", r.adapter);
            println!("gdn: {}", r.path);
            println!(
                "{} tokens: max |y - f64 reference| {:.2e}, max |state - reference| {:.2e}, other pool slots untouched: {}",
                r.tokens, r.max_error_y, r.max_error_state, r.other_slots_untouched
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("engine: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
