"""Real components for integration tests: Redis, a Celery worker process, an SMTP server."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from functools import cached_property
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


# --- SMTP -------------------------------------------------------------------------------------


@dataclass
class Received:
    sender: str
    recipients: list[str]
    content: bytes  # the message as the server took it
    peer: tuple = ()  # the client's (address, port): one per connection

    @cached_property
    def message(self) -> EmailMessage:
        """Parsed when first read, not while the server answers: a parse on the server's one
        event loop held up every other connection (1.2 ms a letter with its PDF, measured)."""
        return message_from_bytes(self.content, policy=policy.default)

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]

    def pdf_attachments(self) -> list[bytes]:
        return [
            part.get_content()
            for part in self.message.iter_attachments()
            if part.get_content_type() == "application/pdf"
        ]


@dataclass
class SmtpHandler:
    """Records every message; `replies` lets a test script answers per recipient address,
    `mail_replies` the answers to the next MAIL FROM commands."""

    received: list[Received] = field(default_factory=list)
    replies: dict[str, list[str]] = field(default_factory=dict)
    mail_replies: list[str] = field(default_factory=list)  # answers to the next MAIL FROMs
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            reply = self.mail_replies.pop(0) if self.mail_replies else None
        if reply and not reply.startswith("250"):
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            scripted = self.replies.get(address.lower())
            reply = scripted.pop(0) if scripted else None
        if reply and not reply.startswith("250"):
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(
                Received(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    envelope.original_content,
                    session.peer,
                )
            )
        return "250 Message accepted for delivery"

    def messages_to(self, address: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if address in r.message["To"]]


class SmtpServer:
    def __init__(self) -> None:
        self.handler = SmtpHandler()
        self.port = 0
        self.controller = None

    def start(self) -> None:
        """Listen (again, after `stop`) on the same port, with the same record of messages."""
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        """The server goes away: connections to its port are refused until `start`."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self) -> "SmtpServer":
        # A port found free may be taken before the server binds it (tests run in parallel
        # under pytest-xdist): then another one.
        for attempt in range(5):
            self.port = free_port()
            try:
                self.start()
            except OSError:
                self.controller = None
                if attempt == 4:
                    raise
                continue
            return self
        raise AssertionError("unreachable")

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)


# --- Redis ------------------------------------------------------------------------------------


class LocalRedis:
    """A redis-server of the tests' own, on a free port (used only when none runs on 6379)."""

    def __init__(self, binary: str) -> None:
        # A port found free may be taken before redis-server binds it (tests run in parallel
        # under pytest-xdist): then our server exits, and another one is started. Whatever
        # answers on the port must be our process, never someone else's server.
        self.binary = binary
        for _attempt in range(5):
            self.port = free_port()
            if self.start():
                return
        raise RuntimeError("redis-server did not start on a free port")

    def start(self) -> bool:
        """Start (again, after `stop`) on the same port: empty, as a Redis without persistence.
        False if it exited at once (its port was taken)."""
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return self._started()

    def _started(self) -> bool:
        """Whether our redis-server answers on its port (False if it exited: port taken)."""
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            if port_open("127.0.0.1", self.port):
                client = redis.Redis(host="127.0.0.1", port=self.port)
                try:
                    ours = client.info("server")["process_id"] == self.process.pid
                finally:
                    client.close()
                if ours:
                    return True
                self.stop()
                return False
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        deadline = time.monotonic() + 10
        while port_open("127.0.0.1", self.port) and time.monotonic() < deadline:
            time.sleep(0.05)


# --- Celery worker ----------------------------------------------------------------------------


class Worker:
    """A real `celery worker` process, sharing the test database, broker and SMTP server."""

    def __init__(self, env: dict[str, str], name: str, concurrency: int = 2) -> None:
        self.name = name
        self.log = []
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                str(concurrency),
                "--pool",
                "prefork",
                "--hostname",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, so a kill reaches its children
        )
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(60):
            self.stop()
            raise RuntimeError("Celery worker did not start:\n" + "".join(self.log[-40:]))

    def _read(self) -> None:
        for line in self.process.stdout:
            self.log.append(line)
            if " ready." in line:
                self.ready.set()

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once: a crash, not a shutdown."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def wait_for(condition: Callable[[], bool], timeout: float = 120, every: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {timeout}s waiting for {condition.__doc__ or condition}"
            )
        time.sleep(every)


__all__ = ["SmtpServer", "Worker", "wait_for"]
