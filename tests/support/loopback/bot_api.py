"""A fake Telegram Bot API server on 127.0.0.1, speaking the wire format python-telegram-bot uses.

Every call is `POST /bot<token>/<method>` with a form (or multipart) body whose non-string values
are JSON-encoded; answers are `{"ok": true, "result": ...}` or Telegram-style errors with the same
HTTP status. Long polling on getUpdates waits on a condition, like the real server.

    api = FakeBotAPI(); api.start()
    api.root                      -> "http://127.0.0.1:PORT"  (TELEGRAM_API_BASE)
    api.push_command(1001, "/start")
    api.sent                      -> [{"chat_id": 1001, "text": ..., "parse_mode": ...}, ...]
    api.fail(method, status, description, parameters=None, times=1, chat_id=None)
    api.blocked.add(chat_id)      -> sendMessage to it answers 403 "bot was blocked by the user"
    api.outage = True             -> every method answers 502
    two pollers (two processes with one token) -> each new getUpdates ends the waiting one with 409
    api.revoked = True            -> every method answers 401 Unauthorized (a revoked token); another
                                     token than api.token gets 404, as Telegram answers a malformed one
    api.push_callback(chat_id, user_id, data, message_id)   a tap on an inline keyboard button
    api.push_my_chat_member(chat_id, chat_type, new_status)  the bot was added, blocked or removed
    api.chat_admins.add((chat_id, user_id))                 getChatMember answers "creator" for them, "member"
                                                            for everyone else (a channel's readers included)
    api.texts(chat_id) / api.photos(chat_id) / api.edits(chat_id) / api.answers
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import itertools
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest

ME = {"id": 4242, "is_bot": True, "first_name": "Capex", "username": "capex_test_bot"}
TELEGRAM_LIMIT = 4096


@dataclass
class Failure:
    status: int
    description: str
    parameters: dict[str, Any] | None
    times: int
    chat_id: int | None


@dataclass
class FakeBotAPI:
    token: str = "123456:TEST-TOKEN"
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    outage: bool = False
    chat_admins: set[tuple[int, int]] = field(default_factory=set)
    answers: list[dict[str, Any]] = field(default_factory=list)
    send_delay: float = 0.0  # seconds a sendMessage takes before it is recorded (a slow Telegram)
    revoked: bool = False  # the token was revoked at @BotFather: every call answers 401
    # what each message shows now, by (chat, message id): sendMessage sets it, editMessageText replaces it
    shown: dict[tuple[int | None, int], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._failures: dict[str, list[Failure]] = {}
        self._cond = threading.Condition()
        self._update_ids = itertools.count(1)
        self._poll_generation = 0
        self._message_ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                api._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def root(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- test controls ---------------------------------------------------------------------------

    def push_update(self, payload: dict[str, Any]) -> None:
        with self._cond:
            self._updates.append({"update_id": next(self._update_ids), **payload})
            self._cond.notify_all()

    def push_command(self, chat_id: int, text: str, chat_type: str = "private", user_id: int | None = None) -> None:
        command = text.split()[0]
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "Test group"
        message: dict[str, Any] = {
            "message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
            "text": text, "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}]}
        if chat_type == "channel":  # channel posts have no sender user, only the channel itself
            self.push_update({"channel_post": {**message, "sender_chat": chat}})
            return
        message["from"] = {"id": user_id if user_id is not None else chat_id, "is_bot": False, "first_name": "U"}
        self.push_update({"message": message})

    def push_callback(self, chat_id: int, user_id: int, data: str, message_id: int,
                      chat_type: str = "private") -> None:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        message: dict[str, Any] = {"message_id": message_id, "date": int(time.time()), "chat": chat, "text": "menu",
                                   "from": {k: v for k, v in ME.items()}}
        if chat_type == "channel":  # the bot's post in a channel is signed by the channel, as Telegram does
            message["sender_chat"] = chat
        self.push_update({"callback_query": {
            "id": f"cb{next(self._message_ids)}", "chat_instance": f"ci{chat_id}", "data": data,
            "from": {"id": user_id, "is_bot": False, "first_name": "U"}, "message": message}})

    def push_my_chat_member(self, chat_id: int, chat_type: str, new_status: str, old_status: str = "member",
                            user_id: int = 1) -> None:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "Test group"
        bot_user = {k: v for k, v in ME.items()}
        member = {"user": bot_user, "status": new_status}
        if new_status == "kicked":
            member["until_date"] = 0
        self.push_update({"my_chat_member": {
            "chat": chat, "from": {"id": user_id, "is_bot": False, "first_name": "U"}, "date": int(time.time()),
            "old_chat_member": {"user": bot_user, "status": old_status}, "new_chat_member": member}})

    def photos(self, chat_id: int) -> list[dict[str, Any]]:
        return [m for m in self.sent if m.get("chat_id") == chat_id and m["method"] == "sendPhoto"]

    def edits(self, chat_id: int) -> list[dict[str, Any]]:
        return [m for m in self.sent if m.get("chat_id") == chat_id and m["method"] == "editMessageText"]

    def fail(self, method: str, status: int, description: str, parameters: dict[str, Any] | None = None,
             times: int = 1, chat_id: int | None = None) -> None:
        with self._cond:
            self._failures.setdefault(method, []).append(Failure(status, description, parameters, times, chat_id))

    def showing(self, chat_id: int) -> list[str]:
        """What the chat's text messages read now, in the order they were sent (edits applied)."""
        with self._cond:
            return [self.shown[(chat_id, m["message_id"])] for m in self.sent
                    if m.get("chat_id") == chat_id and m["method"] == "sendMessage"]

    def texts(self, chat_id: int) -> list[str]:
        """Texts of the messages sent to a chat (not photos, not edits)."""
        return [m["text"] for m in self.sent if m.get("chat_id") == chat_id and m["method"] == "sendMessage"]

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> None:
        """Block until predicate(self) is true (for tests that run the bot in another process)."""
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; calls so far: {[m for m, _ in self.calls]}")
            time.sleep(0.05)

    # -- protocol --------------------------------------------------------------------------------

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        prefix = f"/bot{self.token}/"
        if not req.path.startswith(prefix):
            self._reply(req, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        method = req.path[len(prefix):]
        params = self._params(req)
        with self._cond:
            self.calls.append((method, params))
        if self.revoked:
            self._reply(req, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        if self.outage:
            self._reply(req, 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
            return
        failure = self._take_failure(method, params)
        if failure is not None:
            body: dict[str, Any] = {"ok": False, "error_code": failure.status, "description": failure.description}
            if failure.parameters:
                body["parameters"] = failure.parameters
            self._reply(req, failure.status, body)
            return
        status, result = self._result(method, params)
        if status != 200:
            self._reply(req, status, {"ok": False, "error_code": status, "description": result})
        else:
            self._reply(req, 200, {"ok": True, "result": result})

    def _take_failure(self, method: str, params: dict[str, Any]) -> Failure | None:
        with self._cond:
            for failure in self._failures.get(method, []):
                if failure.chat_id is not None and _int(params.get("chat_id")) != failure.chat_id:
                    continue
                failure.times -= 1
                if failure.times <= 0:
                    self._failures[method].remove(failure)
                return failure
        return None

    def _result(self, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        if method == "getMe":
            return 200, ME
        if method == "answerCallbackQuery":
            with self._cond:
                self.answers.append(params)
            return 200, True
        if method in ("deleteWebhook", "setMyCommands", "deleteMyCommands"):
            return 200, True
        if method == "getChatMember":
            chat_id, user_id = _int(params.get("chat_id")), _int(params.get("user_id"))
            user = {"id": user_id, "is_bot": False, "first_name": "U"}
            if (chat_id, user_id) in self.chat_admins:
                return 200, {"status": "creator", "user": user, "is_anonymous": False}
            return 200, {"status": "member", "user": user}
        if method == "getUpdates":
            return self._get_updates(params)
        if method in ("sendMessage", "sendPhoto", "editMessageText"):
            if self.send_delay:
                time.sleep(self.send_delay)
            chat_id = _int(params.get("chat_id"))
            if chat_id in self.blocked:
                return 403, "Forbidden: bot was blocked by the user"
            text = params.get("text") or params.get("caption") or ""
            if len(text) > TELEGRAM_LIMIT:
                return 400, "Bad Request: message is too long"
            if method == "sendPhoto" and len(params.get("caption") or "") > 1024:
                return 400, "Bad Request: message caption is too long"
            if params.get("parse_mode") == "HTML" and not _balanced_html(text):
                return 400, "Bad Request: can't parse entities: unclosed tag"
            target = _int(params.get("message_id")) if method == "editMessageText" else None
            with self._cond:
                if target is not None and self.shown.get((chat_id, target)) == text:
                    # Telegram refuses an edit that changes nothing
                    return 400, "Bad Request: message is not modified: specified new message content and reply " \
                                "markup are exactly the same as a current content and reply markup of the message"
                message_id = target if target is not None else next(self._message_ids)
                self.shown[(chat_id, message_id)] = text
                self.sent.append({**params, "chat_id": chat_id, "method": method, "message_id": message_id})
            message = {"message_id": message_id, "date": int(time.time()),
                       "chat": {"id": chat_id, "type": "private" if (chat_id or 0) > 0 else "group"},
                       "text": text}
            return 200, message
        return 200, True

    def _get_updates(self, params: dict[str, Any]) -> tuple[int, Any]:
        offset = _int(params.get("offset")) or 0
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 2.0)
        with self._cond:
            # As Telegram does: a new getUpdates ends the one still waiting with 409 Conflict, so two
            # processes polling with one token keep knocking each other out.
            self._poll_generation += 1
            mine = self._poll_generation
            self._cond.notify_all()
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline and self._poll_generation == mine:
                self._cond.wait(deadline - time.monotonic())
            if self._poll_generation != mine:
                return 409, ("Conflict: terminated by other getUpdates request; make sure that only one bot "
                             "instance is running")
            return 200, list(self._updates)

    @staticmethod
    def _params(req: BaseHTTPRequestHandler) -> dict[str, Any]:
        length = int(req.headers.get("Content-Length") or 0)
        raw = req.rfile.read(length) if length else b""
        ctype = req.headers.get("Content-Type") or ""
        pairs: list[tuple[str, str]] = []
        if ctype.startswith("multipart/form-data"):
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                f"Content-Type: {ctype}\r\n\r\n".encode() + raw)
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if part.get_filename():
                    pairs.append((str(name), f"<file {part.get_filename()}>"))
                else:
                    pairs.append((str(name), part.get_content()))
        else:
            pairs = parse_qsl(raw.decode(), keep_blank_values=True)
        params: dict[str, Any] = {}
        for key, value in pairs:
            if value[:1] in "[{" or value in ("true", "false"):
                try:
                    params[key] = json.loads(value)
                    continue
                except json.JSONDecodeError:
                    pass
            params[key] = value
        return params

    @staticmethod
    def _reply(req: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        req.send_response(status)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # PTB dropped a long poll on shutdown
            req.wfile.write(data)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "blockquote", "tg-spoiler", "span", "tg-emoji"}


def _balanced_html(text: str) -> bool:
    """Roughly what Telegram checks: known tags, properly nested, no stray '<'."""
    stack: list[str] = []
    for m in re.finditer(r"<(/?)([a-zA-Z-]+)([^<>]*)>|<", text):
        if m.group(0) == "<":
            return False
        name = m.group(2).lower()
        if name not in ALLOWED_TAGS:
            return False
        if m.group(1):
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


@pytest.fixture
def bot_api() -> Iterator[FakeBotAPI]:
    """A started fake Bot API for one test (registered by tests/conftest.py)."""
    api = FakeBotAPI().start()
    yield api
    api.stop()
