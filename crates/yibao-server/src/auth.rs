//! `Authorization: Bearer <token>` on every endpoint but the health checks, when the server
//! was started with a token.

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use crate::error::{ApiError, ErrorCode};

/// The token clients must present. Its `Debug` does not show it.
#[derive(Clone)]
pub struct Token(Vec<u8>);

impl Token {
    /// A token from the text of a token file: surrounding white space (the file's final
    /// newline) is not part of it. `None` for an empty token, which would let anyone in.
    pub fn from_file_text(text: &str) -> Option<Token> {
        let token = text.trim();
        (!token.is_empty()).then(|| Token(token.as_bytes().to_vec()))
    }

    /// Whether a presented token is this one, compared in constant time: the time taken
    /// does not depend on where the first differing byte is (`subtle`; only a different
    /// length is told at once, and the length is not the secret).
    fn admits(&self, presented: &[u8]) -> bool {
        bool::from(self.0.as_slice().ct_eq(presented))
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

/// The middleware: passes the request on when no token is configured or the right one is
/// presented, else answers 401 with `WWW-Authenticate: Bearer`.
pub async fn require(State(token): State<Option<Token>>, request: Request, next: Next) -> Response {
    let Some(token) = token else {
        return next.run(request).await;
    };
    let presented = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.as_bytes().strip_prefix(b"Bearer "));
    match presented {
        Some(presented) if token.admits(presented) => next.run(request).await,
        Some(_) => refuse(
            "the bearer token is not the server's",
            "所给的 Bearer 令牌不是本服务的令牌",
        ),
        None => refuse(
            "this endpoint needs `Authorization: Bearer <token>`",
            "此接口需要 `Authorization: Bearer <token>` 请求头",
        ),
    }
}

fn refuse(message: &str, message_zh: &str) -> Response {
    let mut response = ApiError::new(ErrorCode::Unauthorized, message, message_zh).into_response();
    response.headers_mut().insert(
        axum::http::header::WWW_AUTHENTICATE,
        axum::http::HeaderValue::from_static("Bearer"),
    );
    response
}
