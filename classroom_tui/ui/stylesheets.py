"""Where the console's .tcss files are: the installed package or the repo's styles/ folder."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

STYLESHEETS = ("app.tcss", "log.tcss", "controller.tcss", "recordings.tcss", "login.tcss")


def stylesheet_dir() -> Path:
    """The installed `classroom_tui.styles` package, or the repo's styles/ folder (editable
    installs do not always map the package-dir entry)."""
    try:
        # A folder without __init__.py: a namespace package, so files() may be a multiplexed
        # path; joinpath() resolves to the real file on disk.
        candidate = resources.files("classroom_tui.styles").joinpath("app.tcss")
        if candidate.is_file():
            return Path(str(candidate)).parent
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        pass
    return Path(__file__).resolve().parents[2] / "styles"


def stylesheet_paths() -> list[str | Path]:
    folder = stylesheet_dir()
    return [folder / name for name in STYLESHEETS if (folder / name).is_file()]
