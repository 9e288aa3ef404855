//! The one error body of every endpoint: `{"error": {"code", "message", "message_zh",
//! "path"}}`, with the status that says whose fault it is (4xx: the request's, 5xx: the
//! server's). The message is said in English and in Chinese (`message_zh`, the words the
//! CLI prints with `--lang zh`): a client shows its user the one it wants.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// What went wrong, as a stable machine word (`code` in the body, `kind` in the metrics).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not a scenario (syntax, an unknown field, a bad value), or the scenario
    /// cannot be settled (a date outside the year, an amount over the limit, …).
    InvalidScenario,
    /// A question's body is not one (syntax, an unknown field, a bad value), or the rules
    /// refuse it (a payment outside the window, an unknown category, …).
    InvalidQuestion,
    /// A query parameter or a path segment has no meaning here.
    InvalidParameter,
    /// An Arrow claims table cannot be read as the batch's (not an Arrow IPC stream, a
    /// missing or ill-typed column).
    InvalidTable,
    /// No book for that jurisdiction and year.
    UnknownBook,
    /// The body is longer than the server takes.
    BodyTooLarge,
    /// A batch holds more persons than the server settles in one request.
    TooManyPersons,
    /// The body did not arrive in time (a slow client).
    BodyTimeout,
    /// The body could not be read (the client went away, a broken chunk).
    BodyUnreadable,
    /// No or a wrong `Authorization: Bearer` token.
    Unauthorized,
    /// No such endpoint.
    NotFound,
    /// The endpoint exists for another method.
    MethodNotAllowed,
    /// Every worker is busy: the request was refused at once, try again later.
    Overloaded,
    /// The answer took longer than the per-request time.
    Timeout,
    /// A fault of the server (never expected; logged with the request id).
    Internal,
}

impl ErrorCode {
    /// The HTTP status of the error.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::InvalidScenario | ErrorCode::InvalidQuestion | ErrorCode::InvalidTable => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ErrorCode::InvalidParameter | ErrorCode::BodyUnreadable => StatusCode::BAD_REQUEST,
            ErrorCode::UnknownBook | ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::BodyTooLarge | ErrorCode::TooManyPersons => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The code as written in the body and the metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidScenario => "invalid_scenario",
            ErrorCode::InvalidQuestion => "invalid_question",
            ErrorCode::InvalidParameter => "invalid_parameter",
            ErrorCode::InvalidTable => "invalid_table",
            ErrorCode::UnknownBook => "unknown_book",
            ErrorCode::BodyTooLarge => "body_too_large",
            ErrorCode::TooManyPersons => "too_many_persons",
            ErrorCode::BodyTimeout => "body_timeout",
            ErrorCode::BodyUnreadable => "body_unreadable",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Overloaded => "overloaded",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Internal => "internal",
        }
    }
}

/// An error answer: its code, the message in both languages (the CLI's own words for the
/// same input) and, for an error in the body, the key path in the scenario
/// (`claims[2].amount`).
#[derive(Clone, Debug)]
pub struct ApiError {
    /// What went wrong.
    pub code: ErrorCode,
    /// In words, with the offending value.
    pub message: String,
    /// The same in Chinese.
    pub message_zh: String,
    /// Where in the request body, when the error is about a part of it.
    pub path: Option<String>,
}

impl ApiError {
    /// An error about the request as a whole (no key path), said `message` in English and
    /// `message_zh` in Chinese.
    pub fn new(
        code: ErrorCode,
        message: impl Into<String>,
        message_zh: impl Into<String>,
    ) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            message_zh: message_zh.into(),
            path: None,
        }
    }

    /// An error of the engine about the request as a whole, in its own two languages.
    pub fn of(code: ErrorCode, error: &(impl yibao::InChinese + ?Sized)) -> ApiError {
        ApiError::new(code, error.to_string(), error.zh())
    }

    /// This error at `path` in the request body (none for the root or a broken syntax).
    pub fn at(mut self, path: &str) -> ApiError {
        // serde_path_to_error writes `.` for the root and `?` where the syntax broke off.
        self.path = (!matches!(path, "" | "." | "?")).then(|| path.to_owned());
        self
    }

    /// This error about a query parameter or a path segment: `name: message`.
    pub fn parameter(self, name: &str) -> ApiError {
        ApiError {
            code: ErrorCode::InvalidParameter,
            message: format!("{name}: {}", self.message),
            message_zh: format!("{name}：{}", self.message_zh),
            path: None,
        }
    }
}

#[derive(Serialize)]
struct Body<'e> {
    error: Inner<'e>,
}

#[derive(Serialize)]
struct Inner<'e> {
    code: ErrorCode,
    message: &'e str,
    message_zh: &'e str,
    path: Option<&'e str>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Inner {
                code: self.code,
                message: &self.message,
                message_zh: &self.message_zh,
                path: self.path.as_deref(),
            },
        };
        // A struct of strings always serialises; the fallback keeps the status anyway.
        let mut text = serde_json::to_vec(&body).unwrap_or_default();
        text.push(b'\n');
        let mut response = (
            self.code.status(),
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            text,
        )
            .into_response();
        // The metrics count errors by kind from here.
        response.extensions_mut().insert(self.code);
        response
    }
}
