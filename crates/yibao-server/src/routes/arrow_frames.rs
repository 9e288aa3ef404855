//! The framing of an Arrow IPC stream checked against the body before the stream is read:
//! each message announces its metadata's length and its body's length, and Arrow's reader
//! makes room for what is announced before it reads; a hostile body of nine bytes could
//! announce hundreds of megabytes. Here every announced length must fit in what is left of
//! the body, so that reading never asks for more memory than the body holds.

/// The marker before a message's metadata length (Arrow IPC's continuation token).
const CONTINUATION: [u8; 4] = [0xff; 4];

/// Whether every message's announced lengths fit in the body; the first that does not, in
/// words. A stream cut short or otherwise malformed is left to Arrow's reader to refuse.
pub fn check(body: &[u8]) -> Result<(), String> {
    let mut at = 0;
    loop {
        let Some(mut prefix) = four(body, at) else {
            return Ok(());
        };
        at += 4;
        if prefix == CONTINUATION {
            let Some(length) = four(body, at) else {
                return Ok(());
            };
            prefix = length;
            at += 4;
        }
        let meta_length = i32::from_le_bytes(prefix);
        if meta_length <= 0 {
            return Ok(());
        }
        let meta_end = fits(body, at, i64::from(meta_length), "metadata")?;
        let Some(meta) = body.get(at..meta_end) else {
            return Ok(());
        };
        let Ok(message) = arrow_ipc::root_as_message(meta) else {
            return Ok(());
        };
        at = fits(body, meta_end, message.bodyLength(), "body")?;
    }
}

/// The four bytes at `at`, if the body holds them.
fn four(body: &[u8], at: usize) -> Option<[u8; 4]> {
    body.get(at..at.checked_add(4)?)?.try_into().ok()
}

/// The end of a part of `length` bytes starting at `at`, if the body holds it.
fn fits(body: &[u8], at: usize, length: i64, part: &str) -> Result<usize, String> {
    let left = body.len().saturating_sub(at);
    usize::try_from(length)
        .ok()
        .filter(|n| *n <= left)
        .map(|n| at + n)
        .ok_or_else(|| {
            format!(
                "a message at byte {at} announces {length} bytes of {part}, but only {left} bytes follow"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn lengths_beyond_the_body_are_refused() {
        // "not " read as a length: 544,501,614 bytes of metadata.
        let refused = check(b"not arrow").unwrap_err();
        assert!(
            refused.contains("announces 544501614 bytes of metadata"),
            "{refused}"
        );
        let mut marked = vec![0xff; 4];
        marked.extend_from_slice(&1000_i32.to_le_bytes());
        marked.extend_from_slice(&[0; 10]);
        assert!(check(&marked).is_err());
        // Empty, the end-of-stream marker, a cut: left to the reader.
        for fine in [&[][..], &[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], &[1, 2]] {
            assert_eq!(check(fine), Ok(()));
        }
    }
}
