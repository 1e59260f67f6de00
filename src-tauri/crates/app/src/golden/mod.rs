//! Goldens: what Rust answers the UI, recorded for the screens' tests to replay
//! (`ui/src/api/golden/<scenario>.json`, read by `ui/src/api/replay.ts`).
//!
//! A scenario opens a real [`App`] in a temporary folder (real SQLite; the built-in practice
//! platform on 127.0.0.1 where it submits) and calls it by Tauri command name with the JSON
//! arguments exactly as `ui/src/api/commands.ts` sends them ([`dispatch`]). Each exchange is
//! recorded as `{command, args, ok}` or `{command, args, err}` (an [`ApiError`]), plus
//! `progress` when the command reports over a channel. What changes from run to run is pinned
//! ([`Redact`]): the data folder reads `memory://tracedesk`, today is [`PINNED_TODAY`], time
//! stamps read its 08:00 UTC, durations and the OS name are fixed, so a second run writes
//! the same files and `make test` (the bindings check) fails on a golden that is stale.

mod care;
mod coding;
mod dispatch;
mod entries;
mod import;
mod setup;
mod submission;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use time::{Date, Duration, Month};

use crate::{ApiError, App, Config};
use dispatch::{Files, Progress, dispatch};

/// The day the UI's tests pin their clock to (`ui/src/test/setup.ts`).
pub(crate) const PINNED_TODAY: (i32, Month, u8) = (2025, Month::July, 15);

/// What the recorded data folder is called: the UI shows it, so it must not be a temp path.
const DATA_DIR: &str = "memory://tracedesk";

/// Fields that measure this run's speed, never the same twice.
const TIMINGS: [&str; 2] = ["durationMs", "elapsedMs"];

/// One scenario being recorded.
pub(crate) struct Recorder {
    pub app: App,
    pub dir: tempfile::TempDir,
    files: Files,
    runtime: tokio::runtime::Runtime,
    exchanges: Vec<Value>,
    /// Texts to pin besides the data folder, e.g. a platform's port.
    pinned: Vec<(String, String)>,
    platforms: Vec<simulator::RunningSimulator>,
}

impl Recorder {
    /// A fresh, not yet set-up database.
    pub fn new() -> Recorder {
        let dir = tempfile::tempdir().expect("temp dir");
        let app = App::open(Config::in_dir(dir.path())).expect("open app");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        Recorder {
            app,
            dir,
            files: Files::default(),
            runtime,
            exchanges: Vec::new(),
            pinned: Vec::new(),
            platforms: Vec::new(),
        }
    }

    /// A finished set-up (GS1, company prefix 6901234, batch codes, the practice platform), made
    /// directly: the UI never sees these calls.
    pub fn set_up(&mut self) {
        let input = setup::setup_input(
            "6901234",
            "batch",
            json!({ "mode": "practice", "url": "", "appKey": "" }),
        );
        let input: crate::SetupInput = serde_json::from_value(input["input"].clone()).unwrap();
        self.app.complete_setup(&input).expect("set up");
    }

    /// A set-up whose platform is a real one: the simulator on its own port of 127.0.0.1, with
    /// its app key and secret (its address reads `http://127.0.0.1:8443` in the golden).
    pub fn set_up_remote(&mut self) {
        let platform = self
            .runtime
            .block_on(simulator::start(
                simulator::SimulatorConfig::practice(),
                "127.0.0.1:0".parse().unwrap(),
            ))
            .expect("simulator");
        let url = format!("{}/api/v1", platform.url);
        self.pinned
            .push((platform.url.clone(), "http://127.0.0.1:8443".into()));
        let mut input = setup::setup_input(
            "6901234",
            "batch",
            json!({ "mode": "remote", "url": url, "appKey": "practice" }),
        );
        // A real platform requires the enterprise's address.
        input["input"]["enterprise"]["address"] = json!("浙江省宁波市");
        let input: crate::SetupInput = serde_json::from_value(input["input"].clone()).unwrap();
        self.app.complete_setup(&input).expect("set up");
        crate::credentials::save(self.dir.path(), "practice", "practice-secret", false)
            .expect("secret");
        self.platforms.push(platform);
    }

    /// What the main window asks when it opens on 工作台.
    pub fn main_window(&mut self) {
        self.ok("app_status", Value::Null);
        self.ok("dashboard", Value::Null);
        self.ok("backup_status", Value::Null);
        self.ok("auto_backup", Value::Null);
        self.ok("check_update", Value::Null);
    }

    /// The next native file dialog answers `path` (`None`: the clerk cancels).
    #[allow(dead_code)]
    pub fn will_pick(&mut self, path: Option<PathBuf>) {
        self.files.answers.push_back(path);
    }

    /// Runs `command` as the UI calls it: its answer, and what it reported over its channel.
    fn run(
        &mut self,
        command: &str,
        args: &Value,
    ) -> (std::result::Result<Value, ApiError>, Vec<Value>) {
        let progress: Progress = Arc::new(Mutex::new(Vec::new()));
        let result = dispatch(
            &self.app,
            &mut self.files,
            &self.runtime,
            command,
            args,
            &progress,
        );
        let progress = std::mem::take(&mut *progress.lock().unwrap());
        (result, progress)
    }

