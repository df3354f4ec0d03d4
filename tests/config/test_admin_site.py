"""Every admin changelist, add page and change page opens for a superuser."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from tests.factories import LetterFactory, TeamFactory, approved_letters

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(db, campaign, coordinator):
    call_command("load_seed", verbosity=0)
    TeamFactory(campaign=campaign, coordinator=coordinator)
    LetterFactory(campaign=campaign)
    approved_letters(campaign, 1)


MODELS = list(admin.site._registry)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_pages_open(client, administrator, filled, model):
    client.force_login(administrator)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    changelist = reverse(f"{prefix}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "landmine"}).status_code == 200
    if admin.site._registry[model].has_add_permission(_request(administrator)):
        assert client.get(reverse(f"{prefix}_add")).status_code == 200
    instance = model.objects.first()
    if instance is not None:
        assert client.get(reverse(f"{prefix}_change", args=[instance.pk])).status_code == 200


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_admin_index_has_the_campaign_header(client, administrator):
    client.force_login(administrator)
    assert "Campaign Letters administration" in client.get(reverse("admin:index")).content.decode()
