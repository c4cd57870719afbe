"""Roles are Django groups; object-level rules live here and nowhere else.

Every view that shows unit data narrows its queryset through `visible_units`
or `visible_findings`, so a 单位管理员 can never reach another unit's rows:
the rows are simply not in the queryset (the view answers 404).
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import QuerySet

from govwatch.catalog.models import Unit
from govwatch.monitoring.models import Finding

OFFICE = "监测办管理员"
REVIEWER = "复核员"
UNIT_ADMIN = "单位管理员"
LEADER = "领导"
ALL_ROLES = (OFFICE, REVIEWER, UNIT_ADMIN, LEADER)


def ensure_groups() -> None:
    for name in ALL_ROLES:
        Group.objects.get_or_create(name=name)


def roles_of(user) -> frozenset[str]:
    """The user's role names, cached on the user object for the request (one query)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_govwatch_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(OFFICE)
        cached = frozenset(names & set(ALL_ROLES))
        user._govwatch_roles = cached
    return cached


def is_office(user) -> bool:
    return OFFICE in roles_of(user)


def can_review(user) -> bool:
    return bool(roles_of(user) & {OFFICE, REVIEWER})


def sees_all_units(user) -> bool:
    """Office, reviewers and leaders see every unit; a unit admin only their own."""
    return bool(roles_of(user) & {OFFICE, REVIEWER, LEADER})


def own_unit_ids(user) -> frozenset[int]:
    cached = getattr(user, "_govwatch_units", None)
    if cached is None:
        cached = frozenset(user.unit_memberships.values_list("unit_id", flat=True)) if user.is_authenticated else frozenset()
        user._govwatch_units = cached
    return cached


def visible_units(user) -> QuerySet[Unit]:
    if sees_all_units(user):
        return Unit.objects.all()
    if UNIT_ADMIN in roles_of(user):
        return Unit.objects.filter(pk__in=own_unit_ids(user))
    return Unit.objects.none()


def visible_findings(user) -> QuerySet[Finding]:
    if sees_all_units(user):
        return Finding.objects.all()
    if UNIT_ADMIN in roles_of(user):
        # Unattributed findings (unit NULL) are never shown to a unit admin.
        return Finding.objects.filter(unit_id__in=own_unit_ids(user))
    return Finding.objects.none()


def can_answer(user, finding: Finding) -> bool:
    """Only the unit's own admin answers a finding (已整改 / 申诉); a bonus is no problem to answer."""
    return finding.points <= 0 and UNIT_ADMIN in roles_of(user) and finding.unit_id in own_unit_ids(user)


def can_recheck(user, finding: Finding) -> bool:
    return can_review(user) or (UNIT_ADMIN in roles_of(user) and finding.unit_id in own_unit_ids(user))


def role_label(user) -> str:
    roles = roles_of(user)
    return "、".join(r for r in ALL_ROLES if r in roles) or "无角色"
