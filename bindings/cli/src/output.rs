//! Output: human text (colour only on a terminal, honouring NO_COLOR) or one
//! JSON document; errors and exit codes.
//!
//! Everything written passes a last safety net: the library already escapes
//! the certificate strings it puts into text, and the commands escape what
//! they add (file names, a server's error text), but whatever still holds a
//! control, bidi or invisible character is escaped here
//! (`hybridtrust::text`); only the newlines and our own colour codes go
//! through. JSON documents are ASCII only (`\uXXXX` for anything else), so
//! they are safe on a terminal too and decode to the same values.

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

    /// Writes the human text, through the safety net ([`safe_text`]).
    pub fn text(&self, text: &str) {
        self.raw(&safe_text(text, self.color));
    }

    fn raw(&self, text: &str) {
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
        self.raw(&(hybridtrust::text::ascii_json(&text).into_owned() + "\n"));
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
            eprintln!(
                "{prefix}: {}",
                hybridtrust::text::escape_untrusted(&error.message)
            );
        }
    }

    fn color_allowed(&self) -> bool {
        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    }
}

/// The colour codes [`Output::paint`] writes: the only escape sequences
/// human text may carry.
const OWN_COLOURS: [&str; 6] = [
    "\x1b[32;1m",
    "\x1b[31;1m",
    "\x1b[33m",
    "\x1b[1m",
    "\x1b[2m",
    "\x1b[0m",
];

/// `text` with every control, bidi and invisible character escaped except
/// newlines and, when `color` is on, our own colour codes.
pub fn safe_text(text: &str, color: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if color && c == '\x1b' {
            if let Some(code) = OWN_COLOURS.iter().find(|code| rest.starts_with(**code)) {
                out.push_str(code);
                rest = &rest[code.len()..];
                continue;
            }
        }
        let len = c.len_utf8();
        if c == '\n' {
            out.push(c);
        } else {
            out.push_str(&hybridtrust::text::escape_untrusted(&rest[..len]));
        }
        rest = &rest[len..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::safe_text;

    #[test]
    fn the_safety_net_keeps_lines_and_own_colours_only() {
        let text = "\x1b[32;1mTRUSTED\x1b[0m a\u{1b}[2J\r\u{202e}b\n\x1b]0;t\x07";
        assert_eq!(
            safe_text(text, true),
            "\x1b[32;1mTRUSTED\x1b[0m a\\x1b[2J\\r\\u{202e}b\n\\x1b]0;t\\x07"
        );
        assert_eq!(
            safe_text(text, false),
            "\\x1b[32;1mTRUSTED\\x1b[0m a\\x1b[2J\\r\\u{202e}b\n\\x1b]0;t\\x07"
        );
    }
}
