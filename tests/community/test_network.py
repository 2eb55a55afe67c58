"""The designers' network (R71): designers and publishers take part, on their own publishing units
and nationally; a question on another publisher unit is not found; the asker alone accepts an
answer; search is case-insensitive over title and body, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from datetime import timedelta

import pytest

from community import network
from community.errors import CommunityError, CommunityForbidden
from engine import clock
from tests.community.support import people


def test_only_designers_and_publishers_use_the_network(ctx):
    world = people()
    for outsider in (world.clinician, world.nord_admin, world.national, None):
        with pytest.raises(CommunityForbidden):
            network.search(outsider)
        with pytest.raises(CommunityForbidden):
            network.ask(outsider, network.NATIONAL, "Fråga", "Text")
    assert network.ask(world.publisher, network.NATIONAL, "Fråga", "Text").author_id == world.publisher.id


def test_a_unit_question_is_seen_by_that_units_designers_only(ctx):
    world = people()
    local = network.ask(world.designer, world.nord_pu.id, "Vår mall för moduler", "Hur gör ni?")
    national = network.ask(world.designer, network.NATIONAL, "Timer efter två veckor", "Hur skriver jag P2W?")
    with pytest.raises(CommunityError) as other_unit:
        network.ask(world.designer, world.syd_pu.id, "Fel enhet", "Text")
    assert other_unit.value.code == "scope"
    assert {x.question.id for x in network.search(world.publisher)} == {local.id, national.id}
    assert [x.question.id for x in network.search(world.other_designer)] == [national.id]
    with pytest.raises(CommunityError) as hidden:
        network.thread(world.other_designer, local.id)
    assert hidden.value.code == "not_found"
    with pytest.raises(CommunityError):
        network.answer(world.other_designer, local.id, "Jag svarar ändå")


def test_the_asker_accepts_an_answer_which_then_comes_first(ctx):
    world = people()
    question = network.ask(world.designer, network.NATIONAL, "Poäng i villkor", "Hur använder jag score()?")
    clock.advance(timedelta(minutes=1))
    first = network.answer(world.other_designer, question.id, "Läs designguiden.")
    clock.advance(timedelta(minutes=1))
    second = network.answer(world.publisher, question.id, "Skriv score('phq9') >= 10 i villkoret.")
    with pytest.raises(CommunityForbidden):
        network.accept(world.publisher, question.id, second.id)  # not the asker
    with pytest.raises(CommunityError):
        network.accept(world.designer, question.id, "no-such-answer")
    network.accept(world.designer, question.id, second.id)
    thread = network.thread(world.other_designer, question.id)
    assert [a.id for a in thread.answers] == [second.id, first.id]
    assert thread.question.accepted_answer_id == second.id
    [listed] = network.search(world.designer)
    assert (listed.answers, listed.accepted) == (2, True)


def test_search_matches_title_or_body_in_any_case_and_scope(ctx):
    world = people()
    timer = network.ask(world.designer, network.NATIONAL, "Timer efter två veckor", "Hur skriver jag durationen?")
    form = network.ask(world.designer, world.nord_pu.id, "Formulär med radioknappar", "Kan en TIMER visas i formuläret?")
    network.ask(world.designer, network.NATIONAL, "Något annat", "Helt annat ämne")
    percent = network.ask(world.designer, network.NATIONAL, "100% rabatt", "Procent i titeln")
    assert {x.question.id for x in network.search(world.designer, "timer")} == {timer.id, form.id}
    assert {x.question.id for x in network.search(world.designer, "TIMER", network.NATIONAL)} == {timer.id}
    assert {x.question.id for x in network.search(world.designer, "timer", world.nord_pu.id)} == {form.id}
    assert [x.question.id for x in network.search(world.designer, "%")] == [percent.id]  # a literal, not a wildcard
    assert network.search(world.designer, "finns inte") == []
    assert network.search(world.other_designer, "radioknappar") == []  # Nord's question is not Syd's
    with pytest.raises(CommunityError):
        network.search(world.designer, "x", world.syd_pu.id)
