"""The benchmark harness reads wrk's output and its own arguments correctly (no timing is asserted)."""

import pytest

from bench.http_bench import database_url, parse_arguments, parse_duration_ms, parse_wrk

WRK_CLEAN = """Running 10s test @ http://127.0.0.1:41349/api/v1/events/?limit=50
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.31ms    3.02ms  41.20ms   80.11%
    Req/Sec   325.47     21.38   370.00     71.00%
  Latency Distribution
     50%   11.87ms
     75%   13.40ms
     90%   15.92ms
     99%   24.61ms
  6488 requests in 10.01s, 341.93MB read
Requests/sec:    648.13
Transfer/sec:     34.16MB
"""

WRK_WITH_ERRORS = """Running 10s test @ http://127.0.0.1:41349/api/v1/events/
  2 threads and 32 connections
  Latency Distribution
     50%  850.00us
     75%    1.20s
     90%    1.90s
     99%    2.50s
  120 requests in 10.00s, 2.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:     12.00
Transfer/sec:    204.80KB
"""


def test_parse_wrk_reads_rate_latency_percentiles_and_request_count() -> None:
    result = parse_wrk(WRK_CLEAN)
    assert result.requests == 6488
    assert result.requests_per_second == pytest.approx(648.13)
    assert result.p50_ms == pytest.approx(11.87)
    assert result.p99_ms == pytest.approx(24.61)
    assert result.errors == 0


def test_parse_wrk_counts_non_2xx_answers_and_socket_errors_and_converts_units() -> None:
    result = parse_wrk(WRK_WITH_ERRORS)
    assert result.errors == 7 + 2 + 3
    assert result.p50_ms == pytest.approx(0.85)
    assert result.p99_ms == pytest.approx(2500)


def test_parse_wrk_refuses_output_without_figures() -> None:
    with pytest.raises(ValueError, match="expected figures"):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")


@pytest.mark.parametrize(("text", "ms"), [("250us", 0.25), ("3.5ms", 3.5), ("1.2s", 1200), ("2m", 120_000)])
def test_parse_duration_ms(text: str, ms: float) -> None:
    assert parse_duration_ms(text) == pytest.approx(ms)


def test_arguments_default_to_the_issue_setup_and_refuse_nonsense() -> None:
    arguments = parse_arguments([])
    assert (arguments.events, arguments.seconds, arguments.connections, arguments.runs) == (
        100_000,
        10,
        [8, 32],
        2,
    )
    with pytest.raises(SystemExit):
        parse_arguments(["--connections", "8,x"])
    with pytest.raises(SystemExit):
        parse_arguments(["--events", "10"])


def test_the_bench_database_lives_on_the_given_server() -> None:
    assert database_url("postgres://postgres@127.0.0.1:5432/", "timeline_bench_1") == (
        "postgres://postgres@127.0.0.1:5432/timeline_bench_1"
    )
