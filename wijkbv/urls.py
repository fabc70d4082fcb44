from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("members.urls")),
    path("", include("shares.urls")),
    path("", include("reciprocity.urls")),
    path("", include("budgets.urls")),
    path("payments/", include("wijkbv.payments.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("wijkbv.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
handler404 = "wijkbv.views.not_found"
