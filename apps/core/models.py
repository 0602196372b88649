from django.db import models


class SingletonModel(models.Model):
    """A table of one row: the office's settings for one rule (edited in the admin)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        row, _created = cls.objects.get_or_create(pk=1)
        return row


class YearSerial(models.Model):
    """The last number given in one numbered series for one year: 督办〔2026〕000123 is
    the 123rd supervision notice of 2026, and the count starts again each January."""

    series = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="one_counter_per_series_year")
        ]

    def __str__(self):
        return f"{self.series} {self.year}: {self.last}"
