"""Forms. Labels and errors are what users read, so they are Chinese."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from govwatch.catalog.models import Column, Site, Unit
from govwatch.monitoring.models import Finding
from govwatch.web import roles
from govwatch.web.models import Rectification
from govwatch.web.survey_schema import COLUMN_QUESTIONS, UPDATE_QUESTIONS


class FindingFilterForm(forms.Form):
    rule = forms.ChoiceField(label="规则", required=False)
    state = forms.ChoiceField(label="状态", required=False,
                              choices=[("", "全部状态")] + list(Finding.State.choices))
    column = forms.ChoiceField(label="栏目", required=False)

    def __init__(self, *args, rules=(), columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "全部规则")] + [(r, t) for r, t in rules]
        self.fields["column"].choices = [("", "全部栏目")] + [(c, n) for c, n in columns]


class ReviewActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("confirm", "确认"), ("dismiss", "排除"), ("restore", "恢复")])
    reason = forms.CharField(label="原因", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("action") == "dismiss" and not (data.get("reason") or "").strip():
            raise ValidationError("排除问题必须填写原因")
        return data


class ManualFindingForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.filter(active=True))
    rule = forms.ChoiceField(label="问题类型", choices=[("error.other", "其他错误（每条扣1分）"),
                                                       ("error.false_info", "错误虚假信息（每条扣10分）")])
    url = forms.URLField(label="问题页面地址", max_length=2000, assume_scheme="http")
    message = forms.CharField(label="问题说明", widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label="证据文件（PNG/JPEG/PDF，≤2MB，可选）", required=False)


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label="答复", choices=Rectification.Kind.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="整改说明或申诉理由", widget=forms.Textarea(attrs={"rows": 3}))


def _choice_field(label, choices):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, required=True)


class SurveyForm(forms.Form):
    """附件4: the header fields, the two groups of 是/否 boxes, signature and stamp."""

    office_address = forms.CharField(label="办公地址", max_length=200)
    leader_name = forms.CharField(label="分管领导", max_length=50)
    leader_contact = forms.CharField(label="联系方式", max_length=50)
    admin_name = forms.CharField(label="网站管理员", max_length=50)
    admin_contact = forms.CharField(label="联系方式", max_length=50)
    admin_qq = forms.RegexField(label="QQ号码", regex=r"^\d{5,12}$", max_length=12, required=False,
                                error_messages={"invalid": "QQ号码应为5到12位数字"})
    signature_name = forms.CharField(label="单位主要领导签字", max_length=50)
    stamp = forms.FileField(label="加盖单位公章的图片（PNG/JPEG，≤2MB）", required=False)

    HEADER = ("office_address", "leader_name", "leader_contact", "admin_name", "admin_contact", "admin_qq")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label, choices in COLUMN_QUESTIONS + UPDATE_QUESTIONS:
            self.fields[key] = _choice_field(label, choices)

    def column_fields(self):
        return [self[key] for key, _, _ in COLUMN_QUESTIONS]

    def update_fields(self):
        return [self[key] for key, _, _ in UPDATE_QUESTIONS]


class OpenSurveyForm(forms.Form):
    period = forms.CharField(label="期次（如 2026Q4）", max_length=20)
    deadline = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))


WEEKDAYS = [(i, f"周{d}") for i, d in enumerate("一二三四五六日")]


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["name", "active", "run_weekday", "run_hour", "rulebook"]
        widgets = {"run_weekday": forms.Select(choices=WEEKDAYS),
                   "run_hour": forms.Select(choices=[(h, f"{h:02d}:00") for h in range(24)])}


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "active"]

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise ValidationError("机关编码应为数字（保留前导零），如 0107")
        return code


class ColumnOverrideForm(forms.ModelForm):
    expected = forms.ChoiceField(label="应更新频率", required=False,
                                 choices=[("", "无"), ("monthly", "每月"), ("quarterly", "每季度"), ("yearly", "每年")])

    class Meta:
        model = Column
        fields = ["unit", "category", "key_area", "expected"]


class RunStartForm(forms.Form):
    as_of = forms.DateField(label="监测日期", widget=forms.DateInput(attrs={"type": "date"}))


class UserForm(forms.Form):
    username = forms.RegexField(label="用户名", regex=r"^[\w.@+-]+$", max_length=150)
    role = forms.ChoiceField(label="角色", choices=[(r, r) for r in roles.ALL_ROLES])
    units = forms.ModelMultipleChoiceField(label="管理的单位（单位管理员）", queryset=Unit.objects.all(),
                                           required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    # Checked against settings.AUTH_PASSWORD_VALIDATORS in the view, where the user is known.
    password = forms.CharField(label="新密码（留空则不修改）", required=False, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("role") == roles.UNIT_ADMIN and not data.get("units"):
            raise ValidationError("单位管理员至少要绑定一个单位")
        return data
