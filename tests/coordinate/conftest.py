"""Fixtures of the coordinator pages' tests."""

import pytest

from tests.factories import LetterFactory


@pytest.fixture
def submitted(campaign):
    from letters import services

    letters = []
    for index, school in enumerate(["Lincoln Middle School", "Hill Academy", "Hill Academy"]):
        letter = LetterFactory(campaign=campaign, first_name=f"Kid{index}", school=school)
        services.letter_submit(letter=letter)
        letters.append(letter)
    return letters


@pytest.fixture
def logged_in(client, coordinator):
    client.force_login(coordinator)
    return client
