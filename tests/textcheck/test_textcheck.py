"""The text checker (govwatch.textcheck): typos, wrong expressions, skips, whitelist, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from govwatch.facts import TypoHit
from govwatch.textcheck import TextChecker, Whitelist, get_checker, hits_to_json
from govwatch.textcheck.cli import textcheck

HERE = Path(__file__).resolve().parent
DATA_DIR = Path(__file__).resolve().parents[2] / "src" / "govwatch" / "textcheck" / "data"

# (wrong, right, sentence with {w} where the word goes): our own frames.
REQUIRED = [
    ("按装", "安装", "社区已为独居老人免费{w}了烟雾报警器。"),
    ("既使", "即使", "{w}遇到困难，也要按期完成改造任务。"),
    ("布署", "部署", "区政府对防汛工作进行了专题{w}。"),
    ("贯撤", "贯彻", "各单位要认真{w}执行本通知要求。"),
    ("再接再励", "再接再厉", "希望受表彰的单位{w}，再创佳绩。"),
    ("迫不急待", "迫不及待", "村民们{w}地搬进了新居。"),
    ("按步就班", "按部就班", "整改工作不能{w}，要加快进度。"),
    ("走头无路", "走投无路", "绝不让一户困难群众{w}。"),
    ("鞠躬尽粹", "鞠躬尽瘁", "老党员扎根乡村四十年，{w}。"),
    ("墨守成归", "墨守成规", "改革创新不能{w}。"),
    ("励行节约", "厉行节约", "机关单位要带头{w}。"),
    ("签定合同", "签订合同", "企业与园区{w}后即可入驻。"),
    ("震憾", "震撼", "纪录片内容真实，令人{w}。"),
    ("松驰", "松弛", "思想上不能有丝毫{w}。"),
    ("编缉", "编辑", "本刊由区委宣传部{w}出版。"),
    ("气慨", "气概", "抗洪一线展现了党员的英雄{w}。"),
    ("防碍", "妨碍", "任何单位不得{w}调查工作。"),
    ("脉博", "脉搏", "新闻工作要把握时代{w}。"),
    ("重迭", "重叠", "清理{w}设置的议事协调机构。"),
    ("即然", "既然", "{w}作出了承诺，就要兑现。"),
    ("一如继往", "一如既往", "我们将{w}支持民营企业发展。"),
    ("建全", "健全", "进一步{w}基层治理体系。"),
    ("既往不究", "既往不咎", "对主动投案的，并非一律{w}。"),
    ("一股作气", "一鼓作气", "全体干部{w}完成了堤防加固。"),
    ("通迅", "通讯", "请各村及时报送{w}员名单。"),
    ("座落", "坐落", "新建的便民服务中心{w}在镇政府东侧。"),
    ("部份", "部分", "{w}路段将实行交通管制。"),
    ("观注", "关注", "这项改革受到群众广泛{w}。"),
]


@pytest.fixture(scope="module")
def checker() -> TextChecker:
    return get_checker()


def test_get_checker_returns_one_shared_instance():
    assert get_checker() is get_checker()


@pytest.mark.parametrize("wrong,right,frame", REQUIRED, ids=[w for w, _, _ in REQUIRED])
def test_check_required_typo_detected(checker, wrong, right, frame):
    text = frame.format(w=wrong)
    hits = checker.check(text)
    start = text.index(wrong)
    assert [(h.start, h.end, h.wrong, h.right, h.kind) for h in hits] == [(start, start + len(wrong), wrong, right, "typo")]


@pytest.mark.parametrize("wrong,right,frame", REQUIRED, ids=[w for w, _, _ in REQUIRED])
def test_check_required_frame_with_right_word_is_clean(checker, wrong, right, frame):
    assert checker.check(frame.format(w=right)) == []


def test_check_expression_near_miss_of_state_name_in_document_title(checker):
    text = "根据《中华人民共合国政府信息公开条例》规定，现予公开。"
    hits = checker.check(text)
    assert [(h.start, h.end, h.wrong, h.right, h.kind) for h in hits] == [(3, 10, "中华人民共合国", "中华人民共和国", "expression")]


def test_check_expression_short_leader_title_flagged(checker):
    hits = checker.check("深入学习习总书记重要讲话精神。")
    assert [(h.wrong, h.right, h.kind) for h in hits] == [("习总书记", "习近平总书记", "expression")]


def test_check_expression_full_leader_title_is_clean(checker):
    assert checker.check("深入学习习近平总书记重要讲话精神。") == []


def test_check_expression_near_miss_of_town_name(checker):
    hits = checker.check("钱良湖镇召开春耕生产动员会。")
    assert [(h.wrong, h.right, h.kind) for h in hits] == [("钱良湖镇", "钱粮湖镇", "expression")]


def test_check_expression_not_flagged_when_a_word_runs_across_the_term(checker):
    # 湖南生 is one substitution away from 湖南省, but 生产 is a word.
    assert checker.check("湖南生产的大米销往全国。") == []


def test_check_typo_not_flagged_across_a_word_boundary(checker):
    assert checker.check("新建全长5公里的防洪堤，组建全区应急队伍。") == []


def test_check_jishi_construction_with_you_is_clean(checker):
    assert checker.check("这项措施既使群众得到实惠，又减轻了企业负担。") == []


def test_check_generated_homophone_typo_detected(checker):
    hits = checker.check("原则同意示范区总休方案。")
    assert [(h.wrong, h.right) for h in hits] == [("总休", "总体")]


def test_check_offsets_slice_the_wrong_text(checker):
    text = "网址https://www.example.gov.cn/a?b=1，项目座落在湖边，部份群众已搬迁。"
    hits = checker.check(text)
    assert [text[h.start:h.end] for h in hits] == [h.wrong for h in hits] == ["座落", "部份"]


def test_check_multiline_text_offsets_are_into_the_whole_text(checker):
    text = "第一行没有问题。\n第二行的按装工作。"
    hits = checker.check(text)
    assert [(h.start, text[h.start:h.end]) for h in hits] == [(text.index("按装"), "按装")]


def test_check_lines_gives_one_list_per_line(checker):
    out = checker.check_lines(["一切正常。", "要求按装到位。", ""])
    assert [[h.wrong for h in hits] for hits in out] == [[], ["按装"], []]


def test_check_skips_typo_in_quoted_document_title(checker):
    assert checker.check("转发《关于做好节水器具按装工作的通知》。") == []


def test_check_skips_footer_line(checker):
    assert checker.check("网站标识码：4306110001 湘ICP备05001234号 按装") == []


def test_check_skips_url_and_email(checker):
    assert checker.check("详见 http://www.anzhuang.gov.cn/bushu/ 或发邮件至 bushu@163.com。") == []


def test_check_skips_doc_number(checker):
    assert checker.check("君政办发〔2026〕12号") == []


def test_check_skips_personal_name_after_title(checker):
    # 苏建全 is a person; 建全 is a curated misspelling elsewhere.
    assert checker.check("区委书记苏建全出席会议并讲话。") == []


def test_check_returns_typohit_with_context(checker):
    hit = checker.check("免费按装了设备。")[0]
    assert isinstance(hit, TypoHit)
    assert "按装" in hit.context
    assert 0.5 < hit.confidence <= 1.0


def test_whitelist_plain_string_suppresses_wrong_form(checker):
    assert checker.check("免费按装了设备。", whitelist={"按装"}) == []


def test_whitelist_pair_without_context_suppresses_everywhere(checker):
    assert checker.check("免费按装了设备。", whitelist=[("按装", None)]) == []


def test_whitelist_pair_with_context_suppresses_only_there(checker):
    wl = Whitelist([("按装", "按装公司")])
    assert checker.check("联系按装公司。", whitelist=wl) == []
    assert [h.wrong for h in checker.check("免费按装了设备。", whitelist=wl)] == ["按装"]


def test_whitelist_does_not_hide_other_issues(checker):
    hits = checker.check("免费按装了设备，部份群众满意。", whitelist={"按装"})
    assert [h.wrong for h in hits] == ["部份"]


def test_check_clean_government_text_has_no_issues(checker):
    lines = (HERE / "clean_gov_text.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 300
    flagged = {line: [(h.wrong, h.right) for h in hits]
               for line, hits in zip(lines, checker.check_lines(lines)) if hits}
    assert flagged == {}


def test_hits_to_json_has_the_interface_fields(checker):
    assert hits_to_json(checker.check("免费按装了。")) == [
        {"start": 2, "end": 4, "wrong": "按装", "right": "安装", "kind": "typo", "confidence": 0.93}]


def test_cli_textcheck_prints_one_object_per_line(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("免费按装了。\n\n依据《中华人民共合国预算法》执行。\n", encoding="utf-8")
    result = CliRunner().invoke(textcheck, [str(path)])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3]
    assert rows[0]["issues"] == [{"start": 2, "end": 4, "wrong": "按装", "right": "安装", "kind": "typo", "confidence": 0.93}]
    assert rows[1]["issues"] == []
    assert [(i["wrong"], i["kind"]) for i in rows[2]["issues"]] == [("中华人民共合国", "expression")]


def test_cli_textcheck_reads_stdin_and_keeps_chinese_unescaped():
    result = CliRunner().invoke(textcheck, [], input="部份群众\n")
    assert result.exit_code == 0
    assert '"wrong": "部份"' in result.output


def test_cli_textcheck_whitelist_file(tmp_path):
    wl = tmp_path / "wl.txt"
    wl.write_text("按装\n", encoding="utf-8")
    result = CliRunner().invoke(textcheck, ["--whitelist", str(wl)], input="免费按装了。\n")
    assert json.loads(result.output) == {"line": 1, "issues": []}


def test_cli_textcheck_missing_file_exits_2_with_chinese_message(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "govwatch.cli", "textcheck", str(tmp_path / "nope.txt")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"错误：文件不存在：{tmp_path / 'nope.txt'}"]


def test_textcheck_import_pulls_no_framework():
    code = ("import sys, govwatch.textcheck as t; t.get_checker().check('按装');"
            "print(sorted(m for m in ('django', 'scrapy', 'twisted') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "[]"


def test_packaged_data_is_small():
    total = sum(p.stat().st_size for p in DATA_DIR.iterdir())
    assert total < 5 * 1024 * 1024


def test_misspellings_data_has_no_identity_or_duplicate_entries():
    wrongs = []
    for line in (DATA_DIR / "misspellings.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            wrong, right = line.split("\t")
            assert wrong != right, line
            wrongs.append(wrong)
    assert len(wrongs) == len(set(wrongs))
    assert len(wrongs) >= 400


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ALPHABET = st.sampled_from(list("按装部份署建全中华人民共合和国习总书记《》“”，。、0123 4a/:.〔〕号的了是在区镇君山湖南省\n"))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_check_any_text_gives_offsets_that_slice_the_wrong_text(text):
    for hit in get_checker().check(text):
        assert 0 <= hit.start < hit.end <= len(text)
        assert text[hit.start:hit.end] == hit.wrong
        assert hit.kind in ("typo", "expression")


def test_checker_vocabulary_does_not_leak_into_jieba_default_tokenizer(checker):
    import jieba

    assert "稻虾共作" in checker.freq
    assert "稻虾共作" not in jieba.dt.FREQ or jieba.dt.FREQ["稻虾共作"] != 2000


# -- look-alikes, rare characters, whole-word homophones, official organs (our own frames) --


@pytest.mark.parametrize("sentence, wrong, right", [
    ("群众满意度明显捉升", "捉升", "提升"),  # glyph neighbours (data/glyphs.tsv)
    ("全区经济运行稳中有进，亚务收入增长", "亚务", "业务"),
    ("会议纪崾已印发各单位", "纪崾", "纪要"),  # a rare character, judged through its reading
    ("全面落实河长制，加强水资源苞户", "苞户", "保护"),  # whole-word homophone, two characters changed
])
def test_check_generated_lookalike_rare_and_word_homophone_detected(checker, sentence, wrong, right):
    assert [(h.wrong, h.right, h.kind) for h in checker.check(sentence)] == [(wrong, right, "typo")]


def test_check_traditional_characters_are_not_typos(checker):
    assert checker.check("台灣地區的真實情況") == []


def test_check_expression_near_miss_of_long_organ_name_with_unrelated_character(checker):
    hits = checker.check("国家体麦总局发布通知")
    assert [(h.wrong, h.right, h.kind) for h in hits] == [("国家体麦总局", "国家体育总局", "expression")]


def test_check_expression_function_character_before_a_term_is_not_a_near_miss(checker):
    assert checker.check("在发展格局中找准定位") == []
    assert checker.check("加快构建新发展格局") == []


def test_glyph_data_lists_common_lookalikes_and_rare_readings():
    rows = {}
    for line in (DATA_DIR / "glyphs.tsv").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            ch, neigh, readings = line.split("\t")
            rows[ch] = (neigh, readings)
    assert "业" in rows["亚"][0]
    assert rows["崾"][1].startswith("yao")
    assert rows["灣"][1] == ""  # traditional forms are never judged
