"""The login screen: a profile's connection details, checked as they are typed; on save the
token goes to the OS keyring and the rest to config.toml. Without a keyring, "connect without
saving" keeps the profile and uses the token for this run only. The token is never shown,
logged or written to disk."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from ...api import ConnectionSettings, InvalidInput
from ...auth import credentials
from ...auth.rtm_token import TokenError, decode_token
from ...config import (
    DEFAULT_PROFILE,
    MIN_POLL_INTERVAL,
    REGIONS,
    ConfigError,
    InvalidValue,
    Profile,
    base_url_for,
    base_url_problem,
    load_config,
    profile_name_problem,
    save_config,
    upsert_profile,
)

Check = Callable[[str], str | None]

NO_KEYRING_NOTE = (
    "no OS keyring here: the token will be used for this session only (ctrl+o); "
    "set CLASSROOM_TUI_TOKEN to skip this screen"
)


def _base_url_problem(value: str) -> str | None:
    return base_url_problem(base_url_for(value)) if value.strip() else "the base URL is empty"


def _interval_problem(value: str) -> str | None:
    try:
        seconds = float(value)
    except ValueError:
        return f"the poll interval {value!r} is not a number of seconds"
    if not seconds >= MIN_POLL_INTERVAL:
        return f"the poll interval must be at least {MIN_POLL_INTERVAL} seconds"
    return None


def _required(what: str) -> Check:
    return lambda value: None if value.strip() else f"the {what} is empty"


# field id -> (label, placeholder, check)
FIELDS: dict[str, tuple[str, str, Check]] = {
    "profile": ("Profile name", DEFAULT_PROFILE, profile_name_problem),
    "base-url": (
        "Base URL or region",
        f"https://api.agora.io/na  or one of {', '.join(REGIONS)}",
        _base_url_problem,
    ),
    "app-id": ("App ID", "32 hex digits from the console", _required("App ID")),
    "uid": ("uid", "the uid the token was made for", _required("uid")),
    "token": ("Token", "RTM token (stored in the OS keyring)", _required("token")),
    "poll-interval": ("Poll interval (seconds)", "2", _interval_problem),
}


def token_summary(token: str, app_id: str, uid: str, now: float | None = None) -> tuple[str, bool]:
    """One line about what the token holds, and whether it deserves a warning."""
    try:
        info = decode_token(token.strip())
    except TokenError:
        return "not a 006/007 AccessToken: its contents cannot be shown", False
    left = info.expires_in(now)
    expiry = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.expire))
    text = f"AccessToken {info.version} · App ID {info.app_id} · user {info.user_id or '—'}"
    text += f" · expires {expiry}"
    warnings = []
    if left <= 0:
        warnings.append("it has expired")
    if app_id.strip() and info.app_id != app_id.strip():
        warnings.append("it was made for another App ID")
    if uid.strip() and info.user_id is not None and info.user_id != uid.strip():
        warnings.append("it was made for another uid")
    if warnings:
        text += "\n⚠ " + "; ".join(warnings)
    return text, bool(warnings)


class LoginScreen(Screen[ConnectionSettings | None]):
    """Dismisses with the new ConnectionSettings, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="login.save"),
        Binding("ctrl+o", "connect_only", "Connect without saving", id="login.connect"),
        Binding("escape", "cancel", "Cancel", id="login.cancel"),
    ]

    def __init__(self, reason: str | None = None, profile_name: str | None = None) -> None:
        super().__init__(classes="login-screen")
        self.reason = reason
        self.profile_name = profile_name or DEFAULT_PROFILE
        self.saved_profile: Profile | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="login-form"):
            yield Static("Connect to the Flexible Classroom service", id="login-title")
            if self.reason:
                yield Static(self.reason, id="login-reason", markup=False)
            for field_id, (label, placeholder, _) in FIELDS.items():
                yield Label(label, classes="login-label")
                yield Input(
                    placeholder=placeholder,
                    id=field_id,
                    password=field_id == "token",
                    compact=True,
                )
                yield Static("", id=f"{field_id}-problem", classes="login-problem", markup=False)
                if field_id == "token":
                    yield Static("", id="token-summary", markup=False)
                    yield Static("", id="keyring-note", markup=False)
            yield Static("", id="login-status", markup=False)
            with Horizontal(id="login-buttons"):
                yield Button("Save  ctrl+s", id="login-save", variant="primary", compact=True)
                yield Button("Connect without saving  ctrl+o", id="login-connect", compact=True)
                yield Button("Cancel  esc", id="login-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#profile", Input).value = self.profile_name
        self.query_one("#poll-interval", Input).value = "2"
        self.query_one("#base-url", Input).focus()
        self._prefill()
        self._check_keyring()

    @work(thread=True, group="login-keyring", exit_on_error=False)
    def _check_keyring(self) -> None:
        """Say before anything is typed that the token cannot be kept (D-Bus may block)."""
        if credentials.availability_problem() is not None:
            self.app.call_from_thread(self._show_keyring_note)

    def _show_keyring_note(self) -> None:
        note = self.query_one("#keyring-note", Static)
        note.update(NO_KEYRING_NOTE)
        note.display = True

    @work(thread=True, group="login", exit_on_error=False)
    def _prefill(self) -> None:
        """Fill in the saved profile of that name, if there is one (reading may block)."""
        try:
            profile = load_config().profiles.get(self.profile_name)
        except ConfigError as error:
            self.app.call_from_thread(self._status, str(error), True)
            return
        if profile is not None:
            self.app.call_from_thread(self._fill, profile)

    def _fill(self, profile: Profile) -> None:
        values = {
            "base-url": profile.base_url,
            "app-id": profile.app_id,
            "uid": profile.uid,
            "poll-interval": f"{profile.poll_interval:g}",
        }
        for field_id, value in values.items():
            field = self.query_one(f"#{field_id}", Input)
            if not field.value or field_id == "poll-interval":
                field.value = value
        self.query_one("#token", Input).focus()

    # -- live checks ---------------------------------------------------------------------

    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value

    def problem(self, field_id: str) -> str | None:
        return FIELDS[field_id][2](self.value(field_id))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        field_id = event.input.id or ""
        if field_id in FIELDS:
            # An empty field is not scolded while typing; saving says what is missing.
            problem = self.problem(field_id) if event.value else None
            self._show_problem(field_id, problem)
        if field_id in ("token", "app-id", "uid"):
            self._show_token_summary()

    def _show_problem(self, field_id: str, problem: str | None) -> None:
        message = self.query_one(f"#{field_id}-problem", Static)
        message.update(problem or "")
        message.display = problem is not None
        self.query_one(f"#{field_id}", Input).set_class(problem is not None, "-invalid")

    def _show_token_summary(self) -> None:
        summary = self.query_one("#token-summary", Static)
        token = self.value("token")
        if not token.strip():
            summary.update("")
            summary.display = False
            return
        text, warn = token_summary(token, self.value("app-id"), self.value("uid"))
        summary.update(text)
        summary.display = True
        summary.set_class(warn, "-warning")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "poll-interval":
            self.action_save()
        else:
            self.focus_next()

    # -- saving --------------------------------------------------------------------------

    def _validated(self) -> tuple[Profile, ConnectionSettings] | None:
        """The profile and settings the fields make, or None after showing what is wrong."""
        problems = {field_id: self.problem(field_id) for field_id in FIELDS}
        for field_id, problem in problems.items():
            self._show_problem(field_id, problem)
        bad = [field_id for field_id, problem in problems.items() if problem]
        if bad:
            self.query_one(f"#{bad[0]}", Input).focus()
            self._status(f"{len(bad)} field(s) need attention", True)
            return None
        try:
            profile = Profile(
                name=self.value("profile").strip(),
                base_url=base_url_for(self.value("base-url")),
                app_id=self.value("app-id").strip(),
                uid=self.value("uid").strip(),
                poll_interval=float(self.value("poll-interval")),
            )
            settings = ConnectionSettings(
                base_url=profile.base_url,
                app_id=profile.app_id,
                uid=profile.uid,
                token=self.value("token").strip(),
                auth_style=profile.auth_style,
            )
        except (InvalidValue, InvalidInput) as error:
            self._status(str(error), True)
            return None
        return profile, settings

    @on(Button.Pressed, "#login-save")
    def action_save(self) -> None:
        checked = self._validated()
        if checked is None:
            return
        self._status("saving: token to the OS keyring, profile to config.toml…", False)
        self._set_busy(True)
        self._save(*checked, keep_token=True)

    @on(Button.Pressed, "#login-connect")
    def action_connect_only(self) -> None:
        """For a box without a keyring: the profile is kept, the token only for this run."""
        checked = self._validated()
        if checked is None:
            return
        self._status("saving the profile (not the token) to config.toml…", False)
        self._set_busy(True)
        self._save(*checked, keep_token=False)

    @work(thread=True, group="login", exclusive=True, exit_on_error=False)
    def _save(self, profile: Profile, settings: ConnectionSettings, *, keep_token: bool) -> None:
        # Keyring calls block on D-Bus, so this runs in a thread; the config is read first so
        # that a corrupt file stops us before anything is written.
        try:
            config = load_config()
            if keep_token:
                credentials.set_token(profile.name, settings.token)
            save_config(upsert_profile(config, profile))
        except credentials.CredentialStoreError as error:
            self.app.call_from_thread(self._save_failed, str(error), True)
            return
        except ConfigError as error:
            self.app.call_from_thread(self._save_failed, str(error), False)
            return
        self.saved_profile = profile
        self.app.call_from_thread(self.dismiss, settings)

    def _set_busy(self, busy: bool) -> None:
        for button_id in ("#login-save", "#login-connect"):
            self.query_one(button_id, Button).disabled = busy

    def _save_failed(self, message: str, keyring_failed: bool) -> None:
        if keyring_failed:
            self._show_keyring_note()
        self._status(message, True)
        self._set_busy(False)

    def _status(self, message: str, error: bool) -> None:
        status = self.query_one("#login-status", Static)
        status.update(message)
        status.set_class(error, "-error")

    @on(Button.Pressed, "#login-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
