"""Admin building blocks shared by every app."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin


def errors_into_form(form, exc) -> None:
    """A service's refusal (``ValidationError``) shown on the form that asked for it: on
    the field it names, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def stored_file_response(stored, *, content_type, name, as_attachment=True):
    """A stored upload, sent as it was checked on upload and never run by the browser:
    ``nosniff``, and shown inline only where the caller allows it (photos)."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=as_attachment, filename=name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
    return response


class ChangeReasonForm(forms.ModelForm):
    """A model form that asks why the change is made; the reason goes into the history."""

    change_reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=100,
        help_text=_("Required. Shown in the change history, e.g. “原联络员调岗”."),
    )


class RecordOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Change history as a record: read by whoever may see the object, never written.

    django-simple-history's version page is also a form that reverts the object on POST
    (``SIMPLE_HISTORY_REVERT_DISABLED`` only hides its button), and its history pages fall
    back to the history table for objects the person's queryset does not hold. Here both
    pages answer only for objects of ``get_queryset`` (a liaison: the own unit), and the
    version page only to GET.
    """

    def _visible_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        self._visible_or_404(request, object_id)
        request.reading_history_record = True  # every field read-only, see below
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _recorded_fields(self):
        return [f.name for f in self.model._meta.fields if f.editable]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if getattr(request, "reading_history_record", False):
            # Only what was recorded: no form fields such as the reason for a change.
            return [f for f in fields if f in self._recorded_fields()]
        if obj is not None and not self.has_change_permission(request, obj):
            # Someone who only reads the object is asked no reason for a change.
            return [f for f in fields if f != "change_reason"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        if getattr(request, "reading_history_record", False):
            return self._recorded_fields()
        return super().get_readonly_fields(request, obj)

    def revert_disabled(self, request, obj=None):
        return True


class SingletonAdmin(admin.ModelAdmin):
    """For ``SingletonModel``: its one row is edited, never added twice or deleted."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not self.model.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class EstimatedCountPaginator(Paginator):
    """No exact COUNT(*) over a whole big table: PostgreSQL's planner estimate instead.

    A filtered list is still counted exactly (filters narrow it down); only the
    unfiltered list of a table with over 100,000 rows shows the estimate.
    """

    @cached_property
    def count(self):
        query = self.object_list.query
        if not query.where and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [self.object_list.model._meta.db_table],
                )
                estimate = cursor.fetchone()[0]
            if estimate > 100_000:
                return estimate
        return super().count


class BigTableAdminMixin:
    """Changelists that stay fast on millions of rows."""

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # facet counts are a COUNT per filter choice
    paginator = EstimatedCountPaginator


class AutocompleteFilter(admin.SimpleListFilter):
    """A list filter choosing a related object by typing (admin's select2 autocomplete),
    for relations with too many objects to list. Subclasses set ``field_name``."""

    template = "admin/autocomplete_filter.html"
    field_name = ""

    def __init__(self, request, params, model, model_admin):
        self.parameter_name = f"{self.field_name}__id__exact"
        super().__init__(request, params, model, model_admin)
        field = model._meta.get_field(self.field_name)
        self.widget = AutocompleteSelect(field, model_admin.admin_site)
        self.related_model = field.related_model
        self.model = model

    def lookups(self, request, model_admin):
        return ()

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.field_name}_id": self.value()})
        return queryset

    def selected(self):
        return (
            self.related_model._default_manager.filter(pk=self.value()).first()
            if (self.value() and str(self.value()).isdigit())
            else None
        )

    def choices(self, changelist):
        if self.value():
            yield {
                "display": _("All"),
                "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            }

    def render_widget(self):
        # A form field gives the widget its choices (it only ever loads the selected one).
        field = forms.ModelChoiceField(
            queryset=self.related_model._default_manager.all(), widget=self.widget, required=False
        )
        selected = self.selected()
        attrs = {"data-filter-parameter": self.parameter_name, "class": "autocomplete-filter"}
        return field.widget.render(
            f"filter_{self.field_name}", selected.pk if selected else None, attrs
        )


class TimelineHistoryMixin:
    """The 历史 page tells what happened to the object (``history_timeline``), above the
    admin's own log of edits; who may open it is decided as on Django's page."""

    object_history_template = "admin/timeline_history.html"
    timeline_title = _("What happened")

    def history_timeline(self, obj) -> list[dict]:
        """Entries {at, what, who, details}, oldest first."""
        raise NotImplementedError

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            return super().history_view(request, object_id, extra_context)  # 404 / 403
        extra = {
            **(extra_context or {}),
            "timeline": self.history_timeline(obj),
            "timeline_title": self.timeline_title,
        }
        return super().history_view(request, object_id, extra)


# Celery Beat's pages, re-registered for the office (beat's admin is imported first).
from . import schedules_admin  # noqa: E402, F401
