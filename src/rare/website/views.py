from django.shortcuts import render

from rare.programme import queries as programme_queries


def home(request):
    programme = programme_queries.current_programme()
    return render(
        request,
        "website/home.html",
        {"programme": programme, "camps": programme_queries.camps_of(programme)},
    )
