//! Reading a request body within the server's bounds: at most `Limits::body_bytes`, and
//! whole within `Limits::body_timeout` of the headers (a slow client is answered 408, not
//! waited for).

use axum::body::Body;
use axum::http::HeaderMap;

use crate::error::{ApiError, ErrorCode};
use crate::limits::Limits;

/// The whole body, or why not.
pub async fn read(headers: &HeaderMap, body: Body, limits: &Limits) -> Result<Vec<u8>, ApiError> {
    let too_large = || {
        ApiError::new(
            ErrorCode::BodyTooLarge,
            format!(
                "the request body is longer than {} bytes, the most this server takes",
                limits.body_bytes
            ),
            format!(
                "请求体超过 {} 字节，超出本服务接受的上限",
                limits.body_bytes
            ),
        )
    };
    // A declared length over the limit is refused before a byte is read.
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.body_bytes as u64) {
        return Err(too_large());
    }
    let reading = axum::body::to_bytes(body, limits.body_bytes);
    match tokio::time::timeout(limits.body_timeout, reading).await {
        Err(_elapsed) => Err(ApiError::new(
            ErrorCode::BodyTimeout,
            format!(
                "the request body did not arrive within {} s",
                limits.body_timeout.as_secs_f64()
            ),
            format!("请求体未在 {} 秒内送达", limits.body_timeout.as_secs_f64()),
        )),
        Ok(Ok(bytes)) => Ok(bytes.to_vec()),
        Ok(Err(e)) if is_length_limit(&e) => Err(too_large()),
        Ok(Err(e)) => Err(ApiError::new(
            ErrorCode::BodyUnreadable,
            format!("the request body could not be read: {e}"),
            format!("无法读取请求体：{e}"),
        )),
    }
}

/// Whether reading stopped at the length limit (a chunked body without a length).
fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}
