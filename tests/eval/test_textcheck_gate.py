"""Accuracy gate for the text checker: character-level detection on a spelling test set
nobody on the project wrote (../shared/data/csc/ECSpell_odw.test, 公文 sentences), pinned
as floors in textcheck_floors.json: on the whole file, and on each half of a fixed split
(evaluate.dev_half): decisions are tuned on the "tune" half only, and the "untouched"
half is the figure the targets are about (textcheck_floors.json says which decision was
made on which half). A change that lowers a figure below its floor, or
raises the false-alarm rate on clean sentences above its ceiling, fails.
Run with `pytest -s` to see the figures.

Scoring (govwatch.textcheck.evaluate): a character is detected when an issue covers it
and its correction changes it; precision = detected wrong characters / detected
characters, recall = detected wrong characters / wrong characters, false-alarm rate =
clean sentences with any issue / clean sentences.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from govwatch.textcheck import get_checker
from govwatch.textcheck.evaluate import evaluate
from tests.conftest import shared_data

FLOORS = json.loads(Path(__file__).with_name("textcheck_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores():
    path = shared_data("csc", "ECSpell_odw.test")
    result = evaluate(path, get_checker())
    print("\nECSpell_odw.test:", json.dumps(asdict(result), ensure_ascii=False))
    return result


@pytest.fixture(scope="module")
def halves():
    path = shared_data("csc", "ECSpell_odw.test")
    out = {}
    for name in HALVES:
        out[name] = evaluate(path, get_checker(), half=name)
        print(f"\nECSpell_odw.test, {name} half:", json.dumps(asdict(out[name]), ensure_ascii=False))
    return out


HALVES = ("tune", "untouched")


@pytest.mark.parametrize("name", HALVES)
def test_textcheck_gate_halves_split_the_data_set(halves, name):
    expected = {"tune": (263, 128, 213), "untouched": (237, 110, 191)}[name]
    got = halves[name]
    assert (got.sentences, got.clean_sentences, got.wrong_chars) == expected


@pytest.mark.parametrize("name", HALVES)
def test_textcheck_gate_half_precision_at_least_floor(halves, name):
    assert halves[name].precision >= FLOORS[name]["precision"], halves[name]


@pytest.mark.parametrize("name", HALVES)
def test_textcheck_gate_half_recall_at_least_floor(halves, name):
    assert halves[name].recall >= FLOORS[name]["recall"], halves[name]


@pytest.mark.parametrize("name", HALVES)
def test_textcheck_gate_half_f1_at_least_floor(halves, name):
    assert halves[name].f1 >= FLOORS[name]["f1"], halves[name]


@pytest.mark.parametrize("name", HALVES)
def test_textcheck_gate_half_false_alarms_at_most_ceiling(halves, name):
    assert halves[name].false_alarm_rate <= FLOORS[name]["false_alarm_rate_max"], halves[name]


def test_textcheck_gate_untouched_half_precision_reaches_target(halves):
    assert halves["untouched"].precision >= FLOORS["targets"]["precision"], halves["untouched"]


def test_textcheck_gate_untouched_half_recall_reaches_target(halves):
    assert halves["untouched"].recall >= FLOORS["targets"]["recall"], halves["untouched"]


def test_textcheck_gate_counts_match_the_data_set(scores):
    assert (scores.sentences, scores.clean_sentences, scores.wrong_chars) == (500, 238, 404)


def test_textcheck_gate_precision_at_least_floor(scores):
    assert scores.precision >= FLOORS["precision"], scores


def test_textcheck_gate_recall_at_least_floor(scores):
    assert scores.recall >= FLOORS["recall"], scores


def test_textcheck_gate_f1_at_least_floor(scores):
    assert scores.f1 >= FLOORS["f1"], scores


def test_textcheck_gate_false_alarms_at_most_ceiling(scores):
    assert scores.false_alarm_rate <= FLOORS["false_alarm_rate_max"], scores


def test_textcheck_gate_false_alarms_on_real_government_pages_at_most_ceiling():
    # 20 gov.cn policy pages (../shared/data/govcn-policy-pages), taken as clean text:
    # every issue raised there is a false alarm.
    folder = shared_data("govcn-policy-pages")
    from govwatch.textcheck.evaluate import false_alarms_on_pages

    issues, lines, chars, found = false_alarms_on_pages(folder, get_checker())
    print(f"\ngovcn-policy-pages: {issues} issues on {lines} lines / {chars} characters: {found}")
    assert lines > 1000
    assert issues <= FLOORS["govcn_false_alarms_max"], found
