"""Seats in Congress and how letters name and greet them, in English and Spanish.

The people and the districts come from imported public data (campaign/congress_import.py); what
is here is only the words around them: a state's name, an office's title, a greeting.
"""

import re
from dataclasses import dataclass

from django.utils.translation import get_language, gettext, gettext_noop, pgettext

#: Postal codes of the states, the District of Columbia and the territories, with their names.
STATE_NAMES = {
    "AL": gettext_noop("Alabama"),
    "AK": gettext_noop("Alaska"),
    "AZ": gettext_noop("Arizona"),
    "AR": gettext_noop("Arkansas"),
    "CA": gettext_noop("California"),
    "CO": gettext_noop("Colorado"),
    "CT": gettext_noop("Connecticut"),
    "DE": gettext_noop("Delaware"),
    "FL": gettext_noop("Florida"),
    "GA": gettext_noop("Georgia"),
    "HI": gettext_noop("Hawaii"),
    "ID": gettext_noop("Idaho"),
    "IL": gettext_noop("Illinois"),
    "IN": gettext_noop("Indiana"),
    "IA": gettext_noop("Iowa"),
    "KS": gettext_noop("Kansas"),
    "KY": gettext_noop("Kentucky"),
    "LA": gettext_noop("Louisiana"),
    "ME": gettext_noop("Maine"),
    "MD": gettext_noop("Maryland"),
    "MA": gettext_noop("Massachusetts"),
    "MI": gettext_noop("Michigan"),
    "MN": gettext_noop("Minnesota"),
    "MS": gettext_noop("Mississippi"),
    "MO": gettext_noop("Missouri"),
    "MT": gettext_noop("Montana"),
    "NE": gettext_noop("Nebraska"),
    "NV": gettext_noop("Nevada"),
    "NH": gettext_noop("New Hampshire"),
    "NJ": gettext_noop("New Jersey"),
    "NM": gettext_noop("New Mexico"),
    "NY": gettext_noop("New York"),
    "NC": gettext_noop("North Carolina"),
    "ND": gettext_noop("North Dakota"),
    "OH": gettext_noop("Ohio"),
    "OK": gettext_noop("Oklahoma"),
    "OR": gettext_noop("Oregon"),
    "PA": gettext_noop("Pennsylvania"),
    "RI": gettext_noop("Rhode Island"),
    "SC": gettext_noop("South Carolina"),
    "SD": gettext_noop("South Dakota"),
    "TN": gettext_noop("Tennessee"),
    "TX": gettext_noop("Texas"),
    "UT": gettext_noop("Utah"),
    "VT": gettext_noop("Vermont"),
    "VA": gettext_noop("Virginia"),
    "WA": gettext_noop("Washington"),
    "WV": gettext_noop("West Virginia"),
    "WI": gettext_noop("Wisconsin"),
    "WY": gettext_noop("Wyoming"),
    "DC": gettext_noop("the District of Columbia"),
    "PR": gettext_noop("Puerto Rico"),
    "GU": gettext_noop("Guam"),
    "VI": gettext_noop("the U.S. Virgin Islands"),
    "AS": gettext_noop("American Samoa"),
    "MP": gettext_noop("the Northern Mariana Islands"),
}

#: Places with a non-voting member of the House and no senators.
TERRITORIES = frozenset({"DC", "PR", "GU", "VI", "AS", "MP"})

#: Where a letter to a seat goes when the data gives no office for it (a vacant seat).
CHAMBER_ADDRESSES = {
    "senate": "United States Senate\nWashington, DC 20510",
    "house": "U.S. House of Representatives\nWashington, DC 20515",
}


def state_name(code: str) -> str:
    """The state's name in the active language ("" for an unknown code)."""
    name = STATE_NAMES.get(code)
    return gettext(name) if name else ""


def state_choices() -> list[tuple[str, str]]:
    """States with senators, by name in the active language, for a picker."""
    choices = [(code, state_name(code)) for code in STATE_NAMES if code not in TERRITORIES]
    return sorted(choices, key=lambda choice: choice[1])


def _ordinal(number: int) -> str:
    if (get_language() or "en").startswith("es"):
        return f"{number}.º"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10)
    return f"{number}{suffix or 'th'}"


