"""One simulated class session: a script that emits one event per step."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import content
from .world import JsonObject, Room, World


@dataclass
class Person:
    uuid: str
    name: str
    role: int
    stream: str
    platform: str

    def brief(self) -> JsonObject:
        return {"userUuid": self.uuid, "userName": self.name, "role": self.role}

    def full(self, kind: int, now: int) -> JsonObject:
        return {
            **self.brief(),
            "userProperties": {"platform": self.platform},
            "streamUuid": self.stream,
            "type": kind,
            "updateTime": now,
        }


@dataclass
class Session:
    room: Room
    rng: random.Random
    world: World
    online: list[Person] = field(default_factory=list)
    offline: list[Person] = field(default_factory=list)
    stage: list[Person] = field(default_factory=list)
    hands: dict[str, str] = field(default_factory=dict)
    rewards: dict[str, int] = field(default_factory=dict)
    resources: list[JsonObject] = field(default_factory=list)
    teacher: Person | None = None

    def _person(self, name: str, role: int) -> Person:
        rng = self.rng
        return Person(
            uuid=f"{name.split()[-1].lower().strip('.')}-{rng.getrandbits(24):06x}",
            name=name,
            role=role,
            stream=str(rng.randint(10_000, 2_000_000_000)),
            platform=rng.choice(("web", "windows", "mac", "ios", "android")),
        )

    def _emit(self, cmd: int, data: JsonObject) -> None:
        self.world.emit(self.room, cmd, data)

    def steps(self) -> Iterator[None]:
        """One item per emitted event (state changes may emit two)."""
        rng, world, uuid = self.rng, self.world, self.room.uuid
        world.set_class_state(uuid, 1, by_person=False)
        yield
        self.teacher = self._person(rng.choice(content.TEACHERS), 1)
        yield from self._join([self.teacher])
        students = [self._person(n, 2) for n in rng.sample(content.STUDENTS, rng.randint(4, 12))]
        while students:
            group = students[: rng.randint(1, 4)]
            students = students[len(group) :]
            yield from self._join(group)
        if rng.random() < 0.8:
            world.set_recording_state(uuid, 1, by_person=False)
            yield
        actions: list[tuple[Callable[[], Iterator[None]], int]] = [
            (self._chat, 40),
            (self._hand, 10),
            (self._stage, 8),
            (self._reward, 10),
            (self._courseware, 5),
            (self._widget, 8),
            (self._churn, 7),
            (self._record, 2),
        ]
        moves, weights = zip(*actions, strict=True)
        for _ in range(rng.randint(30, 150)):
            yield from rng.choices(moves, weights)[0]()
        if self.room.recording is not None:
            world.set_recording_state(uuid, 2, by_person=False)
            yield
        while self.online:
            count = rng.randint(1, max(1, len(self.online)))
            yield from self._leave(self.online[-count:], 1)
        world.set_class_state(uuid, 2, by_person=False)
        yield

    def _join(self, people: list[Person]) -> Iterator[None]:
        now = self.world.now_ms()
        kinds = []
        for person in people:
            rejoin = person in self.offline
            if rejoin:
                self.offline.remove(person)
            self.online.append(person)
            kinds.append(person.full(2 if rejoin else 1, now))
        self._emit(20, {"total": len(self.online), "onlineUsers": kinds, "offlineUsers": []})
        yield

    def _leave(self, people: list[Person], kind: int) -> Iterator[None]:
        now = self.world.now_ms()
        for person in people:
            self.online.remove(person)
            self.offline.append(person)
            if person in self.stage:
                self.stage.remove(person)
            self.hands.pop(person.uuid, None)
        gone = [p.full(kind, now) for p in people]
        self._emit(20, {"total": len(self.online), "onlineUsers": [], "offlineUsers": gone})
        yield

    def _students(self) -> list[Person]:
        return [p for p in self.online if p.role == 2]

    def _chat(self) -> Iterator[None]:
        rng = self.rng
        students = self._students()
        speaker = self.teacher if not students or rng.random() < 0.35 else rng.choice(students)
        assert speaker is not None
        lines = content.TEACHER_LINES if speaker.role == 1 else content.STUDENT_LINES
        named = rng.choice(students).name.split()[0] if students else "everyone"
        text = rng.choice(lines).format(page=rng.randint(2, 40), student=named)
        self._emit(3, {"fromUser": speaker.brief(), "message": text, "type": 1})
        yield

    def _hand(self) -> Iterator[None]:
        rng = self.rng
        waiting = [p for p in self._students() if p.uuid not in self.hands]
        if self.hands and (not waiting or rng.random() < 0.5):
            user = rng.choice(sorted(self.hands))
            payload = self.hands.pop(user)
            added, removed = [], [{"userUuid": user, "payload": {"reason": payload}}]
        elif waiting:
            person = rng.choice(waiting)
            self.hands[person.uuid] = rng.choice(content.HAND_RAISE_REASONS)
            added, removed = (
                [{"userUuid": person.uuid, "payload": {"reason": self.hands[person.uuid]}}],
                [],
            )
        else:
            yield from self._chat()
            return
        progress = [{"userUuid": u, "payload": {"reason": r}} for u, r in self.hands.items()]
        self._emit(
            1502,
            {"progressUsers": progress, "addProgressUsers": added, "removeProgressUsers": removed},
        )
        yield

    def _stage(self) -> Iterator[None]:
        rng = self.rng
        candidates = [p for p in self._students() if p not in self.stage]
        add: list[Person] = []
        remove: list[Person] = []
        if self.stage and (not candidates or rng.random() < 0.45):
            remove = [rng.choice(self.stage)]
            self.stage.remove(remove[0])
        elif candidates:
            add = [rng.choice(candidates)]
            self.stage.extend(add)
        else:
            yield from self._chat()
            return
        self._emit(
            1501,
            {
                "acceptedUsers": [{"userUuid": p.uuid} for p in self.stage],
                "addAcceptedUsers": [{"userUuid": p.uuid} for p in add],
                "removeAcceptedUsers": [{"userUuid": p.uuid} for p in remove],
            },
        )
        yield

    def _reward(self) -> Iterator[None]:
        rng = self.rng
        students = self._students()
        if not students:
            yield from self._chat()
            return
        chosen = rng.sample(students, min(len(students), rng.choice((1, 1, 1, 2, 3))))
        details = []
        for person in chosen:
            self.rewards[person.uuid] = self.rewards.get(person.uuid, 0) + 1
            details.append(
                {
                    "userUuid": person.uuid,
                    "changedReward": 1,
                    "totalReward": self.rewards[person.uuid],
                }
            )
        self._emit(1101, {"rewardDetails": details, "updateTime": self.world.now_ms()})
        yield

    def _courseware(self) -> Iterator[None]:
        rng = self.rng
        assert self.teacher is not None
        if self.resources and rng.random() < 0.25:
            resource = self.resources.pop(rng.randrange(len(self.resources)))
            action = 2
        else:
            name = rng.choice(content.COURSEWARE)
            task = f"{rng.getrandbits(128):032x}"
            pages = rng.randint(4, 60)
            resource = {
                "resourceUuid": f"{rng.getrandbits(128):032x}",
                "resourceName": name,
                "size": rng.randint(80_000, 48_000_000),
                "url": f"https://convertcdn.sandbox.invalid/{task}/{name.replace(' ', '%20')}",
                "taskUuid": task,
                "taskToken": "NETLESSTASK_" + f"{rng.getrandbits(96):024x}",
                "taskProgress": {
                    "status": "Finished",
                    "totalPageSize": pages,
                    "convertedPageSize": pages,
                    "convertedPercentage": 100,
                },
            }
            self.resources.append(resource)
            action = 1
        self._emit(
            1003, {"resources": [resource], "operator": self.teacher.brief(), "action": action}
        )
        yield

    def _widget(self) -> Iterator[None]:
        rng = self.rng
        assert self.teacher is not None
        widget = rng.choice(content.WIDGETS)
        actor = self.teacher
        props: dict[str, Any]
        if widget == "poll":
            question, options = rng.choice(content.POLL_QUESTIONS)
            votes = [rng.randint(0, 8) for _ in options]
            props = {
                "question": question,
                "options": options,
                "votes": votes,
                "state": rng.choice(("open", "closed")),
            }
        elif widget == "countdown":
            props = {
                "duration": rng.choice((60, 120, 300)),
                "state": "running",
                "startTime": self.world.now_ms(),
            }
        elif widget == "answer-sheet":
            students = self._students()
            if students:
                actor = rng.choice(students)
            props = {"question": rng.randint(1, 10), "answer": rng.choice("ABCD")}
        else:
            props = {"title": "Quick check", "open": rng.random() < 0.7}
        action = 2 if rng.random() < 0.1 else 1
        self._emit(
            1110,
            {
                "action": action,
                "widgetUuid": widget,
                "changeProperties": props,
                "fromUser": actor.brief(),
                "operator": self.teacher.brief(),
            },
        )
        yield

    def _churn(self) -> Iterator[None]:
        rng = self.rng
        students = self._students()
        if self.offline and (len(students) < 2 or rng.random() < 0.5):
            yield from self._join([rng.choice(self.offline)])
        elif students:
            yield from self._leave([rng.choice(students)], rng.choice((1, 1, 1, 2)))
        else:
            yield from self._chat()

    def _record(self) -> Iterator[None]:
        action = 2 if self.room.recording is not None else 1
        self.world.set_recording_state(self.room.uuid, action, by_person=False)
        yield
