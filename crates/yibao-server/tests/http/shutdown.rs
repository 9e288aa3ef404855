//! A graceful shutdown: no new connection, and the request in flight finishes.

use std::io::Write;
use std::time::Duration;

use crate::support::{SCENARIO, TestServer, read_answer, test_limits};

#[test]
fn a_request_in_flight_finishes_after_the_signal() {
    let limits = yibao_server::Limits {
        body_timeout: Duration::from_secs(10),
        ..test_limits()
    };
    let mut server = TestServer::with(limits, None);
    let mut in_flight = server.connect();
    let head = format!(
        "POST /v1/settle HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n",
        SCENARIO.len()
    );
    in_flight.write_all(head.as_bytes()).unwrap();
    in_flight.write_all(&SCENARIO.as_bytes()[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    server.shut_down();
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        std::net::TcpStream::connect(server.addr).is_err(),
        "a new connection was accepted after the signal"
    );
    in_flight.write_all(&SCENARIO.as_bytes()[10..]).unwrap();
    let answer = read_answer(&mut in_flight);
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json()["person"], "T-1");
    // Kept alive by the client, the connection is closed after the answer.
    assert_eq!(answer.header("connection"), Some("close"));
    server.wait();
}
