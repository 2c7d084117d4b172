"""The baseline of the headless drain: a plain httpx polling loop writing JSON Lines.

Usage: plain_loop.py BASE_URL APP_ID UID TOKEN  (stops at the first empty poll)."""

import json
import sys

import httpx


def main(base_url: str, app_id: str, uid: str, token: str) -> None:
    headers = {"x-agora-uid": uid, "x-agora-token": token}
    path = f"/edu/polling/apps/{app_id}/v2/rooms/sequences"
    out = sys.stdout
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as http:
        while True:
            events = http.get(path).raise_for_status().json()["data"]
            if not events:
                return
            out.write("\n".join(json.dumps(e, ensure_ascii=False) for e in events) + "\n")
            out.flush()


if __name__ == "__main__":
    main(*sys.argv[1:5])
