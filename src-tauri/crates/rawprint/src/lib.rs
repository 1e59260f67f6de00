//! Raw printing: a job made elsewhere (ZPL, TSPL, or a PDF for a driver that takes PDF) goes to
//! an operating-system printer byte for byte, with no driver rendering in between.
//!
//! - Linux and macOS: CUPS. Printers are listed with `lpstat -e` and a job is queued with
//!   `lp -d QUEUE -o raw -t TITLE FILE`; `CUPS_SERVER` in the environment picks the server as
//!   for any CUPS client. The command-line clients are used rather than libcups so nothing
//!   links against CUPS and a machine without it gets a clear message instead of a load error.
//! - Windows: the print spooler in RAW mode (winspool.drv through `windows-sys`, module
//!   `windows`). That module is compiled only for Windows and has not been compiled or run on
//!   the Linux machines this crate is tested on.
//!
//! This crate reads and writes nothing of the app's: the caller passes a file.

use std::path::Path;

#[cfg(not(windows))]
mod cups;
#[cfg(windows)]
mod windows;

/// Why a printer could not be listed or sent to. Each has a Chinese and an English message that
/// names the printer and says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    /// The CUPS command-line tools are not installed.
    #[error(
        "the CUPS command {command} was not found: install CUPS (Debian/Ubuntu: sudo apt install cups; macOS has it)"
    )]
    CupsMissing { command: &'static str },
    /// The CUPS scheduler does not answer.
    #[error(
        "the CUPS scheduler is not running: start it (sudo systemctl start cups) and try again ({detail})"
    )]
    SchedulerDown { detail: String },
    /// No printer (queue) of that name.
    #[error(
        "there is no printer named \"{queue}\"; printers here: {known}. Add it in the system's printer settings (CUPS: lpadmin or http://localhost:631) or pick another"
    )]
    UnknownQueue { queue: String, known: String },
    /// The system refused the job or the listing.
    #[error("printer \"{queue}\": {detail}")]
    Failed { queue: String, detail: String },
}

impl PrintError {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            PrintError::CupsMissing { command } => format!(
                "找不到 CUPS 打印命令 {command}：请安装 CUPS（Debian/Ubuntu：sudo apt install cups；macOS 自带）"
            ),
            PrintError::SchedulerDown { detail } => format!(
                "CUPS 打印服务没有运行：请启动（sudo systemctl start cups）后重试（{detail}）"
            ),
            PrintError::UnknownQueue { queue, known } => format!(
                "没有名为“{queue}”的打印机；本机打印机：{known}。请在系统打印机设置中添加（CUPS：lpadmin 或 http://localhost:631），或选择其他打印机"
            ),
            PrintError::Failed { queue, detail } => format!("打印机“{queue}”：{detail}"),
        }
    }
}

/// Where jobs go: this computer's printers, or on CUPS systems the printers of a given CUPS
/// server (`host[:port]` or the path of its socket, as for `lp -h`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spooler {
    cups_server: Option<String>,
}

impl Spooler {
    /// This computer's printers (CUPS: the server of the environment or its client.conf).
    pub fn system() -> Spooler {
        Spooler::default()
    }

    /// The printers of one CUPS server (ignored on Windows).
    pub fn cups_server(server: impl Into<String>) -> Spooler {
        Spooler {
            cups_server: Some(server.into()),
        }
    }

    /// The printers (CUPS queues, Windows printers) jobs can be sent to, by name.
    pub fn printers(&self) -> Result<Vec<String>, PrintError> {
        #[cfg(not(windows))]
        {
            cups::printers(self.cups_server.as_deref())
        }
        #[cfg(windows)]
        {
            windows::printers()
        }
    }

    /// Sends the file at `path` to `printer`; `title` names the job in the queue. `raw`:
    /// unchanged (ZPL, TSPL); otherwise through the printer's driver (a PDF, on CUPS only).
    /// Returns what the system said about the job (CUPS: `request id is …`).
    pub fn send(
        &self,
        printer: &str,
        path: &Path,
        title: &str,
        raw: bool,
    ) -> Result<String, PrintError> {
        #[cfg(not(windows))]
        {
            cups::send(self.cups_server.as_deref(), printer, path, title, raw)
        }
        #[cfg(windows)]
        {
            if !raw {
                return Err(PrintError::Failed {
                    queue: printer.to_owned(),
                    detail: "a PDF goes through the printer's driver: open the file and print it \
                             (the label size set as the paper size) / PDF 请用阅读器打开后选择该打印机打印（纸张设为标签尺寸）"
                        .to_owned(),
                });
            }
            windows::send_raw(printer, path, title)
        }
    }
}

/// [`Spooler::printers`] of this computer.
pub fn printers() -> Result<Vec<String>, PrintError> {
    Spooler::system().printers()
}

/// [`Spooler::send`] on this computer.
pub fn send(printer: &str, path: &Path, title: &str, raw: bool) -> Result<String, PrintError> {
    Spooler::system().send(printer, path, title, raw)
}

/// The command line that [`send`] runs on CUPS systems, for showing and testing.
pub fn lp_command(printer: &str, path: &Path, title: &str, raw: bool) -> Vec<String> {
    let mut args = vec!["lp".to_owned(), "-d".to_owned(), printer.to_owned()];
    if raw {
        args.extend(["-o".to_owned(), "raw".to_owned()]);
    }
    args.extend([
        "-t".to_owned(),
        title.to_owned(),
        "--".to_owned(),
        path.display().to_string(),
    ]);
    args
}

/// "a, b, c", or "(none)" / "（无）".
fn known_list(names: &[String]) -> String {
    if names.is_empty() {
        "(none / 无)".to_owned()
    } else {
        names.join(", ")
    }
}

#[cfg(all(not(windows), any(test, feature = "test-cups")))]
pub mod testing;
#[cfg(all(test, not(windows)))]
mod tests;
