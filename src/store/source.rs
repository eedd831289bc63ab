//! Splitting a source's bytes into certificates, by content (PEM or DER), with positions.

use super::finding::FindingKind;
use super::trust_settings::{split_trusted_certificate, TrustSettings};

/// One thing found in a source: a certificate's DER, or a problem, with its position.
pub(crate) struct Item {
    pub index: usize,
    pub line: Option<usize>,
    pub offset: usize,
    pub content: Result<Vec<u8>, (FindingKind, String)>,
    /// The trust settings of a `TRUSTED CERTIFICATE` block (`None`: a plain certificate).
    pub trust: Option<TrustSettings>,
}

/// What a PEM block decoded into: its DER and, for a certificate with
/// OpenSSL trust settings, those settings.
type Decoded = (Vec<u8>, Option<TrustSettings>);

/// Reads one decoded PEM block (its label and DER) into a [`Decoded`], or a problem.
type InterpretBlock<'a> = &'a dyn Fn(&str, Vec<u8>) -> Result<Decoded, (FindingKind, String)>;

/// Longest PEM label read (RFC 7468 labels are a few words): a longer BEGIN
/// line is malformed, so that searching for its END line stays linear.
const MAX_LABEL: usize = 64;

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";

/// True when `bytes` look like PEM text (a BEGIN marker anywhere).
pub(crate) fn looks_like_pem(bytes: &[u8]) -> bool {
    find(bytes, BEGIN, 0).is_some()
}

/// Splits `bytes` into items. PEM when a BEGIN marker is present (text
/// between blocks is ignored), otherwise a single DER certificate.
pub(crate) fn split(bytes: &[u8], max_items: usize) -> Vec<Item> {
    if looks_like_pem(bytes) {
        split_blocks(bytes, max_items, &certificate)
    } else if bytes.first() == Some(&0x30) {
        vec![Item {
            index: 0,
            line: None,
            offset: 0,
            content: Ok(bytes.to_vec()),
            trust: None,
        }]
    } else if bytes.is_empty() {
        Vec::new()
    } else {
        vec![Item {
            index: 0,
            line: None,
            offset: 0,
            content: Err((
                FindingKind::Unparsable,
                "neither PEM text nor a DER certificate".to_string(),
            )),
            trust: None,
        }]
    }
}

/// What one decoded PEM block means to a caller: its DER, or a problem.
pub(crate) type Interpret = fn(&str, Vec<u8>) -> Result<Vec<u8>, (FindingKind, String)>;

/// Splits PEM text into blocks (text between them is ignored) and hands each
/// decoded block's label and DER to `interpret`.
pub(crate) fn split_pem(bytes: &[u8], max_items: usize, interpret: Interpret) -> Vec<Item> {
    split_blocks(bytes, max_items, &|label: &str, der: Vec<u8>| {
        interpret(label, der).map(|der| (der, None))
    })
}

