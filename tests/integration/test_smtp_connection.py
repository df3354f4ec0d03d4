"""A worker's SMTP connection, kept between messages, against a real SMTP server: every message
arrives once, and a connection that died or was refused is replaced before a message is given to
it (letters/smtp.py)."""

import smtplib

import pytest
from django.core.mail import EmailMessage

from letters import smtp as smtp_module
from letters.smtp import send_checked
from tests.integration.services import SmtpServer


@pytest.fixture
def server(smtp_settings, settings):
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    smtp_module._drop_kept()
    yield smtp_settings
    smtp_module._drop_kept()


def send(number: int, to: str = "official@example.gov") -> None:
    message = EmailMessage(f"Letter {number}", f"Body {number}", "campaign@example.org", [to])
    send_checked(message, primary=[to])


def subjects(server) -> list[str]:
    return [received.message["Subject"] for received in server.received]


def connections(server) -> int:
    return len({received.peer for received in server.received})


def test_a_batch_of_messages_goes_over_one_connection(server):
    for number in range(5):
        send(number)
    assert subjects(server) == [f"Letter {number}" for number in range(5)]
    assert connections(server) == 1


def test_a_connection_lost_between_messages_is_replaced_and_nothing_is_sent_twice(server):
    send(1)
    server.stop()
    server.start()  # same port: the kept connection is dead, the server is back
    send(2)
    assert subjects(server) == ["Letter 1", "Letter 2"]
    assert connections(server) == 2


def test_a_server_down_at_the_next_message_is_an_error_and_then_a_new_connection(server):
    send(1)
    server.stop()
    with pytest.raises((smtplib.SMTPException, OSError)):
        send(2)
    server.start()
    send(3)
    assert subjects(server) == ["Letter 1", "Letter 3"]


def test_a_refused_addressee_raises_and_the_next_message_still_arrives(server):
    server.handler.replies["refused@example.gov"] = ["550 No such mailbox"]
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(1, to="refused@example.gov")
    send(2)
    assert subjects(server) == ["Letter 2"]


def test_a_connection_carries_at_most_email_messages_per_connection(server, settings):
    settings.EMAIL_MESSAGES_PER_CONNECTION = 2
    for number in range(5):
        send(number)
    assert len(server.received) == 5
    assert connections(server) == 3


def test_one_connection_a_message_when_set_to_one(server, settings):
    settings.EMAIL_MESSAGES_PER_CONNECTION = 1
    for number in range(3):
        send(number)
    assert connections(server) == 3


def test_a_provider_cap_reached_early_costs_no_attempt(server):
    """The server turns a kept connection away at MAIL FROM (421: too many messages on this
    connection): the message goes on a new connection, once, and the send succeeds."""
    send(1)
    server.handler.mail_replies.append("421 Too many messages on this connection")
    send(2)
    assert subjects(server) == ["Letter 1", "Letter 2"]
    assert connections(server) == 2


def test_a_refusal_at_mail_from_on_a_new_connection_is_an_error(server):
    server.handler.mail_replies.append("421 Try again later")
    with pytest.raises(smtplib.SMTPSenderRefused):
        send(1)
    assert server.received == []


def test_a_time_limit_during_the_check_leaves_no_half_read_connection(server, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    send(1)

    def stopped(backend):
        raise SoftTimeLimitExceeded()

    with monkeypatch.context() as patch:
        patch.setattr(smtp_module, "_alive", stopped)
        with pytest.raises(SoftTimeLimitExceeded):
            send(2)
    send(3)
    assert subjects(server) == ["Letter 1", "Letter 3"]
    assert connections(server) == 2


def test_an_idle_connection_is_not_used_again(server, monkeypatch):
    send(1)
    monkeypatch.setattr(smtp_module, "KEEP_IDLE_SECONDS", 0.0)
    send(2)
    assert connections(server) == 2


def test_new_server_settings_take_effect_at_the_next_message(server, settings):
    send(1)
    with SmtpServer() as other:
        settings.EMAIL_PORT = other.port
        send(2)
        assert [received.message["Subject"] for received in other.received] == ["Letter 2"]
    assert subjects(server) == ["Letter 1"]
