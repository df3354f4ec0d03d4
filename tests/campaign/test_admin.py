"""Administrators keep officials, facts and recommendations current."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaign.models import Official, Recommendation
from tests.factories import FactFactory, OfficialFactory

pytestmark = pytest.mark.django_db

HEADER = "slug,office,addressed_title,salutation,postal_address,delivery_email\n"


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def upload(admin_client, text: str):
    file = SimpleUploadedFile("officials.csv", text.encode("utf-8"), content_type="text/csv")
    return admin_client.post(reverse("admin:campaign_official_import"), {"file": file})


def test_csv_import_creates_and_updates(admin_client, officials):
    text = HEADER + (
        "secretary-of-state,Secretary of State,The Secretary of State,Dear Secretary of State,"
        '"2201 C Street NW\nWashington, DC 20520",secretary@example.gov\n'
        "un-ambassador,U.S. Ambassador to the United Nations,The U.S. Ambassador to the UN,"
        'Dear Ambassador,"799 United Nations Plaza\nNew York, NY 10017",\n'
    )
    response = upload(admin_client, text)
    assert response.status_code == 302
    secretary = Official.objects.get(slug="secretary-of-state")
    assert secretary.delivery_email == "secretary@example.gov"
    assert secretary.terms.get().name == "Antony Blinken"  # holders are not in the CSV
    assert Official.objects.get(slug="un-ambassador").delivery_email == ""
    page = admin_client.get(response["Location"]).content.decode()
    assert "Imported: 1 new, 1 updated." in page


def test_csv_import_with_one_bad_row_imports_nothing_and_names_the_row(admin_client, officials):
    text = HEADER + (
        'new-one,Office A,The Office A,Dear A,"1 Main St\nTown, ST 00001",a@example.gov\n'
        'new-two,Office B,The Office B,Dear B,"1 Main St\nTown, ST 00001",not-an-email\n'
        'new-three,Office C,The Office C,Dear C,"only one line",\n'
    )
    response = upload(admin_client, text)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported." in page
    assert "Line 4: " in page and "Enter a valid email address." in page
    assert "Line 6: " in page and "2 to 6 lines" in page
    assert not Official.objects.filter(slug__startswith="new-").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,office\nA,B\n", "missing columns"),
        (HEADER.replace("\n", ",shoe_size\n"), "unknown columns"),
        (HEADER + 'a,b,c,d,"1 St\nTown",,extra\n', "more cells than columns"),
    ],
)
def test_csv_import_explains_a_malformed_file(admin_client, content, message):
    assert message in upload(admin_client, content).content.decode()
    assert not Official.objects.exists()


def test_csv_import_refuses_text_that_is_not_utf8(admin_client):
    file = SimpleUploadedFile("o.csv", HEADER.encode("utf-16"), content_type="text/csv")
    page = admin_client.post(reverse("admin:campaign_official_import"), {"file": file}).content
    assert "not UTF-8" in page.decode()


def test_csv_export_round_trips(admin_client, officials):
    exported = admin_client.get(reverse("admin:campaign_official_export")).content.decode()
    assert exported.startswith(HEADER.strip())
    assert "The Secretary of State" in exported
    Official.objects.all().delete()
    assert upload(admin_client, exported).status_code == 302
    assert Official.objects.count() == 2


def test_a_holder_whose_term_ended_is_not_named_but_old_letters_keep_them(
    client, campaign, officials
):
    from letters import rendering, services
    from tests.factories import LetterFactory

    letter = services.letter_submit(letter=LetterFactory(campaign=campaign))
    officials[1].terms.update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    page = client.get(reverse("letters:compose", args=[campaign.slug])).content.decode()
    assert "Joseph R. Biden" in page
    assert "Antony Blinken" not in page
    assert "The Secretary of State" in page
    assert "Antony Blinken" in letter.rendered_text
    assert "Dear Secretary Blinken," in rendering.letter_text(rendering.render_letter(letter))


def test_postal_address_is_validated(admin_client):
    data = {
        "slug": "x",
        "office_en": "Office",
        "name": "Name",
        "salutation_en": "Dear Name",
        "postal_address": "one line only",
        "delivery_email": "not an email",
    }
    page = admin_client.post(reverse("admin:campaign_official_add"), data).content.decode()
    assert "2 to 6 lines" in page and "Enter a valid email address." in page
    assert not Official.objects.exists()


def test_needs_review_filter_finds_old_facts(admin_client):
    old = FactFactory(statement="An old figure.", as_of=datetime.date(2020, 1, 1))
    FactFactory(statement="A fresh figure.", as_of=timezone.localdate())
    page = admin_client.get(reverse("admin:campaign_fact_changelist"), {"needs_review": "yes"})
    text = page.content.decode()
    assert old.statement in text and "A fresh figure." not in text


def test_recommendations_can_be_reordered_in_their_list(admin_client, campaign):
    rec_list = campaign.recommendation_lists.get()
    items = list(rec_list.items.order_by("position"))
    data = {
        "slug": rec_list.slug,
        "title_en": rec_list.title,
        "source": rec_list.source_id,
        "introduction_en": "",
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": len(items),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    new_positions = [2, 1, 4, 3]
    for index, (item, position) in enumerate(zip(items, new_positions, strict=True)):
        data.update(
            {
                f"items-{index}-id": item.pk,
                f"items-{index}-recommendation_list": rec_list.pk,
                f"items-{index}-position": position,
                f"items-{index}-text_en": item.text,
                f"items-{index}-detail_en": "",
                f"items-{index}-status": "current",
            }
        )
    url = reverse("admin:campaign_recommendationlist_change", args=[rec_list.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    reordered = list(
        Recommendation.objects.filter(recommendation_list=rec_list).order_by("position")
    )
    assert [r.pk for r in reordered] == [items[1].pk, items[0].pk, items[3].pk, items[2].pk]

    data["items-0-position"] = 1  # now two items claim position 1
    page = admin_client.post(url, data).content.decode()
    assert "Please correct the duplicate data for position" in page


def test_admin_login_is_rate_limited(client, administrator):
    url = reverse("admin:login")
    for _ in range(4):
        response = client.post(url, {"username": "ada_admin", "password": "wrong"})
        assert response.status_code == 200
    assert client.post(url, {"username": "ada_admin", "password": "wrong"}).status_code == 429
    locked = client.post(url, {"username": "ada_admin", "password": "correct horse battery staple"})
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()


def test_rate_limit_ignores_a_forged_forwarded_for(client, administrator, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("admin:login")
    for number in range(5):
        client.post(
            url,
            {"username": "ada_admin", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.7",
        )
    locked = client.post(
        url,
        {"username": "ada_admin", "password": "correct horse battery staple"},
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7",
    )
    assert locked.status_code == 429


def test_history_records_who_changed_an_office_in_every_language(admin_client, officials):
    official = officials[0]
    data = {
        "slug": official.slug,
        "office_en": official.office,
        "addressed_title_en": "The President",
        "addressed_title_es": "La Presidencia",
        "salutation_en": official.salutation,
        "postal_address": official.postal_address,
        "delivery_email": "",
        "terms-TOTAL_FORMS": "0",
        "terms-INITIAL_FORMS": "0",
    }
    response = admin_client.post(
        reverse("admin:campaign_official_change", args=[official.pk]), data
    )
    assert response.status_code == 302
    latest = official.history.first()
    assert latest.addressed_title_en == "The President"
    assert latest.addressed_title_es == "La Presidencia"
    changed = {change.field for change in latest.diff_against(latest.prev_record).changes}
    assert {"addressed_title_en", "addressed_title_es"} <= changed
    assert latest.history_user.username == "ada_admin"
    page = admin_client.get(reverse("admin:campaign_official_history", args=[official.pk]))
    assert "ada_admin" in page.content.decode()


def test_every_admin_model_has_search_and_filters():
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("campaign", "letters"):
            continue
        assert model_admin.search_fields, model
        assert model_admin.list_filter, model


def test_every_field_an_editor_changes_has_help_text():
    from campaign.models import Campaign, Fact, RecommendationList, Source
    from letters.models import LetterTemplate

    skip = {"id", "created_at", "updated_at"}
    for model in (
        Source,
        Fact,
        RecommendationList,
        Recommendation,
        Official,
        Campaign,
        LetterTemplate,
    ):
        for field in model._meta.get_fields():
            if not getattr(field, "editable", False) or field.auto_created or field.name in skip:
                continue
            assert field.help_text, f"{model.__name__}.{field.name} needs help_text"
    assert OfficialFactory  # factories stay importable for the admin tests


# --- Issue #12: the officials CSV ---------------------------------------------------------------


def test_csv_export_neutralises_cells_a_spreadsheet_would_run(admin_client, officials):
    """A cell that starts like a formula is written as text (a leading apostrophe), and reading
    the export back gives the value typed, not the apostrophe."""
    official = officials[0]
    official.office = '=HYPERLINK("http://evil.example","Click")'
    official.salutation = "+Dear Mr. President"
    official.addressed_title = "-The President"
    official.save()
    Official.objects.filter(pk=official.pk).update(postal_address="@The White House\nWashington")
    exported = admin_client.get(reverse("admin:campaign_official_export")).content.decode()
    rows = list(csv.reader(io.StringIO(exported)))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert '\'=HYPERLINK("http://evil.example","Click")' in cells
    assert "'+Dear Mr. President" in cells and "'-The President" in cells
    assert "'@The White House\nWashington" in cells
    Official.objects.filter(pk=official.pk).update(postal_address=official.postal_address)
    exported = admin_client.get(reverse("admin:campaign_official_export")).content.decode()
    assert upload(admin_client, exported).status_code == 302
    official.refresh_from_db()
    assert official.office == '=HYPERLINK("http://evil.example","Click")'
    assert (official.salutation, official.addressed_title) == (
        "+Dear Mr. President",
        "-The President",
    )


def test_a_nul_byte_in_the_csv_is_refused_with_its_line_not_a_server_error(admin_client):
    text = HEADER + 'new-one,Office A,The Office\x00 A,Dear A,"1 Main St\nTown, ST 00001",\n'
    response = upload(admin_client, text)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Line 2: the file holds a NUL character" in page
    assert not Official.objects.exists()


def test_a_csv_larger_than_the_limit_is_refused_before_it_is_read():
    from campaign import officials_csv

    class Huge:
        size = officials_csv.MAX_BYTES + 1

        def read(self, *args):
            raise AssertionError("read although larger than the limit")

    with pytest.raises(officials_csv.ImportFailed, match="larger than 1 MB"):
        officials_csv.read_upload(Huge())

    class Lying:  # says it is small, is not: never more than the limit is read
        size = 10
        asked = []

        def read(self, size=-1):
            self.asked.append(size)
            return b"x" * size

    with pytest.raises(officials_csv.ImportFailed, match="larger than 1 MB"):
        officials_csv.read_upload(Lying())
    assert Lying.asked == [officials_csv.MAX_BYTES + 1]


def test_a_csv_larger_than_the_limit_is_refused_on_the_page(admin_client):
    from campaign import officials_csv

    big = HEADER.encode() + b"x" * officials_csv.MAX_BYTES
    file = SimpleUploadedFile("o.csv", big, content_type="text/csv")
    page = admin_client.post(reverse("admin:campaign_official_import"), {"file": file})
    assert "The file is larger than 1 MB." in page.content.decode()
    assert not Official.objects.exists()
