from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)


class Notice(models.Model):
    """One message in a person's in-app inbox (an email copy goes out too)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("delivered at"), auto_now_add=True, db_index=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self):
        return self.title
