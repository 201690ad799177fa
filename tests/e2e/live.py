"""A real server for the browser: `sra migrate`, `sra seed-demo`, `sra serve` in a subprocess.

The server runs in its own process, so the browser tests share no event loop and no
database session with the rest of the suite; they see exactly what a person would.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SRA = str(Path(sys.executable).parent / "sra")
SECRET = "e2e-secret-key-that-is-long-enough-0123456789abcdef"
START_TIMEOUT = 90.0


class ServerFailed(RuntimeError):
    """The server did not come up; the message carries the end of its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(database_url: str, var_dir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SRA_")}
    env.update(
        SRA_DATABASE_URL=database_url,
        SRA_VAR_DIR=str(var_dir),
        SRA_SECRET_KEY=SECRET,
        SRA_PORT=str(port),
        SRA_BASE_URL=f"http://127.0.0.1:{port}",
    )
    return env


def _tail(log: Path, lines: int = 40) -> str:
    if not log.exists():
        return "(no output)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _prepare(env: dict[str, str], log: Path) -> None:
    """Migrate and load the demo data, as `make run` does."""
    steps = ([SRA, "migrate"], [SRA, "seed-demo"])
    with log.open("a") as out:
        for args in steps:
            step_env = {**env, "SRA_DEMO": "1"} if args[1] == "seed-demo" else env
            done = subprocess.run(
                args, env=step_env, stdout=out, stderr=subprocess.STDOUT, timeout=300, check=False
            )
            if done.returncode != 0:
                raise ServerFailed(f"`sra {args[1]}` exited {done.returncode}:\n{_tail(log)}")


def _wait_until_healthy(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"`sra serve` exited {process.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"{base_url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise ServerFailed(f"no answer from {base_url}/health in {START_TIMEOUT:.0f} s:\n{_tail(log)}")


def var_dir_of(workdir: Path) -> Path:
    return workdir / "var"


def outbox_of(workdir: Path) -> Path:
    """Where the server's mail lands as .eml files (the default file outbox of SRA_VAR_DIR)."""
    return var_dir_of(workdir) / "outbox"


def run_jobs_once(database_url: str, workdir: Path, base_url: str) -> None:
    """Run the due background jobs (mail delivery among them) with `sra worker --once`.

    The server runs with --no-worker so the tests decide when jobs run; this is the same
    worker a deployment runs, with the server's own settings.
    """
    port = int(base_url.rsplit(":", 1)[1])
    env = server_env(database_url, var_dir_of(workdir), port)
    done = subprocess.run(
        [SRA, "worker", "--once"], env=env, capture_output=True, timeout=120, check=False
    )
    if done.returncode != 0:
        output = (done.stdout + done.stderr).decode(errors="replace")
        raise ServerFailed(f"`sra worker --once` exited {done.returncode}:\n{output[-4000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@contextmanager
def live_server(database_url: str, workdir: Path) -> Iterator[str]:
    """Yield the base URL of a migrated, seeded server; stop it on exit."""
    port = free_port()
    var_dir = var_dir_of(workdir)
    var_dir.mkdir(parents=True, exist_ok=True)
    log = workdir / "server.log"
    env = server_env(database_url, var_dir, port)
    _prepare(env, log)
    base_url = f"http://127.0.0.1:{port}"
    with log.open("a") as out:
        process = subprocess.Popen(
            [SRA, "serve", "--port", str(port), "--no-worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(process, base_url, log)
        yield base_url
    finally:
        _stop(process)
