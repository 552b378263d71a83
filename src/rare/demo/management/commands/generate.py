"""`rare generate --scale N`: fill the database with a large synthetic network (see rare.demo.generate)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rare.demo import generate


def scale_factor(value: str) -> float:
    """`europe` is 1.0; any positive number is a share (or a multiple) of it."""
    if value.strip().lower() == "europe":
        return 1.0
    try:
        factor = float(value)
    except ValueError:
        raise CommandError(f"--scale must be 'europe' or a positive number, not {value!r}.") from None
    if not factor > 0 or factor == float("inf"):
        raise CommandError(f"--scale must be 'europe' or a positive number, not {value!r}.")
    return factor


class Command(BaseCommand):
    help = (
        "Generate a large synthetic data set (fictional organisations, people, programmes, alerts, pledges, "
        "assessments) at the proportions of a Europe-wide network; --scale europe or a factor such as 0.01."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", required=True, help="'europe' (= 1.0) or a positive factor of it, e.g. 0.01")
        parser.add_argument(
            "--seed", type=int, default=generate.DEFAULT_SEED, help="random seed (same seed, same data)"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="also run with RARE_ENV=production (never do this on a database that holds real people's data)",
        )

    def handle(self, *args, scale: str, seed: int, force: bool, **options):
        factor = scale_factor(scale)
        if settings.PRODUCTION and not force:
            raise CommandError(
                "Refusing to generate synthetic data with RARE_ENV=production (use --force on a throwaway database)."
            )
        try:
            generate.generate(factor=factor, seed=seed, out=self.stdout)
        except generate.AlreadyGenerated as refusal:
            raise CommandError(str(refusal)) from None
