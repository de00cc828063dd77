"""The packaging: every folder of the shipped packages is a package, so building or installing
prints no setuptools warning that one is "absent from the packages configuration" (issue 17)."""

from __future__ import annotations

from pathlib import Path

from setuptools.config.setupcfg import read_configuration

ROOT = Path(__file__).resolve().parent.parent


def test_every_shipped_folder_is_a_package() -> None:
    packages = set(read_configuration(ROOT / "setup.cfg")["options"]["packages"])
    folders = set()
    for top in ("engage", "surveys", "analysis"):
        for path in [ROOT / top, *(ROOT / top).rglob("*")]:
            if path.is_dir() and "__pycache__" not in path.parts:
                folders.add(".".join(path.relative_to(ROOT).parts))
    assert folders - packages == set()
    assert not any("__pycache__" in name for name in packages)
