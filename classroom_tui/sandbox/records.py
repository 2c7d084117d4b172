"""Recordings as the service lists them: ids shaped like the real ones, from a seeded RNG."""

from __future__ import annotations

import random
from typing import Any

JsonObject = dict[str, Any]


def new_record(app_id: str, room_uuid: str, start: int, rng: random.Random) -> JsonObject:
    """A running recording (status 1): no endTime or url yet."""
    record_id = f"{rng.getrandbits(128):032x}"
    return {
        "appId": app_id,
        "roomUuid": room_uuid,
        "recordId": record_id,
        "startTime": start,
        "resourceId": _resource_id(rng),
        "sid": f"{rng.getrandbits(128):032x}",
        "recordUid": str(rng.randint(900_000_000, 999_999_999)),
        "boardAppId": "sandbox-board/" + f"{rng.getrandbits(48):012x}",
        "boardToken": "NETLESSSDK_" + f"{rng.getrandbits(160):040x}",
        "boardId": f"{rng.getrandbits(128):032x}",
        "type": rng.choice((1, 2)),
        "status": 1,
    }


def record_url(app_id: str, record: JsonObject) -> str:
    return f"scenario/recording/{app_id}/{record['recordId']}/{record['sid']}.m3u8"


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _resource_id(rng: random.Random) -> str:
    return "".join(rng.choice(_B64) for _ in range(64))
