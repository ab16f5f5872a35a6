import django.db.models.deletion
import django.utils.timezone
import django_fsm
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Secondment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("state", django_fsm.FSMField(default="requested", max_length=50)),
                ("version", models.PositiveIntegerField(default=1)),
                ("full_name", models.CharField(max_length=200)),
                ("personnel_id", models.CharField(max_length=100)),
                ("category", models.CharField(max_length=40)),
                ("position", models.CharField(max_length=200)),
                ("is_leader", models.BooleanField(default=False)),
                ("in_succession_plan", models.BooleanField(default=False)),
                ("appraisals", models.JSONField(default=list)),
                ("maternity_protected", models.BooleanField(default=False)),
                ("home_agency", models.CharField(max_length=200)),
                ("province_code", models.IntegerField()),
                ("ward_code", models.IntegerField(null=True)),
                ("kind", models.CharField(max_length=40)),
                ("fields", models.JSONField(default=list)),
                ("planned_start", models.DateField()),
                ("planned_end", models.DateField()),
                ("reason", models.TextField(blank=True)),
                ("decision_number", models.CharField(blank=True, max_length=100)),
                ("decision_date", models.DateField(null=True)),
                ("decision_issuer", models.CharField(blank=True, max_length=200)),
                ("term_start", models.DateField(null=True)),
                ("term_end", models.DateField(null=True)),
                ("override_reason", models.TextField(blank=True)),
                ("arrived_on", models.DateField(null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["province_code", "state", "id"], name="list_by_place")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(
                            ("state__in", ("approved", "deployed", "reporting", "handover"))
                        ),
                        fields=("personnel_id",),
                        name="one_active_secondment_per_official",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Report",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40)),
                ("period_start", models.DateField()),
                ("period_end", models.DateField()),
                ("summary", models.TextField()),
                ("procedures_handled", models.IntegerField(default=0)),
                ("staff_coached", models.IntegerField(default=0)),
                ("field_visits", models.IntegerField(default=0)),
                ("submitted_on", models.DateField()),
                ("submitted_by", models.CharField(max_length=200)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "secondment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="registry.secondment",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("secondment", "kind", "period_start", "period_end"),
                        name="one_report_per_period",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Difficulty",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField()),
                ("title", models.CharField(max_length=300)),
                ("detail", models.TextField(blank=True)),
                ("field", models.CharField(max_length=60)),
                ("raised_by", models.CharField(max_length=200)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "secondment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="difficulties",
                        to="registry.secondment",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("secondment", "number"), name="difficulty_number"
                    )
                ],
            },
        ),
    ]
