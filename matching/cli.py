"""The body of `sra allocate INSTANCE.json [--out RESULT.json] [--time-limit SECONDS]`.

Exit status 0 with the result as JSON; 2 with one `PATH: message` line on stderr and
nothing on stdout for bad input; 1 for an internal error. Never a traceback. Progress goes
to stderr, and only when stderr is a terminal.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

OK, INTERNAL_ERROR, BAD_INPUT, INTERRUPTED = 0, 1, 2, 130


class InputError(Exception):
    """Something the person can fix; the message is the contract's one line."""


def run_allocate(
    instance: str,
    out: str | None,
    time_limit: str | None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        limit = parse_time_limit(time_limit)
        data = _read(instance)
        with _progress(stderr) as progress:
            encoded = allocate(data, limit, progress)
        _write(encoded, out, stdout)
    except InputError as exc:
        print(str(exc), file=stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=stderr)
        return INTERRUPTED
    except Exception as exc:  # the promise is no traceback, ever: one line, exit 1
        print(f"internal error: {type(exc).__name__}: {exc}", file=stderr)
        return INTERNAL_ERROR
    return OK


def allocate(data: bytes, time_limit: float | None, progress: Callable[[str], None]) -> bytes:
    from matching.problem import ProblemError, decode_problem, encode_result
    from matching.solver import solve

    try:
        problem = decode_problem(data)
    except ProblemError as exc:
        raise InputError(str(exc)) from None
    return encode_result(solve(problem, time_limit=time_limit, progress=progress)) + b"\n"


def parse_time_limit(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise InputError(f"--time-limit: expected a number of seconds > 0, got {text!r}")
    return seconds


def _read(instance: str) -> bytes:
    try:
        return Path(instance).read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"{instance}: cannot read the file: {reason}") from None


def _write(encoded: bytes, out: str | None, stdout: TextIO) -> None:
    if out is None:
        binary = getattr(stdout, "buffer", None)
        if binary is None:
            stdout.write(encoded.decode())
        else:
            stdout.flush()
            binary.write(encoded)
            binary.flush()
        return
    try:
        Path(out).write_bytes(encoded)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"--out: cannot write {out}: {reason}") from None


@contextmanager
def _progress(stderr: TextIO) -> Iterator[Callable[[str], None]]:
    """A spinner with the current stage on a terminal; silence otherwise."""
    if not stderr.isatty():
        yield _quiet
        return
    from rich.console import Console

    console = Console(file=stderr)
    with console.status("reading the instance") as status:
        yield lambda stage: status.update(stage)


def _quiet(stage: str) -> None:
    return None
