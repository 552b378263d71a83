"""Background tasks and periodic jobs of the programme app live in its areas; importing them here lets the
scheduler find them (it imports every app's `tasks` module)."""

from rare.programme.registration import tasks as registration_tasks  # noqa: F401