    /// Calls `command` as the UI does and records the exchange.
    pub fn call(&mut self, command: &str, args: Value) -> std::result::Result<Value, ApiError> {
        let (result, progress) = self.run(command, &args);
        let mut exchange = json!({ "command": command, "args": args });
        match &result {
            Ok(value) => exchange["ok"] = value.clone(),
            Err(e) => exchange["err"] = serde_json::to_value(e).expect("ApiError serialises"),
        }
        if !progress.is_empty() {
            exchange["progress"] = Value::Array(progress);
        }
        self.exchanges.push(exchange);
        result
    }

    /// Calls `command` without recording it: data the screens find already there.
    pub fn quiet(&mut self, command: &str, args: Value) -> Value {
        self.run(command, &args)
            .0
            .unwrap_or_else(|e| panic!("{command} {args} failed: {e:?}"))
    }

    /// [`call`](Self::call) that must succeed.
    pub fn ok(&mut self, command: &str, args: Value) -> Value {
        self.call(command, args.clone())
            .unwrap_or_else(|e| panic!("{command} {args} failed: {e:?}"))
    }

    /// [`call`](Self::call) that must fail.
    pub fn err(&mut self, command: &str, args: Value) -> ApiError {
        match self.call(command, args.clone()) {
            Ok(v) => panic!("{command} {args} answered {v}, expected an error"),
            Err(e) => e,
        }
    }

    /// Writes the scenario into `ui/src/api/golden/NAME.json`.
    pub fn save(self, name: &str) {
        let mut redact = Redact::new(self.dir.path());
        redact.texts = self.pinned.clone();
        let mut value = json!({ "scenario": name, "exchanges": self.exchanges });
        redact.value(&mut value);
        crate::recorded::record_for_ui(&format!("{name}.json"), &value);
    }
}

/// Pins what varies between runs. Hand-written: the patterns are few and fixed, and the crate
/// has no regex dependency.
struct Redact {
    dirs: Vec<String>,
    today: Date,
    pinned: Date,
    texts: Vec<(String, String)>,
}

impl Redact {
    fn new(dir: &Path) -> Redact {
        let mut dirs = vec![dir.display().to_string()];
        if let Ok(real) = dir.canonicalize() {
            dirs.push(real.display().to_string());
        }
        // Longest first, so a canonical path that extends the other is replaced whole.
        dirs.sort_by_key(|d| std::cmp::Reverse(d.len()));
        let (y, m, d) = PINNED_TODAY;
        Redact {
            dirs,
            today: crate::entries::today(),
            pinned: Date::from_calendar_date(y, m, d).expect("pinned date"),
            texts: Vec::new(),
        }
    }

