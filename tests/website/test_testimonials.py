import re

import pytest
from django.core.exceptions import ValidationError

from rare.website.models import Testimonial as VideoTestimonial
from tests.factories import ProgrammeFactory
from tests.website.helpers import TestimonialFactory, make_page


def markup_of_testimonials(body: str) -> str:
    return body.split('<ul class="testimonials">')[1].split("</ul>")[0]


@pytest.mark.parametrize("video_id", ["dQw4w9WgXc", "dQw4w9WgXcQQ", "dQw4w9WgX<Q", "dQw4w9WgX Q", ""])
def test_a_video_id_must_be_eleven_safe_characters(video_id):
    testimonial = VideoTestimonial(name="Ana", video_id=video_id)

    with pytest.raises(ValidationError) as error:
        testimonial.full_clean()

    assert "video_id" in error.value.message_dict


def test_a_well_formed_video_id_is_accepted():
    VideoTestimonial(name="Ana", video_id="aB3_-x9Zq0L").full_clean(validate_unique=False)


@pytest.mark.django_db
def test_the_testimonial_shows_our_preview_and_refers_to_no_other_host_but_the_player(client):
    ProgrammeFactory()
    TestimonialFactory(name="Ana Example", video_id="aB3_-x9Zq0L", preview="rare/testimonials/preview-bridge.svg")

    body = client.get("/").content.decode()
    markup = markup_of_testimonials(body)

    assert '<img src="/static/rare/testimonials/preview-bridge.svg" alt="" width="640" height="360">' in markup
    assert 'data-video-src="https://www.youtube-nocookie.com/embed/aB3_-x9Zq0L?autoplay=1"' in markup
    assert 'href="https://www.youtube-nocookie.com/embed/aB3_-x9Zq0L"' in markup
    assert "<iframe" not in body
    hosts = set(re.findall(r"(?:https?:)?//([^/\"'\s]+)", markup))
    assert hosts == {"www.youtube-nocookie.com"}
    resources = re.findall(r'<(?:img|script|iframe|link|source|video)\b[^>]*\b(?:src|href)="([^"]*)"', body)
    assert [url for url in resources if not url.startswith("/")] == []


@pytest.mark.django_db
def test_our_script_that_loads_the_player_comes_with_the_nonce(client):
    ProgrammeFactory()
    TestimonialFactory()

    response = client.get("/")

    nonce = re.search(
        r'<script src="/static/rare/testimonial.js" nonce="([^"]+)" defer></script>', response.content.decode()
    )
    assert nonce is not None
    assert f"'nonce-{nonce.group(1)}'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_play_link_names_the_person_so_it_reads_well_without_javascript(client):
    ProgrammeFactory()
    TestimonialFactory(name="Ana Example", role="Director, Civic Rights Watch")

    markup = markup_of_testimonials(client.get("/").content.decode())

    link = re.search(r"<a [^>]*data-video-play>(.*?)</a>", markup, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", " ", link).split()) == "▶ Play the video with Ana Example"
    assert "Director, Civic Rights Watch" in markup


@pytest.mark.django_db
def test_an_illustrative_testimonial_says_so(client):
    ProgrammeFactory()
    TestimonialFactory(illustrative=True)

    assert "The person and the video are examples." in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_testimonial_attached_to_a_page_is_shown_there(client):
    page = make_page("about", "What RARE is")
    TestimonialFactory(name="Ana On The Page", page=page, on_home_page=False)

    body = client.get("/about/").content.decode()

    assert "Ana On The Page" in body
    assert 'src="/static/rare/testimonial.js"' in body
