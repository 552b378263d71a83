from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo programme (`rare demo`) and synthetic data sets (`rare generate`)."""

    name = "rare.demo"
    label = "demo"
    verbose_name = "Demo data"
