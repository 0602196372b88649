from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ChangeReasonForm, RecordOnlyHistoryAdmin, SingletonAdmin

from . import services
from .models import Contact, ContactConfirmationPolicy, Region, Unit
from .selectors import unit_change_timeline

# What a liaison may change on the own unit; everything else is read-only for them.
LIAISON_EDITABLE_UNIT_FIELDS = ("duty_phone", "hotline_numbers")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "division_code", "level", "parent")
    list_filter = ("level",)
    search_fields = ("name", "division_code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


class UnitForm(ChangeReasonForm):
    class Meta:
        model = Unit
        fields = "__all__"


class ContactInline(admin.TabularInline):
    """Current contacts, editable in place (corrections); replacing a person is its own step."""

    model = Contact
    fields = (
        "role",
        "name",
        "position",
        "office_phone",
        "mobile",
        "email",
        "valid_from",
        "last_confirmed_at",
        "replace_link",
    )
    readonly_fields = ("last_confirmed_at", "replace_link")
    extra = 0
    verbose_name_plural = _("Current contacts")

    def get_queryset(self, request):
        return super().get_queryset(request).current()

    @admin.display(description=_("Replace"))
    def replace_link(self, obj):
        if not obj.pk:
            return ""
        url = reverse("admin:directory_contact_replace", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Replace person"))


class PastContactInline(admin.TabularInline):
    model = Contact
    fields = ("role", "name", "position", "office_phone", "valid_from", "valid_to")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Former contacts (kept on record)")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(valid_to__isnull=False)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ContactsStaleFilter(admin.SimpleListFilter):
    title = _("contacts confirmation")
    parameter_name = "contacts"

    def lookups(self, request, model_admin):
        return [("stale", _("Overdue for confirmation"))]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.filter(pk__in=Unit.objects.stale().values("pk"))
        return queryset


@admin.register(Unit)
class UnitAdmin(RecordOnlyHistoryAdmin):
    form = UnitForm
    list_display = (
        "name",
        "region",
        "kind",
        "linkage_tier",
        "duty_phone",
        "hotline_numbers",
        "contacts_status",
        "is_active",
    )
    list_filter = (ContactsStaleFilter, "linkage_tier", "kind", "is_active", "region")
    search_fields = ("name", "short_name", "hotline_numbers", "region__name")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    ordering = ("region__division_code", "name", "pk")
    inlines = (ContactInline, PastContactInline)
    actions = ("confirm_contacts",)
    change_form_template = "admin/directory/unit/change_form.html"
    object_history_template = "admin/directory/unit/object_history.html"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).with_contacts_stale()

    @admin.display(description=_("Contacts"), ordering="contacts_confirmed_at")
    def contacts_status(self, obj):
        if obj.contacts_stale:
            return format_html(
                '<span class="stale-contacts">⚠ {}</span>', _("overdue for confirmation")
            )
        confirmed = timezone.localtime(obj.contacts_confirmed_at).date()
        return _("confirmed %(date)s") % {"date": confirmed}

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_command_staff:
            return ()
        return [
            f.name
            for f in Unit._meta.fields
            if f.editable and f.name not in LIAISON_EDITABLE_UNIT_FIELDS
        ]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or request.user.is_command_staff:
            return allowed
        return allowed and request.user.is_liaison and obj.pk == request.user.unit_id

    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.is_command_staff

    def save_model(self, request, obj, form, change):
        services.save_unit(obj, changed_by=request.user, reason=form.cleaned_data["change_reason"])

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data["change_reason"]
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._change_reason = reason
            obj.delete()
        for contact in instances:
            services.save_contact(contact, changed_by=request.user, reason=reason)
        formset.save_m2m()

    @admin.action(description=_("Confirm contacts are current"), permissions=["change"])
    def confirm_contacts(self, request, queryset):
        units = [u for u in queryset if self.has_change_permission(request, u)]
        for unit in units:
            services.confirm_unit_contacts(unit, confirmed_by=request.user)
        self.message_user(
            request,
            _("Contacts of %(n)d unit(s) confirmed as current.") % {"n": len(units)},
            messages.SUCCESS,
        )

    def history_view(self, request, object_id, extra_context=None):
        unit = self.get_object(request, object_id)
        if unit is not None:
            extra_context = {**(extra_context or {}), "timeline": unit_change_timeline(unit)}
        return super().history_view(request, object_id, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:unit_id>/confirm-contacts/",
                self.admin_site.admin_view(self.confirm_contacts_view),
                name="directory_unit_confirm_contacts",
            ),
            *super().get_urls(),
        ]

    def confirm_contacts_view(self, request, unit_id):
        unit = get_object_or_404(self.get_queryset(request), pk=unit_id)
        if request.method != "POST" or not self.has_change_permission(request, unit):
            raise PermissionDenied
        services.confirm_unit_contacts(unit, confirmed_by=request.user)
        self.message_user(
            request,
            _("Contacts of %(unit)s confirmed as current.") % {"unit": unit},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:directory_unit_change", args=[unit.pk]))


class ContactForm(ChangeReasonForm):
    class Meta:
        model = Contact
        fields = (
            "unit",
            "role",
            "name",
            "position",
            "office_phone",
            "mobile",
            "email",
            "valid_from",
            "valid_to",
        )


class ReplaceContactForm(forms.ModelForm):
    change_reason = ChangeReasonForm.base_fields["change_reason"]

    class Meta:
        model = Contact
        fields = ("name", "position", "office_phone", "mobile", "email")


@admin.register(Contact)
class ContactAdmin(RecordOnlyHistoryAdmin):
    form = ContactForm
    list_display = (
        "name",
        "role",
        "unit",
        "position",
        "office_phone",
        "mobile",
        "valid_from",
        "valid_to",
        "last_confirmed_at",
    )
    list_filter = ("role", ("valid_to", admin.EmptyFieldListFilter), "unit__region")
    search_fields = ("name", "unit__name", "mobile", "office_phone")
    list_select_related = ("unit", "unit__region")
    autocomplete_fields = ("unit",)
    change_form_template = "admin/directory/contact/change_form.html"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_command_staff or request.user.is_leadership:
            return qs
        if request.user.is_liaison:
            return qs.filter(unit_id=request.user.unit_id)
        return qs.none()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and not request.user.is_command_staff:
            kwargs["queryset"] = Unit.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if request.user.is_liaison:
            initial.setdefault("unit", request.user.unit_id)
        return initial

    def save_model(self, request, obj, form, change):
        services.save_contact(
            obj, changed_by=request.user, reason=form.cleaned_data["change_reason"]
        )

    def get_urls(self):
        return [
            path(
                "<int:contact_id>/replace/",
                self.admin_site.admin_view(self.replace_view),
                name="directory_contact_replace",
            ),
            *super().get_urls(),
        ]

    def replace_view(self, request, contact_id):
        old = get_object_or_404(self.get_queryset(request), pk=contact_id, valid_to__isnull=True)
        if not (self.has_change_permission(request, old) and self.has_add_permission(request)):
            raise PermissionDenied
        form = ReplaceContactForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.replace_contact(
                    old,
                    form.save(commit=False),
                    changed_by=request.user,
                    reason=form.cleaned_data["change_reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request,
                    _("%(old)s has been replaced by %(new)s.")
                    % {"old": old.name, "new": form.cleaned_data["name"]},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:directory_unit_change", args=[old.unit_id])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Replace %(role)s of %(unit)s")
            % {"role": old.get_role_display(), "unit": old.unit},
            "old": old,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/directory/contact/replace.html", context)


@admin.register(ContactConfirmationPolicy)
class ContactConfirmationPolicyAdmin(SingletonAdmin):
    list_display = ("__str__", "confirm_every_days")
