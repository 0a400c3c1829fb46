"""``qalxan watchlist`` and ``qalxan monitor``: watch for a defender, add a source, run once."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.services.test_monitoring import burst


def test_watch_a_defender_add_a_source_and_run_once(cli: Callable[..., object],
                                                   tmp_path: Path) -> None:
    cli("init")
    entry = cli("watchlist", "add", "--name", "Aysel Məmmədova", "--handle", "@aysel_m", "--json")
    assert isinstance(entry, dict) and str(entry["label"]).startswith("Watched ")
    listed = cli("watchlist", "list")
    assert "Aysel" not in str(listed) and str(entry["id"]) in str(listed)
    dump = tmp_path / "posts.jsonl"
    dump.write_text("".join(json.dumps(p) + "\n" for p in burst()), encoding="utf-8")
    cli("monitor", "add-source", "jsonl", "dump", "--param", f"path={dump}")
    [result] = cli("monitor", "run", "--once", "--json")  # type: ignore[misc]
    assert result["posts"] == 24 and result["alerts_raised"] == 1 and result["error"] is None
    again = cli("monitor", "run", "--once")
    assert "dump: 0 post(s)" in str(again)
    sources = cli("monitor", "sources", "--json")
    assert isinstance(sources, list) and sources[0]["posts_seen"] == 24
    cli("monitor", "remove-source", "dump")
    assert "no active sources" in str(cli("monitor", "run", "--once"))
    cli("watchlist", "remove", str(entry["id"]))
    assert "empty" in str(cli("watchlist", "list"))


def test_bad_input_is_refused_with_a_clear_message(cli: Callable[..., object]) -> None:
    cli("init")
    out = cli("monitor", "add-source", "jsonl", "x", "--param", "nonsense", code=2)
    assert "KEY=VALUE" in str(out)
    out = cli("monitor", "add-source", "gopher", "x", code=2)
    assert "unknown source kind" in str(out)
    out = cli("watchlist", "add", "--phone", "+994501234567", code=2)
    assert "at least one name" in str(out)
    assert "mastodon" in str(cli("monitor", "kinds"))


def test_a_failing_source_makes_run_once_exit_non_zero(cli: Callable[..., object],
                                                       tmp_path: Path) -> None:
    cli("init")
    cli("monitor", "add-source", "jsonl", "gone", "--param", f"path={tmp_path / 'no.jsonl'}")
    out = cli("monitor", "run", "--once", code=1)
    assert "gone" in str(out) and "failed" in str(out)
