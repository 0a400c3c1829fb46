"""Ray scaling of ``qalxan analyze``: the same command with 1, 2 and all cores' Ray workers.

Generates a JSON Lines file of ``--messages`` messages (1,000,000 by default;
deterministic for a seed) from templates in eight languages: ordinary posts, insults and
threats, doxing (phone numbers, e-mail addresses, street addresses, ID numbers), smears,
links to news sites and, defanged, to shipped spyware indicator domains. Then runs
``qalxan analyze FILE --ray local --ray-workers N`` as its own process for each N: a local
Ray instance with N CPUs and N analysis actors, the driver reading and writing, exactly the
path a ``--ray host:6379`` run on a cluster takes once connected.

For each N it prints end-to-end messages/s (start-up included), the start-up itself (the
same command on a one-message file: Ray instance, actors, detectors, shut-down), messages/s
after start-up, the CPU time of the command's whole process tree per thousand messages
(sampled every 0.2 s, so a little is missed), split into the driver, the Ray workers (the
analysis actors) and Ray's own services (raylet, GCS, agents), and the tree's peak memory
(PSS: shared pages split between processes). On a shared machine the CPU figure is
the steadier one: it does not grow when other work takes the cores. Then the speed-up of
each N over 1 and the parallel efficiency (speed-up / workers), and whether every
output was the same.

``--campaigns N`` instead times campaign detection (five networks, near-identical texts at
0.8, communities, summary) on N posts from ``campaigns_generate.py``: in this process, then
with the near-identical grouping as Ray tasks on a local instance of each worker count
(start-up timed apart), and checks that networks and communities are the same.

    .venv/bin/python bench/ray_scaling.py [--messages 1000000] [--workers 1,2,all] [--baseline]
    .venv/bin/python bench/ray_scaling.py --campaigns 200000 [--workers 1,2]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from campaigns_generate import generate
from campaigns_vs_toolkit import _rss_tree
from harness import load

from qalxan.analysis.indicators import load_indicators
from qalxan.monitoring.campaigns.detect import Detection, detect
from qalxan.monitoring.campaigns.networks import KINDS, NetworkOptions
from qalxan.monitoring.posts import Post
from qalxan.scaleout import Mapper, ray_map, ray_session, serial_map

NAMES = ("Leyla Aliyeva", "Arif Yunus", "Khadija", "Anar Mammadli", "Olga", "Mehmet", "Samira",
         "Carmen", "Reza", "Amina")
BENIGN = (
    "Thank you all for coming to the workshop on digital security today!",
    "Спасибо всем за поддержку, мы продолжаем работу.",
    "Bugün mahkemede duruşma var, destek için gelin.",
    "Bu gün məhkəmədə iclas var, dəstək üçün gəlin.",
    "شكرا لكم جميعا على الدعم والتضامن",
    "Gracias por vuestro apoyo, seguimos adelante.",
    "Merci à toutes et à tous pour votre soutien.",
    "از حمایت همه شما سپاسگزاریم",
    "The hearing for {name} was postponed again, we will keep you posted.",
    "Reading the new report on press freedom, page {n} is worth it.",
)
ABUSE = (
    "{name} you stupid traitor, shut up or we will shut you up",
    "{name} is a whore and a liar, everyone knows it",
    "Ты предатель и шлюха, {name}, сдохни",
    "{name}, sən xainsən, səni tapacağıq",
    "{name} hain, seni bulacağız, evini biliyoruz",
    "هذه الخائنة {name} عميلة للأجانب",
    "{name} eres una traidora, te vamos a encontrar",
    "We know where you live {name}, watch your back",
)
DOXING = (
    "Call {name} and tell her what you think: +994 50 {a} {b} {c}",
    "{name}'s home: Nizami street {n}, flat {m}, Baku. Go visit.",
    "her email is {user}@example.org, write to her",
    "Телефон {name}: +7 912 {a}-{b}-{c}, звоните",
    "{name} lives at {n} Calle Mayor, Madrid, her kids go to school {m}",
    "passport of {name}: C0{a}{b}{c}, share it",
)
SMEAR = (
    "{name} is a foreign agent paid to lie, share this",
    "{name} betrayed the nation for grant money",
    "The truth about {name} they hide from you: a spy",
    "{name} xarici agentdir, pul alıb yalan danışır",
)


def _fill(template: str, rng: random.Random) -> str:
    return template.format(name=rng.choice(NAMES), n=rng.randrange(1, 200),
                           m=rng.randrange(1, 90), a=rng.randrange(100, 999),
                           b=rng.randrange(10, 99), c=rng.randrange(10, 99),
                           user=f"user{rng.randrange(10_000)}")


def _link(i: int, rng: random.Random, domains: list[str]) -> tuple[str, list[str]]:
    if i % 10 == 0:
        host = rng.choice(domains)
        return f"Please update your app: hxxps://{host.replace('.', '[.]')}/u/{i}", []
    url = f"https://news{i % 97}.example.org/article/{i}"
    return f"Read this about {rng.choice(NAMES)} {url}", [url]


def message(i: int, rng: random.Random, domains: list[str]) -> dict[str, object]:
    """One record: a fifth each of abuse, doxing and smear or links, the rest benign."""
    kind = rng.random()
    urls: list[str] = []
    if kind < 0.4:
        text = _fill(rng.choice(BENIGN), rng)
    elif kind < 0.6:
        text = _fill(rng.choice(ABUSE), rng)
    elif kind < 0.75:
        text = _fill(rng.choice(DOXING), rng)
    elif kind < 0.85:
        text = _fill(rng.choice(SMEAR), rng)
    else:
        text, urls = _link(i, rng, domains)
    record: dict[str, object] = {"id": f"m{i}", "text": text, "author": f"acct{i % 5_003}",
                                 "timestamp": f"2026-11-{1 + i % 28:02d}T12:00:00+00:00"}
    if urls:
        record["urls"] = urls
    return record


def write_messages(path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    domains = sorted(load_indicators().values("domain"))
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            out.write(json.dumps(message(i, rng, domains), ensure_ascii=False) + "\n")


TICKS = os.sysconf("SC_CLK_TCK")


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


ROLES = ("driver", "workers", "services")


def _role(pid: int, root: int) -> str:
    if pid == root:
        return "driver"
    # workers start as default_worker.py and retitle themselves ray::Analyser, ray::IDLE;
    # Ray's agents are ray::DashboardAgent and ray::RuntimeEnvAgent
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    title = command.split(b"\0")[0]
    agent = title.startswith(b"ray::") and title.endswith(b"Agent")
    worker = not agent and (title.startswith(b"ray::") or b"default_worker.py" in command)
    return "workers" if worker else "services"


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


class TreeUsage:
    """Peak memory and CPU time of a process and all its descendants, sampled."""

    def __init__(self, root: int) -> None:
        self.root, self.peak = root, 0
        self.cpu: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, _rss_tree(self.root))
            for pid in _descendants(self.root):
                with contextlib.suppress(OSError, IndexError, ValueError):
                    self.cpu[pid] = _role(pid, self.root), _cpu_seconds(pid)

    def stop(self) -> dict[str, float]:
        """Stop sampling; the CPU seconds seen, by role."""
        self._stop.set()
        self._thread.join()
        return {r: sum(c for role, c in self.cpu.values() if role == r) for r in ROLES}


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: dict[str, float]
    peak_bytes: int
    digest: str


def analyse(source: Path, target: Path, workers: int) -> Run:
    """``qalxan analyze`` on a local Ray instance of ``workers`` CPUs (0: in-process,
    without Ray), in its own process."""
    command = [_qalxan(), "analyze", str(source), "--output", str(target)]
    if workers:
        command += ["--ray", "local", "--ray-workers", str(workers)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    usage = TreeUsage(process.pid)
    _, errors = process.communicate()
    seconds = time.perf_counter() - start
    cpu = usage.stop()
    if process.returncode != 0:
        raise SystemExit(f"analyze failed ({process.returncode}): {errors[-2000:]}")
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    return Run(seconds, cpu, usage.peak, digest)


def _qalxan() -> str:
    beside = Path(sys.executable).parent / "qalxan"
    found = str(beside) if beside.exists() else shutil.which("qalxan")
    if found is None:
        raise SystemExit("the qalxan command is not installed (pip install -e '.[ray]')")
    return found


def _report(count: int, workers: int, run: Run, startup: Run) -> None:
    steady = count / max(run.seconds - startup.seconds, 1e-9)
    cpu = [(run.cpu_seconds[r] - startup.cpu_seconds[r]) / count * 1000 for r in ROLES]
    split = " + ".join(f"{c:.3f}" for c in cpu)
    print(f"{workers:>7} {count / run.seconds:>10,.0f} {startup.seconds:>10.1f} "
          f"{steady:>14,.0f} {sum(cpu):>8.3f} = {split:<23} {run.peak_bytes / 2**20:>8,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--workers", default="1,2,all",
                        help="comma-separated Ray CPU counts; 'all' is every core here")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--baseline", action="store_true",
                        help="also run the command in-process, without Ray (shown as 0)")
    parser.add_argument("--campaigns", type=int, metavar="POSTS",
                        help="time campaign detection on this many posts instead")
    args = parser.parse_args()
    workers = list(dict.fromkeys(os.cpu_count() or 1 if w.strip() == "all" else int(w)
                                 for w in args.workers.split(",")))
    if args.campaigns:
        campaigns_scaling(args.campaigns, workers)
        return
    counts = [0] * args.baseline + workers
    with tempfile.TemporaryDirectory() as folder:
        source, tiny = Path(folder) / "messages.jsonl", Path(folder) / "one.jsonl"
        start = time.perf_counter()
        write_messages(source, args.messages, args.seed)
        write_messages(tiny, 1, args.seed)
        print(f"{args.messages:,} messages generated in {time.perf_counter() - start:.1f} s "
              f"({source.stat().st_size / 2**20:,.0f} MiB)")
        print(f"at start: {load()}")
        print("workers  messages/s  start-up s  after start-up  CPU s/1000 messages "
              "(driver + workers + services)  peak MiB")
        runs = {}
        for n in counts:
            startup = analyse(tiny, Path(folder) / "one.out", n)
            runs[n] = (analyse(source, Path(folder) / f"out{n}.jsonl", n), startup)
            _report(args.messages, n, *runs[n])
        print(f"at end: {load()}")
    _summary(args.messages, runs)


def _summary(count: int, runs: dict[int, tuple[Run, Run]]) -> None:
    """Speed-up and parallel efficiency (speed-up / workers) of every worker count over
    the smallest, end to end and after start-up."""
    first = min(n for n in runs if n)
    one, one_start = runs[first]
    for n in sorted(n for n in runs if n > first):
        many, many_start = runs[n]
        speedup = one.seconds / many.seconds
        steady = (one.seconds - one_start.seconds) / (many.seconds - many_start.seconds)
        scale = n / first
        print(f"speed-up {n} vs {first} workers: {speedup:.2f}x end to end "
              f"(efficiency {speedup / scale:.0%}), {steady:.2f}x after start-up "
              f"(efficiency {steady / scale:.0%})")
    same = len({run.digest for run, _ in runs.values()}) == 1
    print(f"outputs identical across worker counts: {'yes' if same else 'NO'}")


def _timed_detection(posts: list[Post], mapper: Mapper) -> tuple[float, Detection]:
    start = time.perf_counter()
    found = detect(posts, KINDS, NetworkOptions(), mapper=mapper)
    return time.perf_counter() - start, found


def _key(found: Detection) -> tuple[object, ...]:
    return tuple(n.edges for n in found.networks), found.membership


def campaigns_scaling(size: int, counts: list[int]) -> None:
    posts = generate(size, 7).posts
    print(f"{len(posts):,} posts; load average before: {os.getloadavg()[0]:.1f}")
    seconds, here = _timed_detection(posts, serial_map)
    print(f"in this process: {seconds:.1f} s")
    for n in counts:
        start = time.perf_counter()
        with ray_session("local", n):
            started = time.perf_counter() - start
            on_ray, there = _timed_detection(posts, ray_map)
        same = "same" if _key(there) == _key(here) else "DIFFERENT"
        print(f"Ray, {n} worker(s): {on_ray:.1f} s after {started:.1f} s start-up "
              f"({seconds / on_ray:.2f}x in-process; networks and communities {same})")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
