"""``qalxan analyze``: formats, stdin, malformed lines, detector choice, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from qalxan.cli.analyze import analyze

app = typer.Typer()
app.command()(analyze)
runner = CliRunner()

JSONL = (
    "\n".join(
        [
            json.dumps({"text": "mail leyla@example.org", "id": "m1", "lang": "en"}),
            "{not json",
            json.dumps({"text": ""}),
            "",
            json.dumps({"text": "hxxps://weather4free[.]com", "urls": ["https://x.test"], "id": 7}),
            json.dumps(["a list"]),
            json.dumps({"text": "hi", "timestamp": "yesterday"}),
            json.dumps({"text": "ok", "timestamp": "2026-01-02T03:04:05+00:00", "platform": "x"}),
        ]
    )
    + "\n"
)


def records(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_jsonl_file_with_malformed_lines(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(JSONL)
    result = runner.invoke(app, [str(path), "--detectors", "doxing,links"])
    assert result.exit_code == 1
    out = records(result.stdout)
    assert [r["line"] for r in out] == [1, 5, 8]
    assert out[0]["source_id"] == "m1" and out[1]["source_id"] == "7"
    assert out[0]["findings"][0]["details"]["entity"] == "email"
    assert out[1]["findings"][0]["details"]["campaign"] == "Pegasus"
    errors = result.stderr
    for line, reason in [
        (2, "invalid JSON"),
        (3, "empty 'text'"),
        (6, "JSON object"),
        (7, "ISO 8601"),
    ]:
        assert f"line {line}: rejected: {reason}" in errors or (
            f"line {line}: rejected:" in errors and reason in errors
        )
    assert "3 message(s) analysed, 4 line(s) rejected" in errors


def test_stdin_and_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    line = json.dumps({"text": "We are watching your house."}) + "\n"
    result = runner.invoke(app, ["-", "--output", str(target), "--detectors", "doxing"], input=line)
    assert result.exit_code == 0, result.stderr
    [record] = records(target.read_text())
    assert record["physical_risk"] is True
    assert record["risk_rules"] == ["surveillance_at_physical_place"]


def test_csv_input(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        'id,text,urls\n1,"SSN 536-90-4399",\n2,,\n3,"see","https://a.spy.test b"\n'
        '4,"too","many","fields"\n'
    )
    result = runner.invoke(app, [str(path), "--detectors", "doxing"])
    assert result.exit_code == 1
    out = records(result.stdout)
    assert [r["line"] for r in out] == [2, 4]
    assert out[0]["findings"][0]["details"]["scheme"] == "us_ssn"
    assert "line 3: rejected: missing or empty 'text'" in result.stderr
    assert "line 5: rejected: more fields than the header names" in result.stderr


def test_csv_without_text_column(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("body\nhello\n")
    result = runner.invoke(app, [str(path)])
    assert (
        result.exit_code == 1
        and "line 1: rejected: CSV header has no 'text' column" in result.stderr
    )


def test_format_option_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text("text\nhello\n")
    result = runner.invoke(app, [str(path), "--format", "csv", "--detectors", "doxing"])
    assert result.exit_code == 0 and records(result.stdout)[0]["findings"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--detectors", "doxing,nope"], "unknown detector(s) nope"),
        (["--format", "xml"], "--format must be"),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(JSONL)
    result = runner.invoke(app, [str(path), *args])
    assert result.exit_code == 2 and message in result.stderr


def test_missing_input_file(tmp_path: Path) -> None:
    result = runner.invoke(app, [str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 2 and "cannot open" in result.stderr


def test_watchlist_region_and_prior_attacks(tmp_path: Path) -> None:
    watch = tmp_path / "watch.json"
    watch.write_text(
        json.dumps([{"defender_id": "d9", "phones": ["050 123 45 67"], "region": "AZ"}])
    )
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": "zəng edin 050 123 45 67"}) + "\n")
    result = runner.invoke(
        app,
        [
            str(path),
            "--watchlist",
            str(watch),
            "--region",
            "AZ",
            "--prior-attacks",
            "2",
            "--detectors",
            "doxing",
        ],
    )
    assert result.exit_code == 0, result.stderr
    [record] = records(result.stdout)
    assert record["findings"][0]["details"]["defender_id"] == "d9"


def test_bad_watchlist(tmp_path: Path) -> None:
    watch = tmp_path / "watch.json"
    watch.write_text("[{}]")
    path = tmp_path / "in.jsonl"
    path.write_text("")
    result = runner.invoke(app, [str(path), "--watchlist", str(watch)])
    assert result.exit_code == 2 and "cannot read watch-list" in result.stderr


def test_help_documents_the_exit_codes() -> None:
    result = runner.invoke(app, ["--help"])
    assert "1 when any line was rejected" in result.stdout


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes("\ufefftext\nmail a@b.org\n".encode())
    result = runner.invoke(app, [str(path), "--detectors", "doxing"])
    assert result.exit_code == 0, result.stderr
    assert records(result.stdout)[0]["findings"][0]["details"]["entity"] == "email"
