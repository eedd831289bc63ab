//! Validation times: formatting and parsing RFC 3339 (UTC, second precision).

use std::str::FromStr;
use std::time::Duration;

use pki_types::UnixTime;

use crate::error::Error;

/// Formats `t` as `YYYY-MM-DDTHH:MM:SSZ`.
///
/// ```
/// use hybridtrust::{format_time, parse_time};
/// let t = parse_time("2026-06-01T00:00:00Z").unwrap();
/// assert_eq!(format_time(t), "2026-06-01T00:00:00Z");
/// ```
pub fn format_time(t: UnixTime) -> String {
    match der::DateTime::from_unix_duration(Duration::from_secs(t.as_secs())) {
        Ok(dt) => dt.to_string(),
        Err(_) => format!("@{}", t.as_secs()),
    }
}

/// Parses an RFC 3339 UTC time of the form `YYYY-MM-DDTHH:MM:SSZ`
/// (a bare date `YYYY-MM-DD` means midnight UTC).
pub fn parse_time(text: &str) -> Result<UnixTime, Error> {
    let owned;
    let text = if text.len() == 10 {
        owned = format!("{text}T00:00:00Z");
        owned.as_str()
    } else {
        text
    };
    der::DateTime::from_str(text)
        .map(|dt| UnixTime::since_unix_epoch(dt.unix_duration()))
        .map_err(|_| {
            Error::InvalidInput(format!(
                "not an RFC 3339 UTC time (expected YYYY-MM-DDTHH:MM:SSZ): {text:?}"
            ))
        })
}

/// Whole days from `from` until `to` (0 when `to` is not later).
pub(crate) fn days_between(from: UnixTime, to: UnixTime) -> u64 {
    to.as_secs().saturating_sub(from.as_secs()) / 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects_garbage() {
        let t = parse_time("2021-03-31").unwrap();
        assert_eq!(format_time(t), "2021-03-31T00:00:00Z");
        assert!(parse_time("yesterday").is_err());
        assert!(parse_time("2021-13-01T00:00:00Z").is_err());
    }
}
