"""The import of the public data on Congress and the presidency (campaign/congress_import.py)."""

import copy
import datetime

import pytest
from django.core.management import CommandError, call_command

from campaign import congress
from campaign.congress_import import ImportFailed, congress_import
from campaign.models import CongressImport, Official, Term, ZipCodeArea
from letters.seed import load_seed
from tests.campaign import congress_data
from tests.campaign.congress_data import SNAPSHOT_ON

pytestmark = pytest.mark.django_db


def _seats(chamber: str):
    return Official.objects.filter(chamber=chamber).prefetch_related("terms")


def test_shipped_snapshot_gives_every_senate_seat_and_district_its_holder():
    load_seed()
    report = congress_data.import_shipped()
    people = congress_data.members()

    senate = list(_seats(Official.Chamber.SENATE))
    assert len(senate) == 100
    assert all(seat.holder_on(SNAPSHOT_ON) is not None for seat in senate)
    assert {seat.state for seat in senate} == set(congress.STATE_NAMES) - congress.TERRITORIES

    house = list(_seats(Official.Chamber.HOUSE))
    districts = [seat for seat in house if seat.state not in congress.TERRITORIES]
    delegates = [seat for seat in house if seat.state in congress.TERRITORIES]
    assert len(districts) == 435
    data_delegates = {
        term["state"]
        for term in map(congress_data.current_term, people)
        if term["type"] == "rep" and term["state"] in congress.TERRITORIES
    }
    assert {seat.state for seat in delegates} == data_delegates
    held = [seat for seat in house if seat.holder_on(SNAPSHOT_ON) is not None]
    assert len(held) == sum(1 for m in people if congress_data.current_term(m)["type"] == "rep")

    # One senator as the data has her: name, greeting, Washington office, phone, contact form.
    cantwell = Official.objects.get(slug="us-senate-wa-class-1")
    holder = cantwell.holder_on(SNAPSHOT_ON)
    assert holder.name == "Maria Cantwell"
    assert holder.salutation == "Dear Senator Cantwell"
    assert holder.starts_on == datetime.date(2001, 1, 3)  # her unbroken time in the seat
    assert holder.ends_on == datetime.date(2031, 1, 3)
    assert holder.phone == "202-224-3441"
    assert holder.contact_url == "https://www.cantwell.senate.gov/public/index.cfm/email-maria"
    assert holder.verified_on == SNAPSHOT_ON
    assert holder.record == Term.Record.DATA_IMPORT
    assert cantwell.office == "United States Senator for Washington"
    assert cantwell.postal_address == "511 Hart Senate Office Building\nWashington, DC 20510"

    at_large = Official.objects.get(slug="us-house-ak-at-large")
    assert at_large.office == "Representative for Alaska (at large)"
    assert at_large.holder_on(SNAPSHOT_ON).salutation.startswith("Dear Representative ")
    assert (
        Official.objects.get(slug="us-house-dc-at-large")
        .holder_on(SNAPSHOT_ON)
        .salutation.startswith("Dear Delegate ")
    )
    assert (
        Official.objects.get(slug="us-house-pr-at-large")
        .holder_on(SNAPSHOT_ON)
        .salutation.startswith("Dear Resident Commissioner ")
    )

    # The presidency: the seed's past holders, and the current one from executive.yaml.
    president = Official.objects.get(slug="us-president").holder_on(SNAPSHOT_ON)
    assert president.name == "Donald Trump"
    assert president.salutation == "Dear Mr. President"
    assert president.starts_on == datetime.date(2025, 1, 20)

    assert ZipCodeArea.objects.count() == 42033
    latest = CongressImport.objects.get()
    assert latest.snapshot_on == SNAPSHOT_ON
    assert "538 new holders" in str(report)


def test_holders_are_greeted_in_spanish_too():
    congress_data.import_shipped()
    cantwell = Official.objects.get(slug="us-senate-wa-class-1").holder_on(SNAPSHOT_ON)
    fields = {field.name for field in Term._meta.get_fields()}
    if "salutation_es" not in fields:
        pytest.skip("Spanish content columns (django-modeltranslation) are not in this checkout")
    assert cantwell.salutation_es == "Estimada senadora Cantwell"


