from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Region
from .selectors import public_directory


@login_required
def directory(request):
    region = Region.objects.filter(division_code=request.GET.get("region", "")).first()
    return render(
        request,
        "directory/public_directory.html",
        {
            "units": public_directory(region),
            "regions": Region.objects.filter(units__isnull=False).distinct(),
            "region": region,
        },
    )
