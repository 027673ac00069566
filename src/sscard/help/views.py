from django.shortcuts import render

from sscard.addresses import TOWNS, town_by_code
from sscard.delivery.models import Branch
from sscard.help import content


def help_index(request):
    return render(request, "help/index.html", {
        "faq": content.FAQ, "comparison": content.COMPARISON, "channels": content.OFFICIAL_CHANNELS,
        "hotline": content.HOTLINE, "hotline_hours": content.HOTLINE_HOURS,
    })


def branches(request):
    town = request.GET.get("town", "")
    selected = town_by_code(town)
    rows = Branch.objects.filter(active=True)
    if selected:
        rows = rows.filter(town=town)
    if request.GET.get("permits") == "1":
        rows = rows.filter(handles_permits=True)
    template = "help/branch_list.html" if request.htmx else "help/branches.html"
    return render(request, template, {"towns": TOWNS, "town": town, "selected": selected, "branches": rows,
                                      "permits": request.GET.get("permits") == "1"})
