import csv
import io

from django.http import StreamingHttpResponse
from django.utils import translation

from rare.core.exports import spreadsheet_safe, stream_csv


def test_cells_a_spreadsheet_would_run_get_an_apostrophe():
    cells = ['=HYPERLINK("x")', "+1", "-2", "@sum", "plain", None, 7]
    assert [spreadsheet_safe(cell) for cell in cells] == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@sum", "plain", "", "7"]


def test_csv_is_streamed_row_by_row_in_the_requested_language():
    produced = []

    def rows():
        for number in range(3):
            produced.append(number)
            yield [translation.get_language(), number]

    with translation.override("de"):
        response = stream_csv(rows(), filename="list.csv", byte_order_mark=True)
    assert isinstance(response, StreamingHttpResponse)
    assert produced == []  # nothing is built before the body is read
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"] == 'attachment; filename="list.csv"'
    assert body.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(body.lstrip("\ufeff")))) == [["de", "0"], ["de", "1"], ["de", "2"]]


def test_labels_and_country_names_follow_the_language_of_the_export():
    from django_countries.fields import Country

    from rare.core.exports import choice_label, country_name
    from rare.solidarity.models import Alert

    with translation.override("en"):
        assert choice_label(Alert.Status, "verified") == "verified"
        assert country_name(Country("HU")) == "Hungary"
    with translation.override("de"):
        assert choice_label(Alert.Status, "verified") == "verifiziert"
        assert country_name(Country("HU")) == "Ungarn"
    assert choice_label(Alert.Status, "") == ""
    assert country_name(None) == ""
