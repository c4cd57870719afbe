from django.urls import path

from govwatch.web.views import auth, manage, pages, rectify, review

app_name = "web"

urlpatterns = [
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("", pages.overview, name="overview"),
    path("units/<str:code>/", pages.unit_detail, name="unit"),
    path("findings/<int:pk>/", pages.finding_detail, name="finding"),
    path("findings/<int:pk>/review/", review.act_one, name="finding_review"),
    path("findings/<int:pk>/answer/", rectify.answer, name="finding_answer"),
    path("findings/<int:pk>/recheck/", rectify.recheck, name="finding_recheck"),
    path("evidence/<int:pk>/", pages.evidence, name="evidence"),
    path("evidence/uploads/<int:pk>/", pages.evidence_upload, name="evidence_upload"),
    path("review/", review.queue, name="review"),
    path("review/act/", review.act, name="review_act"),
    path("review/manual/", review.manual, name="review_manual"),
    path("surveys/", rectify.survey_list, name="surveys"),
    path("surveys/<int:pk>/", rectify.survey_detail, name="survey"),
    path("surveys/<int:pk>/stamp/", rectify.survey_stamp, name="survey_stamp"),
    path("surveys/<int:pk>/export.<str:fmt>", rectify.survey_export, name="survey_export"),
    path("manage/", manage.index, name="manage"),
    path("manage/sites/", manage.sites, name="manage_sites"),
    path("manage/sites/<int:pk>/run/", manage.start_run, name="manage_run"),
    path("manage/units/", manage.units, name="manage_units"),
    path("manage/columns/", manage.columns, name="manage_columns"),
    path("manage/rulebook/", manage.rulebook, name="manage_rulebook"),
    path("manage/users/", manage.users, name="manage_users"),
]
