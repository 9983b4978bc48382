"""The data model of DESIGN.md as SQLAlchemy 2.x typed declarative classes.

Why these shapes:
- Every state a person can see (progress, reminder, extension) is a column with a
  CHECK constraint, so a bug cannot invent a state that summaries do not know.
- The reminder outbox carries one UNIQUE ``key`` built from (due, recipient, kind,
  slot): planning twice can never create two rows, on SQLite or PostgreSQL, even
  for rows without a due (digests), where a multi-column unique with NULLs would not hold.
- Times are stored as UTC and always come back timezone-aware (``UTCDateTime``):
  SQLite has no timezone type and a naive datetime compared with an aware one is a
  crash waiting for 08:00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from data.partitions import month_of

ROLES = ("officer", "unit_head", "leader", "admin")
PROGRESS_STATES = (
    "not_started",
    "in_progress",
    "done",
    "blocked",
    "extension_requested",
    "cancelled",
)
DUE_KINDS = ("date", "period", "range", "recurring", "continuous", "on_request", "unparsed")
REMINDER_KINDS = (
    "before",
    "on_day",
    "checkin",
    "overdue",
    "escalation",
    "digest",
    "manual",
    "notice",
    "followup",
    "snooze",
    "report_due",
)
REMINDER_STATES = ("pending", "sending", "sent", "failed", "cancelled")
EXTENSION_STATES = ("pending", "approved", "refused")
STATUS_UPDATE_KINDS = ("status", "note", "promise", "acknowledged", "snooze", "product")
"""What an audit row records: a state change, a note, a promised date, a plain "dạ"
(the officer has seen it), a snooze, or a product (a file) the officer sent."""
PRODUCT_STORES = ("db", "fs")
ASSIGNMENT_ROLES = ("lead", "coordinate")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    """CHECK that ``column`` holds one of ``values`` (portable across both backends)."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=f"{column}_valid")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """Default for created-at columns; business logic takes time from the clock instead."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class Unit(Base):
    """An agency or a sub-unit of one; ``key`` is the folded identity used for matching."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    aliases: Mapped[list[UnitAlias]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", lazy="selectin"
    )


class UnitAlias(Base):
    """Another spelling of a unit seen in a plan (dash, case, abbreviation)."""

    __tablename__ = "unit_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), unique=True)
    unit: Mapped[Unit] = relationship(back_populates="aliases")


class Officer(Base):
    """A person who gets reminders or asks for summaries, linked to chats by invite."""

    __tablename__ = "officers"
    __table_args__ = (
        _one_of("role", ROLES),
        UniqueConstraint("name", "unit_id", name="name_unit"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(20), default="officer")
    phone: Mapped[str | None] = mapped_column(String(30))
    preferred_channel: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5), default="vi")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    unreachable_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit | None] = relationship(lazy="joined")
    links: Mapped[list[OfficerLink]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="OfficerLink.id"
    )
    """Loaded with the officer: whoever holds an officer can route to it without a query."""

    @property
    def addresses(self) -> dict[str, str]:
        """The officer's address on each linked channel, oldest link first."""
        return {link.channel: link.address for link in self.links}


class OfficerLink(Base):
    """One chat an officer is linked to; the address is opaque here, its channel's business.

    Rows, not a column per provider, so a new channel needs no migration. A chat
    links one officer (UNIQUE channel+address); an officer has one chat per channel.
    """

    __tablename__ = "officer_links"
    __table_args__ = (
        UniqueConstraint("channel", "address", name="link_channel_address"),
        UniqueConstraint("officer_id", "channel", name="link_officer_channel"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(64))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)


class OfficerContact(Base):
    """How the roster says to find an officer on a channel (a username, a display name).

    A hint for the secretary handing out invites, not a link: nothing is sent to it.
    """

    __tablename__ = "officer_contacts"
    officer_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    handle: Mapped[str] = mapped_column(String(100))


