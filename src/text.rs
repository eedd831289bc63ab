//! Text from certificates and peers, made safe to show.
//!
//! Subjects, issuers, CNs, SANs, file names and a peer's error text are
//! chosen by whoever made the certificate or runs the peer. Written raw to a
//! terminal or a log, a control character can clear the screen or move the
//! cursor (`ESC [2J`), a newline can forge a line of the report (`"\n  next
//! step: ..."`), and a bidi control (U+202E) can make `moc.evil` read as
//! `live.com`. Human text therefore shows such characters as escapes:
//! [`escape_untrusted`] is applied where certificate strings enter the
//! library's text (RFC 4514 names, CN labels, name-mismatch details, the
//! `Display` of diagnoses, findings and results), and the CLI applies it
//! once more to everything it writes.
//!
//! JSON stays JSON: [`ascii_json`] turns every non-ASCII character (bidi
//! controls included, which `serde_json` writes raw) and DEL into a `\uXXXX`
//! escape, so a JSON document shown on a terminal cannot attack it either,
//! and it decodes to the same values.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for a character that must not reach a terminal or a log as it is:
/// C0 controls (newline, CR and tab included), DEL, C1 controls, the bidi
/// controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), the other
/// invisible format characters (soft hyphen, zero-width space and joiners,
/// word joiner, BOM, interlinear annotations, tag characters, ...), line and
/// paragraph separators, blank fillers, and every space other than U+0020.
///
/// ```
/// use hybridtrust::text::is_unsafe;
/// assert!(is_unsafe('\u{1b}') && is_unsafe('\n') && is_unsafe('\u{202e}'));
/// assert!(!is_unsafe('a') && !is_unsafe(' ') && !is_unsafe('ü') && !is_unsafe('\\'));
/// ```
pub fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{a0}'
            | '\u{ad}'
            | '\u{34f}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{890}'..='\u{891}'
            | '\u{8e2}'
            | '\u{115f}'..='\u{1160}'
            | '\u{1680}'
            | '\u{17b4}'..='\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{2000}'..='\u{200f}'
            | '\u{2028}'..='\u{202f}'
            | '\u{205f}'..='\u{206f}'
            | '\u{3000}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

/// `text` with every [unsafe](is_unsafe) character written as an escape:
/// `\0`, `\t`, `\n`, `\r`, `\x1b` for the other C0 controls and DEL, and
/// `\u{202e}` for the rest. Borrowed when there is nothing to escape.
///
/// The escapes are for people, not a reversible encoding: a backslash is
/// kept as it is, so escaping twice gives the same text as escaping once
/// (the library and the CLI may both apply it).
///
/// ```
/// use hybridtrust::text::escape_untrusted;
/// assert_eq!(escape_untrusted("CN=evil\u{1b}[2J"), "CN=evil\\x1b[2J");
/// assert_eq!(escape_untrusted("a\n  next step: x"), "a\\n  next step: x");
/// assert_eq!(escape_untrusted("moc.\u{202e}evil"), "moc.\\u{202e}evil");
/// assert_eq!(escape_untrusted("bücher.example"), "bücher.example");
/// let once = escape_untrusted("x\u{0}y");
/// assert_eq!(escape_untrusted(&once), once);
/// ```
pub fn escape_untrusted(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(is_unsafe) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// Like [`escape_untrusted`], but keeps newlines: for whole multi-line
/// reports whose line structure the caller made (each line's untrusted
/// parts must already have been escaped, newlines included).
///
/// ```
/// use hybridtrust::text::escape_untrusted_lines;
/// assert_eq!(escape_untrusted_lines("a\n\u{1b}[2Jb\r\n"), "a\n\\x1b[2Jb\\r\n");
/// ```
pub fn escape_untrusted_lines(text: &str) -> Cow<'_, str> {
    let unsafe_not_newline = |c: char| c != '\n' && is_unsafe(c);
    let Some(first) = text.find(unsafe_not_newline) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if c == '\n' {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    Cow::Owned(out)
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\0' => out.push_str("\\0"),
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\u{1}'..='\u{1f}' | '\u{7f}' => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if is_unsafe(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// JSON text with every non-ASCII character and DEL written as a `\uXXXX`
/// escape (a surrogate pair above U+FFFF). Outside strings JSON is ASCII, so
/// only string contents change, and the document decodes to the same
/// values. Borrowed when the text is ASCII without DEL already.
///
/// ```
/// use hybridtrust::text::ascii_json;
/// let json = serde_json::to_string("moc.\u{202e}evil \u{1F600}\u{7f}").unwrap();
/// let ascii = ascii_json(&json);
/// assert_eq!(ascii, r#""moc.\u202eevil \ud83d\ude00\u007f""#);
/// assert_eq!(serde_json::from_str::<String>(&ascii).unwrap(), "moc.\u{202e}evil \u{1F600}\u{7f}");
/// ```
pub fn ascii_json(json: &str) -> Cow<'_, str> {
    let needs = |c: char| !c.is_ascii() || c == '\u{7f}';
    let Some(first) = json.find(needs) else {
        return Cow::Borrowed(json);
    };
    let mut out = String::with_capacity(json.len() + 16);
    out.push_str(&json[..first]);
    for c in json[first..].chars() {
        if needs(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_bidi_and_format_character_is_escaped() {
        let dangerous = [
            '\0',
            '\u{7}',
            '\u{8}',
            '\t',
            '\n',
            '\u{b}',
            '\u{c}',
            '\r',
            '\u{1b}',
            '\u{7f}',
            '\u{80}',
            '\u{85}',
            '\u{9b}',
            '\u{9f}',
            '\u{a0}',
            '\u{ad}',
            '\u{61c}',
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{200e}',
            '\u{200f}',
            '\u{2028}',
            '\u{2029}',
            '\u{202a}',
            '\u{202b}',
            '\u{202c}',
            '\u{202d}',
            '\u{202e}',
            '\u{2060}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{feff}',
            '\u{e0041}',
            '\u{3000}',
        ];
        for c in dangerous {
            let s = format!("a{c}b");
            let e = escape_untrusted(&s);
            assert!(!e.chars().any(is_unsafe), "{c:?} -> {e:?}");
            assert!(e.starts_with("a\\") && e.ends_with('b'), "{c:?} -> {e:?}");
            assert!(e.is_ascii(), "{c:?} -> {e:?}");
        }
        for c in ['a', ' ', '~', '\\', 'ü', 'é', 'ｃ', '。', '日', '\u{1F600}'] {
            assert!(!is_unsafe(c), "{c:?}");
        }
        assert_eq!(escape_untrusted("\u{9b}31m"), "\\u{9b}31m");
    }

    #[test]
    fn escaping_is_idempotent_and_borrows_clean_text() {
        assert!(matches!(
            escape_untrusted("callservice.webex.com"),
            Cow::Borrowed(_)
        ));
        for s in ["\u{1b}[2J", "x\ny\r", "\u{202e}\u{0}", "\\x1b"] {
            let once = escape_untrusted(s).into_owned();
            assert_eq!(escape_untrusted(&once), once);
        }
    }

    #[test]
    fn ascii_json_is_ascii_and_round_trips() {
        let v = serde_json::json!({ "cn": "e\u{1b}[2J\n\u{202e}x\u{7f}ｃ\u{10ffff}" });
        let raw = serde_json::to_string_pretty(&v).unwrap();
        let ascii = ascii_json(&raw);
        assert!(ascii
            .bytes()
            .all(|b| b.is_ascii() && b != 0x7f && b != 0x1b));
        let back: serde_json::Value = serde_json::from_str(&ascii).unwrap();
        assert_eq!(back, v);
    }
}
