//! Output: human text (colour only on a terminal, honouring NO_COLOR) or one
//! JSON document; errors and exit codes.

use std::fmt;
use std::io::{IsTerminal, Write};

use serde_json::{json, Map, Value};

/// The JSON schema identifier; bump on incompatible changes.
pub const SCHEMA: &str = "hybridtrust/1";

/// Exit code: trusted / no error finding.
pub const EXIT_OK: u8 = 0;
/// Exit code: not trusted, or findings of error severity.
pub const EXIT_NOT_TRUSTED: u8 = 1;
/// Exit code: usage error (clap uses it for bad arguments too).
pub const EXIT_USAGE: u8 = 2;
/// Exit code: unreadable input, unreachable endpoint, I/O failure.
pub const EXIT_INPUT: u8 = 3;

/// An error that stops a command before it can give a verdict.
#[derive(Debug)]
pub struct CliError {
    kind: &'static str,
    message: String,
    code: u8,
}

impl CliError {
    /// A bad combination or value of arguments (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            kind: "usage",
            message: message.into(),
            code: EXIT_USAGE,
        }
    }
    /// An input that cannot be used (exit 3).
    pub fn input(message: impl Into<String>) -> Self {
        Self {
            kind: "input",
            message: message.into(),
            code: EXIT_INPUT,
        }
    }
    /// A network or file-system failure (exit 3).
    pub fn io(message: impl Into<String>) -> Self {
        Self {
            kind: "io",
            message: message.into(),
            code: EXIT_INPUT,
        }
    }
    /// The exit code.
    pub fn exit_code(&self) -> u8 {
        self.code
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Text styles, applied only when colour is on.
#[derive(Clone, Copy)]
pub enum Style {
    Good,
    Bad,
    Warn,
    Bold,
    Dim,
}

/// Where and how results are written.
pub struct Output {
    json: bool,
    color: bool,
    progress: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            json,
            color: !json && !no_color && std::io::stdout().is_terminal(),
            progress: std::io::stderr().is_terminal(),
        }
    }

    pub fn json(&self) -> bool {
        self.json
    }
    /// True when progress may be shown (stderr is a terminal).
    pub fn progress(&self) -> bool {
        self.progress
    }

    /// `text` in `style` when colour is on.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match style {
            Style::Good => "32;1",
            Style::Bad => "31;1",
            Style::Warn => "33",
            Style::Bold => "1",
            Style::Dim => "2",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// Writes the human text.
    pub fn text(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    }

    /// Writes the JSON document: the envelope fields, then `body`'s fields.
    pub fn document(&self, command: &str, status: &str, exit_code: u8, body: Value) {
        let mut map = Map::new();
        map.insert("schema".into(), json!(SCHEMA));
        map.insert("command".into(), json!(command));
        map.insert("status".into(), json!(status));
        map.insert("exit_code".into(), json!(exit_code));
        if let Value::Object(fields) = body {
            map.extend(fields);
        }
        let text =
            serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_else(|_| "{}".into());
        self.text(&(text + "\n"));
    }

    /// Reports an error that stopped `command`.
    pub fn error(&self, command: &str, error: &CliError) {
        if self.json {
            self.document(
                command,
                "error",
                error.code,
                json!({ "error": { "kind": error.kind, "message": error.message } }),
            );
        } else {
            let prefix = if std::io::stderr().is_terminal() && self.color_allowed() {
                "\x1b[31;1merror\x1b[0m"
            } else {
                "error"
            };
            eprintln!("{prefix}: {}", error.message);
        }
    }

    fn color_allowed(&self) -> bool {
        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    }
}
