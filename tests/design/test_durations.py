"""Timer durations as designers say them (design/durations.py): Swedish or English words become the
ISO 8601 the engine reads, and ISO becomes words for the modeler's preview. Whether the engine
accepts the result is its own check; every duration made here passes it."""
from __future__ import annotations

import pytest

import engine
from design.durations import describe, describe_cycle, to_iso


@pytest.mark.parametrize("words, iso", [
    ("7 dagar", "P7D"),
    ("1 dag", "P1D"),
    ("ett dygn", "P1D"),
    ("2 veckor", "P2W"),
    ("en vecka", "P1W"),
    ("2 veckor och 3 dagar", "P17D"),  # SpiffWorkflow refuses weeks beside days (P2W3D)
    ("3 månader", "P3M"),
    ("1 år", "P1Y"),
    ("36 timmar", "PT36H"),
    ("1 timme 30 minuter", "PT1H30M"),
    ("1 timme, 30 minuter", "PT1H30M"),
    ("2 dagar och 12 timmar", "P2DT12H"),
    ("90 min", "PT90M"),
    ("14 d", "P14D"),
    ("  7   DAGAR ", "P7D"),
    ("7 days", "P7D"),
    ("a week", "P1W"),
    ("two weeks and a day", "P15D"),
    ("1 hour and 30 minutes", "PT1H30M"),
    ("0 dagar", "P0D"),
])
def test_words_become_iso_the_engine_accepts(words, iso):
    assert to_iso(words) == iso
    assert engine.check_timer("timeDuration", iso) == []


@pytest.mark.parametrize("text", [
    "P7D", "PT1H", "7", "dagar", "7 dagar 2 dagar", "1,5 timmar", "7 tomater", "duration(days=7)",
    "wait_days", "7 dagar; drop", "", "   ",
])
def test_anything_else_is_not_words(text):
    assert to_iso(text) is None  # the caller hands it to the engine as it is: ISO or an expression


@pytest.mark.parametrize("iso, sv, en", [
    ("P7D", "7 dagar", "7 days"),
    ("P1D", "1 dag", "1 day"),
    ("P1W", "1 vecka", "1 week"),
    ("P2W", "2 veckor", "2 weeks"),
    ("P1Y2M3D", "1 år, 2 månader och 3 dagar", "1 year, 2 months and 3 days"),
    ("PT1H30M", "1 timme och 30 minuter", "1 hour and 30 minutes"),
    ("P0D", "ingen väntan", "no wait"),
    ("p7d", "7 dagar", "7 days"),
])
def test_iso_becomes_words_in_the_page_language(iso, sv, en):
    assert describe(iso, "sv") == sv
    assert describe(iso, "en") == en


@pytest.mark.parametrize("text", ["P1.5D", "P", "PT", "7 dagar", "R4/P1W", "2027-01-10T09:00:00+01:00", "", None])
def test_no_words_for_what_is_not_a_whole_duration(text):
    assert describe(text, "sv") is None


def test_a_counted_cycle_in_words():
    assert describe_cycle("R4/P1W", "sv") == "4 gånger med 1 vecka emellan"
    assert describe_cycle("R3/PT12H", "en") == "3 times, 12 hours apart"
    assert describe_cycle("R/P1W", "sv") is None  # no count: the engine refuses it, with its reason
    assert describe_cycle("P1W", "sv") is None
