"""Which outbox rows a delivered message carried, for an officer answering it.

An officer answers a reminder by replying to the message (its provider message
id is on every row of the bundle) or by pressing one of its buttons (the
button names one row). Either way only the officer's own rows are returned:
an id taken from somebody else's message finds nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import Reminder


async def reminders_in_message(
    session: AsyncSession, officer_id: int, channel: str, message_id: str
) -> list[Reminder]:
    """The officer's task reminders sent in message ``message_id`` on ``channel``, in order."""
    query = select(Reminder).where(
        Reminder.provider_message_id == message_id,
        Reminder.recipient_id == officer_id,
        Reminder.channel == channel,
        Reminder.assignment_id.is_not(None),
        Reminder.due_id.is_not(None),
    )
    return list((await session.scalars(query.order_by(Reminder.id))).all())


async def officers_reminder(
    session: AsyncSession, officer_id: int, reminder_id: int
) -> Reminder | None:
    """Reminder ``reminder_id`` when it was sent to the officer; None otherwise."""
    reminder = await session.get(Reminder, reminder_id)
    return reminder if reminder is not None and reminder.recipient_id == officer_id else None
