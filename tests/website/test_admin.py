import pytest
from django.conf import settings

from tests.factories import UserFactory
from tests.website.helpers import TestimonialFactory, make_page


@pytest.mark.django_db
def test_the_admin_lists_pages_their_read_only_history_and_testimonials(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    page = make_page("about", "What RARE is")
    version = page.versions.get()
    testimonial = TestimonialFactory(name="Ana Example")
    client.force_login(admin)
    base = f"/{settings.RARE_ADMIN_PATH}/website"

    pages = [
        f"{base}/page/",
        f"{base}/page/{page.pk}/change/",
        f"{base}/pageversion/",
        f"{base}/pageversion/{version.pk}/change/",
        f"{base}/testimonial/",
        f"{base}/testimonial/{testimonial.pk}/change/",
    ]

    assert [(url, client.get(url).status_code) for url in pages] == [(url, 200) for url in pages]
    assert client.get(f"{base}/pageversion/{version.pk}/delete/").status_code == 403
    assert client.get(f"{base}/page/add/").status_code == 403
