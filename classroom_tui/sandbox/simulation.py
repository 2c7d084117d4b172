"""Simulated classes. Content and order of the events depend only on the seed and on how many
events were asked for, never on timing: `generate(n)` is what the rate loop calls per tick.

A session starts a class, lets people join, chat, raise hands, go on stage, get rewards, share
courseware, use widgets, record, leave, and ends the class. A finished session's room stays
ended; the next session in that slot uses a new room ("Math 101 (2)"). The simulation never
touches a room a person has set a state on: it abandons it and moves on.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from collections.abc import Iterator

from . import content
from .session import Session
from .world import Room, SandboxError, World

MAX_ENDED_ROOMS = 200
TICK = 0.05


class Simulation:
    """Runs `concurrent` sessions at a time in the simulated rooms of a world."""

    def __init__(self, world: World, *, seed: int = 0, rate: float = 0.0, concurrent: int = 3):
        self.world = world
        self.rate = rate
        self.concurrent = min(concurrent, len(content.SIMULATED_ROOMS))
        self.rng = random.Random(f"sim:{seed}")
        self._sessions: list[tuple[Session, Iterator[None]]] = []
        self._rounds: dict[str, int] = {}
        self._ended: deque[str] = deque()
        self._carry = 0.0

    def generate(self, count: int) -> int:
        """Emit at least `count` events (a state change may add one more); returns how many."""
        world = self.world
        with world.lock:
            before = world.generated
            target = before + count
            guard = 4 * count + 100
            while world.generated < target and guard > 0:
                guard -= 1
                while len(self._sessions) < self.concurrent:
                    self._start_session()
                index = self.rng.randrange(len(self._sessions))
                session, steps = self._sessions[index]
                finished = session.room.person_controlled
                if not finished:
                    try:
                        next(steps)
                    except (StopIteration, SandboxError):
                        finished = True
                if finished:
                    del self._sessions[index]
                    self._retire(session.room)
            return world.generated - before

    def _start_session(self) -> None:
        world = self.world
        busy = {s.room.uuid.split(" (")[0] for s, _ in self._sessions}
        free = [b for b in content.SIMULATED_ROOMS if b not in busy]
        base = self.rng.choice(free)
        while True:
            number = self._rounds.get(base, 0) + 1
            self._rounds[base] = number
            uuid = base if number == 1 else f"{base} ({number})"
            room = world.rooms.get(uuid)
            if room is None:
                room = world.add_room(uuid, simulated=True)
            if room.simulated and not room.person_controlled and room.state == 0:
                break
        session = Session(room=room, rng=random.Random(self.rng.getrandbits(64)), world=world)
        self._sessions.append((session, session.steps()))

    def _retire(self, room: Room) -> None:
        self._ended.append(room.uuid)
        while len(self._ended) > MAX_ENDED_ROOMS:
            old = self.world.rooms.get(self._ended.popleft())
            if old is not None and old.simulated and not old.person_controlled:
                del self.world.rooms[old.uuid]

    def advance(self, elapsed: float) -> int:
        """Generate the events due after `elapsed` seconds at the current rate."""
        if self.rate <= 0:
            self._carry = 0.0
            return 0
        self._carry += self.rate * min(elapsed, 1.0)
        count = int(self._carry)
        if not count:
            return 0
        generated = self.generate(count)
        self._carry -= generated
        return generated

    async def run(self) -> None:
        """Produce `rate` events per second in bursts of one tick, until cancelled."""
        last = time.monotonic()
        while True:
            await asyncio.sleep(TICK)
            now = time.monotonic()
            self.advance(now - last)
            last = now