class Invite(Base):
    """Single-use linking code; only its SHA-256 is stored so a database leak links nobody."""

    __tablename__ = "invites"
    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_channel: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Plan(Base):
    """An imported plan; ``checksum`` makes re-importing the same file a no-op."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    code_prefix: Mapped[str] = mapped_column(String(20), unique=True)
    number: Mapped[str | None] = mapped_column(String(50))
    symbol: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(100))
    issued_on: Mapped[date | None] = mapped_column(Date)
    year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(500))
    checksum: Mapped[str] = mapped_column(String(64), unique=True)
    intro: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[list[str]] = mapped_column(default=list)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]
    """Set by ``plan archive``: no more reminders, gone from summaries and ``/viec``; the
    plan and its history stay."""

    sections: Mapped[list[Section]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Section.position"
    )


class PlanVersion(Base):
    """One imported file of a plan: version 1 is the first import, each ``--update
    --apply`` adds the next, with what it changed (``summary``, counts by kind)."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "version", name="plan_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(500))
    checksum: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AdminChange(Base):
    """One correction made from the command line (``task edit``, ``plan archive``, ``unit
    rename``, ``officer edit|remove``): who, when, and the target before and after, so a
    wrong correction can be seen and undone by hand."""

    __tablename__ = "admin_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    command: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(300))
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Section(Base):
    __tablename__ = "sections"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)

    plan: Mapped[Plan] = relationship(back_populates="sections")
    tasks: Mapped[list[Task]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="Task.position"
    )


class Task(Base):
    """One row of a plan's table; ``code`` is what officers type (e.g. BDT22-IV.2)."""

    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    number: Mapped[str | None] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)
    product: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    lead_text: Mapped[str] = mapped_column(Text, default="")
    coordinate_text: Mapped[str] = mapped_column(Text, default="")
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer)
    removed_in: Mapped[int | None] = mapped_column(Integer)
    """The plan version that dropped this task ("đã bỏ khỏi kế hoạch"): it keeps its
    code, progress and history, but is no longer planned, listed or asked about."""

    section: Mapped[Section] = relationship(back_populates="tasks")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="Assignment.position"
    )
    dues: Mapped[list[Due]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="Due.position"
    )


