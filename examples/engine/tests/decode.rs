//! The example engine's decode loop on the machine's adapter (lavapipe in CI): gdn's kernel runs
//! inside the engine's passes, on the engine's device and buffers, and matches the reference.

#[test]
fn decode_loop_in_the_engines_passes_matches_the_reference() {
    let r = engine::run(64).expect("the engine runs");
    println!("{r:?}");
    assert!(r.kernel, "gdn fell back to the ops path: {}", r.path);
    assert!(r.path.contains("state updated in place"), "{}", r.path);
    assert!(r.max_error_y < 1e-4, "y error {}", r.max_error_y);
    assert!(
        r.max_error_state < 1e-4,
        "state error {}",
        r.max_error_state
    );
    assert!(
        r.other_slots_untouched,
        "the op wrote outside its pool slot"
    );
}
