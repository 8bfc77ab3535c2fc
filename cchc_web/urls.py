from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path
from django.views.generic import RedirectView

from cchc_web.views import (
    aggregate,
    audit,
    auth,
    downloads,
    home,
    notices,
    review,
    submission,
    tokens,
    units,
    upload,
    workflow,
)

admin.site.site_header = "Quản trị hệ thống báo cáo CCHC"
admin.site.site_title = "Quản trị CCHC"
admin.site.index_title = "Quản trị"

urlpatterns = [
    path("", home.home, name="home"),
    path("dang-nhap/", auth.Login.as_view(), name="login"),
    path("dang-xuat/", LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth.PasswordChange.as_view(), name="password-change"),
    path("ky/<int:period_id>/lap-bao-cao/", home.open_report, name="open-report"),
    path("bao-cao/<int:pk>/", submission.page, name="submission"),
    path("bao-cao/<int:pk>/luu/", submission.save_all, name="save"),
    path("bao-cao/<int:pk>/luu-o/", submission.save_field, name="save-field"),
    path("bao-cao/<int:pk>/gui/", workflow.submit, name="submit"),
    path("bao-cao/<int:pk>/tra-lai/", workflow.return_, name="return"),
    path("bao-cao/<int:pk>/duyet/", workflow.approve, name="approve"),
    path("bao-cao/<int:pk>/mo-lai/", workflow.reopen, name="reopen"),
    path("bao-cao/<int:pk>/lich-su/", audit.audit, name="audit"),
    path("bao-cao/<int:pk>/tep/<int:file_id>/", audit.source_file, name="source-file"),
    path("bao-cao/<int:pk>/tai-len/", upload.upload, name="upload"),
    path("bao-cao/<int:pk>/tai-ve.<str:fmt>", downloads.submission_document,
         name="submission-document"),
    path("bao-cao/<int:pk>/tai-len/<uuid:token>/", upload.preview, name="upload-preview"),
    path("xet-duyet/", review.queue, name="queue"),
    path("tong-hop/", aggregate.page, name="aggregate"),
    path("tong-hop/chi-tiet/", aggregate.detail, name="aggregate-detail"),
    path("tong-hop/lap-bao-cao/", aggregate.fill, name="aggregate-fill"),
    path("tong-hop/tai-ve.<str:fmt>", downloads.aggregate_document, name="aggregate-document"),
    path("tong-hop/bieu-do/<str:name>.<str:fmt>", downloads.aggregate_chart,
         name="aggregate-chart"),
    path("ky/<int:period_id>/tinh-hinh-gui/", review.completeness, name="completeness"),
    path("ky/<int:period_id>/nhac-nho/", review.remind, name="remind"),
    path("don-vi/", units.units, name="units"),
    path("don-vi/nhap-csv/", units.import_csv, name="units-import"),
    path("thong-bao/", notices.notices, name="notices"),
    path("khoa-truy-cap-api/", tokens.tokens, name="tokens"),
    path("api/", include("cchc_web.api.urls")),
    # The admin has no login or password change of its own: both go through the site's
    # throttled views (these routes come first, so they win over the admin's).
    path("quan-tri/login/", auth.AdminLogin.as_view(), name="admin-login"),
    path("quan-tri/password_change/", RedirectView.as_view(pattern_name="password-change")),
    path("quan-tri/", admin.site.urls),
]
