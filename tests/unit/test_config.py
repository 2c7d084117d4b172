"""config.toml: round trip, privacy of the file, atomic writes, line-precise errors."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from classroom_tui import config as config_module
from classroom_tui.config import (
    Config,
    ConfigError,
    InvalidValue,
    Profile,
    config_path,
    data_dir,
    load_config,
    save_config,
    upsert_profile,
)


def sample() -> Config:
    config = Config(keymap={"pause": "space"}, max_log_lines=5000, retention_days=7)
    config = upsert_profile(config, Profile("day", "https://api.agora.io/na", "app", "u1"))
    night = Profile(
        "night",
        "http://127.0.0.1:8080",
        "app2",
        "u2",
        poll_interval=0.5,
        auth_style="authorization",
        token_lifetime=86400,
        uses_certificate=True,
    )
    return upsert_profile(config, night, make_active=False)


def test_paths_follow_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "c"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "d"))
    assert config_path() == tmp_path / "c" / "classroom-tui" / "config.toml"
    assert data_dir() == tmp_path / "d" / "classroom-tui"


def test_missing_file_is_an_empty_config(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.toml") == Config()


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    save_config(sample(), path)
    loaded = load_config(path)
    assert loaded == sample()
    assert loaded.active == "day"
    assert loaded.active_profile() == sample().profiles["day"]


def test_file_is_private_and_its_folder_too(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "config.toml"
    previous = os.umask(0o022)  # a usual umask would leave new files world-readable
    try:
        save_config(sample(), path)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    save_config(sample(), path)  # replacing keeps it private
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_write_is_atomic_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    save_config(sample(), path)
    before = path.read_bytes()

    def broken_replace(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(config_module.os, "replace", broken_replace)
    with pytest.raises(ConfigError, match="cannot be written"):
        save_config(Config(), path)
    assert path.read_bytes() == before
    assert [entry.name for entry in tmp_path.iterdir()] == ["config.toml"]  # no temp left


def test_a_syntax_error_names_file_and_line_and_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('active = "a"\n\n[profiles.a]\nbase_url = "https://h"\nuid = oops\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == 5 and caught.value.path == path
    assert str(caught.value).startswith(f"{path} line 5: ")
    before = path.read_bytes()
    with pytest.raises(ConfigError, match="left untouched"):
        save_config(sample(), path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        (
            '[profiles.a]\nbase_url = "https://h"\napp_id = "x"\nuid = "u"\npoll_interval = 0.1\n',
            5,
            "at least 0.5",
        ),
        ('[profiles.a]\nbase_url = "ftp://h"\napp_id = "x"\nuid = "u"\n', 2, "http(s)"),
        ('[profiles.a]\nbase_url = "na"\napp_id = "x"\nuid = ""\n', 4, "uid is empty"),
        ('[profiles.a]\nbase_url = "na"\napp_id = "x"\n', 1, "has no uid"),
        (
            '\n[profiles.a]\nbase_url = "na"\napp_id = "x"\nuid = "u"\nauth_style = "cookie"\n',
            6,
            "auth_style",
        ),
        (
            '[profiles.a]\nbase_url = "na"\napp_id = "x"\nuid = "u"\ntoken_lifetime = 90000\n',
            5,
            "1..86400",
        ),
        (
            '[profiles.a]\nbase_url = "na"\napp_id = "x"\nuid = "u"\ntoken = "s3cr3t"\n',
            5,
            "does not belong",
        ),
        (
            '[profiles.a]\nbase_url = "na"\napp_id = "x"\nuid = "u"\npol_interval = 1\n',
            5,
            "unknown setting 'pol_interval'",
        ),
        ('[profiles."a:b"]\nbase_url = "na"\napp_id = "x"\nuid = "u"\n', 1, "profile name"),
        ("max_log_lines = 10\n", 1, "at least 100"),
        ("retention_days = true\n", 1, "whole number"),
        ('active = "ghost"\n', 1, "names no profile"),
        ("[keymap]\npause = 3\n", 2, "keymap.pause"),
    ],
)
def test_bad_values_name_the_line(tmp_path: Path, body: str, line: int, words: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == line
    assert words in str(caught.value)
    assert "s3cr3t" not in str(caught.value)


def test_region_names_in_the_file_become_urls_and_profiles_inherit_the_interval(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('poll_interval = 5\n[profiles.a]\nbase_url = "EU"\napp_id = "x"\nuid = "u"\n')
    profile = load_config(path).profiles["a"]
    assert profile.base_url == "https://api.agora.io/eu"
    assert profile.poll_interval == 5.0


def test_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path)


def test_the_file_never_holds_a_secret_field(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    save_config(sample(), path)
    keys = {line.split("=")[0].strip() for line in path.read_text().splitlines() if "=" in line}
    assert keys.isdisjoint({"token", "app_certificate", "certificate"})


def test_profile_values_are_checked_when_built() -> None:
    with pytest.raises(InvalidValue) as caught:
        Profile("p", "https://h", "app", "u", poll_interval=0.4)
    assert caught.value.key == "poll_interval"
    with pytest.raises(InvalidValue):
        Profile("bad name", "https://h", "app", "u")


def test_keymap_binding_ids_with_dots_bare_or_quoted(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[keymap]\nlog.pause = "space"\n"controller.end_class" = "E"\n'
        'recordings.next_page = "right"\n'
    )
    keymap = load_config(path).keymap
    assert keymap == {
        "log.pause": "space",
        "controller.end_class": "E",
        "recordings.next_page": "right",
    }
    save_config(load_config(path), path)
    assert load_config(path).keymap == keymap


def test_keymap_nested_bad_value_names_the_binding(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[keymap]\nlog.pause = 3\n")
    with pytest.raises(ConfigError, match=r"keymap\.log\.pause"):
        load_config(path)


def test_history_and_size_retention_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("history_lines = 50\nretention_max_mb = 0\n")
    config = load_config(path)
    assert (config.history_lines, config.retention_max_mb) == (50, 0)
    assert load_config(tmp_path / "missing.toml").retention_max_mb == 1024
    path.write_text("history_lines = -1\n")
    with pytest.raises(ConfigError, match="line 1"):
        load_config(path)
