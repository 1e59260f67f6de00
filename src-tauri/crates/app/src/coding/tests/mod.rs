//! Coding end to end through `App`: generation in every form, the ledger across restarts and
//! crashes, cancel, void and reprint, imported codes, labels.

mod crash;
mod events;
mod generation;
mod labels;
mod series;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use super::serials::{SeqSeries, may_overlap, random_shapes};
use super::*;
use crate::ErrorCode;
use crate::testkit::{
    GTIN, LOT, assert_contains, batch, code_input as input, coded_product as product, item_product,
    open, set_coding,
};
use crate::{
    CodeEventInput, CodeEventKind, ImportCodesInput, LabelPreviewInput, LabelSheetInput,
    LabelSymbology, ProductInput,
};

fn ymd(y: i32, m: u8, d: u8) -> YearMonthDay {
    YearMonthDay::new(y, m, d).unwrap()
}

/// A data directory with a GS1 一物一码 product and one batch.
fn item_app() -> (tempfile::TempDir, App, i64, i64) {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let (p, b) = item_product(&app);
    (dir, app, p, b)
}

fn generate(app: &App, input: &CodeGenerateInput) -> CodeGenerateSummary {
    app.generate_codes(input, &mut |_| {}).expect("generate")
}

/// The codes of a CSV list, header checked and dropped.
fn read_list(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("code"),
        "the list starts with its header"
    );
    lines.map(str::to_owned).collect()
}

fn serial_of(code: &str) -> String {
    codes::check(code, ymd(2026, 1, 1)).fields["21"].clone()
}
