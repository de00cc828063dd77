"""HTTP benchmark: Engage's /healthz and resident home page against a bare Flask "hello" app.

Both apps run under gunicorn on the same settings on 127.0.0.1; wrk measures each target in
interleaved rounds, so drift on a noisy machine hits all of them alike, and the medians and the
ratios to the bare rate are printed as a Markdown table (and written with --write PATH).
Engage runs in production mode on a temporary SQLite database built by the real migrations.

    python bench/http_bench.py [--quick] [--write docs/benchmarks-foundation.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOAL = 0.5  # issue 2: the home page at least half the bare rate
HEADERS = {"Accept-Encoding": "gzip", "Accept-Language": "en-GB,en;q=0.9"}  # like a browser


@dataclass
class Target:
    name: str
    server: str  # "engage" or "hello"
    path: str
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # server CPU ms per request
    requests: int = 0
    bad: int = 0  # non-2xx/3xx responses plus socket errors


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, dict[str, str]]:
    req = urllib.request.Request(url, headers=HEADERS)
    with urllib.request.urlopen(req, timeout=5) as resp:  # raises on 4xx/5xx
        resp.read()
        return resp.status, dict(resp.headers)


def start(
    app: str, port: int, gunicorn: list[str], env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "gunicorn", *gunicorn, "--no-control-socket",
           "-b", f"127.0.0.1:{port}", app]
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited ({proc.returncode}) before answering:\n{log.read_text()}")
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{url} did not answer within {limit:.0f} s:\n{log.read_text()}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)  # its own session: the arbiter and its workers
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def cpu_seconds(pgid: int) -> float:
    """User + system CPU time of every process in a process group (gunicorn and its workers)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def run_wrk(url: str, seconds: int, wrk: list[str]) -> tuple[float, float, float, int, int]:
    """requests/s, p50 ms, p99 ms, requests, bad responses (non-2xx/3xx and socket errors)."""
    hdrs = [a for k, v in HEADERS.items() for a in ("-H", f"{k}: {v}")]
    out = subprocess.run(["wrk", *wrk, "-d", f"{seconds}s", "--latency", *hdrs, url],
                         capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    pct = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)", out, re.M))
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    bad += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return rps, to_ms(pct["50"]), to_ms(pct["99"]), requests, bad


def migrate(env: dict[str, str]) -> None:
    where = subprocess.run([sys.executable, "-c", "import engage; print(engage.__file__)"],
                           cwd=REPO, env=env, capture_output=True, text=True, check=True).stdout
    if not Path(where.strip()).is_relative_to(REPO):
        sys.exit(f"engage is imported from {where.strip()}, not from {REPO}")
    subprocess.run([sys.executable, "-m", "flask", "--app", "engage", "db", "upgrade"],
                   cwd=REPO, env=env, check=True, capture_output=True, timeout=120)


def machine(load: str) -> list[str]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), "unknown")
    mem = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    ram = mem[1].split()[1] if len(mem) > 1 else "unknown"
    wrk_v = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split()
    return [f"CPUs (nproc): {os.cpu_count()}; CPU: {cpu}; RAM: {ram}",
            f"Python {sys.version.split()[0]}; gunicorn {version('gunicorn')}; "
            f"Flask {version('flask')}; wrk {wrk_v[1] if len(wrk_v) > 1 else '?'}",
            f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; load average at the start "
            f"(other work on the machine): {load}"]


