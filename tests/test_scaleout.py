"""Scale-out on Ray: the same output as in this process, and clear errors when Ray is not
installed, the address is wrong or the cluster cannot be reached.

The tests marked ``ray`` share one local Ray instance (2 CPUs) started once for this module;
the commands reuse it as ``--ray local`` does when the process is already connected.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from qalxan.cli.analyze import analyze
from qalxan.cli.campaigns import campaigns
from qalxan.errors import ClusterUnavailable, InvalidInput
from qalxan.monitoring.campaigns import neardup
from qalxan.monitoring.campaigns.detect import Detection, detect
from qalxan.monitoring.campaigns.networks import KINDS, NetworkOptions
from qalxan.monitoring.exports import read_posts
from qalxan.monitoring.posts import Post
from qalxan.scaleout import RayAddress, parse_address, ray_map, ray_session
from tests.monitoring.test_neardup import variants

QUT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "coordination" / "qut_cnt"

MESSAGES = [
    {"text": "mail leyla@example.org", "id": "m1", "lang": "en"},
    "{not json",
    {"text": "We know where you live, Leyla: Nizami street 14, flat 3, Baku.", "id": "m2"},
    "",
    {"text": "Please update hxxps://weather4free[.]com now", "urls": ["https://x.test"]},
    {"text": "Sən xainsən, səni tapacağıq", "id": 4},
    {"text": "Ты предатель и шлюха, сдохни", "id": "m5"},
    {"text": ""},
    {"text": "Merci à toutes et à tous pour votre soutien.", "timestamp": "2026-01-02T03:04"},
    {"text": "call me +994 50 123 45 67 or find me at home", "id": "m7"},
    {"text": "هذه الخائنة عميلة للأجانب، انشروا عنوانها", "id": "m8"},
    {"text": "Bugün mahkemede duruşma var, destek için gelin.", "id": "m9"},
    {"text": "hi", "timestamp": "yesterday"},
]


def _jsonl(path: Path, copies: int = 3) -> Path:
    lines = [m if isinstance(m, str) else json.dumps(m, ensure_ascii=False)
             for _ in range(copies) for m in MESSAGES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _app(command: object) -> typer.Typer:
    app = typer.Typer()
    app.command()(command)
    return app


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    import ray

    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.ERROR,
             log_to_driver=False)
    yield
    ray.shutdown()


@pytest.mark.parametrize(("option", "expected"), [
    ("auto", RayAddress("auto")),
    ("LOCAL", RayAddress("local")),
    ("head.example.org:6379", RayAddress("head.example.org:6379", "head.example.org", 6379)),
    ("ray://10.0.0.5:10001", RayAddress("ray://10.0.0.5:10001", "10.0.0.5", 10001)),
])
def test_address_forms(option: str, expected: RayAddress) -> None:
    assert parse_address(option) == expected


@pytest.mark.parametrize("option", ["cluster", "head:", "http://head:6379", "ray://:10001",
                                    "head:port"])
def test_an_address_without_host_and_port_is_refused(option: str) -> None:
    with pytest.raises(InvalidInput, match="--ray must be"):
        parse_address(option)


@pytest.mark.parametrize("scheme", ["", "ray://"])
def test_an_unreachable_cluster_fails_at_once_with_exit_code_7(tmp_path: Path,
                                                                scheme: str) -> None:
    address = f"{scheme}127.0.0.1:{_closed_port()}"
    result = CliRunner().invoke(_app(analyze), [str(_jsonl(tmp_path / "in.jsonl")),
                                                "--ray", address])
    assert result.exit_code == 7
    assert f"cannot reach the Ray cluster at {address}" in result.stderr
    assert result.stdout == ""


def test_a_wrong_address_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(analyze), [str(_jsonl(tmp_path / "in.jsonl")),
                                                "--ray", "my-cluster"])
    assert result.exit_code == 2 and "--ray must be" in result.stderr


def test_without_ray_installed_the_error_names_the_extra(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    posts = tmp_path / "posts.csv"
    posts.write_text("message_id,user_id,message,timestamp\n1,u1,hello,0\n", encoding="utf-8")
    for app, path in ((_app(analyze), _jsonl(tmp_path / "in.jsonl")), (_app(campaigns), posts)):
        result = CliRunner().invoke(app, [str(path), "--ray", "local"])
        assert result.exit_code == 7
        assert "Ray is not installed; install the 'ray' extra: pip install 'qalxan[ray]'" \
            in result.stderr


def test_worker_processes_and_ray_together_are_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(analyze), [str(_jsonl(tmp_path / "in.jsonl")),
                                                "--workers", "2", "--ray", "local"])
    assert result.exit_code == 2 and "with --ray use --ray-workers" in result.stderr


def variant_texts(seed: int) -> list[str]:
    return variants(seed, originals=60, vocabulary_size=200)


def test_grouping_in_many_chunks_equals_grouping_in_one(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = variant_texts(5)
    whole = neardup.near_duplicate_groups(texts, 0.7)
    monkeypatch.setattr(neardup, "TEXTS_PER_CHUNK", 7)
    monkeypatch.setattr(neardup, "PAIRS_PER_CHUNK", 5)
    assert neardup.near_duplicate_groups(texts, 0.7) == whole
    assert len(set(whole)) < len(texts)  # some texts were grouped


@pytest.mark.ray
@pytest.mark.usefixtures("local_ray")
def test_analyze_on_ray_writes_the_same_bytes_as_in_process(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl")
    outputs, stderrs = [], []
    for extra in (["--workers", "1"], ["--ray", "local", "--ray-workers", "2"]):
        target = tmp_path / f"out{len(outputs)}.jsonl"
        result = CliRunner().invoke(_app(analyze), [str(source), "--batch-size", "2",
                                                    "--output", str(target), *extra])
        assert result.exit_code == 1  # the malformed lines
        outputs.append(target.read_bytes())
        stderrs.append(result.stderr)
    assert outputs[0] == outputs[1]
    assert stderrs[0] == stderrs[1]
    lines = [json.loads(line)["line"] for line in outputs[1].decode().splitlines()]
    assert lines == sorted(lines) and len(lines) == 27
    assert "line 2: rejected: invalid JSON" in stderrs[1]


def near_identical_posts() -> list[Post]:
    """Posts of three accounts per text variant, seconds apart, plus unrelated ones."""
    posts = []
    for n, text in enumerate(variant_texts(9)):
        for a in range(3):
            posts.append(Post(f"{n}-{a}", f"acct{(n + a) % 17}", n * 600.0 + a, text,
                              urls=(f"https://smear.example/{n % 7}",)))
    return posts


def _same_detection(ours: Detection, theirs: Detection) -> None:
    assert [n.kind for n in ours.networks] == [n.kind for n in theirs.networks]
    for mine, other in zip(ours.networks, theirs.networks, strict=True):
        assert mine.edges == other.edges
        assert np.array_equal(mine.matches.posts, other.matches.posts)
        assert np.array_equal(mine.matches.others, other.matches.others)
    assert ours.membership == theirs.membership
    assert ours.summary == theirs.summary


@pytest.mark.ray
@pytest.mark.usefixtures("local_ray")
def test_campaign_networks_on_ray_equal_those_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(neardup, "TEXTS_PER_CHUNK", 20)  # several tasks for each stage
    monkeypatch.setattr(neardup, "PAIRS_PER_CHUNK", 10)
    sets = [near_identical_posts()]
    if QUT.is_dir():
        sets.append(read_posts(QUT / "sample_data.csv"))
    options = NetworkOptions(window=60, min_weight=2, similarity=0.7)
    found = []
    for posts in sets:
        here = detect(posts, KINDS, options)
        with ray_session("local"):
            there = detect(posts, KINDS, options, mapper=ray_map)
        _same_detection(there, here)
        found.append(here)
    assert found[0].networks[0].edges  # near-identical texts made a co-post network


@pytest.mark.ray
@pytest.mark.usefixtures("local_ray")
def test_campaigns_on_ray_print_the_same_summary(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps({"message_id": p.message_id, "user_id": p.author_id,
                                        "message": p.text, "timestamp": p.timestamp}) + "\n"
                            for p in near_identical_posts()), encoding="utf-8")
    args = [str(path), "--json", "--similarity", "0.7", "--window", "auto"]
    here = CliRunner().invoke(_app(campaigns), args)
    there = CliRunner().invoke(_app(campaigns), [*args, "--ray", "local"])
    assert here.exit_code == there.exit_code == 0, there.output
    assert there.stdout == here.stdout
    assert json.loads(there.stdout)["networks"]["co-post"] > 0


@pytest.mark.ray
@pytest.mark.usefixtures("local_ray")
def test_a_failed_task_is_reported_by_type_without_its_text() -> None:
    with ray_session("auto"), pytest.raises(ClusterUnavailable) as failure:
        ray_map(ipaddress.ip_address, ["a private message"])  # ValueError quoting it
    assert "ValueError" in failure.value.detail
    assert "private" not in failure.value.detail


def test_a_local_instance_never_spills_messages_to_disk() -> None:
    from qalxan.scaleout import _init_arguments

    local = _init_arguments(parse_address("local"), 2)
    assert local["_system_config"] == {"automatic_object_spilling_enabled": False}
    assert "_system_config" not in _init_arguments(parse_address("10.0.0.1:6379"), None)