/// [`split_pem`] with an interpretation that may also yield trust settings.
/// Linear in the input: each byte is looked at a bounded number of times.
fn split_blocks(bytes: &[u8], max_items: usize, interpret: InterpretBlock<'_>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut pos = 0;
    let mut line = 1;
    let mut line_counted_to = 0;
    while let Some(start) = find(bytes, BEGIN, pos) {
        if items.len() >= max_items {
            items.push(Item {
                index: items.len(),
                line: None,
                offset: start,
                content: Err((
                    FindingKind::TooLarge,
                    format!("more than {max_items} PEM blocks; the rest of the source is ignored"),
                )),
                trust: None,
            });
            break;
        }
        line += bytes[line_counted_to..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        line_counted_to = start;
        let index = items.len();
        let label_start = start + BEGIN.len();
        // The label ends at the next "-----" on the same line, within MAX_LABEL bytes.
        let label_window = &bytes[..bytes.len().min(label_start + MAX_LABEL + 5)];
        let label_end = match find(label_window, b"-----", label_start) {
            Some(e) if !bytes[label_start..e].contains(&b'\n') => e,
            _ => {
                items.push(problem(index, line, start, "malformed PEM BEGIN line"));
                pos = label_start;
                continue;
            }
        };
        let label = &bytes[label_start..label_end];
        let mut end_marker = END.to_vec();
        end_marker.extend_from_slice(label);
        end_marker.extend_from_slice(b"-----");
        // Search for the END line only up to the next BEGIN: linear in the input.
        let next_begin = find(bytes, BEGIN, label_end).unwrap_or(bytes.len());
        let Some(end_start) = find(&bytes[..next_begin], &end_marker, label_end) else {
            items.push(problem(
                index,
                line,
                start,
                "PEM block without its END line",
            ));
            pos = next_begin;
            continue;
        };
        let block_end = end_start + end_marker.len();
        let (content, trust) = match decode_block(&bytes[start..block_end])
            .and_then(|(label, der)| interpret(&label, der))
        {
            Ok((der, trust)) => (Ok(der), trust),
            Err(e) => (Err(e), None),
        };
        items.push(Item {
            index,
            line: Some(line),
            offset: start,
            content,
            trust,
        });
        pos = block_end;
    }
    items
}

fn problem(index: usize, line: usize, offset: usize, what: &str) -> Item {
    Item {
        index,
        line: Some(line),
        offset,
        content: Err((FindingKind::Unparsable, what.to_string())),
        trust: None,
    }
}

fn decode_block(block: &[u8]) -> Result<(String, Vec<u8>), (FindingKind, String)> {
    match pem_rfc7468::decode_vec(block) {
        Ok((label, der)) => Ok((label.to_string(), der)),
        Err(e) => {
            // Some tools wrap base64 at 76 columns; accept that too.
            let mut decoder = pem_rfc7468::Decoder::new_wrapped(block, 76)
                .map_err(|_| (FindingKind::Unparsable, format!("bad PEM encoding: {e}")))?;
            let mut buf = Vec::new();
            decoder
                .decode_to_end(&mut buf)
                .map_err(|_| (FindingKind::Unparsable, format!("bad PEM encoding: {e}")))?;
            Ok((decoder.type_label().to_string(), buf))
        }
    }
}

/// A certificate block's DER; other labels are not certificates.
fn certificate(label: &str, der: Vec<u8>) -> Result<Decoded, (FindingKind, String)> {
    match label {
        "CERTIFICATE" | "X509 CERTIFICATE" => Ok((der, None)),
        // OpenSSL's trusted-certificate form: the certificate followed by its
        // trust settings; an entry whose settings cannot be read is refused.
        "TRUSTED CERTIFICATE" => split_trusted_certificate(&der)
            .map(|(cert, trust)| (cert, Some(trust)))
            .map_err(|e| {
                (
                    FindingKind::Unparsable,
                    format!("TRUSTED CERTIFICATE block refused: {e}"),
                )
            }),
        other => Err((
            FindingKind::NotACertificate,
            format!("a PEM block labelled {other:?}, not a certificate"),
        )),
    }
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from >= hay.len() || needle.is_empty() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_and_unterminated_blocks_are_problems() {
        let items = split(b"hello world", 10);
        assert_eq!(items.len(), 1);
        assert!(items[0].content.is_err());

        let items = split(b"-----BEGIN CERTIFICATE-----\nAAAA\n", 10);
        assert_eq!(items.len(), 1);
        assert!(
            matches!(&items[0].content, Err((FindingKind::Unparsable, m)) if m.contains("END"))
        );
    }

    #[test]
    fn keys_are_not_certificates_and_lines_are_counted() {
        let text = b"comment\n\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        let items = split(text, 10);
        assert_eq!(items[0].line, Some(3));
        assert!(matches!(
            &items[0].content,
            Err((FindingKind::NotACertificate, _))
        ));
    }

    #[test]
    fn item_limit_is_enforced() {
        let block = b"-----BEGIN X-----\n-----END X-----\n".repeat(5);
        let items = split(&block, 3);
        assert_eq!(items.len(), 4);
        assert!(matches!(&items[3].content, Err((FindingKind::TooLarge, _))));
    }
}
