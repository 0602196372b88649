from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from apps.core.api import api_not_found
from apps.directory.api import PublicUnitViewSet
from apps.directory.views import directory
from apps.disputes.api import DisputeViewSet, MeetingViewSet
from apps.diversion.api import DiversionItemViewSet, DiversionListViewSet, LookupView
from apps.reports.api import FiguresView
from apps.tickets.api import TicketViewSet

router = DefaultRouter()
router.register("directory/units", PublicUnitViewSet, basename="directory-unit")
router.register("diversion/lists", DiversionListViewSet, basename="diversion-list")
router.register("diversion/items", DiversionItemViewSet, basename="diversion-item")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("disputes", DisputeViewSet, basename="dispute")
router.register("meetings", MeetingViewSet, basename="meeting")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("directory/", directory, name="directory"),
    path("api/v1/diversion/lookup", LookupView.as_view(), name="diversion-lookup"),
    path("api/v1/reports/figures", FiguresView.as_view(), name="report-figures"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    # Last: every other /api/ address answers JSON, not Django's HTML page.
    re_path(r"^api/", api_not_found),
]
