//! Answers recorded for the UI's tests. The screens' tests replay what Rust answers, never a
//! TypeScript copy of it: tests here write the JSON of real answers into `ui/src/api/golden/`,
//! and `make test` fails when a recording differs from what the code answers now (the bindings
//! check compares the tree after `cargo test`).

use std::path::PathBuf;

fn folder() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/api/golden")
}

/// The JSON a recording holds: pretty, with a final newline.
pub(crate) fn recording_text(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).expect("a DTO serialises") + "\n"
}

/// Writes `ui/src/api/golden/FILE_NAME`, only when its text changed (so a run leaves the file's
/// time alone, and the UI build is not redone for nothing).
pub(crate) fn write_recording(file_name: &str, text: &str) {
    let path = folder().join(file_name);
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
        std::fs::create_dir_all(folder()).expect("recorded folder");
        std::fs::write(&path, text).expect("write recording");
    }
}

/// Records `value` as `FILE_NAME`.
pub(crate) fn record_for_ui(file_name: &str, value: &impl serde::Serialize) {
    write_recording(file_name, &recording_text(value));
}
