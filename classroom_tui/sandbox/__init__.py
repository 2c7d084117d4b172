"""The built-in sandbox: a local implementation of the Flexible Classroom REST service with
simulated classes and fault injection. See world.py for which rooms exist (`auto_create_rooms`),
faults.py for the fault spec syntax and control.py for the `/_sandbox/` control API."""

from .app import SandboxApp
from .config import DEFAULT_APP_ID, DEFAULT_PORT, DEFAULT_TOKEN, DEFAULT_UID, SandboxConfig
from .content import IDLE_ROOMS, SIMULATED_ROOMS
from .faults import REQUEST_FAULTS, FaultSpec
from .seeding import seed_world
from .server import SandboxServer, SandboxStartError, bind_socket
from .simulation import Simulation
from .world import Room, SandboxError, World

__all__ = [
    "DEFAULT_APP_ID",
    "DEFAULT_PORT",
    "DEFAULT_TOKEN",
    "DEFAULT_UID",
    "IDLE_ROOMS",
    "REQUEST_FAULTS",
    "SIMULATED_ROOMS",
    "FaultSpec",
    "Room",
    "SandboxApp",
    "SandboxConfig",
    "SandboxError",
    "SandboxServer",
    "SandboxStartError",
    "Simulation",
    "World",
    "bind_socket",
    "seed_world",
]
