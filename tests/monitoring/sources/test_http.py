"""The HTTP client: rate limits honoured, transient failures retried with back-off, limits."""

from __future__ import annotations

import socket

import pytest

from qalxan.errors import SourceUnavailable
from qalxan.monitoring.sources.egress import Egress
from qalxan.monitoring.sources.http import USER_AGENT, HttpClient, RetryPolicy, parse_moment
from tests.monitoring.recorded_http import RecordedServer, Reply
from tests.monitoring.sources.conftest import FakeTime

JSON = {"Content-Type": "application/json"}
OK = Reply(200, JSON, b"[]")


def test_monitoring_traffic_does_not_name_qalxan_or_its_purpose(server: RecordedServer,
                                                                 http: HttpClient) -> None:
    """Review finding 6: the User-Agent named Qalxan and that it protects defenders, which
    tells a watched platform whom the helpline protects. Requests now look like a common
    browser's and say only what they accept."""
    server.add("GET", "/x", {}, OK)
    http.get(server.base_url + "/x", accept="application/json")
    received = next(server.requested("/x"))
    assert received.headers["user-agent"] == USER_AGENT
    sent = " ".join(f"{k}: {v}" for k, v in received.headers.items()).lower()
    for telling in ("qalxan", "defender", "human rights", "monitor", "python", "httpx"):
        assert telling not in sent
    assert USER_AGENT.startswith("Mozilla/5.0 ")
    assert received.headers["accept"] == "application/json"


def test_an_exhausted_rate_limit_waits_until_its_reset(server: RecordedServer, http: HttpClient,
                                                       fake_time: FakeTime) -> None:
    server.add("GET", "/x", {}, Reply(200, {**JSON, "X-RateLimit-Remaining": "0",
                                            "X-RateLimit-Reset": "2026-03-14T09:05:00.000Z"},
                                      b"[]"))
    http.get(server.base_url + "/x")
    assert fake_time.sleeps == []
    http.get(server.base_url + "/x")
    assert fake_time.sleeps == [300.0]


def test_a_rate_limit_with_requests_left_does_not_wait(server: RecordedServer, http: HttpClient,
                                                       fake_time: FakeTime) -> None:
    server.add("GET", "/x", {}, Reply(200, {**JSON, "X-RateLimit-Remaining": "12",
                                            "X-RateLimit-Reset": "2026-03-14T09:05:00.000Z"},
                                      b"[]"))
    for _ in range(3):
        http.get(server.base_url + "/x")
    assert fake_time.sleeps == []


def test_429_waits_as_long_as_retry_after_says(server: RecordedServer, http: HttpClient,
                                               fake_time: FakeTime) -> None:
    server.add("GET", "/x", {}, OK)
    server.script("/x", Reply(429, {"Retry-After": "7"}, b"slow down"))
    response = http.get(server.base_url + "/x")
    assert response.status == 200
    assert fake_time.sleeps == [7.0]
    assert len(list(server.requested("/x"))) == 2


def test_503_with_an_http_date_waits_until_then(server: RecordedServer, http: HttpClient,
                                                fake_time: FakeTime) -> None:
    server.add("GET", "/x", {}, OK)
    server.script("/x", Reply(503, {"Retry-After": "Sat, 14 Mar 2026 09:01:30 GMT"}))
    http.get(server.base_url + "/x")
    assert fake_time.sleeps == [90.0]


def test_429_without_retry_after_waits_for_the_rate_limit_reset(
        server: RecordedServer, http: HttpClient, fake_time: FakeTime) -> None:
    server.add("GET", "/x", {}, OK)
    server.script("/x", Reply(429, {"X-RateLimit-Remaining": "0",
                                    "X-RateLimit-Reset": "2026-03-14T09:00:42Z"}))
    http.get(server.base_url + "/x")
    assert fake_time.sleeps == [42.0]


def test_5xx_is_retried_with_growing_back_off_then_reported(
        server: RecordedServer, http: HttpClient, fake_time: FakeTime) -> None:
    server.script("/x", *[Reply(502, {}, b"bad gateway")] * 4)
    with pytest.raises(SourceUnavailable, match=r"/x: gave up after 4 attempts \(HTTP 502\)"):
        http.get(server.base_url + "/x")
    # Equal jitter at 0.5: three quarters of 1, 2 and 4 seconds.
    assert fake_time.sleeps == [0.75, 1.5, 3.0]
    assert len(list(server.requested("/x"))) == 4


def test_back_off_is_capped_and_jittered() -> None:
    policy = RetryPolicy(backoff=1.0, backoff_cap=10.0)
    assert policy.backoff_delay(10, 0.0) == 5.0
    assert policy.backoff_delay(10, 1.0) == 10.0
    assert policy.backoff_delay(0, 0.0) < policy.backoff_delay(0, 1.0)


