"""``qalxan campaigns``, registered here on a throwaway app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from qalxan.cli.campaigns import campaigns

HEADER = "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"
ROWS = "".join(
    f"{b}{i},u{i},user{i},,,Leyla Aliyeva is a traitor,{b * 1000 + i},http://smear.example/{b}\n"
    for b in range(3) for i in range(3)
)


@pytest.fixture
def app() -> typer.Typer:
    throwaway = typer.Typer()
    throwaway.command()(campaigns)
    return throwaway


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "posts.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def test_json_summary_and_graphml(app: typer.Typer, export: Path, tmp_path: Path) -> None:
    names = tmp_path / "watch.txt"
    names.write_text("Leyla Aliyeva\nLeyla\n", encoding="utf-8")  # a given name alone: no
    graph = tmp_path / "out.graphml"
    result = CliRunner().invoke(app, [str(export), "--window", "60", "--min-weight", "2",
                                      "--network", "co-link,co-post", "--graphml", str(graph),
                                      "--watchlist", str(names), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["accounts"] == 3 and summary["posts"] == 9
    assert summary["networks"] == {"co-link": 6, "co-post": 6}
    assert summary["defenders_named"] == {"Leyla Aliyeva": 9}
    assert summary["label"] == "coordinated" and summary["interval"] is None
    assert "<graphml" in graph.read_text(encoding="utf-8")


def test_text_summary_says_coordinated(app: typer.Typer, export: Path) -> None:
    result = CliRunner().invoke(app, [str(export)])
    assert result.exit_code == 0, result.output
    assert "3 accounts posted 9 times in a coordinated way" in result.stdout
    assert "inauthentic" not in result.output.lower()


def test_window_auto_estimates_it(app: typer.Typer, export: Path) -> None:
    result = CliRunner().invoke(app, [str(export), "--window", "auto", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["interval"]["seconds"] >= 1


def test_a_bad_line_stops_with_its_number(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + ROWS + "x,u9,n,,,t,not-a-time,\n", encoding="utf-8")
    result = CliRunner().invoke(app, [str(path)])
    assert result.exit_code == 2
    assert "line 11: timestamp 'not-a-time'" in result.output
    skipped = CliRunner().invoke(app, [str(path), "--skip-bad-lines"])
    assert skipped.exit_code == 0 and "line 11" in skipped.output


@pytest.mark.parametrize("args, message", [
    (["--network", "co-like"], "unknown network(s) co-like"),
    (["--window", "soon"], "--window must be seconds or 'auto'"),
    (["--format", "xml"], "--format must be auto, csv or jsonl"),
])
def test_usage_errors(app: typer.Typer, export: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, [str(export), *args])
    assert result.exit_code == 2 and message in result.output


def test_a_missing_file_is_a_usage_error(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [str(tmp_path / "none.csv")])
    assert result.exit_code == 2 and "cannot open" in result.output


def test_an_interval_that_cannot_be_estimated_is_a_usage_error(
    app: typer.Typer, tmp_path: Path
) -> None:
    path = tmp_path / "once.csv"
    path.write_text(HEADER + "1,u1,n,,,alone,5,\n", encoding="utf-8")
    result = CliRunner().invoke(app, [str(path), "--window", "auto"])
    assert result.exit_code == 2 and "cannot be estimated" in result.output