def table(targets: list[Target]) -> list[str]:
    base = statistics.median(targets[0].rps)
    base_cpu = statistics.median(targets[0].cpu)
    rows = ["| Target | Requests/s (median) | Rounds (req/s) | vs hello | p50 ms | p99 ms "
            "| Server CPU ms/request | Hello CPU / this | Not 2xx/3xx or failed |",
            "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for t in targets:
        rps, cpu = statistics.median(t.rps), statistics.median(t.cpu)
        rows.append(f"| {t.name} | {rps:,.0f} | {', '.join(f'{r:,.0f}' for r in t.rps)} | "
                    f"{rps / base:.2f} | {statistics.median(t.p50):.2f} | "
                    f"{statistics.median(t.p99):.2f} | {cpu:.2f} | {base_cpu / cpu:.2f} | "
                    f"{t.bad} of {t.requests:,} |")
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1 round of 3 s: a smoke run for CI")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=10, help="length of one wrk run")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--write", type=Path, help="write the table, command and machine here")
    args = ap.parse_args()
    rounds, seconds = (1, 3) if args.quick else (args.rounds, args.seconds)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (make bench does it when root)")
    gunicorn = ["-w", str(args.workers), "--threads", "1", "-k", "sync"]
    wrk = ["-t", "1", "-c", str(args.connections)]
    targets = [Target("bare Flask hello `/`", "hello", "/"),
               Target("Engage `/healthz`", "engage", "/healthz"),
               Target("Engage home `/` (gzip)", "engage", "/")]
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="engage-bench-") as tmp:
        env = {**os.environ, "PYTHONPATH": str(REPO), "ENGAGE_ENV": "production",
               "SECRET_KEY": secrets.token_urlsafe(48), "ENGAGE_INSECURE_COOKIES": "1",
               "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite",
               "BASE_URL": "http://127.0.0.1", "TRUSTED_HOSTS": "127.0.0.1,localhost"}
        env.pop("FLASK_DEBUG", None)
        env.pop("ENGAGE_DEBUG", None)
        migrate(env)
        ports = {"engage": free_port(), "hello": free_port()}
        try:
            for name, app in (("engage", "engage:create_app()"), ("hello", "bench.hello_app:app")):
                log = Path(tmp) / f"{name}.log"
                procs.append(start(app, ports[name], gunicorn, env, log))
                wait_until_up(f"http://127.0.0.1:{ports[name]}/", procs[-1], log)
            for t in targets:  # every target answers 200 before it is measured; then warm up
                url = f"http://127.0.0.1:{ports[t.server]}{t.path}"
                status, headers = get(url)
                if status != 200:
                    sys.exit(f"{url} answered {status}")
                if t.name.startswith("Engage home") and headers.get("Content-Encoding") != "gzip":
                    sys.exit("the home page was not gzip-compressed")
                run_wrk(url, 1, wrk)
            for r in range(rounds):
                for t in targets[r % 3:] + targets[: r % 3]:  # rotate the order each round
                    url = f"http://127.0.0.1:{ports[t.server]}{t.path}"
                    pgid = procs[0 if t.server == "engage" else 1].pid
                    before = cpu_seconds(pgid)
                    rps, p50, p99, n, bad = run_wrk(url, seconds, wrk)
                    t.cpu.append((cpu_seconds(pgid) - before) * 1000 / max(n, 1))
                    t.rps.append(rps)
                    t.p50.append(p50)
                    t.p99.append(p99)
                    t.requests += n
                    t.bad += bad
                    print(f"round {r + 1}/{rounds} {t.name}: {rps:,.0f} req/s", file=sys.stderr)
        finally:
            for proc in procs:
                stop(proc)
    base = statistics.median(targets[0].rps)
    home = statistics.median(targets[2].rps) / base
    health = statistics.median(targets[1].rps) / base
    rows = table(targets)
    settings = (f"gunicorn `{' '.join(gunicorn)}` for both apps (Engage: `engage:create_app()`, "
                f"ENGAGE_ENV=production, SQLite made by the migrations); wrk `{' '.join(wrk)} "
                f"-d {seconds}s --latency` with `Accept-Encoding: gzip`; {rounds} interleaved "
                f"round(s), medians; 1 s warm-up per target; 127.0.0.1 only.")
    cpu_home = statistics.median(targets[0].cpu) / statistics.median(targets[2].cpu)
    summary = (f"Home/hello = {home:.2f} (goal ≥ {GOAL}: {'met' if home >= GOAL else 'NOT met'}); "
               f"healthz/hello = {health:.2f}. By server CPU per request, which other load on the "
               f"machine disturbs less, the home page costs {1 / cpu_home:.1f}× the bare hello.")
    print("\n".join([*rows, "", summary]))
    if args.write:
        command = shlex.join(["python", "bench/http_bench.py", *sys.argv[1:]])
        text = ["# Benchmarks: the foundation (issue 2)", "",
                "Requests/s of Engage's `/healthz` and resident home page, each against a bare "
                "Flask \"hello\" app on the same gunicorn settings, measured in one run. "
                "Server CPU ms/request is the user + system time of the gunicorn arbiter and its "
                "workers during each wrk run, divided by the requests served.", "",
                *rows, "", summary, "", "## Command", "", f"    {command}", "",
                "Run from the repository root with the project's virtualenv; `make bench` runs "
                "it (and installs wrk when it can), with options in BENCH_ARGS.", "",
                "## Settings", "", settings, "", "## Machine", "",
                *[f"- {line}" for line in machine(load)], ""]
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text("\n".join(text), encoding="utf-8")
    bad = sum(t.bad for t in targets)
    if bad:
        print(f"{bad} responses were not 2xx/3xx or failed", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