def test_a_recovered_server_is_read_after_retries(server: RecordedServer, http: HttpClient,
                                                  fake_time: FakeTime) -> None:
    server.add("GET", "/x", {}, OK)
    server.script("/x", Reply(500), Reply(504))
    assert http.get(server.base_url + "/x").json() == []
    assert fake_time.sleeps == [0.75, 1.5]


def test_connection_errors_are_retried_then_reported(fake_time: FakeTime,
                                                     http: HttpClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(SourceUnavailable, match="gave up after 4 attempts \\(could not connect"):
        http.get(f"http://127.0.0.1:{port}/feed")
    assert len(fake_time.sleeps) == 3


def test_client_errors_are_not_retried(server: RecordedServer, http: HttpClient,
                                       fake_time: FakeTime) -> None:
    with pytest.raises(SourceUnavailable, match="answered HTTP 404"):
        http.get(server.base_url + "/missing")
    assert fake_time.sleeps == []


def test_a_wait_longer_than_the_longest_accepted_is_reported(
        server: RecordedServer, http: HttpClient, fake_time: FakeTime) -> None:
    server.script("/x", Reply(429, {"Retry-After": "3600"}))
    with pytest.raises(SourceUnavailable, match="asks to wait 3600 s") as caught:
        http.get(server.base_url + "/x")
    assert caught.value.retry_after == 3600.0
    assert fake_time.sleeps == []


def test_a_response_over_the_size_cap_is_refused(server: RecordedServer,
                                                 fake_time: FakeTime) -> None:
    server.add("GET", "/big", {}, Reply(200, JSON, b"[" + b"1," * 600 + b"1]"))
    with HttpClient(max_bytes=1000, sleep=fake_time.sleep, clock=fake_time.clock,
                    egress=Egress(allow_loopback=True)) as small, \
            pytest.raises(SourceUnavailable, match="more than 1000 bytes"):
        small.get(server.base_url + "/big")


def test_errors_name_host_and_path_but_no_query_or_credentials(server: RecordedServer,
                                                               http: HttpClient) -> None:
    url = server.base_url.replace("http://", "http://me:hunter2@") + "/feed?token=s3cret"
    with pytest.raises(SourceUnavailable) as caught:
        http.get(url)
    assert caught.value.detail == f"{server.base_url}/feed answered HTTP 404"


def test_malformed_json_and_wrong_content_are_refused(server: RecordedServer,
                                                      http: HttpClient) -> None:
    server.add("GET", "/cut", {}, Reply(200, JSON, b'[{"id": "1", '))
    server.add("GET", "/page", {}, Reply(200, {"Content-Type": "text/html"}, b"<html>"))
    with pytest.raises(SourceUnavailable, match="answered malformed JSON"):
        http.get(server.base_url + "/cut").json()
    with pytest.raises(SourceUnavailable, match="answered text/html, not JSON"):
        http.get(server.base_url + "/page").json()


@pytest.mark.parametrize(("value", "seconds"), [
    ("7", 7.0), ("1.5", 1.5), ("2026-03-14T09:01:00Z", 60.0), ("2026-03-14T09:01:00.000Z", 60.0),
    ("Sat, 14 Mar 2026 09:00:30 GMT", 30.0), ("1773478820", 20.0),
    ("2026-03-14T08:00:00Z", 0.0), ("soon", None),
])
def test_times_to_wait_are_read_in_every_form_servers_send(value: str,
                                                           seconds: float | None) -> None:
    assert parse_moment(value, lambda: 1773478800.0) == seconds


def test_redirects_are_followed_but_not_forever(server: RecordedServer,
                                                http: HttpClient) -> None:
    server.add("GET", "/old", {}, Reply(301, {"Location": "/new"}))
    server.add("GET", "/new", {}, OK)
    server.add("GET", "/loop", {}, Reply(302, {"Location": "/loop"}))
    assert http.get(server.base_url + "/old").url == server.base_url + "/new"
    with pytest.raises(SourceUnavailable, match="/loop: too many redirects"):
        http.get(server.base_url + "/loop")


def test_a_slow_server_cannot_hold_the_monitor(server: RecordedServer,
                                               fake_time: FakeTime) -> None:
    """Review finding 10: a server asking for 900 s of Retry-After held the loop that
    long. Waits are capped (a longer one fails the source at once, without sleeping), and
    a fetch's waits and retries end at its deadline."""
    server.script("/slow", Reply(503, {"Retry-After": "900"}))
    with HttpClient(sleep=fake_time.sleep, clock=fake_time.clock,
                    egress=Egress(allow_loopback=True)) as http:
        with pytest.raises(SourceUnavailable, match="asks to wait 900 s"):
            http.get(server.base_url + "/slow")
        assert fake_time.sleeps == []
        server.script("/busy", *[Reply(503, {"Retry-After": "40"})] * 5)
        with http.within(60), pytest.raises(SourceUnavailable, match="deadline"):
            http.get(server.base_url + "/busy")
    assert fake_time.sleeps == [40.0]
