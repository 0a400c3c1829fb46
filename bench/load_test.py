"""Sustained load on a real server: intake and case reads for a fixed time, from wrk.

Starts ``qalxan serve`` on loopback (SQLite by default, or ``--database-url``), creates a
handler's API token, then drives a mix of intake submissions (each with its own
Idempotency-Key) and case-list reads with ``wrk`` at a paced rate for ``--seconds``
(default 60). Prints throughput, latency percentiles (p50/p90/p99), the count of errors
(target: zero) and the server's resident memory sampled over the run (target: stable).

    apt-get install wrk        # the load generator (Debian package)
    python bench/load_test.py [--seconds 60] [--connections 8] [--pace-ms 40]

Loopback only; every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.serving import UNBOUNDED_INTAKE, Server, cli, instance_env  # noqa: E402

LUA = r"""
local counter = 0
local token = "%(token)s"
request = function()
  counter = counter + 1
  if counter %% 2 == 0 then
    return wrk.format("GET", "/api/v1/cases?limit=50",
      {["Authorization"] = "Bearer " .. token})
  end
  local body = '{"what_happened": "load test report ' .. counter ..
    ': they posted my address and threatened my family", "threat_types": ["doxing"]}'
  return wrk.format("POST", "/api/v1/intake",
    {["Content-Type"] = "application/json",
     ["Idempotency-Key"] = "load-" .. id .. "-" .. counter}, body)
end
delay = function() return %(pace)d end
setup = function(thread) thread:set("id", tostring(math.random(1, 1e9))) end
response = function(status, headers, body)
  if status >= 400 then errors = (errors or 0) + 1 end
end
"""


def _prepare(data_dir: Path, database_url: str, workers: int) -> tuple[Server, str]:
    env = instance_env(data_dir, database_url) | UNBOUNDED_INTAKE
    cli(env, "init", "--admin-email", "admin@load.test").check_returncode()
    cli(env, "user", "add", "handler@load.test", "--role", "case_handler").check_returncode()
    out = cli(env, "token", "create", "--user", "handler@load.test", "--name", "load",
              "--scope", "case:list", "--json")
    out.check_returncode()
    token = re.search(r'"secret": "([^"]+)"', out.stdout)
    assert token, out.stdout
    server = Server(env, data_dir / "server.log", workers=workers)
    server.start()
    return server, token.group(1)


def _rss_kib(pid: int) -> int:
    """Resident memory of the server: its process and its worker processes together."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines()
                          if ":" in line)
        except OSError:
            continue  # the process ended meanwhile
        if status.parent.name == str(pid) or fields.get("PPid", "").strip() == str(pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total


def _sample_memory(pid: int, stop: threading.Event, samples: list[int]) -> None:
    while not stop.wait(5):
        samples.append(_rss_kib(pid))


def _run_wrk(url: str, token: str, args: argparse.Namespace, workdir: Path) -> str:
    script = workdir / "mix.lua"
    script.write_text(LUA % {"token": token, "pace": args.pace_ms})
    command = ["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{args.seconds}s",
               "--timeout", "10s", "--latency", "-s", str(script), url]
    return subprocess.run(command, capture_output=True, text=True, check=True,
                          timeout=args.seconds + 60).stdout


def _report(output: str, samples: list[int]) -> None:
    print(output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    failed = int(errors.group(1)) if errors else 0
    print(f"errors: {failed} non-2xx responses" + (f"; socket errors: {socket_errors.group(1)}"
                                                   if socket_errors else "")
          + ("  PASS" if failed == 0 and not socket_errors else "  MISS (target: zero)"))
    if samples:
        first, last, peak = samples[0], samples[-1], max(samples)
        print(f"server RSS (MiB): first {first / 1024:.1f}, last {last / 1024:.1f}, "
              f"peak {peak / 1024:.1f}; growth {(last - first) / 1024:+.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--pace-ms", type=int, default=40,
                        help="pause per connection between requests (sets the rate)")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes (qalxan serve --workers N)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = args.database_url or f"sqlite:///{workdir / 'qalxan.db'}"
        server, token = _prepare(workdir / "data", url, args.workers)
        samples: list[int] = []
        stop = threading.Event()
        assert server.process is not None
        sampler = threading.Thread(target=_sample_memory,
                                   args=(server.process.pid, stop, samples), daemon=True)
        sampler.start()
        try:
            target = args.connections * 1000 / max(args.pace_ms, 1)
            print(f"offered load: about {target:.0f} requests/s for {args.seconds} s "
                  f"(half intake, half case list) on {url.split(':')[0]}")
            output = _run_wrk(server.url, token, args, workdir)
        finally:
            stop.set()
            server.stop()
        _report(output, samples)


if __name__ == "__main__":
    main()
