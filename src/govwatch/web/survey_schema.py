"""附件4 网站整改调查表: its questions and boxes, exactly as the notice prints them.

Data, not code: the form, the view and the status table are built from these tuples.
"""

from __future__ import annotations

YES, NO = "yes", "no"
YES_NO = ((YES, "是"), (NO, "否"))

# (key, question as printed, choices)
COLUMN_QUESTIONS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("col_profile", "是否开设了机构概况栏目", YES_NO),
    ("col_news", "是否开设了工作动态栏目", YES_NO),
    ("col_policy", "是否开设了政策文件栏目", YES_NO),
    ("col_notice", "是否开设了通知公告栏目", YES_NO),
    ("col_plan", "是否开设了规划计划栏目", YES_NO),
    ("col_personnel", "是否开设了人事信息栏目", YES_NO),
    ("col_funds", "是否开设了资金信息栏目", YES_NO),
    ("col_statistics", "是否开设了统计数据栏目", YES_NO),
    ("col_key_area", "是否开设了重点领域公开栏目", YES_NO + (("not_responsible", "非责任单位"),)),
    ("col_guide", "是否开设了信息公开指南栏目", YES_NO),
    ("col_annual_report", "是否开设了信息公开年报栏目", YES_NO),
)

UPDATE_QUESTIONS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("upd_news", "动态类栏目每两周内是否予以更新？", YES_NO),
    ("upd_notice", "通知公告类每半年内是否予以更新？", YES_NO),
    ("upd_policy", "政策文件类每半年内是否予以更新？", YES_NO),
    ("upd_personnel", "人事信息类每一年内是否予以更新？", YES_NO),
    ("upd_plan", "规划计划类每一年内是否予以更新？", YES_NO),
    ("upd_other", "其它应更新栏目是否予以更新？", YES_NO),
    ("upd_key_area", "重点领域信息是否按责任分解公开？", YES_NO + (("not_involved", "未涉及"),)),
    ("upd_consult", "政民互动类栏目是否7日内予以回复？", YES_NO),
)

ALL_QUESTIONS = COLUMN_QUESTIONS + UPDATE_QUESTIONS