class Assignment(Base):
    """Task × unit in a role; the officer in charge is optional (else the unit's focal points)."""

    __tablename__ = "assignments"
    __table_args__ = (
        _one_of("role", ASSIGNMENT_ROLES),
        UniqueConstraint("task_id", "unit_id", "role", name="task_unit_role"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    task: Mapped[Task] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship(lazy="joined")


class Due(Base):
    """One occurrence of a task's deadline ("Quý II, Quý IV/2022" gives two rows)."""

    __tablename__ = "dues"
    __table_args__ = (
        _one_of("kind", DUE_KINDS),
        UniqueConstraint("task_id", "position", name="task_position"),
        Index("ix_dues_due_on", "due_on"),
        Index(  # the few tasks expanded per occurrence (``work_items.HAS_RECURRING``)
            "ix_dues_recurring",
            "task_id",
            sqlite_where=text("kind = 'recurring' AND rule IS NOT NULL"),
            postgresql_where=text("kind = 'recurring' AND rule IS NOT NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date | None] = mapped_column(Date)
    start_on: Mapped[date | None] = mapped_column(Date)
    rule: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")

    task: Mapped[Task] = relationship(back_populates="dues")


class Progress(Base):
    """Where one assignment stands on one due (``instance`` is the ISO date of a
    recurring occurrence, or ``-`` for a one-off due)."""

    __tablename__ = "progress"
    __table_args__ = (
        _one_of("state", PROGRESS_STATES),
        UniqueConstraint("assignment_id", "due_id", "instance", name="assignment_due"),
        CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)", name="percent"),
        Index(  # the approved extensions of a plan (the plan page's due-month choices)
            "ix_progress_extended_to",
            "extended_to",
            sqlite_where=text("extended_to IS NOT NULL"),
            postgresql_where=text("extended_to IS NOT NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    due_id: Mapped[int] = mapped_column(ForeignKey("dues.id", ondelete="CASCADE"), index=True)
    instance: Mapped[str] = mapped_column(String(10), default="-")
    state: Mapped[str] = mapped_column(String(30), default="not_started")
    percent: Mapped[int | None] = mapped_column(Integer)
    extended_to: Mapped[date | None] = mapped_column(Date)
    expected_on: Mapped[date | None] = mapped_column(Date)
    """The date the officer last promised ("mai nộp"); its follow-up hangs on it."""
    done_at: Mapped[datetime | None]
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class StatusUpdate(Base):
    """Append-only audit of every change of progress, with the raw text as received."""

    __tablename__ = "status_updates"
    __table_args__ = (
        UniqueConstraint("channel", "provider_update_id", name="channel_update"),
        _one_of("kind", STATUS_UPDATE_KINDS),
        Index("ix_status_updates_progress_id", "progress_id", "created_at"),  # an item's audit
        Index("ix_status_updates_created_at", "created_at"),  # the latest of a plan
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    progress_id: Mapped[int | None] = mapped_column(ForeignKey("progress.id", ondelete="SET NULL"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(20))
    provider_update_id: Mapped[str | None] = mapped_column(String(64))
    raw_text: Mapped[str] = mapped_column(Text)
    intent: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state_before: Mapped[str | None] = mapped_column(String(30))
    state_after: Mapped[str | None] = mapped_column(String(30))
    percent: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="status", server_default="status")
    note: Mapped[str | None] = mapped_column(Text)
    """The officer's own words kept whole: a reason, a note, what a promise is about."""
    expected_on: Mapped[date | None] = mapped_column(Date)
    snoozed_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reminder(Base):
    """The outbox: the single source of truth of what is to be sent, claimed by dispatchers."""

    __tablename__ = "reminders"
    __table_args__ = (
        _one_of("kind", REMINDER_KINDS),
        _one_of("state", REMINDER_STATES),
        # The claim's scans, each over the rows it can take and nothing else: due
        # pending rows in claim order and a picked recipient's pending rows. Sent,
        # failed and cancelled history stays out of both, so it never slows the claim.
        Index(
            "ix_reminders_due",
            "scheduled_at",
            "id",
            postgresql_where=text("state = 'pending'"),
            sqlite_where=text("state = 'pending'"),
        ),
        Index(
            "ix_reminders_recipient_due",
            "recipient_id",
            "scheduled_at",
            postgresql_where=text("state = 'pending'"),
            sqlite_where=text("state = 'pending'"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    due_id: Mapped[int | None] = mapped_column(
        ForeignKey("dues.id", ondelete="CASCADE"), index=True
    )
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE")
    )
    instance: Mapped[str] = mapped_column(String(10), default="-")
    recipient_id: Mapped[int] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    slot: Mapped[str] = mapped_column(String(60))
    scheduled_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(String(20))
    provider_message_id: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None]
    body: Mapped[str | None] = mapped_column(Text)
    """The text of a ``notice`` (a decision, a confirmation for someone else)."""
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """A leader's explicit "send now": the only row sent in quiet hours or on a day off."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecipientLease(Base):
    """A dispatcher holds this recipient's due rows until ``lease_until`` (``outbox.claim``).

    One narrow row per person claimed instead of a write of each of their rows: the
    claim of 100 people wrote their ~500 outbox rows (new versions and four index
    entries each, half its time at 1,000,000 pending). The rows stay ``pending`` until
    their outcome is recorded, guarded by this lease; the settling deletes it.
    """

    __tablename__ = "recipient_leases"
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True
    )
    lease_until: Mapped[datetime]


class SendPace(Base):
    """A channel's next free send instant, shared by every dispatcher (``scheduler/pace.py``).

    A token bucket holding one token, kept as the instant that token is next free
    (seconds since the epoch): reserving a send moves it one interval on, so all
    processes together stay within the provider's overall rate.
    """

    __tablename__ = "send_paces"
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)


class InboundUpdate(Base):
    """Every update received, keyed by the provider's id: a redelivery is recorded once."""

    __tablename__ = "inbound_updates"
    __table_args__ = (
        # The month is in the key for PostgreSQL's monthly partitions (``data/partitions.py``):
        # an update arriving just after a month's start takes its key in both months.
        UniqueConstraint("channel", "update_id", "month", name="inbound_channel_update"),
        Index("ix_inbound_updates_chat_time", "channel", "chat_id", "received_at"),
        Index("ix_inbound_updates_received_at", "received_at"),  # the retention window
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    update_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str | None] = mapped_column(String(64))
    """Who sent it: the inbound rate limit counts a chat's recent updates across instances."""
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    month: Mapped[date] = mapped_column(Date, default=lambda ctx: _month_received(ctx))
    """The first day of the UTC month of ``received_at``: the partition on PostgreSQL."""


def _month_received(context: Any) -> date:
    """``InboundUpdate.month`` when the insert does not give it: from its ``received_at``."""
    received = context.get_current_parameters().get("received_at")
    return month_of(received if isinstance(received, datetime) else utcnow())


class PendingPrompt(Base):
    """A question the bot asked and waits for (a reason, a percent, a new date, which task).

    Kept in the database, not in memory, so any instance can take the answer.
    """

    __tablename__ = "pending_prompts"
    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30))
    progress_id: Mapped[int | None] = mapped_column(ForeignKey("progress.id", ondelete="CASCADE"))
    task_ids: Mapped[list[str]] = mapped_column(default=list)
    reply: Mapped[dict[str, Any] | None]
    """A pick menu's kept reply: what the officer said, applied to the item they pick."""
    message_id: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExtensionRequest(Base):
    """An officer's request to move a due, decided by a leader."""

    __tablename__ = "extension_requests"
    __table_args__ = (_one_of("state", EXTENSION_STATES),)
    id: Mapped[int] = mapped_column(primary_key=True)
    progress_id: Mapped[int] = mapped_column(ForeignKey("progress.id", ondelete="CASCADE"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"))
    requested_due: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarOverride(Base):
    """A government-declared swap: an extra day off or a Saturday that is a working day."""

    __tablename__ = "calendar_overrides"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    label: Mapped[str] = mapped_column(String(200), default="")


class PolicySetting(Base):
    """Reminder policy overrides; ``plan_id`` NULL holds the global defaults."""

    __tablename__ = "policy_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), unique=True
    )
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ChatOptions(Base):
    """The numbered options last shown in a chat that has no buttons (typing "2" presses
    the second), with the payloads they stand for.

    In the database, like prompts, so a number typed after a restart or to another
    instance means what the officer saw. One row per chat: showing new options
    replaces the old ones.
    """

    __tablename__ = "chat_options"
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    payloads: Mapped[list[str]] = mapped_column(default=list)
    expires_at: Mapped[datetime]


class ServiceSecret(Base):
    """A secret the service makes for itself at first start (a webhook's secret token).

    Stored so every instance, and the next start, uses the same value without a
    person having to invent one; see ``data/service_secrets.py``.
    """

    __tablename__ = "service_secrets"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlannerState(Base):
    """How far ahead the outbox is planned: the periodic tick only plans the days entering
    the horizon since ``planned_through`` (``scheduler/planner.advance``); one row."""

    __tablename__ = "planner_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    planned_through: Mapped[date] = mapped_column(Date)
    """The last local day the whole outbox was planned for (today plus the horizon)."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Mute(Base):
    """An officer or a whole unit silencing the reminders of one task."""

    __tablename__ = "mutes"
    __table_args__ = (UniqueConstraint("task_id", "officer_id", "unit_id", name="task_who"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LeaderScope(Base):
    """A plan, or an issuing body's plans, that a leader leads (one of the two per row).

    A leader without rows sees every plan, as before scopes existed; with rows,
    their summaries, lists and notices cover those plans only.
    """

    __tablename__ = "leader_scopes"
    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    issuer: Mapped[str | None] = mapped_column(String(200))
    """Compared folded (``data.text.fold``) with ``Plan.issuer``."""


class Product(Base):
    """A file an officer sent as the product of a task: a signed page, a report.

    Kept with the task (its code survives re-imports) and with the audit row that
    recorded it. The bytes live in ``content`` (store ``db``) or in a file under the
    configured directory named by ``path`` (store ``fs``); ``sha256`` lets the same
    file sent twice be recognised.
    """

    __tablename__ = "products"
    __table_args__ = (_one_of("store", PRODUCT_STORES),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    progress_id: Mapped[int | None] = mapped_column(ForeignKey("progress.id", ondelete="SET NULL"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"))
    status_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("status_updates.id", ondelete="SET NULL")
    )
    channel: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    store: Mapped[str] = mapped_column(String(10))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    path: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebLogin(Base):
    """A one-time sign-in link for the web pages, sent by ``/web`` in chat or printed by
    ``nhacviec web link``. Only the token's SHA-256 is kept: whoever reads the
    database cannot sign in with it."""

    __tablename__ = "web_logins"
    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebSession(Base):
    """A signed-in browser. Kept on the server (the cookie only names it) so "sign out
    everywhere" and removing an officer end every session at once."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebUpload(Base):
    """A file uploaded on a page and kept between its preview and the confirmation
    (a plan to import, an officers' CSV): in the database, so the confirmation may
    reach another instance behind the load balancer. Removed once used, or after a day."""

    __tablename__ = "web_uploads"
    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class _Counted:
    """The key of a summary count (``data/summary_counts.py``): every column is part of
    the primary key, so none is NULL (0, "" and ``NO_DATE`` stand for "none")."""

    measure: Mapped[str] = mapped_column(String(8), primary_key=True)
    """``task`` (tasks by state), ``item`` (deciding one-off items), ``counted`` (assignments)."""
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    """The unit, or 0: a task judged on every deciding unit's items."""
    officer_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(30), primary_key=True)
    late: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    due_on: Mapped[date] = mapped_column(Date, primary_key=True)
    """An open item's due in force, compared with today when read (days pass without writes)."""
    n: Mapped[int] = mapped_column(Integer)


class SummaryCount(_Counted, Base):
    """What a plan's summaries count, summed over its tasks: a few rows per unit instead
    of a scan of every item (/tonghop, /quahan, /chuabaocao at a country's scale)."""

    __tablename__ = "summary_counts"
    plan_id: Mapped[int] = mapped_column(Integer, primary_key=True)


def _code_point_string(length: int) -> String:
    """Text ordered by code point, as Python orders it: PostgreSQL's "C" collation; SQLite's
    default (binary) already is."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class TaskCount(_Counted, Base):
    """One task's share of ``summary_counts``: what a change of the task takes back.

    An ``item`` row carries its task's code and unit's name, so the most overdue items
    (due, then code, then unit, as /quahan lists them) are the first rows of an index; a
    ``report`` row the due its task's report row shows, so a month's tasks are too."""

    __tablename__ = "task_counts"
    __table_args__ = (
        Index(
            "ix_task_counts_overdue",
            "plan_id",
            "due_on",
            "code",
            "unit_name",
            sqlite_where=text("measure = 'item'"),
            postgresql_where=text("measure = 'item'"),
        ),
        Index(  # one unit's most overdue (a unit head's overview, /quahan of a unit)
            "ix_task_counts_unit_overdue",
            "unit_id",
            "plan_id",
            "due_on",
            "code",
            "unit_name",
            sqlite_where=text("measure = 'item'"),
            postgresql_where=text("measure = 'item'"),
        ),
        Index(  # a plan's report tasks (its recurring reporting points)
            "ix_task_counts_points",
            "plan_id",
            "state",
            sqlite_where=text("measure = 'point'"),
            postgresql_where=text("measure = 'point'"),
        ),
        Index(  # a plan's (a unit's) tasks in one report state: a page of the plan page
            "ix_task_counts_report",
            "plan_id",
            "unit_id",
            "state",
            "due_on",
            "task_id",
            sqlite_where=text("measure = 'report'"),
            postgresql_where=text("measure = 'report'"),
        ),
        Index(  # a plan's (a unit's) tasks whose report row is due in a month
            "ix_task_counts_row_due",
            "plan_id",
            "unit_id",
            "row_due",
            "task_id",
            sqlite_where=text("measure = 'report'"),
            postgresql_where=text("measure = 'report'"),
        ),
    )
    task_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(_code_point_string(40), default="")
    unit_name: Mapped[str] = mapped_column(_code_point_string(300), default="")
    row_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    """A ``report`` row's: the due its task's report row shows (the plan page's month)."""
