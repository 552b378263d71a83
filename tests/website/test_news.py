import datetime as dt

import pytest
from django.utils import timezone

from rare.website import services
from tests.website.helpers import make_news, make_page


def day(n: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2021, 1, 1, 9, 0)) + dt.timedelta(days=n)


@pytest.mark.django_db
def test_news_are_listed_newest_first_ten_per_page(client):
    for n in range(1, 13):
        make_news(f"post-{n}", day(n), title=f"Post number {n:02d}")

    first = client.get("/news/").content.decode()
    second = client.get("/news/?page=2").content.decode()

    assert [f"Post number {n:02d}" in first for n in range(12, 0, -1)] == [True] * 10 + [False] * 2
    assert first.index("Post number 12") < first.index("Post number 11")
    assert "Page 1 of 2" in first
    assert 'href="?page=2" rel="next"' in first
    assert [f"Post number {n:02d}" in second for n in (2, 1, 3)] == [True, True, False]
    assert 'href="?page=1" rel="prev"' in second


@pytest.mark.django_db
def test_a_page_number_out_of_range_shows_the_last_page(client):
    make_news("only", day(1), title="The only post")

    body = client.get("/news/?page=99").content.decode()

    assert "The only post" in body


@pytest.mark.django_db
def test_public_pages_are_not_news(client):
    make_page("about", "What RARE is")

    body = client.get("/news/").content.decode()

    assert "What RARE is" not in body
    assert client.get("/news/about/").status_code == 404


@pytest.mark.django_db
def test_news_list_query_count_does_not_grow_with_posts(client, django_assert_max_num_queries):
    for n in range(3):
        make_news(f"post-{n}", day(n))
    with django_assert_max_num_queries(8) as few:
        client.get("/news/")
    for n in range(3, 40):
        post = make_news(f"post-{n}", day(n))
        services.save_version(page=post, language="en", title="Edited", body="Edited.", author=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/news/")
    assert response.content.decode().count("<h3") == 10


@pytest.mark.django_db
def test_a_news_post_shows_its_date_and_text(client):
    make_news("camp-7", day(445), title="Camp 7 in Brussels", body="We met *MEPs*.")

    body = client.get("/news/camp-7/").content.decode()

    assert "Camp 7 in Brussels" in body
    assert "<p>We met <em>MEPs</em>.</p>" in body
    assert 'datetime="2022-03-22' in body


@pytest.mark.django_db
def test_the_news_feed_lists_posts_as_atom(client):
    make_news("camp-7", day(445), title="Camp 7 in Brussels", body="We met *MEPs*.")

    response = client.get("/feeds/news.atom")

    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<title>Camp 7 in Brussels</title>" in body
    assert "/news/camp-7/" in body
