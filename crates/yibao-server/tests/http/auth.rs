//! With a token, every endpoint but the health checks needs it.

use crate::support::{SCENARIO, TestServer, test_limits};

const TOKEN: &str = "s3cret-token\n";

#[test]
fn every_endpoint_but_the_health_checks_needs_the_token() {
    let server = TestServer::with(test_limits(), Some(TOKEN));
    for path in ["/healthz", "/readyz"] {
        assert_eq!(server.get(path, "").status, 200, "{path}");
    }
    let wrong = [
        "",
        "Authorization: Bearer wrong\r\n",
        "Authorization: Bearer s3cret-toke\r\n",
        "Authorization: Bearer s3cret-token2\r\n",
        "Authorization: Basic s3cret-token\r\n",
        "Authorization: s3cret-token\r\n",
    ];
    for path in [
        "/v1/policies",
        "/v1/policies/huaian/2026",
        "/v1/openapi.json",
        "/metrics",
    ] {
        for header in wrong {
            let answer = server.get(path, header);
            assert_eq!(answer.status, 401, "{path} {header}");
            assert_eq!(answer.error_code(), "unauthorized");
            assert_eq!(answer.header("www-authenticate"), Some("Bearer"));
        }
        let answer = server.get(path, "Authorization: Bearer s3cret-token\r\n");
        assert_eq!(answer.status, 200, "{path}");
    }
    let refused = server.post("/v1/settle", SCENARIO.as_bytes());
    assert_eq!(refused.status, 401);
    let settled = server.post_with(
        "/v1/settle",
        "Authorization: Bearer s3cret-token\r\n",
        SCENARIO.as_bytes(),
    );
    assert_eq!(settled.status, 200, "{}", settled.text());
}

#[test]
fn an_empty_token_is_no_token() {
    assert!(yibao_server::Token::from_file_text(" \n").is_none());
    let token = yibao_server::Token::from_file_text("abc\n").unwrap();
    assert_eq!(format!("{token:?}"), "Token(…)");
}
