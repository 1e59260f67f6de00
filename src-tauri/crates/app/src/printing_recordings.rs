//! What the 打印 dialog's screen tests replay (`ui/src/api/golden/`): the profiles a new
//! database lists, a job saved as TSPL, the label data for BarTender and a refused profile. The
//! data folder's path is written as `memory://tracedesk`, as the in-memory back end names it.

use std::path::Path;

use crate::recorded::{recording_text, write_recording};
use crate::{
    App, Config, LabelDataExportInput, LabelSymbology, PrintFormat, PrintLabelsInput,
    PrinterProfileDto,
};

const CODES: [&str; 3] = [
    "(01)06901234567892(10)B20250715-1(21)000001",
    "(01)06901234567892(10)B20250715-1(21)000002",
    "(01)06901234567892(10)B20250715-1(21)000003",
];

fn record(name: &str, value: &impl serde::Serialize, dir: &Path) {
    let text = recording_text(value).replace(&dir.display().to_string(), "memory://tracedesk");
    write_recording(name, &text);
}

/// `…-20261207T171006.tspl` → `…-20250715T080000.tspl`.
fn pinned_stamp(path: &str) -> String {
    let (stem, ext) = path.rsplit_once('.').unwrap_or((path, ""));
    let cut = stem.len().saturating_sub("20250715T080000".len());
    assert!(stem[cut..].contains('T'), "{path}");
    format!("{}20250715T080000.{ext}", &stem[..cut])
}

#[test]
fn the_print_dialogs_answers_are_recorded_for_the_ui() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(Config::in_dir(dir.path())).unwrap();

    let profiles = app.printer_profiles().unwrap();
    assert!(profiles.iter().all(|p| p.built_in), "{profiles:?}");
    record("printer-profiles-default.json", &profiles, dir.path());

    let tspl = profiles
        .iter()
        .find(|p| p.language == crate::PrinterLanguageDto::Tspl)
        .unwrap();
    let mut saved = app
        .print_labels(&PrintLabelsInput {
            allocation_id: None,
            input_path: None,
            codes: CODES.iter().map(|c| c.to_string()).collect(),
            symbology: LabelSymbology::Datamatrix,
            profile: tspl.name.clone(),
            custom_profile: None,
            format: Some(PrintFormat::Tspl),
            printer: Some(String::new()),
            path: String::new(),
            font_path: None,
        })
        .unwrap();
    assert_eq!(saved.labels, 3);
    assert_eq!(saved.printer, None, "saved only");
    // The file name carries the time it was written: pinned, so the recording changes only with
    // the shape or the wording.
    saved.path = pinned_stamp(&saved.path);
    record("print-labels-tspl-saved.json", &saved, dir.path());

    let mut data = app
        .export_label_data(&LabelDataExportInput {
            allocation_id: None,
            input_path: None,
            codes: CODES.iter().map(|c| c.to_string()).collect(),
            path: String::new(),
            format: Some(crate::ExportFormat::Xlsx),
        })
        .unwrap();
    assert_eq!(data.rows, 3);
    data.path = pinned_stamp(&data.path);
    record("label-data-export.json", &data, dir.path());

    let refused = app
        .save_printer_profile(&PrinterProfileDto {
            dpi: 600,
            ..tspl.clone()
        })
        .unwrap_err();
    assert_eq!(refused.field.as_deref(), Some("dpi"));
    record("printer-profile-dpi-error.json", &refused, dir.path());
}
