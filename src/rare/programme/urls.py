from rare.programme.camps import urls as camps_urls
from rare.programme.registration import urls as registration_urls

app_name = "programme"

urlpatterns = [
    *camps_urls.urlpatterns,
    *registration_urls.urlpatterns,
]
