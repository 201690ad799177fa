"""`sra allocate` as a person runs it: a real process, its streams and its exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from tests.matching.instances import generate

SRA = str(Path(sys.executable).parent / "sra")
VECTORS = Path(__file__).parent / "vectors"
EXAMPLE = VECTORS / "example.json"
# What the solver path must never load (ARCHITECTURE.md): the web, the database, PDFs.
HEAVY = ("litestar", "sqlalchemy", "advanced_alchemy", "weasyprint", "stripe", "sra.db", "alembic")


def allocate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SRA, "allocate", *args], capture_output=True, text=True, timeout=120, check=False
    )


def assert_rejected(result: subprocess.CompletedProcess[str], line: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [line]


def test_result_goes_to_stdout_as_json() -> None:
    result = allocate(str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress display when stderr is not a terminal
    document = json.loads(result.stdout)
    assert (document["housed"], document["total_score"], document["status"]) == (1, 1038, "optimal")


def test_out_writes_the_file_and_nothing_to_stdout(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    result = allocate(str(EXAMPLE), "--out", str(out), "--time-limit", "30")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(out.read_text())["assignments"][0]["distance_km"] == 0.631


def test_same_input_gives_the_same_bytes_apart_from_seconds(tmp_path: Path) -> None:
    instance = tmp_path / "instance.json"
    instance.write_bytes(msgspec.json.encode(generate(300, 80, seed=7)))
    outputs = []
    for _ in range(2):
        document = json.loads(allocate(str(instance)).stdout)
        document["stats"]["seconds"] = 0
        outputs.append(json.dumps(document))
    assert outputs[0] == outputs[1]


def test_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    assert_rejected(
        allocate(str(missing)), f"{missing}: cannot read the file: No such file or directory"
    )


def test_a_directory_is_not_a_readable_instance(tmp_path: Path) -> None:
    assert_rejected(allocate(str(tmp_path)), f"{tmp_path}: cannot read the file: Is a directory")


def test_text_that_is_not_json_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("round_date: 2026-12-01\n")
    result = allocate(str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("$: not valid JSON")


@pytest.mark.parametrize(
    ("field", "value", "line"),
    [
        ("adults", 0, "households[0].adults: expected int >= 1"),
        ("wieghts", 1, "households[0].wieghts: unknown field"),
        ("registered_on", "2026-13-01", "households[0].registered_on: expected a date YYYY-MM-DD"),
    ],
)
def test_bad_field_is_a_one_line_error_naming_its_path(
    tmp_path: Path, field: str, value: object, line: str
) -> None:
    document = json.loads(EXAMPLE.read_text())
    document["households"][0][field] = value
    instance = tmp_path / "instance.json"
    instance.write_text(json.dumps(document))
    assert_rejected(allocate(str(instance)), line)


def test_duplicate_unit_id_is_a_one_line_error(tmp_path: Path) -> None:
    document = json.loads(EXAMPLE.read_text())
    document["units"].append(dict(document["units"][0]))
    instance = tmp_path / "instance.json"
    instance.write_text(json.dumps(document))
    assert_rejected(allocate(str(instance)), 'units[1].id: duplicate "u1"')


@pytest.mark.parametrize("value", ["soon", "0", "-3", "nan", "inf"])
def test_bad_time_limit_is_a_one_line_error(value: str) -> None:
    assert_rejected(
        allocate(str(EXAMPLE), "--time-limit", value),
        f"--time-limit: expected a number of seconds > 0, got {value!r}",
    )


def test_unwritable_out_is_a_one_line_error(tmp_path: Path) -> None:
    out = tmp_path / "missing-dir" / "result.json"
    assert_rejected(
        allocate(str(EXAMPLE), "--out", str(out)),
        f"--out: cannot write {out}: No such file or directory",
    )


def test_an_internal_error_is_one_line_and_exit_status_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import matching.solver
    from matching.cli import run_allocate

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the flow solver fell over")

    monkeypatch.setattr(matching.solver, "solve", broken)
    assert run_allocate(str(EXAMPLE), None, None) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "internal error: RuntimeError: the flow solver fell over\n"


def test_allocate_never_imports_the_web_database_or_pdf_stack() -> None:
    probe = (
        "import json, sys\n"
        "from sra_app.cli import main\n"
        f"sys.argv = ['sra', 'allocate', {str(EXAMPLE)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        f"heavy = {HEAVY!r}\n"
        "loaded = sorted(\n"
        "    m for m in sys.modules if any(m == h or m.startswith(h + '.') for h in heavy)\n"
        ")\n"
        "print(json.dumps(loaded), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stderr.splitlines()[-1]) == []
