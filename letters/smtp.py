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
answered 250, and only within KEEP_IDLE_SECONDS of its last message; it is closed after
EMAIL_MESSAGES_PER_CONNECTION messages (providers cap them), and at once after any error. A
message is never sent twice because of the reuse: a dead connection is found before the message
is given to it. A process that ends leaves its connection to the kernel to close.
"""

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
from django.conf import settings
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


class _Kept(threading.local):
    """This thread's open SMTP connection, and what it was opened for."""

    backend: EmailBackend | None = None
    key: tuple = ()
    pid: int = 0
    last_used: float = 0.0
    messages: int = 0


_kept = _Kept()


def _settings_key(backend: EmailBackend) -> tuple:
    return (
        type(backend),
        backend.host,
        backend.port,
        backend.username,
        backend.password,
        backend.use_tls,
        backend.use_ssl,
        backend.ssl_keyfile,
        backend.ssl_certfile,
        backend.timeout,
    )


def _drop_kept(*, polite: bool = False) -> None:
    """Forget this thread's kept connection. Polite: say QUIT and wait for the answer (after a
    message, when the server is known to answer); otherwise just close the socket, so a
    connection a firewall silently dropped costs no wait for an answer that never comes."""
    backend, _kept.backend, _kept.messages = _kept.backend, None, 0
    if backend is None or _kept.pid != os.getpid():
        return  # none, or inherited through a fork: the parent's socket, not ours to touch
    if polite:
        try:
            backend.close()
        except (smtplib.SMTPException, OSError) as error:
            logger.info("closing an SMTP connection failed: %s", error)
        return
    smtp, backend.connection = backend.connection, None
    if smtp is not None:
        with contextlib.suppress(OSError):
            smtp.close()


def _alive(backend: EmailBackend) -> bool:
    try:
        code, _reply = backend.connection.noop()
    except (smtplib.SMTPException, OSError):
        return False
    return code == 250


def _open_connection(fresh: EmailBackend) -> tuple[EmailBackend, bool]:
    """An open connection for `fresh`'s settings, and whether it is a kept one: this thread's
    kept one if it still answers, else a new one, kept for the next message."""
    try:
        key = _settings_key(fresh)
        kept = _kept.backend
        if kept is not None and (
            _kept.pid != os.getpid()
            or _kept.key != key
            or time.monotonic() - _kept.last_used > KEEP_IDLE_SECONDS
            or kept.connection is None
            or not _alive(kept)
        ):
            _drop_kept()
            kept = None
        if kept is not None:
            return kept, True
        fresh.open()
        _kept.backend, _kept.key, _kept.pid, _kept.messages = fresh, key, os.getpid(), 0
        return fresh, False
    except BaseException:  # a time limit in the middle of a NOOP leaves its answer unread
        _drop_kept()
        raise


def _sendmail(fresh: EmailBackend, sender: str, recipients: list[str], content: bytes) -> dict:
    """smtplib's sendmail on this thread's connection: the kept one, or `fresh` opened. A kept
    connection the server turns away at MAIL FROM with 421 (a provider's cap on messages a
    connection, reached early) is replaced once: nothing was sent on it."""
    while True:
        backend, reused = _open_connection(fresh)
        try:
            return backend.connection.sendmail(sender, recipients, content)
        except smtplib.SMTPSenderRefused as error:
            _drop_kept()
            if not (reused and error.smtp_code == 421):
                raise
        except BaseException:
            _drop_kept()  # its state is unknown: the next message gets a new connection
            raise


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
    refused = _sendmail(connection, sender, recipients, message.message().as_bytes(linesep="\r\n"))
    _kept.last_used = time.monotonic()
    _kept.messages += 1
    if _kept.messages >= settings.EMAIL_MESSAGES_PER_CONNECTION:
        _drop_kept(polite=True)
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
