from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0003_camp_registration_deadline_session_competencies_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="language",
            field=models.CharField(
                blank=True,
                help_text="The language the applicant wrote in; emails use it.",
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="notified_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the applicant was emailed a refusal.",
                null=True,
                verbose_name="told of the decision",
            ),
        ),
    ]
