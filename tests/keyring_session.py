"""A real, private Secret Service for tests: its own D-Bus session bus and gnome-keyring-daemon.

Use the `secret_service` fixture (session scope): it starts `dbus-daemon --session` and
`gnome-keyring-daemon --unlock --components=secrets` with HOME, XDG_DATA_HOME and
XDG_RUNTIME_DIR in a temporary directory (so a fresh login keyring is created, unlocked by a
throwaway password), points DBUS_SESSION_BUS_ADDRESS at that bus, selects keyring's
SecretService backend, and stops both daemons at the end. It never touches the user's keyring.

Needs the Debian packages `dbus` and `gnome-keyring`; works as root with no display.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.backend
import pytest

PACKAGES = {"dbus-daemon": "dbus", "gnome-keyring-daemon": "gnome-keyring"}
_STARTUP_SECONDS = 15.0


@dataclass(frozen=True)
class SecretServiceSession:
    bus_address: str
    home: Path
    backend: keyring.backend.KeyringBackend


def _require_programs() -> None:
    missing = [name for name in PACKAGES if shutil.which(name) is None]
    if missing:
        packages = " ".join(sorted({PACKAGES[name] for name in missing}))
        pytest.fail(
            f"{', '.join(missing)} not found: the keyring tests need a real Secret Service; "
            f"install it with `apt-get install -y {packages}`",
            pytrace=False,
        )


# A session bus WITHOUT service activation. With the standard session config, a probe that
# arrives before our daemon owns org.freedesktop.secrets makes the bus start a second
# gnome-keyring-daemon (from its .service file) with no unlocked login keyring; the next
# keyring call then waits forever on a prompt nobody can answer.
_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={tmp}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def _start_bus(environment: dict[str, str], root: Path) -> tuple[subprocess.Popen[bytes], str]:
    config = root / "bus.conf"
    config.write_text(_BUS_CONFIG.format(tmp=root))
    bus = subprocess.Popen(
        [
            "dbus-daemon",
            f"--config-file={config}",
            "--print-address=1",
            "--nofork",
            "--nopidfile",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        start_new_session=True,
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().decode().strip()
    if not address:
        error = bus.stderr.read().decode() if bus.stderr else ""
        bus.kill()
        pytest.fail(f"dbus-daemon did not start: {error.strip()}", pytrace=False)
    return bus, address


def _start_keyring(environment: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--foreground"],
            stdin=subprocess.PIPE,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=environment,
            start_new_session=True,
        )
    assert daemon.stdin is not None
    # --unlock reads the login keyring's password from stdin until EOF.
    daemon.stdin.write(b"throwaway-test-password")
    daemon.stdin.close()
    return daemon


def _wait_until_ready(daemon: subprocess.Popen[bytes], log: Path) -> keyring.backend.KeyringBackend:
    from keyring.backends import SecretService

    deadline = time.monotonic() + _STARTUP_SECONDS
    backend = SecretService.Keyring()
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if daemon.poll() is not None:
            break
        if not _login_collection_ready():
            time.sleep(0.1)
            continue
        try:
            backend.set_password("classroom-tui-test", "ready", "yes")
            if backend.get_password("classroom-tui-test", "ready") == "yes":
                backend.delete_password("classroom-tui-test", "ready")
                return backend
        except Exception as error:  # not answering yet: D-Bus name not owned, collection...
            last_error = error
        time.sleep(0.1)
    pytest.fail(
        f"gnome-keyring-daemon did not answer on the private bus ({last_error}); its log:\n"
        f"{log.read_text(errors='replace')[-2000:]}",
        pytrace=False,
    )


def _login_collection_ready() -> bool:
    """Our daemon owns the Secret Service name and has its unlocked login collection (asked
    without the keyring backend, which would try to create a collection and prompt)."""
    import secretstorage

    try:
        connection = secretstorage.dbus_init()
    except Exception:
        return False
    try:
        for collection in secretstorage.get_all_collections(connection):
            if collection.collection_path.endswith("/login") and not collection.is_locked():
                return True
    except Exception:  # ServiceUnknown until the daemon has claimed its name
        return False
    finally:
        connection.close()
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="session")
def secret_service() -> Iterator[SecretServiceSession]:
    _require_programs()
    root = Path(tempfile.mkdtemp(prefix="classroom-tui-keyring-"))
    home, data, runtime = root / "home", root / "data", root / "run"
    for directory in (home, data, runtime):
        directory.mkdir(mode=0o700)
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(data),
        "XDG_RUNTIME_DIR": str(runtime),
        "LANG": "C.UTF-8",
    }
    bus, address = _start_bus(environment, root)
    daemon: subprocess.Popen[bytes] | None = None
    saved = {name: os.environ.get(name) for name in ("DBUS_SESSION_BUS_ADDRESS",)}
    previous_backend = keyring.get_keyring()
    try:
        environment["DBUS_SESSION_BUS_ADDRESS"] = address
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
        daemon = _start_keyring(environment, root / "gnome-keyring.log")
        backend = _wait_until_ready(daemon, root / "gnome-keyring.log")
        yield SecretServiceSession(bus_address=address, home=home, backend=backend)
    finally:
        keyring.set_keyring(previous_backend)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if daemon is not None:
            _stop(daemon)
        _stop(bus)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def real_keyring(
    secret_service: SecretServiceSession, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SecretServiceSession]:
    """The private Secret Service, selected as keyring's backend for one test."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service.bus_address)
    previous = keyring.get_keyring()
    keyring.set_keyring(secret_service.backend)
    yield secret_service
    keyring.set_keyring(previous)
