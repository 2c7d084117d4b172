"""The seeded world: idle rooms for people, simulated rooms for the simulation."""

from __future__ import annotations

from . import content
from .world import World


def seed_world(world: World) -> None:
    for uuid, records in content.IDLE_ROOMS.items():
        world.add_room(uuid, records=records)
    for uuid, records in content.SIMULATED_ROOM_RECORDS.items():
        world.add_room(uuid, records=records, simulated=True)
