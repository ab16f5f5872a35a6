"""The peer's records: a secondment whose state is an FSMField changed only by django-fsm-2
transitions (each one logged by django-fsm-log, the description naming the actor), its reports
and its difficulties. The official's facts are plain columns; a partial unique index keeps one
active secondment per official."""

from django.db import models
from django.utils import timezone
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_description

ACTIVE = ("approved", "deployed", "reporting", "handover")
"""States in which a secondment occupies its official (one such secondment per person)."""
ON_POST = ("deployed", "reporting", "handover")


class Secondment(models.Model):
    """One official seconded to a commune, from request to end."""

    state = FSMField(default="requested")
    version = models.PositiveIntegerField(default=1)
    full_name = models.CharField(max_length=200)
    personnel_id = models.CharField(max_length=100)
    category = models.CharField(max_length=40)
    position = models.CharField(max_length=200)
    is_leader = models.BooleanField(default=False)
    in_succession_plan = models.BooleanField(default=False)
    appraisals = models.JSONField(default=list)
    maternity_protected = models.BooleanField(default=False)
    home_agency = models.CharField(max_length=200)
    province_code = models.IntegerField()
    ward_code = models.IntegerField(null=True)
    kind = models.CharField(max_length=40)
    fields = models.JSONField(default=list)
    planned_start = models.DateField()
    planned_end = models.DateField()
    reason = models.TextField(blank=True)
    decision_number = models.CharField(max_length=100, blank=True)
    decision_date = models.DateField(null=True)
    decision_issuer = models.CharField(max_length=200, blank=True)
    term_start = models.DateField(null=True)
    term_end = models.DateField(null=True)
    override_reason = models.TextField(blank=True)
    arrived_on = models.DateField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["personnel_id"],
                condition=models.Q(state__in=ACTIVE),
                name="one_active_secondment_per_official",
            )
        ]
        indexes = [models.Index(fields=["province_code", "state", "id"], name="list_by_place")]

    def changed(self) -> None:
        self.version += 1
        self.updated_at = timezone.now()

    @fsm_log_description
    @transition(field=state, source="requested", target="approved")
    def approve(self, decision: dict, term: tuple, override_reason: str, description=None):
        self.decision_number = decision["number"]
        self.decision_date = decision["date"]
        self.decision_issuer = decision["issuer"]
        self.term_start, self.term_end = term
        self.override_reason = override_reason
        self.changed()

    @fsm_log_description
    @transition(field=state, source="approved", target="deployed")
    def deploy(self, arrived_on, description=None):
        self.arrived_on = arrived_on
        self.changed()

    @fsm_log_description
    @transition(field=state, source=["deployed", "reporting"], target="reporting")
    def report(self, description=None):
        self.changed()

    @transition(field=state, source=list(ON_POST), target=None)
    def raise_difficulty(self):
        self.changed()


class Report(models.Model):
    """A weekly plan or progress report by the seconded official."""

    secondment = models.ForeignKey(Secondment, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=40)
    period_start = models.DateField()
    period_end = models.DateField()
    summary = models.TextField()
    procedures_handled = models.IntegerField(default=0)
    staff_coached = models.IntegerField(default=0)
    field_visits = models.IntegerField(default=0)
    submitted_on = models.DateField()
    submitted_by = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["secondment", "kind", "period_start", "period_end"],
                name="one_report_per_period",
            )
        ]


class Difficulty(models.Model):
    """A difficulty raised while the official is on post."""

    secondment = models.ForeignKey(
        Secondment, on_delete=models.CASCADE, related_name="difficulties"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    field = models.CharField(max_length=60)
    raised_by = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["secondment", "number"], name="difficulty_number")
        ]
