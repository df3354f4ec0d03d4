"""Sending one message and knowing whether its main recipient took it; what an attempt came to
(`Outcome`) and whether an error is worth another try (`classify_error`), for both outboxes (the
officials' deliveries and the students' emails).

smtplib raises only when *every* recipient is refused; when some are accepted it returns the
refused ones, and Django's SMTP backend drops that answer. A letter's message now goes to one
office alone (copies are deliveries of their own), but a refused recipient must still never be
recorded as sent. This module sends through the backend's own connection, raises when a primary
recipient was refused, and reports success as soon as the server accepted the message.

A worker keeps its SMTP connection between messages (`_kept`: one per thread and process, for
the same server settings), so a batch of thousands of messages does not pay a TCP connection, the
TLS handshake and the login for each one. A kept connection is used again only after a NOOP
answered 250, and only while it is younger than KEEP_IDLE_SECONDS since its last message and has
carried fewer than KEEP_MESSAGES; any error on it closes it. A message is therefore never sent
twice because of the reuse: a dead connection is found before the message is given to it.
"""

import atexit
import contextlib
import enum
import logging
import os
import smtplib
import socket
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address

logger = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    """What one attempt at a delivery came to."""

    SENT = "sent"
    RETRY = "retry"  # a temporary failure: tried again later
    FAILED = "failed"  # final: a coordinator may retry it
    SKIPPED = "skipped"  # nothing to do: sent, being sent, failed, or not due yet


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    retry_in: float | None = None
    reason: str = ""


#: A task may arrive this much before its delivery's retry is due (clocks of several machines).
DUE_TOLERANCE = timedelta(seconds=2)


#: A kept connection is used again for a message this long after its last one, at most.
KEEP_IDLE_SECONDS = 30.0
#: Messages a kept connection carries before a new one is opened (providers cap it).
KEEP_MESSAGES = 100


class _Kept(threading.local):
    """This thread's open SMTP connection, and what it was opened for."""

    backend: EmailBackend | None = None
    key: tuple = ()
    pid: int = 0
    last_used: float = 0.0
    messages: int = 0


_kept = _Kept()
_all_kept: list[_Kept] = []  # every thread's, closed politely at exit


def _settings_key(backend: EmailBackend) -> tuple:
    return (
        backend.host,
        backend.port,
        backend.username,
        backend.password,
        backend.use_tls,
        backend.use_ssl,
        backend.timeout,
    )


def _drop_kept() -> None:
    """Close this thread's kept connection (quietly: it may be dead already)."""
    backend, _kept.backend, _kept.messages = _kept.backend, None, 0
    if backend is not None and _kept.pid == os.getpid():
        try:
            backend.close()
        except (smtplib.SMTPException, OSError) as error:
            logger.info("closing a kept SMTP connection failed: %s", error)


def _alive(backend: EmailBackend) -> bool:
    try:
        code, _reply = backend.connection.noop()
    except (smtplib.SMTPException, OSError):
        return False
    return code == 250


def _open_connection(fresh: EmailBackend) -> EmailBackend:
    """An open connection for `fresh`'s settings: this thread's kept one if it still answers,
    else a new one, kept for the next message."""
    key = _settings_key(fresh)
    now = time.monotonic()
    kept = _kept.backend
    if kept is not None and (
        _kept.pid != os.getpid()  # inherited through a fork: the parent's socket
        or _kept.key != key
        or now - _kept.last_used > KEEP_IDLE_SECONDS
        or _kept.messages >= KEEP_MESSAGES
        or kept.connection is None
        or not _alive(kept)
    ):
        if _kept.pid != os.getpid():
            _kept.backend = None  # the parent's to close, not ours
        _drop_kept()
        kept = None
    if kept is None:
        fresh.open()
        _kept.backend, _kept.key, _kept.pid, _kept.messages = fresh, key, os.getpid(), 0
        if _kept not in _all_kept:
            _all_kept.append(_kept)
        kept = fresh
    return kept


@atexit.register
def _close_all_kept() -> None:
    for kept in list(_all_kept):
        backend = kept.backend
        if backend is not None and kept.pid == os.getpid():
            with contextlib.suppress(smtplib.SMTPException, OSError):
                backend.close()


def send_checked(message: EmailMessage, *, primary: list[str]) -> None:
    """Send `message`; raise SMTPRecipientsRefused if a `primary` address was refused."""
    connection = get_connection(fail_silently=False)
    if not isinstance(connection, EmailBackend):
        # File, console and in-memory backends (development, tests) refuse nobody.
        connection.send_messages([message])
        return
    encoding = message.encoding or "utf-8"
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    wanted = {sanitize_address(address, encoding).lower() for address in primary}
    content = message.message().as_bytes(linesep="\r\n")
    backend = _open_connection(connection)
    try:
        refused = backend.connection.sendmail(sender, recipients, content)
    except BaseException:
        _drop_kept()  # its state is unknown: the next message gets a new connection
        raise
    _kept.last_used = time.monotonic()
    _kept.messages += 1
    refused_primary = {
        address: reply for address, reply in refused.items() if address.lower() in wanted
    }
    if refused_primary:
        raise smtplib.SMTPRecipientsRefused(refused_primary)
    for code, _reply in refused.values():
        logger.warning("a copy of a letter was refused by the server (%s)", code)


def classify_error(error: Exception) -> tuple[bool, str]:
    """(temporary?, reason) for an error raised while sending."""
    if isinstance(error, SoftTimeLimitExceeded):
        return False, "The letter took longer than the time limit to render and send."
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        reason = "; ".join(
            f"{address}: {code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
            for address, (code, message) in error.recipients.items()
        )
        return all(400 <= code < 500 for code in codes), f"Recipient refused: {reason}"
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return 400 <= error.smtp_code < 500, f"SMTP {error.smtp_code}: {text}"
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError | socket.timeout):
        return True, f"Connection problem: {error}"
    if isinstance(error, OSError):
        return True, f"Network error: {error}"
    return False, f"{type(error).__name__}: {error}"
