"""Sending one message and knowing whether its main recipient took it; what an attempt came to
(`Outcome`) and whether an error is worth another try (`classify_error`), for both outboxes (the
officials' deliveries and the students' emails).

smtplib raises only when *every* recipient is refused; when some are accepted it returns the
refused ones, and Django's SMTP backend drops that answer. A letter's message now goes to one
office alone (copies are deliveries of their own), but a refused recipient must still never be
recorded as sent. This module sends through the backend's own connection, raises when a primary
recipient was refused, and reports success as soon as the server accepted the message: an error
on QUIT afterwards is no reason to send it again.
"""

import enum
import logging
import smtplib
import socket
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
    connection.open()
    try:
        refused = connection.connection.sendmail(
            sender, recipients, message.message().as_bytes(linesep="\r\n")
        )
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError) as error:  # the message was already accepted
            logger.warning("SMTP close failed after the message was accepted: %s", error)
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