def house_title(state: str) -> str:
    """What the member of the House for `state` is called."""
    if state == "PR":
        return "resident_commissioner"
    return "delegate" if state in TERRITORIES else "representative"


def district_label(state: str, district: int) -> str:
    """ "Washington's 7th district", "Alaska (at large)", "Puerto Rico"."""
    name = state_name(state)
    if state in TERRITORIES:
        return name[:1].upper() + name[1:]
    if district == 0:
        return gettext("%(state)s (at large)") % {"state": name}
    return gettext("%(state)s, district %(district)s") % {
        "state": name,
        "district": district,
    }


@dataclass(frozen=True)
class SeatWords:
    office: str
    addressed_title: str
    salutation: str


def senate_seat_words(state: str) -> SeatWords:
    """A Senate seat's title, and how a letter names and greets it while nobody holds it."""
    values = {"state": state_name(state)}
    return SeatWords(
        office=gettext("United States Senator for %(state)s") % values,
        addressed_title=gettext("Office of the United States Senator for %(state)s") % values,
        salutation=gettext("To the office of the Senator for %(state)s") % values,
    )


def house_seat_words(state: str, district: int) -> SeatWords:
    values = {"state": state_name(state), "district": _ordinal(district)}
    kind = house_title(state)
    if kind == "resident_commissioner":
        office = gettext("Resident Commissioner for %(state)s") % values
    elif kind == "delegate":
        office = gettext("Delegate to the House of Representatives for %(state)s") % values
    elif district == 0:
        office = gettext("Representative for %(state)s (at large)") % values
    else:
        office = gettext("Representative for the %(district)s district of %(state)s") % values
    return SeatWords(
        office=office,
        addressed_title=gettext("Office of the %(office)s") % {"office": office},
        salutation=gettext("To the office of the %(office)s") % {"office": office},
    )


def holder_salutation(kind: str, last_name: str, gender: str) -> str:
    """How a letter greets a member ("Dear Senator Cantwell"), in the active language.
    `kind`: senator, representative, delegate, resident_commissioner, president."""
    woman = gender.upper() == "F"
    values = {"name": last_name}
    if kind == "senator":
        if woman:
            return pgettext("greeting a woman", "Dear Senator %(name)s") % values
        return pgettext("greeting a man", "Dear Senator %(name)s") % values
    if kind == "delegate":
        if woman:
            return pgettext("greeting a woman", "Dear Delegate %(name)s") % values
        return pgettext("greeting a man", "Dear Delegate %(name)s") % values
    if kind == "resident_commissioner":
        if woman:
            return pgettext("greeting a woman", "Dear Resident Commissioner %(name)s") % values
        return pgettext("greeting a man", "Dear Resident Commissioner %(name)s") % values
    if kind == "president":
        if woman:
            return pgettext("greeting a woman", "Dear Madam President")
        return pgettext("greeting a man", "Dear Mr. President")
    if woman:
        return pgettext("greeting a woman", "Dear Representative %(name)s") % values
    return pgettext("greeting a man", "Dear Representative %(name)s") % values


def senate_slug(state: str, senate_class: int) -> str:
    return f"us-senate-{state.lower()}-class-{senate_class}"


def house_slug(state: str, district: int) -> str:
    return f"us-house-{state.lower()}-{'at-large' if district == 0 else district}"


_ZIP_PLUS_FOUR = re.compile(r"^(\d{5})-?\d{4}$")


class ZipCodeError(ValueError):
    """What is wrong with a typed ZIP code, in words for the student."""


def normalise_zip(value: str) -> str:
    """The five-digit ZIP code in what a student typed; a ZIP+4 gives its first five digits
    (only those are kept). Raises ZipCodeError with a message for the student."""
    typed = "".join(value.split())
    if not typed:
        raise ZipCodeError(gettext("Type your ZIP code: five digits, like 98101."))
    match = _ZIP_PLUS_FOUR.match(typed)
    if match:
        return match.group(1)
    if not typed.isascii() or not typed.isdigit():
        raise ZipCodeError(
            gettext("A ZIP code is made of five digits, like 98101, without letters.")
        )
    if len(typed) != 5:
        raise ZipCodeError(
            gettext(
                "A ZIP code has five digits; this one has %(count)s. If it starts with 0, "
                "type the 0 too."
            )
            % {"count": len(typed)}
        )
    return typed
