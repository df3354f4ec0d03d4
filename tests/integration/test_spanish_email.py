"""The email an official receives for a Spanish letter, through a real worker and read back from
a real SMTP server: its subject, body and footer are Spanish (issue #14)."""

import re

import pytest
from django.utils import timezone

from campaign.models import Campaign
from letters import batches, services
from letters.models import Batch, Delivery
from letters.seed import load_seed
from tests.integration.services import wait_for
from tests.letters.helpers import pdf_text, squash
from tests.test_spanish_letters import SPANISH_STUDENT, english_words

SPANISH_MONTHS = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_official_receives_a_spanish_letter_in_spanish(coordinator, start_worker, smtp):
    load_seed()
    campaign = Campaign.objects.get(slug="join-the-mine-ban-treaty")
    campaign.sender_email = "campana@example.org"
    campaign.save()
    president = campaign.targets.get(slug="us-president")
    president.delivery_email = "president@example.gov"
    president.save()
    letter = services.letter_create(
        campaign=campaign,
        content=services.LetterContent(
            author=SPANISH_STUDENT,
            personal_paragraph="Me preocupan las niñas y los niños que viven cerca de las minas.",
            recommendations=list(campaign.default_recommendations.all()),
            recipients=[president],
        ),
        language="es",
    )
    services.letter_submit(letter=letter)
    services.letters_approve(letters=[letter])
    start_worker()
    batches.batch_start(campaign=campaign, method=Batch.Method.EMAIL, user=coordinator)

    def email_sent() -> bool:
        """the letter sent to the President by email (the copies go to print)"""
        return Delivery.objects.filter(
            channel=Delivery.Channel.EMAIL, state=Delivery.State.SENT
        ).exists()

    wait_for(email_sent, timeout=120)

    (received,) = smtp.handler.messages_to("president@example.gov")
    message = received.message
    subject = squash(message["Subject"])  # a long header is folded
    assert subject == (
        "Por favor, lleve a los Estados Unidos al Tratado de Prohibición de Minas — "
        "carta de Lucía Hernández"
    )
    assert message["From"].addresses[0].display_name == campaign.title_es
    body = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    page, footer = body.split("\n--\n")
    assert "A la Presidencia de los Estados Unidos:" in page
    today = timezone.localdate()
    assert f"{today.day} de {SPANISH_MONTHS[today.month - 1]} de {today.year}" in page
    assert footer.strip() == (
        "Esta carta la escribió Lucía Hernández con Cartas de Campaña para "
        "“Por la adhesión al Tratado de Prohibición de Minas”. Va adjunta en PDF."
    )
    # The postal address is the only English: the post reads it so.
    address = president.postal_address.splitlines()
    spanish = "\n".join(line for line in body.splitlines() if line not in address)
    assert english_words(f"{subject}\n{spanish}") == []
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="es">' in html
    english_in_html = re.sub(r'<span lang="en">.*?</span>', " ", html)
    assert english_words(re.sub(r"<[^>]+>", " ", english_in_html.split("<body")[1])) == []
    (attachment,) = received.pdf_attachments()
    assert "A la Presidencia de los Estados Unidos:" in squash(pdf_text(attachment))
