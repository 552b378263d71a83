"""The `rare` command: Django's manage.py for the RARE platform (`rare demo`, `rare worker`, ...)."""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["prod"]:
        # Before Django: production settings refuse to load until `rare prod` has made the secrets.
        from rare.core.prodstack import main as prod

        sys.exit(prod(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rare.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from rare.core.config import UnsafeConfiguration

    # Commands are spelled with hyphens (`rare generate-key`); their modules use underscores.
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        sys.argv[1] = sys.argv[1].replace("-", "_")
    try:
        execute_from_command_line(sys.argv)
    except UnsafeConfiguration as exc:
        print(exc, file=sys.stderr)
        sys.exit(2)
    except ImproperlyConfigured as exc:  # pragma: no cover - message for the operator
        print(f"RARE cannot start: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
