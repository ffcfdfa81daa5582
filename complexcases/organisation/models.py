"""The organisation the service runs in: regions, PDUs, teams and the staff who use it."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords


class Region(models.Model):
    """A probation region, e.g. East of England."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    disabled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProbationDeliveryUnit(models.Model):
    """A PDU: the unit a monthly list is produced for."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="pdus")
    disabled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "probation delivery unit"
        permissions = [("import_organisation", "Can import regions and PDUs")]

    def __str__(self):
        return self.name


class Team(models.Model):
    """A team of practitioners within a PDU, managed by an SPO."""

    name = models.CharField(max_length=100)
    pdu = models.ForeignKey(ProbationDeliveryUnit, on_delete=models.PROTECT, related_name="teams")
    disabled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pdu__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pdu", "name"], name="team_unique_name_per_pdu"),
        ]

    def __str__(self):
        return f"{self.name} ({self.pdu.name})"


class StaffManager(UserManager):
    """Staff sign in with their email address; there is no separate username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Staff must have an email address")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A member of staff. Records made by an import cannot sign in until enabled."""

    username = None
    email = models.EmailField("email address", unique=True)
    staff_code = models.CharField(max_length=20, unique=True, null=True, blank=True)
    pdu = models.ForeignKey(
        ProbationDeliveryUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    line_manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = StaffManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "member of staff"
        verbose_name_plural = "staff"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_unique_email_case_insensitive"),
            models.CheckConstraint(
                condition=~models.Q(line_manager=models.F("id")),
                name="user_not_own_line_manager",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def role_names(self) -> list[str]:
        return sorted(group.name for group in self.groups.all())


class UserSession(models.Model):
    """Which sessions belong to whom, so all of a user's sessions can be ended at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Session for {self.user_id}"


class RoleChange(models.Model):
    """A change to a member of staff's roles: asked for by one administrator, made by another.

    ADR 0021. Adding a role needs a second system administrator's approval; taking roles
    away is made at once. Nobody asks for or approves a change to their own roles (the
    constraints below hold that even against a service that forgets). Each change made is
    also an access log row, which the database keeps unchanged.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved and made"
        DECLINED = "declined", "Declined"
        MADE = "made", "Made without approval"

    staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_changes")
    roles_before = ArrayField(models.CharField(max_length=150), default=list, blank=True)
    roles_after = ArrayField(models.CharField(max_length=150), default=list, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    # Null when made from the command line (the bootstrap of the first administrators).
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("staff")),
                name="role_change_not_own_request",
            ),
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("staff")),
                name="role_change_not_own_approval",
            ),
            # The one who asked may withdraw (decline) their request, never approve it.
            models.CheckConstraint(
                condition=~models.Q(status="approved")
                | ~models.Q(decided_by=models.F("requested_by")),
                name="role_change_second_person_approves",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(decided_by__isnull=False),
                name="role_change_approved_by_someone",
            ),
            models.UniqueConstraint(
                fields=["staff"],
                condition=models.Q(status="pending"),
                name="role_change_one_pending_per_staff",
            ),
        ]

    def __str__(self):
        return f"Role change {self.pk} for staff {self.staff_id} ({self.status})"

    @property
    def roles_added(self) -> list[str]:
        return sorted(set(self.roles_after) - set(self.roles_before))

    @property
    def roles_removed(self) -> list[str]:
        return sorted(set(self.roles_before) - set(self.roles_after))
