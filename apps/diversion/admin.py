from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from apps.core.admin import TimelineHistoryMixin
from apps.core.excel import xlsx_response
from apps.core.tabular import ImportRejected
from apps.directory.models import Region

from . import (
    exporters,
    importers,
    lookup,
    lookup_admin,  # noqa: F401  (registers the lookup page and the choices)
    services,
)
from .models import DiversionItem, DiversionList, ListStatus, LookupSynonym
from .selectors import diff_lists

# Uploaded files wait in the session between preview and confirmation.
IMPORT_SESSION_KEY = "diversion_import"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv, UTF-8 or GBK)"))


class DeriveForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("County or district"),
        queryset=Region.objects.filter(parent__isnull=False, level__in=["county", "district"]),
    )


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("change note"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("What changed against the version in force, and why (调整说明)."),
    )


class CompareForm(forms.Form):
    against = forms.ModelChoiceField(label=_("Compare with"), queryset=DiversionList.objects.none())


@admin.register(DiversionList)
class DiversionListAdmin(TimelineHistoryMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "region",
        "version",
        "status",
        "effective_from",
        "effective_to",
        "items_link",
        "approved_by",
    )
    list_filter = ("status", "region")
    search_fields = ("title", "document_number", "region__name", "region__division_code")
    list_select_related = ("region", "approved_by")
    autocomplete_fields = ("region",)
    readonly_fields = (
        "version",
        "status",
        "effective_from",
        "effective_to",
        "based_on",
        "approved_by",
        "approved_at",
        "items_link",
    )
    fields = ("region", "title", "document_number", "change_note", *readonly_fields)
    change_form_template = "admin/diversion/diversionlist/change_form.html"
    change_list_template = "admin/diversion/diversionlist/change_list.html"

    def get_queryset(self, request):
        # A GROUP BY drops the model's default order: the autocomplete pages it as is.
        return (
            super()
            .get_queryset(request)
            .annotate(item_count=Count("items"))
            .order_by(*self.model._meta.ordering)
        )

    @admin.display(description=_("Items"), ordering="item_count")
    def items_link(self, obj):
        if obj.pk is None:
            return "—"
        url = (
            reverse("admin:diversion_diversionitem_changelist")
            + "?"
            + urlencode({"diversion_list__id__exact": obj.pk})
        )
        label = _("Edit %(n)d items") if obj.is_draft else _("View %(n)d items")
        count = getattr(obj, "item_count", None)
        if count is None:
            count = obj.items.count()
        return format_html('<a href="{}">{}</a>', url, label % {"n": count})

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("region", *self.readonly_fields)
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        draft = services.create_draft(
            obj.region,
            title=obj.title,
            document_number=obj.document_number,
            change_note=obj.change_note,
        )
        obj.pk, obj.version = draft.pk, draft.version
        obj._state.adding = False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and not obj.is_draft and request.method == "GET":
            self.message_user(
                request,
                _("This list is %(status)s and cannot be edited. Use “New version” to change it.")
                % {"status": obj.get_status_display()},
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/new-version/",
                view(self.new_version_view),
                name="diversion_diversionlist_new_version",
            ),
            path(
                "<int:pk>/publish/", view(self.publish_view), name="diversion_diversionlist_publish"
            ),
            path("<int:pk>/export/", view(self.export_view), name="diversion_diversionlist_export"),
            path("<int:pk>/import/", view(self.import_view), name="diversion_diversionlist_import"),
            path(
                "<int:pk>/compare/", view(self.compare_view), name="diversion_diversionlist_compare"
            ),
            path("derive/", view(self.derive_view), name="diversion_diversionlist_derive"),
            path("template/", view(self.template_view), name="diversion_diversionlist_template"),
            *super().get_urls(),
        ]

    timeline_title = _("Versions of this region's list")

    def history_timeline(self, obj):
        """Every version of the region's list: made, published (by whom, why), retired."""
        entries = []
        versions = DiversionList.objects.filter(region=obj.region_id).select_related(
            "approved_by", "based_on"
        )
        for version in versions.order_by("version"):
            name = _("version %(v)d") % {"v": version.version}
            based = (
                _("from version %(v)d") % {"v": version.based_on.version}
                if version.based_on
                else ""
            )
            entries.append(
                {
                    "at": version.created_at,
                    "what": _("%(v)s drafted") % {"v": name},
                    "details": f"{version.title} {based}".strip(),
                }
            )
            if version.approved_at:
                entries.append(
                    {
                        "at": version.approved_at,
                        "what": _("%(v)s published") % {"v": name},
                        "who": version.approved_by,
                        "details": version.change_note,
                    }
                )
            if version.effective_to:
                entries.append(
                    {"at": version.effective_to, "what": _("%(v)s retired") % {"v": name}}
                )
        return sorted(entries, key=lambda e: e["at"])

    def _get(self, request, pk, *, edit=False):
        obj = get_object_or_404(DiversionList.objects.select_related("region"), pk=pk)
        allowed = (
            self.has_add_permission(request) if edit else self.has_view_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        return obj

    def _redirect(self, obj):
        return HttpResponseRedirect(reverse("admin:diversion_diversionlist_change", args=[obj.pk]))

    def _context(self, request, obj, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": title,
            **extra,
        }

    def new_version_view(self, request, pk):
        source = self._get(request, pk, edit=True)
        if request.method != "POST":
            raise PermissionDenied
        draft = services.new_version(source)
        self.log_addition(request, draft, _("Created from version %(s)d.") % {"s": source.version})
        self.message_user(
            request,
            _("Draft version %(v)d created from version %(s)d.")
            % {"v": draft.version, "s": source.version},
            messages.SUCCESS,
        )
        return self._redirect(draft)

    def publish_view(self, request, pk):
        """Asks for the change note and a confirmation, showing what stops publication;
        publishes only on the confirming POST, and records who, when and why."""
        draft = self._get(request, pk, edit=True)
        form = PublishForm(
            request.POST if "confirm" in request.POST else None,
            initial={"change_note": draft.change_note},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.publish(
                    draft,
                    approved_by=request.user,
                    change_note=form.cleaned_data["change_note"],
                )
            except ValidationError as exc:
                for problem in exc.messages:
                    self.message_user(request, problem, messages.ERROR)
                self.message_user(
                    request, _("Not published: fix the problems above."), messages.ERROR
                )
            else:
                self.log_change(
                    request,
                    draft,
                    _("Published as version %(v)d: %(note)s")
                    % {"v": draft.version, "note": draft.change_note},
                )
                self.message_user(
                    request,
                    _("Version %(v)d is published and in force.") % {"v": draft.version},
                    messages.SUCCESS,
                )
            return self._redirect(draft)
        context = self._context(
            request,
            draft,
            _("Publish %(list)s") % {"list": draft},
            form=form,
            problems=services.publication_problems(draft),
            in_force=DiversionList.objects.in_force().filter(region=draft.region_id).first(),
        )
        return TemplateResponse(request, "admin/diversion/diversionlist/publish.html", context)

    def export_view(self, request, pk):
        obj = self._get(request, pk)
        name = f"{obj.region.division_code}_{obj.region.name}_v{obj.version}.xlsx"
        return xlsx_response(exporters.export_list(obj), name)

    def template_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return xlsx_response(exporters.export_template(), "分流转办事项清单_模板.xlsx")

    def import_view(self, request, pk):
        draft = self._get(request, pk, edit=True)
        context = self._context(request, draft, _("Import items into %(list)s") % {"list": draft})
        try:
            draft.ensure_editable()
        except ValidationError as exc:
            self.message_user(request, exc.messages[0], messages.ERROR)
            return self._redirect(draft)
        if request.method == "POST" and "confirm" in request.POST:
            pending = request.session.get(IMPORT_SESSION_KEY) or {}
            if pending.get("list") != draft.pk:
                raise PermissionDenied
            try:
                result = importers.apply(bytes.fromhex(pending["data"]), pending["name"], draft)
            except (ImportRejected, ValidationError) as exc:
                context["errors"] = getattr(exc, "errors", None) or exc.messages
            else:
                del request.session[IMPORT_SESSION_KEY]
                self.log_change(
                    request,
                    draft,
                    _(
                        "Imported %(file)s: %(added)d added, %(changed)d changed, "
                        "%(removed)d removed."
                    )
                    % {"file": pending["name"], **result.counts},
                )
                self.message_user(
                    request,
                    _("Imported: %(added)d added, %(changed)d changed, %(removed)d removed.")
                    % result.counts,
                    messages.SUCCESS,
                )
                return self._redirect(draft)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and "confirm" not in request.POST and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                context["preview"] = importers.preview(data, upload.name, draft)
            except ImportRejected as exc:
                context["errors"] = exc.errors
            else:
                request.session[IMPORT_SESSION_KEY] = {
                    "list": draft.pk,
                    "name": upload.name,
                    "data": data.hex(),
                }
        context["form"] = form
        return TemplateResponse(request, "admin/diversion/diversionlist/import.html", context)

    def compare_view(self, request, pk):
        after = self._get(request, pk)
        others = DiversionList.objects.filter(region=after.region).exclude(pk=after.pk)
        if after.based_on_id:
            others = others | DiversionList.objects.filter(pk=after.based_on_id)
        form = CompareForm(request.GET or None, initial={"against": after.based_on_id})
        form.fields["against"].queryset = others.select_related("region")
        before = None
        if form.is_valid():
            before = form.cleaned_data["against"]
        elif "against" not in request.GET and after.based_on_id:
            before = after.based_on
        context = self._context(request, after, _("Compare versions"), form=form, before=before)
        if before is not None:
            diff = diff_lists(before, after)
            if request.GET.get("format") == "xlsx":
                name = f"{after.region.name}_v{before.version}_v{after.version}_差异.xlsx"
                return xlsx_response(exporters.export_diff(before, after, diff), name)
            context["diff"] = diff
        return TemplateResponse(request, "admin/diversion/diversionlist/compare.html", context)

    def derive_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DeriveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                draft = services.derive_from_parent(form.cleaned_data["region"])
            except ValidationError as exc:
                form.add_error("region", exc)
            else:
                self.message_user(
                    request, _("Draft derived from the city's list."), messages.SUCCESS
                )
                return self._redirect(draft)
        context = self._context(
            request, None, _("Derive a county list from its city's list"), form=form
        )
        return TemplateResponse(request, "admin/diversion/diversionlist/derive.html", context)


class DiversionItemForm(forms.ModelForm):
    item_code = forms.CharField(
        label=_("item code"),
        max_length=32,
        required=False,
        help_text=_("Leave empty for a new item: the next free code of its direction is used."),
    )

    class Meta:
        model = DiversionItem
        fields = (
            "diversion_list",
            "item_code",
            "direction",
            "category",
            "subcategory",
            "matter",
            "lead_unit",
            "co_units",
            "guidance_hotlines",
            "keywords",
            "notes",
            "order",
        )
        widgets = {"matter": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def clean(self):
        cleaned = super().clean()
        diversion_list = cleaned.get("diversion_list")
        if diversion_list is not None:
            problems = [diversion_list.unit_problem(unit) for unit in cleaned.get("co_units") or ()]
            if any(problems):
                self.add_error("co_units", [p for p in problems if p])
        return cleaned


class ListStateFilter(admin.SimpleListFilter):
    """Items of the lists in force unless asked otherwise (or a version is chosen)."""

    title = _("list status")
    parameter_name = "list_state"

    def lookups(self, request, model_admin):
        return [
            ("in_force", _("In force")),
            (ListStatus.DRAFT, _("Draft")),
            (ListStatus.RETIRED, _("Retired")),
            ("all", _("All versions")),
        ]

    def __init__(self, request, params, model, model_admin):
        # Listed before the version filter, so the version is still among ``params``.
        self.version_chosen = bool(params.get(ListVersionFilter.parameter_name))
        super().__init__(request, params, model, model_admin)

    def value(self):
        if super().value() is None and not self.version_chosen:
            return "in_force"
        return super().value()

    def choices(self, changelist):
        for value, title in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: value}, [ListVersionFilter.parameter_name]
                ),
                "display": title,
            }

    def queryset(self, request, queryset):
        state = self.value()
        if state == "in_force":
            return queryset.filter(diversion_list__in=DiversionList.objects.in_force())
        if state in (ListStatus.DRAFT, ListStatus.RETIRED):
            return queryset.filter(diversion_list__status=state)
        return queryset


