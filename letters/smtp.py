"""Sending one message and knowing whether its main recipient took it.

smtplib raises only when *every* recipient is refused; when some are accepted it returns the
refused ones, and Django's SMTP backend drops that answer. A letter's message now goes to one
office alone (copies are deliveries of their own), but a refused recipient must still never be
recorded as sent. This module sends through the backend's own connection, raises when a primary
recipient was refused, and reports success as soon as the server accepted the message: an error
on QUIT afterwards is no reason to send it again.
"""

import logging
import smtplib

from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address

logger = logging.getLogger(__name__)


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
