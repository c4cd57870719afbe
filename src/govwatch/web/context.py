from govwatch.web import roles


def nav(request):
    """What the header shows: which sections this user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {"nav": {
        "role": roles.role_label(user),
        "review": roles.can_review(user),
        "office": roles.is_office(user),
        "units": [] if roles.sees_all_units(user) else list(roles.visible_units(user).only("code", "name")),
    }}