def test_reimport_of_newer_data_ends_a_departed_term_and_addresses_the_successor(tmp_path):
    congress_data.import_shipped()
    people = congress_data.members()
    replaced = congress_data.find(people, type="rep", state="WA", district=7)
    vacated = congress_data.find(people, type="sen", state="WA", **{"class": 3})
    successor = copy.deepcopy(replaced)
    successor["id"] = {"bioguide": "X000001"}
    successor["name"] = {"first": "Alex", "last": "Newcomer", "official_full": "Alex Newcomer"}
    successor["bio"] = {"gender": "F"}
    successor["terms"] = [
        {
            **congress_data.current_term(replaced),
            "start": "2026-07-14",
            "address": "1 Longworth House Office Building Washington DC 20515-4707",
            "office": "1 Longworth House Office Building",
            "phone": "202-225-0000",
        }
    ]
    newer = [m for m in people if m not in (replaced, vacated)] + [successor]
    folder = congress_data.modified_copy(tmp_path / "newer", newer)
    later = datetime.date(2026, 8, 1)

    report = congress_import(directory=folder, snapshot_on=later)

    seat = Official.objects.get(slug="us-house-wa-7")
    old = seat.terms.get(member_id=replaced["id"]["bioguide"])
    assert old.ends_on == datetime.date(2026, 7, 13)
    assert seat.holder_on(datetime.date(2026, 7, 1)) == old  # letters of before keep theirs
    addressee = seat.addressee_on(later)
    assert (addressee.name, addressee.salutation) == (
        "Alex Newcomer",
        "Dear Representative Newcomer",
    )
    assert seat.postal_address == "1 Longworth House Office Building\nWashington, DC 20515-4707"

    vacant = Official.objects.get(slug="us-senate-wa-class-3")
    murray = vacant.terms.get(member_id=vacated["id"]["bioguide"])
    assert murray.ends_on == later - datetime.timedelta(days=1)
    addressee = vacant.addressee_on(later)
    assert addressee.by_title
    assert addressee.name == "Office of the United States Senator for Washington"
    assert addressee.salutation == "To the office of the Senator for Washington"
    assert vacant.postal_address == congress.CHAMBER_ADDRESSES["senate"]
    assert Official.objects.filter(chamber=Official.Chamber.SENATE).count() == 100  # kept

    text = str(report)
    assert "Alex Newcomer now holds Representative for the 7th district of Washington." in text
    assert f"{murray.name} no longer holds United States Senator for Washington." in text
    assert report.counts["terms ended"] == 2
    assert report.counts["new holders"] == 1
    assert CongressImport.objects.latest().snapshot_on == later
    # The import's changes are in the holders' history, with their reason.
    assert murray.history.first().history_change_reason.startswith("Import of the public data")


def test_second_identical_import_changes_nothing():
    congress_data.import_shipped()
    terms = list(Term.objects.order_by("pk").values())
    offices = list(Official.objects.order_by("pk").values())
    history = (Term.history.count(), Official.history.count())

    report = congress_data.import_shipped()

    assert not report.changed
    assert report.counts == {"holders unchanged": 538 - 1}  # no presidency without the seed
    assert list(Term.objects.order_by("pk").values()) == terms
    assert list(Official.objects.order_by("pk").values()) == offices
    assert (Term.history.count(), Official.history.count()) == history
    assert CongressImport.objects.count() == 1


def test_an_administrators_newer_check_survives_an_older_import(tmp_path):
    congress_data.import_shipped()
    seat = Official.objects.get(slug="us-house-wa-7")
    sworn_in = Term.objects.create(
        official=seat,
        name="Someone Sworn In",
        salutation="Dear Representative In",
        starts_on=datetime.date(2026, 7, 1),
        verified_on=datetime.date(2026, 7, 2),
        verification_source="House Clerk's page",
    )

    congress_data.import_shipped()

    sworn_in.refresh_from_db()
    assert sworn_in.ends_on is None


def test_command_reads_a_folder_and_reports(tmp_path, capsys):
    call_command("import_congress", "--path", str(congress_data.SHIPPED))
    assert "Congress data of 2026-06-15" in capsys.readouterr().out

    with pytest.raises(CommandError, match="not a folder"):
        call_command("import_congress", "--path", str(tmp_path / "missing"))
    with pytest.raises(CommandError, match="not a date"):
        call_command("import_congress", "--as-of", "June")


def test_a_folder_without_a_date_is_refused(tmp_path):
    folder = congress_data.modified_copy(tmp_path / "undated", congress_data.members()[:3])
    (folder / "README.md").write_text("no table here")
    with pytest.raises(ImportFailed, match="--as-of"):
        congress_import(directory=folder)
