"""Context for the text checker: the character bigram model (charlm.py), the candidates it
rescues, real-word homophones, and the fast segmentation they all run on.

Every sentence here is our own frame, not taken from an evaluation set.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import govwatch.textcheck.checker as checker_module
from govwatch.textcheck import TextChecker, get_checker
from govwatch.textcheck.charlm import END, START, VOCAB, CharBigramLM

DATA_DIR = Path(__file__).resolve().parents[2] / "src" / "govwatch" / "textcheck" / "data"


@pytest.fixture(scope="module")
def checker() -> TextChecker:
    return get_checker()


@pytest.fixture(scope="module")
def checker_without_charlm() -> TextChecker:
    saved = checker_module.USE_CHARLM
    checker_module.USE_CHARLM = False
    try:
        return TextChecker()
    finally:
        checker_module.USE_CHARLM = saved


def found(checker: TextChecker, text: str) -> list[tuple[str, str, str]]:
    return [(h.wrong, h.right, h.kind) for h in checker.check(text)]


# -- segmentation ----------------------------------------------------------------------------

SEGMENTATION_LINES = [
    "区政府召开常务会议，研究部署防汛抗旱工作。",
    "2026年1月1日起施行，有效期5年。",
    "详见 http://www.example.gov.cn/zwgk/index.html 或拨打0730-1234567",
    "C++和C#课程，3.5%的增长，a_b&c#d",
    "全角１２３和ＡＢＣ，  两个空格\t制表符\r",
    "君政办发〔2026〕12号 《关于印发实施方案的通知》",
    "abc 12 3x-y+z_%#&. 中文English混合",
    "—…“放管服”改革、稻虾共作、河长制",
    "",
    "a",
]


@pytest.mark.parametrize("line", SEGMENTATION_LINES)
def test_segment_matches_jieba_dictionary_mode_token_for_token(checker, line):
    expected, pos = [], 0
    for token in checker._tokenizer.lcut(line, HMM=False):
        expected.append((pos, pos + len(token)))
        pos += len(token)
    assert checker._segment(line) == expected


# -- the character model ---------------------------------------------------------------------


def test_charlm_counts_round_trip_through_the_data_file(tmp_path):
    lm = CharBigramLM.from_runs(["发展经济", "发展", "经济发展"], min_count=1)
    path = tmp_path / "lm.tsv"
    lm.dump(path, header="test")
    again = CharBigramLM.load(path)
    for prev, ch in [(START, "发"), ("发", "展"), ("展", END), ("经", "济"), ("济", "发"), ("展", "经"), ("发", "济")]:
        assert again.logp(prev, ch) == pytest.approx(lm.logp(prev, ch))


def test_charlm_probabilities_of_a_context_sum_to_one():
    lm = CharBigramLM.from_runs(["发展经济", "发展", "经济发展"], min_count=1)
    seen = ["发", "展", "经", "济", END]
    unseen = VOCAB - len(seen)  # every other character of the vocabulary gets the unknown estimate
    total = sum(math.exp(lm.logp("发", ch)) for ch in seen) + unseen * math.exp(lm.logp("发", "甲"))
    assert total == pytest.approx(1.0)
    assert lm.logp("发", "展") > lm.logp("发", "济")


def test_charlm_pruned_bigram_falls_back_to_the_context_weight():
    lm = CharBigramLM.from_runs(["发展", "发展", "发送"], min_count=2)
    assert "发展" in lm.bigram and "发送" not in lm.bigram
    assert lm.logp("发", "送") == pytest.approx(lm.backoff["发"] + lm.unigram["送"])


def test_charlm_non_han_characters_end_a_run():
    lm = CharBigramLM.from_runs(["发展"], min_count=1)
    text = "1发展。"
    assert lm.span(text, 1, 3) == pytest.approx(lm.logp(START, "发") + lm.logp("发", "展") + lm.logp("展", END))


def test_charlm_data_prefers_the_right_character_in_context(checker):
    lm = checker.charlm
    assert lm.delta("完成年度目标任物", 7, 8, "务") > 3
    assert lm.delta("完成年度目标任务", 7, 8, "物") < -3
    assert lm.delta("加强基层党组织建没", 8, 9, "设") > 3


def test_charlm_data_file_holds_counts_for_thousands_of_characters():
    lm = CharBigramLM.load(DATA_DIR / "charlm.tsv")
    assert len(lm.unigram) > 4000
    assert len(lm.bigram) > 100_000
    assert lm.logp("发", "展") > lm.logp("发", "屐")


# -- candidates just short of the word model's threshold -------------------------------------


@pytest.mark.parametrize("sentence, wrong, right", [
    ("完成年度目标任物", "任物", "任务"),
    ("加强基层党组织建没", "建没", "建设"),
])
def test_check_charlm_rescues_typo_just_below_the_word_model_threshold(checker, checker_without_charlm, sentence,
                                                                        wrong, right):
    assert found(checker_without_charlm, sentence) == []
    assert found(checker, sentence) == [(wrong, right, "typo")]


@pytest.mark.parametrize("sentence", ["完成年度目标任务", "加强基层党组织建设", "区政府召开常务会议，研究部署防汛抗旱工作。"])
def test_check_charlm_right_sentence_stays_clean(checker, sentence):
    assert checker.check(sentence) == []


# -- real-word homophones --------------------------------------------------------------------


@pytest.mark.parametrize("sentence, wrong, right", [
    ("帮助中小起夜解决融资难题", "起夜", "企业"),
    ("完善农村基础涉世建设", "涉世", "设施"),
])
def test_check_realword_homophone_rare_word_read_as_frequent_word(checker, checker_without_charlm, sentence, wrong,
                                                                   right):
    assert found(checker_without_charlm, sentence) == []
    assert found(checker, sentence) == [(wrong, right, "typo")]


@pytest.mark.parametrize("sentence", ["老人起夜时要注意防滑", "他涉世不深，容易上当", "这些都是骗人的鬼话"])
def test_check_realword_homophone_word_in_its_own_context_is_clean(checker, sentence):
    assert checker.check(sentence) == []


@pytest.mark.parametrize("sentence", [
    "区委书记王起夜出席会议并讲话",  # a personal name after a title
    "《关于支持中小起夜发展的若干措施》已印发",  # a quoted document title
    "主办单位：中小起夜服务中心",  # a footer line
    "开展“起夜”帮扶行动",  # a short coined term in quotes
    "详见http://www.example.gov.cn/qiye/index.html，帮助中小企业",  # a URL
])
def test_check_realword_homophone_skipped_outside_prose(checker, sentence):
    assert checker.check(sentence) == []


def test_check_realword_homophone_hit_slices_the_wrong_text(checker):
    text = "第一行\n帮助中小起夜解决融资难题"
    (hit,) = checker.check(text)
    assert text[hit.start:hit.end] == "起夜" and 0.6 <= hit.confidence <= 0.95
