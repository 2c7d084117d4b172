"""Fault injection: a spec string such as
``latency=0.2,error500=0.1,html503=0.05,ratelimit=0.05,retry_after=1,hang=0.02,hang_seconds=30,
drop=0.02,malformed=0.02,reorder=0.1,gap=0.01``.

Request faults (`error500`, `html503`, `ratelimit`, `hang`, `drop`, `malformed`) are
probabilities that add up to at most 1; one seeded roll per API request picks at most one of
them, before the handler runs. `latency` (seconds) is added to every API request.
Event-stream faults apply to each poll answer: `reorder` is the probability that a batch's events
are shuffled within each room, `gap` the probability that an event is dropped from the queue.
An empty spec or ``none`` means no faults.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, fields
from typing import Literal

RequestFault = Literal["error500", "html503", "ratelimit", "hang", "drop", "malformed"]
REQUEST_FAULTS: tuple[RequestFault, ...] = (
    "error500",
    "html503",
    "ratelimit",
    "hang",
    "drop",
    "malformed",
)
_PROBABILITIES = (*REQUEST_FAULTS, "reorder", "gap")
_DURATIONS = ("latency", "hang_seconds", "retry_after")


@dataclass(frozen=True)
class FaultSpec:
    latency: float = 0.0
    error500: float = 0.0
    html503: float = 0.0
    ratelimit: float = 0.0
    retry_after: int = 1
    hang: float = 0.0
    hang_seconds: float = 30.0
    drop: float = 0.0
    malformed: float = 0.0
    reorder: float = 0.0
    gap: float = 0.0

    def __post_init__(self) -> None:
        for name in _PROBABILITIES:
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
                raise ValueError(f"fault {name}={value!r}: a probability must be within 0-1")
        for name in _DURATIONS:
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise ValueError(f"fault {name}={value!r}: must be a non-negative number")
        if isinstance(self.retry_after, float) or self.retry_after < 0:
            raise ValueError("fault retry_after must be a whole number of seconds")
        total = sum(getattr(self, name) for name in REQUEST_FAULTS)
        if total > 1.0 + 1e-9:
            raise ValueError(
                f"the request fault probabilities ({', '.join(REQUEST_FAULTS)}) add up to "
                f"{total:g}; they must add up to at most 1"
            )

    @classmethod
    def parse(cls, spec: str) -> FaultSpec:
        """Read a spec string; raise ValueError saying what is wrong."""
        text = spec.strip()
        if not text or text.lower() == "none":
            return cls()
        known = {f.name for f in fields(cls)}
        values: dict[str, float | int] = {}
        for item in text.split(","):
            item = item.strip()
            if not item:
                continue
            name, sep, raw = item.partition("=")
            name, raw = name.strip(), raw.strip()
            if not sep or not name or not raw:
                raise ValueError(f"fault {item!r} is not of the form name=value")
            if name not in known:
                raise ValueError(f"unknown fault {name!r}; known: {', '.join(sorted(known))}")
            if name in values:
                raise ValueError(f"fault {name!r} is given twice")
            try:
                number = float(raw)
            except ValueError:
                raise ValueError(f"fault {name}={raw!r}: not a number") from None
            if not math.isfinite(number):
                raise ValueError(f"fault {name}={raw!r}: not a finite number")
            if name == "retry_after":
                if number != int(number) or number < 0:
                    raise ValueError(f"fault retry_after={raw!r}: must be whole seconds")
                values[name] = int(number)
            else:
                values[name] = number
        return cls(**values)  # type: ignore[arg-type]

    def to_spec(self) -> str:
        """The spec string of the faults that are on (empty when none)."""
        default = FaultSpec()
        parts = [
            f"{f.name}={getattr(self, f.name):g}"
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        ]
        return ",".join(parts)

    @property
    def active(self) -> bool:
        return self != FaultSpec()

    def choose(self, rng: random.Random) -> RequestFault | None:
        """One roll: the request fault to inject, or None."""
        if not any(getattr(self, name) for name in REQUEST_FAULTS):
            return None
        roll = rng.random()
        edge = 0.0
        for name in REQUEST_FAULTS:
            edge += getattr(self, name)
            if roll < edge:
                return name
        return None