class ListVersionFilter(admin.SimpleListFilter):
    """Filter by list version, naming each with its region in one query."""

    title = _("diversion list")
    parameter_name = "diversion_list__id__exact"

    def lookups(self, request, model_admin):
        lists = DiversionList.objects.select_related("region").order_by(
            "region__division_code", "-version"
        )
        return [(dl.pk, str(dl)) for dl in lists]

    def queryset(self, request, queryset):
        return queryset.filter(diversion_list_id=self.value()) if self.value() else queryset


@admin.register(DiversionItem)
class DiversionItemAdmin(admin.ModelAdmin):
    form = DiversionItemForm
    list_display = (
        "item_code",
        "direction",
        "category",
        "subcategory",
        "matter_short",
        "lead_unit",
        "diversion_list",
    )
    list_filter = (ListStateFilter, ListVersionFilter, "direction", "category")
    search_fields = ("item_code", "category", "subcategory", "matter", "keywords")
    list_select_related = ("lead_unit__region", "diversion_list__region")
    autocomplete_fields = ("lead_unit", "co_units")
    list_per_page = 100

    def get_search_results(self, request, queryset, search_term):
        """The fields' words, or what the call-takers' ranking finds in the lists in force
        (路灯晚上不亮 is in no field, but 路灯故障 is its answer)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found = found | queryset.filter(pk__in=lookup.matching_item_ids(search_term))
        return found, may_have_duplicates

    @admin.display(description=_("matter"))
    def matter_short(self, obj):
        return Truncator(obj.matter).chars(60)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "diversion_list":
            kwargs["queryset"] = DiversionList.objects.filter(
                status=ListStatus.DRAFT
            ).select_related("region")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "_changelist_filters" in request.GET:
            filters = QueryDict(request.GET["_changelist_filters"])
            initial.setdefault("diversion_list", filters.get("diversion_list__id__exact"))
        return initial

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.diversion_list.is_draft)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.diversion_list.is_draft)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and not obj.diversion_list.is_draft and request.method == "GET":
            self.message_user(
                request,
                _(
                    "This item belongs to a %(status)s list and cannot be "
                    "edited. Create a new version of the list to change "
                    "it."
                )
                % {"status": obj.diversion_list.get_status_display()},
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        services.save_item(obj)

    def delete_model(self, request, obj):
        services.delete_item(obj)

    def delete_queryset(self, request, queryset):
        kept = queryset.exclude(diversion_list__status=ListStatus.DRAFT).count()
        if kept:
            self.message_user(
                request,
                _("%(n)d item(s) of published or retired lists were not deleted.") % {"n": kept},
                messages.WARNING,
            )
        queryset.filter(diversion_list__status=ListStatus.DRAFT).delete()


@admin.register(LookupSynonym)
class LookupSynonymAdmin(admin.ModelAdmin):
    list_display = ("spoken", "listed")
    search_fields = ("spoken", "listed")
