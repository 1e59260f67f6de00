//! Text leaves tracedesk through two helpers only, and this test keeps it so: it reads every Rust
//! source file of the workspace (the crates and the desktop shell; test code, benches and fuzz
//! targets excepted) and fails on
//!
//! - a SQL `LIKE` anywhere but `store/src/list.rs`, where `store::like_pattern` escapes `%`, `_`
//!   and `\` and `like_clause` adds `ESCAPE '\'` (a search for `50%` must find only `50%`);
//! - a worksheet string, formula, URL or rich-string write, a generic `worksheet.write(row, col,
//!   value)`, or a CSV writer anywhere but `sheets/src/safe.rs`, whose writers neutralise text a
//!   spreadsheet could run as a formula (`=HYPERLINK(…)`, `@SUM(1)`, fullwidth `＝` …).
//!
//! A new search or export that bypasses them fails here with the file and line to fix.

use std::path::{Path, PathBuf};

/// The files allowed to hold each kind of call, relative to `src-tauri/`.
const LIKE_HOME: &str = "crates/store/src/list.rs";
const WRITER_HOME: &str = "crates/sheets/src/safe.rs";

/// Calls that put text into a cell or a CSV field without the neutralising helper.
const WRITER_CALLS: &[&str] = &[
    ".write_string(",
    ".write_string_with_format(",
    ".write_rich_string(",
    ".write_rich_string_with_format(",
    ".write_formula(",
    ".write_formula_with_format(",
    ".write_array_formula(",
    ".write_dynamic_formula(",
    ".write_dynamic_array_formula(",
    ".write_url(",
    ".write_url_with_text(",
    ".write_url_with_format(",
    ".write_url_with_options(",
    ".write_row(",
    ".write_column(",
    ".write_row_matrix(",
    ".write_column_matrix(",
    "csv::Writer",
    "csv::WriterBuilder",
    ".write_record(",
    ".write_field(",
    ".write_byte_record(",
];

#[derive(Debug, PartialEq, Eq)]
struct Finding {
    file: String,
    line: usize,
    what: &'static str,
    text: String,
}

/// Whether `path` (relative, `/`-separated) is test code, a bench or a fuzz target. `golden/` is
/// the app's test-only module of recorded scenarios (`#[cfg(test)] mod golden`), whose fixture
/// sheets are written as a clerk's file would be.
fn is_test_file(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let name = parts.last().copied().unwrap_or("");
    parts[..parts.len().saturating_sub(1)].iter().any(|p| {
        matches!(
            *p,
            "tests" | "benches" | "fuzz" | "examples" | "target" | "golden"
        )
    }) || name == "tests.rs"
        || name.ends_with("_tests.rs")
        || name == "build.rs"
}

