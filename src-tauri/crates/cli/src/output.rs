//! Printing results: text for people, JSON for scripts.

use serde::Serialize;

pub struct Out {
    json: bool,
}

impl Out {
    pub fn new(json: bool) -> Out {
        Out { json }
    }

    /// Whether `--json` was given.
    pub fn json(&self) -> bool {
        self.json
    }

    /// Prints `value` as JSON, or the text `human` builds.
    pub fn value<T: Serialize>(&self, value: &T, human: impl FnOnce() -> String) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(value)
                    .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
            );
        } else {
            println!("{}", human());
        }
    }

    /// Reports `err` on stderr (or as `{"error": {...}}` on stdout with `--json`) and returns the exit code.
    pub fn error(&self, err: &app::ApiError) -> i32 {
        if self.json {
            let body = serde_json::json!({
                "error": {
                    "code": err.code,
                    "message": format!("{}（{}）", err.message_zh, err.message_en),
                    "messageZh": err.message_zh,
                    "messageEn": err.message_en,
                    "field": err.field,
                }
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&body).unwrap_or_default()
            );
        } else {
            eprintln!("错误：{}\nError: {}", err.message_zh, err.message_en);
        }
        err.exit_code()
    }
}
