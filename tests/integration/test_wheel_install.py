"""Issue 3 §8: the built wheel carries the stylesheets, and a non-editable install runs the demo
with them. Dependencies come from the surrounding environment (--system-site-packages); the
project itself is built into a wheel and installed from it, from a folder outside the repo."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import setuptools

REPO = Path(__file__).resolve().parents[2]
SKIP_WHEN_COPYING = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "tests", ".venv*"
)

HEADLESS_DEMO = textwrap.dedent(
    """
    import asyncio, sys
    from contextlib import ExitStack
    from pathlib import Path

    import classroom_tui
    from classroom_tui.ui.app import ClassroomApp, stylesheet_dir
    from classroom_tui.ui.launch import demo_plan

    prefix = Path(sys.prefix).resolve()
    assert prefix in Path(classroom_tui.__file__).resolve().parents, classroom_tui.__file__
    styles = stylesheet_dir().resolve()
    assert prefix in styles.parents, styles
    assert (styles / "app.tcss").is_file() and (styles / "log.tcss").is_file()

    async def main() -> None:
        with ExitStack() as stack:
            plan = demo_plan(stack, rate=20.0)
            app = ClassroomApp(plan.settings, **plan.app_kwargs())
            async with app.run_test(size=(120, 36)) as pilot:
                for _ in range(250):
                    if app.log_pane.buffer.rows:
                        break
                    await pilot.pause(0.02)
                assert app.log_pane.buffer.rows, "no event arrived"
                # Set only by styles/app.tcss: proof that the shipped stylesheet was loaded.
                assert app.log_pane.styles.border_top[0] == "round"
                assert app.query_one("#status").styles.dock == "top"
                print("demo ok", len(app.log_pane.buffer.rows))

    asyncio.run(main())
    """
)


def _build_wheel(source: Path, out: Path) -> Path:
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)]
    # Build offline when this environment can; else pip fetches setuptools/wheel for isolation.
    setuptools_major = int(setuptools.__version__.split(".")[0])
    if importlib.util.find_spec("wheel") is not None and setuptools_major >= 68:
        command[4:4] = ["--no-build-isolation"]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return next(out.glob("classroom_tui-*.whl"))


def test_wheel_ships_styles_and_runs_the_demo(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(REPO, source, ignore=SKIP_WHEN_COPYING)
    wheel = _build_wheel(source, tmp_path / "dist")
    names = zipfile.ZipFile(wheel).namelist()
    assert "classroom_tui/styles/app.tcss" in names
    assert "classroom_tui/styles/log.tcss" in names

    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120
    )
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(python), "-c", HEADLESS_DEMO],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "demo ok" in result.stdout

    help_text = subprocess.run(
        [str(venv / "bin" / "classroom-tui"), "--help"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert help_text.returncode == 0 and "--demo" in help_text.stdout
