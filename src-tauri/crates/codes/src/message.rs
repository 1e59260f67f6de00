//! A user-facing message in both languages.

use serde::Serialize;

/// A message for a person: Chinese first, English second.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub zh: String,
    pub en: String,
}

impl Message {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// `中文（English）`, the form used where only one line of text fits.
    pub fn both(&self) -> String {
        format!("{}（{}）", self.zh, self.en)
    }
}
