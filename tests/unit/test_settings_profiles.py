"""Where a connection setting comes from: flags > environment > profile > keyring.

The keyring is an in-memory backend here (precedence only); the real Secret Service is
exercised in tests/integration/test_keyring_profiles.py.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import keyring
import keyring.backend
import pytest

from classroom_tui.api import InvalidInput
from classroom_tui.auth import credentials
from classroom_tui.cli.exit_codes import CommandError
from classroom_tui.config import Config, Profile, config_path, save_config, upsert_profile
from classroom_tui.settings import add_connection_arguments, base_url_for, resolve_settings


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.reads = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.reads += 1
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.store[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_connection_arguments(parser)
    return parser.parse_args(list(argv))


def save_profiles(*profiles: Profile, active: str | None = None) -> None:
    config = Config()
    for profile in profiles:
        config = upsert_profile(config, profile)
    config.active = active
    save_config(config, config_path())


DAY = Profile("day", "https://profile.example", "profile-app", "profile-uid")
NIGHT = Profile(
    "night", "https://night.example", "night-app", "night-uid", auth_style="authorization"
)


def test_flags_beat_environment_beat_profile_beat_keyring(memory_keyring: MemoryKeyring) -> None:
    save_profiles(DAY, active="day")
    credentials.set_token("day", "keyring-token")
    env = {"CLASSROOM_TUI_APP_ID": "env-app", "CLASSROOM_TUI_UID": "env-uid"}

    settings = resolve_settings(parse("--uid", "flag-uid"), env=env)

    assert settings.uid == "flag-uid"
    assert settings.app_id == "env-app"
    assert settings.base_url == "https://profile.example"
    assert settings.token == "keyring-token"
    env_token = resolve_settings(parse(), env={"CLASSROOM_TUI_TOKEN": "env-token"})
    assert env_token.token == "env-token"


def test_the_keyring_is_not_asked_when_the_environment_has_the_token(
    memory_keyring: MemoryKeyring,
) -> None:
    save_profiles(DAY, active="day")
    resolve_settings(parse(), env={"CLASSROOM_TUI_TOKEN": "env-token"})
    assert memory_keyring.reads == 0


def test_profile_choice_flag_then_environment_then_active(memory_keyring: MemoryKeyring) -> None:
    save_profiles(DAY, NIGHT, active="day")
    credentials.set_token("day", "t-day")
    credentials.set_token("night", "t-night")

    assert resolve_settings(parse(), env={}).token == "t-day"
    by_env = resolve_settings(parse(), env={"CLASSROOM_TUI_PROFILE": "night"})
    assert (by_env.token, by_env.auth_style) == ("t-night", "authorization")
    by_flag = resolve_settings(parse("--profile", "day"), env={"CLASSROOM_TUI_PROFILE": "night"})
    assert by_flag.token == "t-day"
    style = resolve_settings(parse("--profile", "night", "--auth-style", "headers"), env={})
    assert style.auth_style == "headers"


def test_an_unknown_profile_says_how_to_create_it(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(InvalidInput, match="login --profile ghost"):
        resolve_settings(parse("--profile", "ghost"), env={})


def test_missing_fields_are_named_with_the_fix(memory_keyring: MemoryKeyring) -> None:
    save_profiles(DAY, active="day")
    with pytest.raises(InvalidInput) as caught:
        resolve_settings(parse(), env={})
    assert "no token given" in str(caught.value)
    assert "classroom-tui login" in str(caught.value)


def test_certificate_from_the_environment_mints_a_token(memory_keyring: MemoryKeyring) -> None:
    from classroom_tui.auth.rtm_token import decode_token

    env = {"CLASSROOM_TUI_APP_CERTIFICATE": "5cfd2fd1755d40ecb72977518be15d3b"}
    settings = resolve_settings(
        parse("--base-url", "na", "--app-id", "970CA35de60c44645bbae8a215061b33", "--uid", "u9"),
        env=env,
    )
    assert decode_token(settings.token).user_id == "u9"


def test_a_corrupt_config_becomes_a_one_line_command_error(memory_keyring: MemoryKeyring) -> None:
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text("active = \n")
    with pytest.raises(CommandError) as caught:
        resolve_settings(parse(), env={})
    assert str(caught.value).startswith(f"{config_path()} line 1: ")
    assert caught.value.exit_code == 1


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("na", "https://api.agora.io/na"),
        ("CN", "https://api.agora.io/cn"),
        (" eu ", "https://api.agora.io/eu"),
        ("ap", "https://api.agora.io/ap"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
    ],
)
def test_region_names_become_urls(given: str, url: str) -> None:
    assert base_url_for(given) == url


def test_settings_repr_never_shows_secrets() -> None:
    from classroom_tui.settings import PartialConnection

    text = repr(PartialConnection(token="tok-123", certificate="c" * 32))
    assert "tok-123" not in text and "c" * 32 not in text
