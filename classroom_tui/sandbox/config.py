"""The sandbox's settings, with the demo credentials it hands out by default."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .faults import FaultSpec

# A 32-hex-digit id, shaped like a real App ID so token tools accept it.
DEFAULT_APP_ID = "5a4db0c1e2f3a4b5c6d7e8f9a0b1c2d3"
DEFAULT_UID = "support-console"
DEFAULT_TOKEN = "sandbox-token"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8750
DEFAULT_BATCH_SIZE = 100
DEFAULT_RETENTION = 3600.0
DEFAULT_MAX_QUEUE = 500_000


@dataclass
class SandboxConfig:
    """How a sandbox runs. `port=0` picks a free port. `rate` is simulated events per second
    in total (0 = no simulation). `clock` returns epoch seconds; tests inject a fake one."""

    host: str = DEFAULT_HOST
    port: int = 0
    app_id: str = DEFAULT_APP_ID
    uid: str = DEFAULT_UID
    token: str = field(default=DEFAULT_TOKEN, repr=False)
    rate: float = 0.0
    seed: int = 0
    faults: FaultSpec | str = field(default_factory=FaultSpec)
    batch_size: int = DEFAULT_BATCH_SIZE
    app_certificate: str | None = field(default=None, repr=False)
    auto_create_rooms: bool = True
    retention: float = DEFAULT_RETENTION
    max_queue: int = DEFAULT_MAX_QUEUE
    simulated_world: bool = True
    log_requests: bool = False
    clock: Callable[[], float] = field(default=time.time, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.faults, str):
            self.faults = FaultSpec.parse(self.faults)
        if self.batch_size < 1:
            raise ValueError("the batch size must be at least 1")
        if self.rate < 0:
            raise ValueError("the event rate must not be negative")
        if not (0 <= self.port <= 65535):
            raise ValueError(f"port {self.port} is outside 0-65535")
        if not self.app_id or not self.uid or not self.token:
            raise ValueError("the App ID, uid and token must not be empty")

    @property
    def fault_spec(self) -> FaultSpec:
        faults = self.faults
        return faults if isinstance(faults, FaultSpec) else FaultSpec.parse(faults)
