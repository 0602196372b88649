"""The call-taker's lookup page (查询分流事项) and staff's review of the choices made on it.

The page ranks with ``lookup.lookup``, the same function the API answers with. Picking a
result records a ``LookupChoice``; approved choices teach the ranking. Using the page
needs the permission to record choices (``diversion.add_lookupchoice``, the staff role);
the choices' own add page is closed, since a choice only comes from a pick.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.core.admin import SingletonAdmin
from apps.directory.models import Region

from . import choices, lookup
from .models import Direction, DiversionItem, DiversionList, LookupChoice, LookupWeights

RESULTS_SHOWN = 10
REGION_SESSION_KEY = "lookup_region"


def _regions_with_lists():
    """Regions whose own list or whose city's list is in force: the ones worth asking."""
    cities = DiversionList.objects.in_force().values("region_id")
    return Region.objects.filter(pk__in=cities) | Region.objects.filter(parent__in=cities)


class LookupForm(forms.Form):
    q = forms.CharField(
        label=_("Caller's words"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "size": 50, "id": "lookup-q"}
        ),
    )
    region = forms.ModelChoiceField(label=_("region"), queryset=Region.objects.none())
    direction = forms.ChoiceField(
        label=_("direction"),
        choices=[("", _("All directions")), *Direction.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions_with_lists().order_by("division_code")


class PickForm(forms.Form):
    words = forms.CharField(max_length=200)
    item = forms.ModelChoiceField(queryset=DiversionItem.objects.select_related("diversion_list"))
    position = forms.IntegerField(min_value=1, max_value=RESULTS_SHOWN)


def default_region(request):
    """The person's own unit's region, else the region last asked about, else the first
    region with a list."""
    regions = _regions_with_lists()
    own = request.user.unit.region_id if request.user.unit_id else None
    for pk in (own, request.session.get(REGION_SESSION_KEY)):
        if pk and regions.filter(pk=pk).exists():
            return pk
    first = regions.order_by("division_code").first()
    return first.pk if first else None


class ReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return LookupChoice._meta.get_field("review").choices

    def queryset(self, request, queryset):
        return queryset.filter(review=self.value()) if self.value() else queryset


@admin.register(LookupChoice)
class LookupChoiceAdmin(admin.ModelAdmin):
    list_display = (
        "words",
        "item_code",
        "item_name",
        "region",
        "picks",
        "position",
        "last_picked_at",
        "last_picked_by",
        "review",
        "reviewed_by",
    )
    list_filter = (ReviewFilter, "region")
    search_fields = ("words", "item_code")
    list_select_related = ("region", "item", "last_picked_by", "reviewed_by")
    actions = ("approve", "reject")
    readonly_fields = [f.name for f in LookupChoice._meta.fields if f.name != "id"]
    change_list_template = "admin/diversion/lookupchoice/change_list.html"

    @admin.display(description=_("item"))
    def item_name(self, obj):
        return obj.item.subcategory or obj.item.matter[:30]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # A choice is never edited, only reviewed (an action on the list).
        return obj is None and super().has_change_permission(request)

    def has_review_permission(self, request):
        return self.has_change_permission(request)

    @admin.action(description=_("Approve: the words teach the lookup"), permissions=["review"])
    def approve(self, request, queryset):
        self._review(request, queryset, approve=True)

    @admin.action(description=_("Reject: the words teach nothing"), permissions=["review"])
    def reject(self, request, queryset):
        self._review(request, queryset, approve=False)

    def _review(self, request, queryset, *, approve):
        n = choices.review_choices(queryset, approve=approve, reviewer=request.user)
        self.message_user(
            request,
            ngettext("%(n)d choice reviewed.", "%(n)d choices reviewed.", n) % {"n": n},
            messages.SUCCESS,
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("lookup/", view(self.lookup_view), name="diversion_lookupchoice_lookup"),
            path("lookup/pick/", view(self.pick_view), name="diversion_lookupchoice_pick"),
            *super().get_urls(),
        ]

    @staticmethod
    def _may_look_up(request):
        if not request.user.has_perm("diversion.add_lookupchoice"):
            raise PermissionDenied

    def lookup_view(self, request):
        """The page, or with ``?fragment=1`` only its results (fetched as the call-taker
        types)."""
        self._may_look_up(request)
        data = request.GET.copy()
        data.setdefault("region", default_region(request))
        form = LookupForm(data)
        diversion_list, matches = None, []
        if form.is_valid():
            region = form.cleaned_data["region"]
            if request.session.get(REGION_SESSION_KEY) != region.pk:  # no write per keystroke
                request.session[REGION_SESSION_KEY] = region.pk
            if form.cleaned_data["q"].strip():
                diversion_list, matches = lookup.lookup(
                    region,
                    form.cleaned_data["q"],
                    direction=form.cleaned_data["direction"] or None,
                    limit=RESULTS_SHOWN,
                )
        context = {
            "form": form,
            "diversion_list": diversion_list,
            "matches": matches,
            "words": form.cleaned_data.get("q", "") if form.is_valid() else "",
        }
        if request.GET.get("fragment"):
            return TemplateResponse(request, "admin/diversion/lookup/_results.html", context)
        return TemplateResponse(
            request,
            "admin/diversion/lookup/page.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Look up a diversion item"),
                **context,
            },
        )

    def pick_view(self, request):
        self._may_look_up(request)
        if request.method != "POST":
            raise PermissionDenied
        form = PickForm(request.POST)
        if not form.is_valid():
            errors = {field: list(messages_) for field, messages_ in form.errors.items()}
            return JsonResponse({"ok": False, "errors": errors}, status=400)
        try:
            choice = choices.record_choice(
                user=request.user,
                words=form.cleaned_data["words"],
                item=form.cleaned_data["item"],
                position=form.cleaned_data["position"],
            )
        except ValidationError as exc:
            return JsonResponse({"ok": False, "errors": {"__all__": exc.messages}}, status=400)
        return JsonResponse(
            {
                "ok": True,
                "message": str(
                    _("Recorded: %(item)s for “%(words)s”. Staff review it before it counts.")
                    % {"item": choice.item_code, "words": choice.words}
                ),
            }
        )


@admin.register(LookupWeights)
class LookupWeightsAdmin(SingletonAdmin):
    fieldsets = (
        (_("Where a word pair is found"), {"fields": LookupWeights.ITEM_FIELDS}),
        (
            _("The rest of the ranking"),
            {"fields": ("learned", "subcategory_bonus", "single_character", "least_share_of_best")},
        ),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # This process ranks with the new weights at once; the others within seconds.
        transaction.on_commit(lookup.weights_changed)
