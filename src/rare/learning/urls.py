"""Addresses of the learning app (under /learning/, namespace "learning"). Each area adds its own."""

from rare.learning.assessments import urls as assessment_urls
from rare.learning.feedback import urls as feedback_urls
from rare.learning.library import urls as library_urls
from rare.learning.plans import urls as plan_urls

app_name = "learning"

urlpatterns = [
    *assessment_urls.urlpatterns,
    *plan_urls.urlpatterns,
    *feedback_urls.urlpatterns,
    *library_urls.urlpatterns,
]
