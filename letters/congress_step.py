"""The compose form's step for campaigns that write to the student's own members of Congress:
the student types a ZIP code; the app finds the districts it overlaps (imported public data) and
their members. A ZIP code in several districts (or states) lists them for the student to choose;
an unknown one offers a state picker for the senators.

The ZIP code is kept with the letter (only five digits) and deleted with it; it is never logged
(the compose view hides it from error reports, letters/views.py STUDENT_FIELDS).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from campaign import congress
from campaign.models import Campaign, Official
from campaign.selectors import CongressArea, ZipLookup, congress_lookup, senators_of


@dataclass(frozen=True)
class Option:
    """One district (or state, for senators only) the student may live in, with its members."""

    key: str  # "WA-7", or "WA" when only senators are written to
    label: str
    members: tuple[Official, ...]


@dataclass
class CongressStep:
    zip_typed: str = ""
    zip_code: str = ""  # the five digits, once the typed ZIP code reads as one
    error: str = ""  # the typed ZIP code does not read as one
    lookup: ZipLookup | None = None
    options: list[Option] = field(default_factory=list)
    chosen: Option | None = None
    asks_state: bool = False  # an unknown ZIP code: the senators come from a chosen state
    state: str = ""
    message: str = ""  # what the student should know about the answer
    members: list[Official] = field(default_factory=list)

    @property
    def asks_choice(self) -> bool:
        return len(self.options) > 1

    @property
    def looked_up(self) -> bool:
        return bool(self.zip_code)


def _members(campaign: Campaign, area: CongressArea) -> tuple[Official, ...]:
    senators = area.senators if campaign.writes_to_senators else ()
    house = (area.representative,) if campaign.writes_to_representative else ()
    return tuple(office for office in (*senators, *house) if office is not None)


def _options(campaign: Campaign, lookup: ZipLookup) -> list[Option]:
    if campaign.writes_to_representative:
        return [Option(area.key, area.label, _members(campaign, area)) for area in lookup.areas]
    by_state = {}
    for area in lookup.areas:
        by_state.setdefault(area.state, Option(area.state, area.state_name, area.senators))
    return list(by_state.values())


def congress_step(
    *, campaign: Campaign, zip_typed: str, choice: str = "", state: str = ""
) -> CongressStep:
    """The step as the student has filled it in so far."""
    step = CongressStep(zip_typed=zip_typed or "")
    if not step.zip_typed.strip():
        return step
    try:
        step.zip_code = congress.normalise_zip(step.zip_typed)
    except congress.ZipCodeError as error:
        step.error = str(error)
        return step
    step.lookup = congress_lookup(step.zip_code)
    if not step.lookup.found:
        return _unknown(campaign, step, state)
    step.options = _options(campaign, step.lookup)
    if len(step.options) == 1:
        step.chosen = step.options[0]
    else:
        step.chosen = next((option for option in step.options if option.key == choice), None)
        step.message = (
            gettext(
                "ZIP code %(zip)s is in more than one district. Choose the one you live in "
                "(your school or a parent can tell you, or a voter card shows it)."
            )
            if campaign.writes_to_representative
            else gettext("ZIP code %(zip)s is in more than one state. Choose the one you live in.")
        ) % {"zip": step.zip_code}
    if step.chosen is not None:
        step.members = list(step.chosen.members)
        if not step.members:
            step.message = gettext(
                "%(place)s has no senators in Congress, and this campaign writes only to "
                "senators. Your letter can still go to the other officials of the campaign."
            ) % {"place": step.chosen.label}
    return step


def _unknown(campaign: Campaign, step: CongressStep, state: str) -> CongressStep:
    if not campaign.writes_to_senators:
        step.message = gettext(
            "We have no district for ZIP code %(zip)s. Check it: it is the five digits at the "
            "end of your home address."
        ) % {"zip": step.zip_code}
        return step
    step.asks_state = True
    if campaign.writes_to_representative:
        step.message = gettext(
            "We have no district for ZIP code %(zip)s, so we cannot find your representative. "
            "Check the ZIP code, or choose your state: your letter then goes to your two senators."
        ) % {"zip": step.zip_code}
    else:
        step.message = gettext(
            "We have no district for ZIP code %(zip)s. Check it, or choose your state to write "
            "to your two senators."
        ) % {"zip": step.zip_code}
    if state in congress.STATE_NAMES and state not in congress.TERRITORIES:
        step.state = state
        step.members = senators_of(state)
    return step


def step_error(campaign: Campaign, step: CongressStep) -> tuple[str, str] | None:
    """(field, message) when the step keeps the letter from being saved; None when it is done."""
    if step.error:
        return "zip_code", step.error
    if not step.looked_up:
        return "zip_code", gettext("Type your ZIP code to find your members of Congress.")
    if step.asks_choice and step.chosen is None:
        return "congress_area", step.message
    if step.asks_state and not step.state:
        return "congress_state", gettext("Choose your state to write to your senators.")
    if not step.members and not step.asks_state and not step.lookup.found:
        return "zip_code", step.message
    return None


def initial_choice(recipients) -> tuple[str, str]:
    """(the district or state option, the picked state) a saved letter's members stand for."""
    house = next((o for o in recipients if o.chamber == Official.Chamber.HOUSE), None)
    senate = next((o for o in recipients if o.chamber == Official.Chamber.SENATE), None)
    choice = f"{house.state}-{house.district}" if house else (senate.state if senate else "")
    return choice, senate.state if senate else ""
