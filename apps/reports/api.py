"""The report figures over the API: the same definitions and rollups as the workbook and
the dashboard, for staff's and leadership's own tools."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.directory.models import Region

from . import figures
from .models import ReportPolicy
from .selectors import period_rollups, scheme_for, totals


class FiguresQuery(serializers.Serializer):
    region = serializers.CharField(help_text="6-digit division code; includes its counties")
    start = serializers.DateField(help_text="first day received, YYYY-MM-DD")
    end = serializers.DateField(help_text="last day received, YYYY-MM-DD, included")

    def validate_region(self, code):
        region = Region.objects.filter(division_code=code).first()
        if region is None:
            raise ValidationError(f"No region has the division code {code!r}.")
        return region

    def validate(self, data):
        if data["start"] > data["end"]:
            raise ValidationError({"end": "The end comes before the start."})
        longest = ReportPolicy.current().longest_period_days
        if (data["end"] - data["start"]).days + 1 > longest:
            raise ValidationError({"end": f"At most {longest} days at once (report settings)."})
        return data


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=[figures.COUNT, figures.RATE, figures.SCORE])
    value = serializers.FloatField(allow_null=True, help_text="a rate as a fraction; null: none")
    numerator = serializers.CharField()
    denominator = serializers.CharField()
    excluded = serializers.CharField()


class SchemeSerializer(serializers.Serializer):
    name = serializers.CharField()
    effective_from = serializers.DateField()


class FiguresAnswer(serializers.Serializer):
    region = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    scheme = SchemeSerializer()
    figures = FigureSerializer(many=True)


def _json(value):
    return float(value) if value is not None and not isinstance(value, int) else value


class FiguresView(APIView):
    """Every figure of a region (with its counties) for the tickets received in a range
    of days: value, kind (count, rate as a fraction, score out of 100) and definition."""

    @extend_schema(parameters=[FiguresQuery], responses=FiguresAnswer)
    def get(self, request):
        if not (request.user.is_command_staff or request.user.is_leadership):
            raise PermissionDenied("Report figures are for command-centre staff and leadership.")
        unknown = sorted(set(request.query_params) - set(FiguresQuery().fields))
        if unknown:
            raise ValidationError({"detail": f"Not a parameter here: {', '.join(unknown)}."})
        query = FiguresQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        region, start, end = (query.validated_data[k] for k in ("region", "start", "end"))
        scheme = scheme_for(end)
        values = figures.evaluate(
            totals(period_rollups(region=region, first=start, last=end)), scheme
        )
        return Response(
            {
                "region": region.division_code,
                "start": start,
                "end": end,
                "scheme": {"name": scheme.name, "effective_from": scheme.effective_from},
                "figures": [
                    {
                        "key": f.key,
                        "label": str(f.label),
                        "kind": f.kind,
                        "value": _json(values[f.key]),
                        "numerator": str(f.numerator),
                        "denominator": str(f.denominator),
                        "excluded": str(f.excluded),
                    }
                    for f in figures.FIGURES
                ],
            }
        )