    fn value(&mut self, value: &mut Value) {
        match value {
            Value::String(s) => *s = self.text(s),
            Value::Array(items) => items.iter_mut().for_each(|v| self.value(v)),
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    if key == "os" && v.is_string() {
                        // The recording machine's OS (About): the machines differ.
                        *v = json!("Windows 10 (19045) [64-bit], x86_64");
                    } else if TIMINGS.contains(&key.as_str()) && v.is_number() {
                        // How long a step took on this machine: pinned.
                        *v = json!(12);
                    } else {
                        self.value(v);
                    }
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, s: &str) -> String {
        let mut s = s.to_string();
        for dir in &self.dirs {
            s = s.replace(dir.as_str(), DATA_DIR);
        }
        for (from, to) in &self.texts {
            s = s.replace(from.as_str(), to);
        }
        self.dates(&s)
    }

    /// `YYYY-MM-DD[T ]HH:MM[:SS[.f…]]` → the pinned stamp; a bare `YYYY-MM-DD` near today
    /// moves with today; `YYYYMMDDTHHMMSS` (file names) → the pinned day's 08:00:00, without the
    /// `-N` a name made twice in one second carries.
    fn dates(&mut self, s: &str) -> String {
        let b = s.as_bytes();
        let digits = |from: usize, n: usize| {
            from + n <= b.len() && b[from..from + n].iter().all(u8::is_ascii_digit)
        };
        let mut out = String::new();
        let mut i = 0;
        while i < b.len() {
            let boundary = i == 0 || !b[i - 1].is_ascii_digit();
            if boundary
                && digits(i, 4)
                && b.get(i + 4) == Some(&b'-')
                && digits(i + 5, 2)
                && b.get(i + 7) == Some(&b'-')
                && digits(i + 8, 2)
                && !digits(i + 10, 1)
            {
                let date = &s[i..i + 10];
                let mut end = i + 10;
                let timed = matches!(b.get(end), Some(b'T' | b' '))
                    && digits(end + 1, 2)
                    && b.get(end + 3) == Some(&b':')
                    && digits(end + 4, 2);
                if timed {
                    end += 6;
                    let seconds = b.get(end) == Some(&b':') && digits(end + 1, 2);
                    if seconds {
                        end += 3;
                    }
                    let mut fraction = 0;
                    if seconds && b.get(end) == Some(&b'.') {
                        end += 1;
                        while digits(end, 1) {
                            end += 1;
                            fraction += 1;
                        }
                    }
                    let sep = b[i + 10] as char;
                    out.push_str(&self.stamp(sep, seconds, fraction));
                } else {
                    out.push_str(&self.day(date));
                }
                i = end;
                continue;
            }
            if boundary && digits(i, 8) && b.get(i + 8) == Some(&b'T') && digits(i + 9, 6) {
                let p = self.pinned;
                out.push_str(&format!(
                    "{:04}{:02}{:02}T080000",
                    p.year(),
                    u8::from(p.month()),
                    p.day()
                ));
                i += 15;
                // A file made in the same second as another gets `-2`, `-3` … before its
                // extension; whether that happens depends on the machine's speed, so it goes too.
                let mut j = i;
                if b.get(j) == Some(&b'-') {
                    j += 1;
                    while digits(j, 1) {
                        j += 1;
                    }
                    if j > i + 1 && b.get(j) == Some(&b'.') {
                        i = j;
                    }
                }
                continue;
            }
            let ch = s[i..].chars().next().expect("char");
            out.push(ch);
            i += ch.len_utf8();
        }
        out
    }

    fn day(&self, text: &str) -> String {
        let Some(date) = crate::entries::parse_date(text) else {
            return text.to_string();
        };
        if (date - self.today).abs() > Duration::days(400) {
            return text.to_string();
        }
        crate::entries::iso(date + (self.pinned - self.today))
    }

    /// Every time stamp reads the pinned day's 08:00 (UTC), in the shape it had. Not numbered:
    /// whether two records got the same millisecond differs from run to run.
    fn stamp(&self, sep: char, seconds: bool, fraction: usize) -> String {
        let p = self.pinned;
        let mut out = format!(
            "{:04}-{:02}-{:02}{sep}08:00",
            p.year(),
            u8::from(p.month()),
            p.day()
        );
        if seconds {
            out.push_str(":00");
        }
        if fraction > 0 {
            // RFC 3339 drops trailing zeros, so the number of digits varies too.
            out.push_str(".000");
        }
        out
    }
}

#[cfg(test)]
mod checks {
    use std::collections::BTreeSet;

    /// src-tauri/src/commands.rs and its sub-modules (src-tauri/src/commands/*.rs), one text.
    fn commands_rs() -> String {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src");
        let mut text =
            std::fs::read_to_string(src.join("commands.rs")).expect("src-tauri/src/commands.rs");
        let mut modules: Vec<_> = std::fs::read_dir(src.join("commands"))
            .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        modules.sort();
        for module in modules
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        {
            text.push_str(&std::fs::read_to_string(module).expect("a commands module"));
        }
        text
    }

    /// The `fn` names of src-tauri/src/commands.rs, read as text (the desktop crate depends on
    /// Tauri and cannot be built here).
    fn tauri_commands() -> BTreeSet<String> {
        commands_rs()
            .lines()
            .filter_map(|l| {
                let l = l.trim_start();
                let rest = l
                    .strip_prefix("pub async fn ")
                    .or_else(|| l.strip_prefix("pub fn "))?;
                Some(rest.split(['(', '<']).next()?.to_string())
            })
            .collect()
    }

    #[test]
    fn golden_every_recorded_command_is_a_tauri_command() {
        let known = tauri_commands();
        assert!(
            known.contains("app_status") && known.len() > 50,
            "{known:?}"
        );
        let folder =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/api/golden");
        let mut seen = 0;
        for entry in std::fs::read_dir(&folder).expect("golden folder") {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            let Some(exchanges) = value.get("exchanges").and_then(|e| e.as_array()) else {
                continue;
            };
            for exchange in exchanges {
                let command = exchange["command"].as_str().unwrap();
                assert!(
                    known.contains(command),
                    "{}: `{command}` is not a command of src-tauri/src/commands.rs",
                    path.display()
                );
                seen += 1;
            }
        }
        assert!(seen > 0, "no golden scenario found in {}", folder.display());
    }

    #[test]
    fn golden_redaction_pins_time_stamps_and_moves_dates_with_today() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = super::Redact::new(dir.path());
        let today = crate::entries::iso(r.today);
        let text = format!(
            "{}/x {today}T10:11:12.345Z {today} 10:00 {today}T10:11:12.345Z 2020-01-02 20261207T171006.xlsx 20261207T171006-2.tspl 12025-01-01",
            dir.path().display()
        );
        assert_eq!(
            r.text(&text),
            "memory://tracedesk/x 2025-07-15T08:00:00.000Z 2025-07-15 08:00 2025-07-15T08:00:00.000Z 2020-01-02 20250715T080000.xlsx 20250715T080000.tspl 12025-01-01"
        );
    }
}