/// `LIKE` as an SQL word (not part of `LIKELY` or `unlike`).
fn has_like_word(code: &str) -> bool {
    code.match_indices("LIKE").any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = code[i + 4..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// `.write(a, b, …)` or `.write_with_format(a, b, …)`: rust_xlsxwriter's generic cell write
/// (row, column, value), told apart from `sink.write(code)` and `db.write(|tx| …)` by its
/// three arguments.
fn has_generic_cell_write(code: &str) -> bool {
    for call in [".write(", ".write_with_format("] {
        for (i, _) in code.match_indices(call) {
            let args = &code[i + call.len()..];
            let mut depth = 0;
            let mut commas = 0;
            for c in args.chars() {
                match c {
                    '(' | '[' | '{' | '<' => depth += 1,
                    ')' | ']' | '}' | '>' if depth == 0 => break,
                    ')' | ']' | '}' | '>' => depth -= 1,
                    ',' if depth == 0 => commas += 1,
                    '|' if depth == 0 => break, // a closure: db.write(|tx| …)
                    _ => {}
                }
            }
            if commas >= 2 {
                return true;
            }
        }
    }
    false
}

/// The findings in one file's `source`; `path` is relative to `src-tauri/`.
fn scan(path: &str, source: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    let lines: Vec<&str> = source.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim_start();
        // An inline test module: skip it to its closing brace.
        if trimmed.starts_with("#[cfg(test)]") {
            let next = lines.get(i + 1).map(|l| l.trim_start()).unwrap_or_default();
            if (next.starts_with("mod ") || next.starts_with("pub(crate) mod "))
                && next.trim_end().ends_with('{')
            {
                let mut depth = 0i32;
                let mut j = i + 1;
                while j < lines.len() {
                    depth += lines[j].matches('{').count() as i32;
                    depth -= lines[j].matches('}').count() as i32;
                    j += 1;
                    if depth <= 0 {
                        break;
                    }
                }
                i = j;
                continue;
            }
        }
        if trimmed.starts_with("//") || trimmed.starts_with("*") || trimmed.starts_with("/*") {
            i += 1;
            continue;
        }
        let code = lines[i];
        let mut push = |what: &'static str| {
            found.push(Finding {
                file: path.to_string(),
                line: i + 1,
                what,
                text: code.trim().to_string(),
            })
        };
        if path != LIKE_HOME && has_like_word(code) {
            push("SQL LIKE outside store::like_pattern/like_clause");
        }
        if path != WRITER_HOME {
            if WRITER_CALLS.iter().any(|call| code.contains(call)) {
                push("cell or CSV write outside sheets::safe");
            } else if has_generic_cell_write(code) {
                push("generic worksheet write outside sheets::safe");
            }
        }
        i += 1;
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !matches!(name.as_ref(), "target" | "node_modules" | "gen" | ".git") {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

fn src_tauri() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_like_and_every_spreadsheet_write_goes_through_the_helpers() {
    let root = src_tauri();
    let mut files = Vec::new();
    rust_files(&root.join("crates"), &mut files);
    rust_files(&root.join("src"), &mut files);
    let mut scanned = 0;
    let mut findings = Vec::new();
    for file in &files {
        let rel = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if is_test_file(&rel) {
            continue;
        }
        let source = std::fs::read_to_string(file).unwrap();
        scanned += 1;
        findings.extend(scan(&rel, &source));
    }
    assert!(
        scanned > 100,
        "the workspace's sources were found ({scanned} files)"
    );
    // The helpers themselves are where the calls are.
    let list = std::fs::read_to_string(root.join(LIKE_HOME)).unwrap();
    assert!(list.contains("pub fn like_pattern") && has_like_word(&list));
    let safe = std::fs::read_to_string(root.join(WRITER_HOME)).unwrap();
    assert!(safe.contains(".write_string(") && safe.contains("csv::WriterBuilder"));
    let report: Vec<String> = findings
        .iter()
        .map(|f| format!("src-tauri/{}:{}: {}: {}", f.file, f.line, f.what, f.text))
        .collect();
    assert!(
        report.is_empty(),
        "text that bypasses the helpers:\n{}",
        report.join("\n")
    );
}

#[test]
fn the_scan_finds_a_bypass_and_ignores_tests_comments_and_other_writes() {
    let source = r#"
//! Searches with LIKE in a comment are fine.
fn search(conn: &Connection, text: &str) {
    conn.prepare("SELECT * FROM party WHERE name LIKE ?1")?;
    let likely = "LIKELY";
    ws.write_string(1, 0, text)?;
    ws.write(2, 0, text)?;
    sink.write(code)?;
    db.write(|tx| insert(tx, a, b))?;
    let mut w = csv::Writer::from_path(p)?;
}

#[cfg(test)]
mod tests {
    fn fixture() {
        conn.execute("DELETE FROM party WHERE name LIKE 'x%'", [])?;
        ws.write_string(0, 0, "header")?;
    }
}
"#;
    let found: Vec<(usize, &str)> = scan("crates/app/src/new_export.rs", source)
        .iter()
        .map(|f| (f.line, f.what))
        .collect();
    assert_eq!(
        found,
        [
            (4, "SQL LIKE outside store::like_pattern/like_clause"),
            (6, "cell or CSV write outside sheets::safe"),
            (7, "generic worksheet write outside sheets::safe"),
            (10, "cell or CSV write outside sheets::safe"),
        ]
    );
    assert!(scan(LIKE_HOME, "format!(\"{c} LIKE ? ESCAPE '\\\\'\")").is_empty());
    assert!(is_test_file("crates/store/src/tests/crash.rs"));
    assert!(is_test_file("crates/app/src/entry_tests.rs"));
    assert!(is_test_file("crates/app/benches/import.rs"));
    assert!(is_test_file("crates/app/src/golden/import.rs"));
    assert!(!is_test_file("crates/app/src/export.rs"));
}
