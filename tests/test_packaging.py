"""The layout of ARCHITECTURE.md: `platform/` is a folder, the kernel imports as `sra`."""

from __future__ import annotations

import shutil
import subprocess
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_platform_is_still_the_standard_library_module() -> None:
    import platform

    import sra
    import sra_app

    assert Path(platform.__file__).parent == Path(sysconfig.get_paths()["stdlib"])
    assert platform.python_version().startswith("3.11")
    assert Path(sra.__file__).parent == ROOT / "platform" / "sra"
    assert Path(sra_app.__file__).parent == ROOT / "platform" / "sra_app"
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_wheel_holds_every_package_under_its_import_name(tmp_path: Path) -> None:
    uv = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    if not Path(uv).exists():
        pytest.skip("uv is not installed; `make setup` installs it")
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/", 1)[0] for name in names if "/" in name}
    packages = {"sra", "sra_app", "matching", "contracts", "support", "landlord_portal"}
    assert packages | {"tenant_portal"} <= tops
    assert "platform" not in tops
    assert any(n.startswith("sra/i18n/locale/uk/") and n.endswith(".po") for n in names)
    assert any(n.startswith("sra/web/static/") for n in names)
    assert any(n.startswith("sra/db/migrations/versions/0001_") for n in names)
