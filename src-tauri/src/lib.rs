//! tracedesk's desktop shell: the only crate that depends on Tauri, and nothing depends on it.
//!
//! It opens the window, wires the plugins (one instance, remembered window size and position,
//! native file pickers opened from Rust, files opened with the system's program) and exposes
//! [`commands`], each a one-liner over `app::App`. Logic does not live here: `app` holds it, where
//! the CLI and the tests reach it without WebKit. [`files`] is the one thing the shell adds: the
//! webview never names a path (native dialogs hand it one-time tokens), and only files inside the
//! data directory's folders are opened.

mod commands;
mod files;
mod state;
mod updates;

use tauri::Manager;
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

use crate::state::{AppState, StartupError};

/// Runs the app until its last window closes. Exits with status 1, after telling the user in a
/// native dialog, if the data cannot be opened.
pub fn run() {
    // The log (logs/ in the data directory) records the start now and the stop when this drops.
    let _log = app::init_logging(&app::default_data_dir(), "desktop").ok();
    let result = tauri::Builder::default()
        // Registered first, as the plugin asks: a second launch focuses the running window instead
        // of opening the same database twice.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            focus_main_window(app)
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        // Both used from Rust only: the webview's capability grants none of their commands.
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        // Used from Rust only (see `updates`): the webview's capability grants none of its commands.
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(updates::Updates::default())
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                files::on_drop(window, paths);
            }
        })
        .setup(|tauri_app| {
            match AppState::open() {
                Ok(state) => {
                    tauri_app.manage(files::Files::new(state.app.config().data_dir.clone()));
                    tauri_app.manage(state);
                }
                Err(error) => exit_with_dialog(tauri_app.handle(), &error),
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::check_uscc,
            commands::complete_setup,
            commands::check_enterprise,
            commands::save_enterprise,
            commands::set_language,
            commands::db_check,
            commands::pick_open_file,
            commands::pick_open_files,
            commands::pick_save_file,
            commands::open_file,
            commands::backup_database,
            commands::list_backups,
            commands::auto_backup,
            commands::backup_status,
            commands::set_auto_backup,
            commands::about_info,
            commands::export_diagnostics,
            commands::open_data_folder,
            commands::restore_database,
            commands::restore_backup,
            commands::submission_checklist,
            commands::submit_records,
            commands::cancel_submission,
            commands::list_outbox,
            commands::retry_rejected,
            commands::open_correction,
            commands::list_archive,
            commands::archive_entry,
            commands::verify_archive,
            commands::export_submission_report,
            commands::export_evidence_pack,
            commands::export_epcis,
            commands::export_upload_workbook,
            commands::credential_status,
            commands::save_platform_secret,
            commands::test_platform,
            commands::check_code,
            commands::coding_products,
            commands::save_product_coding,
            commands::coding_batches,
            commands::preview_codes,
            commands::generate_codes,
            commands::cancel_generation,
            commands::code_allocations,
            commands::export_allocation,
            commands::void_code,
            commands::reprint_code,
            commands::code_events,
            commands::import_issued_codes,
            commands::label_preview,
            commands::label_sheet,
            commands::printer_profiles,
            commands::save_printer_profile,
            commands::delete_printer_profile,
            commands::os_printers,
            commands::print_labels,
            commands::print_test_label,
            commands::export_label_data,
            commands::product_catalogue,
            commands::catalogues::catalogue_versions,
            commands::catalogues::preview_catalogue,
            commands::catalogues::install_catalogue,
            commands::catalogues::revert_catalogue,
            commands::list_products,
            commands::get_product,
            commands::check_product,
            commands::add_product,
            commands::update_product,
            commands::check_gtin,
            commands::suggest_gtin,
            commands::list_parties,
            commands::get_party,
            commands::check_party,
            commands::add_party,
            commands::update_party,
            commands::entry_hints,
            commands::list_receipts,
            commands::get_receipt,
            commands::check_receipt,
            commands::add_receipt,
            commands::update_receipt,
            commands::search_lots,
            commands::list_batches,
            commands::get_batch,
            commands::check_batch,
            commands::add_batch,
            commands::update_batch,
            commands::suggest_lot,
            commands::search_batches,
            commands::list_shipments,
            commands::get_shipment,
            commands::check_shipment,
            commands::add_shipment,
            commands::update_shipment,
            commands::suggest_delivery_note,
            commands::add_attachments,
            commands::record_history,
            commands::scan_code,
            commands::trace,
            commands::trace_ref,
            commands::recall,
            commands::recall_drills,
            commands::dashboard,
            commands::export_list,
            commands::export_trace,
            commands::export_recall,
            commands::import_open,
            commands::import_preview,
            commands::import_read,
            commands::import_recheck,
            commands::import_rows,
            commands::import_fix_row,
            commands::import_export_problems,
            commands::import_commit,
            commands::import_cancel,
            commands::import_close,
            commands::import_runs,
            commands::import_undo,
            commands::import_template,
            commands::check_update,
            commands::download_update,
            commands::install_update,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("追溯通无法启动 / tracedesk cannot start: {error}");
        std::process::exit(1);
    }
}

fn focus_main_window(app: &tauri::AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        // Best effort: a window manager may refuse focus, and there is nothing better to do then.
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Tells the user why the app cannot start, in a native dialog, and exits with status 1 once the
/// dialog is closed. The message also goes to stderr for whoever started the app from a terminal.
///
/// The dialog is shown asynchronously: `setup` runs on the main thread, and a blocking dialog there
/// would wait for the very event loop it blocks.
fn exit_with_dialog(handle: &tauri::AppHandle, error: &StartupError) {
    let message = error.message();
    eprintln!("{}\n{message}", StartupError::TITLE);
    // The window from the config already exists but has no data behind it: show only the dialog.
    if let Some(window) = handle.get_webview_window("main") {
        let _ = window.hide();
    }
    handle
        .dialog()
        .message(message)
        .title(StartupError::TITLE)
        .kind(MessageDialogKind::Error)
        .show(|_| std::process::exit(1));
}
