"""Which work item an officer's message or button is about, and whether they may act on it.

In order: the reminder the message replies to (when that reminder had one task;
else the task code in the text picks one of the bundle, else the bot asks
which), the task code in the text, the officer's open items. For a task with
several dues the nearest open due is meant. A button names its item by id; it
is re-checked on every press (the reminder is the presser's, the item their unit's);
a forged one gets the same neutral refusal whether its item exists or not.

A message that names a code is about that code and nothing else: a code that
resolves to none of the officer's items is asked back with their open items,
never applied to "the only open item" (a typo, a look-alike letter or another
unit's task would otherwise close the officer's other work). A code typed without
its prefix (``V.3``) resolves only when exactly one of the officer's open items
ends in it; several are offered to pick from.
"""

from __future__ import annotations

from bot.chat import texts
from bot.chat.callbacks import SnoozeAction, StatusAction
from bot.chat.messages import Turn
from data.errors import UserError
from data.models import Officer, Reminder
from data.reminder_messages import officers_reminder, reminders_in_message
from data.task_codes import is_bare, local_part, same_code
from data.work_items import WorkItem, find_task, nearest_open, open_items, responsible, work_items


def work_ref(item: WorkItem) -> tuple[int, int]:
    """What a button payload names an item by: (assignment id, due id)."""
    return item.assignment_id, item.due_id


def refuse_unless_responsible(officer: Officer, item: WorkItem) -> None:
    """A status change by someone not assigned is refused with the reason."""
    if not responsible(item, officer):
        raise UserError(texts.NOT_YOURS.format(code=item.task_code, units=item.unit_name))


async def one_item(
    turn: Turn, assignment_id: int, due_id: int, instance: str | None = None
) -> WorkItem | None:
    """The work item of an (assignment, due) pair, or None when the ids name nothing.

    A recurring due has an item per occurrence: ``instance`` picks one (a reminder
    knows which it was about); without it, the nearest one still open.
    """
    found = await work_items(
        turn.session, assignment_id=assignment_id, due_id=due_id, today=turn.today
    )
    if instance is not None:
        found = [item for item in found if item.instance == instance] or found
    preferred = nearest_open(found) or found
    return preferred[0] if preferred else None


async def bundle_reminders(turn: Turn, message_id: str) -> list[Reminder]:
    """The officer's reminders sent in the message ``message_id`` on this channel."""
    return await reminders_in_message(
        turn.session, turn.officer.id, turn.incoming.channel, message_id
    )


async def bundle_items(turn: Turn, message_id: str) -> list[WorkItem]:
    """The officer's items (open or not) of the reminders in message ``message_id``."""
    items: dict[tuple[int, int], WorkItem] = {}
    for reminder in await bundle_reminders(turn, message_id):
        assert reminder.assignment_id is not None and reminder.due_id is not None
        item = await one_item(turn, reminder.assignment_id, reminder.due_id, reminder.instance)
        if item is not None and responsible(item, turn.officer):
            items.setdefault(work_ref(item), item)
    return list(items.values())


async def _unknown_code(turn: Turn, code: str) -> UserError:
    """The refusal of a code that names none of the officer's items, listing theirs."""
    mine = await open_items(turn.session, turn.officer, turn.today)
    return UserError(texts.unknown_code(code, [item.task_code for item in mine]))


async def _items_of_bare_code(turn: Turn, code: str) -> list[WorkItem]:
    """The officer's open items whose code ends in ``code`` (``V.3``), at least one."""
    mine = await open_items(turn.session, turn.officer, turn.today)
    found = [item for item in mine if same_code(local_part(item.task_code), code)]
    if not found:
        raise await _unknown_code(turn, code)
    return found


async def _items_of_code(turn: Turn, code: str) -> list[WorkItem]:
    if is_bare(code):
        return await _items_of_bare_code(turn, code)
    every = await work_items(turn.session, task_code=code, today=turn.today)
    task_code = every[0].task_code if every else await _task_code(turn, code)
    mine = [item for item in every if responsible(item, turn.officer)]
    if not mine:
        units = ", ".join(sorted({item.unit_name for item in every})) or texts.OTHER_UNITS
        raise UserError(texts.NOT_YOURS.format(code=task_code, units=units))
    still_open = nearest_open(mine)
    if not still_open:
        raise UserError(texts.ALREADY_DONE.format(code=task_code))
    return still_open


async def _task_code(turn: Turn, code: str) -> str:
    """The code as the plan writes it, of a task without items in scope (removed, its plan
    archived); refused as unknown when no task has it. The items' read found the task of
    every other answer: reading the task first cost each of them a round trip."""
    task = await find_task(turn.session, code)
    if task is None:
        raise await _unknown_code(turn, code)
    return task.code


async def candidates(turn: Turn, code: str | None, reply_to: str | None) -> list[WorkItem]:
    """The open items a message may be about (see the module docstring)."""
    if reply_to:
        bundle = [item for item in await bundle_items(turn, reply_to) if item.open]
        if code:
            bundle = [item for item in bundle if names(code, item)]
        if bundle:
            return bundle
    if code:
        return await _items_of_code(turn, code)
    return await open_items(turn.session, turn.officer, turn.today)


def names(code: str, item: WorkItem) -> bool:
    """Whether ``code`` (with or without its prefix) is ``item``'s code."""
    return same_code(local_part(item.task_code) if is_bare(code) else item.task_code, code)


async def button_item(turn: Turn, action: StatusAction | SnoozeAction) -> WorkItem:
    """The item a button names, if the presser may act on it (else ``UserError``)."""
    gone = UserError(texts.BUTTON_GONE)
    assignment_id, due_id = action.assignment_id, action.due_id
    instance = None
    if action.reminder_id is not None:
        reminder = await officers_reminder(turn.session, turn.officer.id, action.reminder_id)
        if reminder is None:
            raise gone
        assignment_id, due_id = reminder.assignment_id, reminder.due_id
        instance = reminder.instance
    if assignment_id is None or due_id is None:
        raise gone
    item = await one_item(turn, assignment_id, due_id, instance)
    if item is None or not responsible(item, turn.officer):
        raise gone  # the same words whether it exists or is someone else's: nothing leaks
    return item
