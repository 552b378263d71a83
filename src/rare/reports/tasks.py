"""Background work of the reports: building a funder report."""

from django_tasks import task

from rare.reports import services


@task()
def build_funder_report_task(report_id: int) -> int:
    report = services.build_funder_report(report_id)
    return report.progress if report else 0


@task()
def build_export_task(job_id: int) -> int:
    job = services.build_export(job_id)
    return job.done if job else 0
