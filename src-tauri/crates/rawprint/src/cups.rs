//! CUPS through its command-line clients `lpstat` and `lp`.

use std::io::ErrorKind;
use std::path::Path;
use std::process::{Command, Output};

use crate::{PrintError, known_list, lp_command};

fn run(command: &'static str, server: Option<&str>, args: &[String]) -> Result<Output, PrintError> {
    let mut cmd = Command::new(command);
    if let Some(server) = server {
        cmd.arg("-h").arg(server);
    }
    cmd.args(args)
        // Messages in English whatever the desktop's language, so they can be recognised.
        .env("LC_ALL", "C")
        .env("LANG", "C")
        .output()
        .map_err(|e| match e.kind() {
            ErrorKind::NotFound => PrintError::CupsMissing { command },
            _ => PrintError::Failed {
                queue: String::new(),
                detail: format!("{command}: {e}"),
            },
        })
}

fn scheduler_down(stderr: &str) -> bool {
    let s = stderr.to_ascii_lowercase();
    s.contains("scheduler") && (s.contains("not running") || s.contains("not responding"))
        || s.contains("connection refused")
        || s.contains("bad file descriptor")
        || s.contains("no such file or directory")
}

pub(crate) fn printers(server: Option<&str>) -> Result<Vec<String>, PrintError> {
    let out = run("lpstat", server, &["-e".to_owned()])?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    if !out.status.success() {
        if stderr.to_ascii_lowercase().contains("no destinations") {
            return Ok(Vec::new());
        }
        if scheduler_down(&stderr) {
            return Err(PrintError::SchedulerDown { detail: stderr });
        }
        return Err(PrintError::Failed {
            queue: String::new(),
            detail: format!("lpstat -e: {stderr}"),
        });
    }
    let mut names: Vec<String> = stdout
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if names.is_empty() {
        // `lpstat -e` prints nothing, successfully, when the scheduler is down; `lpstat -r`
        // tells the two apart.
        let r = run("lpstat", server, &["-r".to_owned()])?;
        let said = String::from_utf8_lossy(&r.stdout).trim().to_owned();
        if said.contains("not running") {
            return Err(PrintError::SchedulerDown { detail: said });
        }
    }
    names.sort();
    Ok(names)
}

pub(crate) fn send(
    server: Option<&str>,
    printer: &str,
    path: &Path,
    title: &str,
    raw: bool,
) -> Result<String, PrintError> {
    let known = printers(server)?;
    if !known.iter().any(|k| k == printer) {
        return Err(PrintError::UnknownQueue {
            queue: printer.to_owned(),
            known: known_list(&known),
        });
    }
    let args = lp_command(printer, path, title, raw);
    let out = run("lp", server, &args[1..])?;
    let stdout = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    if out.status.success() {
        return Ok(stdout);
    }
    if scheduler_down(&stderr) {
        return Err(PrintError::SchedulerDown { detail: stderr });
    }
    if stderr.contains("does not exist") {
        return Err(PrintError::UnknownQueue {
            queue: printer.to_owned(),
            known: known_list(&known),
        });
    }
    Err(PrintError::Failed {
        queue: printer.to_owned(),
        detail: format!("lp: {stderr}"),
    })
}
