"""The root command group: whatever goes wrong, a person sees one line and an exit code.

Typer prints a usage error as a framed panel of several lines, and an exception
raised outside ``runner.run`` (a bad date found in a command body, a closed pipe
while printing) escaped as a traceback. Here both end the same way as the errors
``runner.run`` already turns into one line:

- usage errors (a missing or bad option, an unknown one): one line naming the
  option and the command's ``--help``, exit 2 as Click does;
- ``UserError``, an unreachable database or a bug: ``runner.exit_for`` (exit 1, or
  2 with the traceback in the error log);
- the reader of our output went away (``nhacviec … | head``): nothing more is
  printed and the exit code is the shell's for a death by SIGPIPE (141), as for
  ``cat`` or ``grep``. Python ignores SIGPIPE and raises ``BrokenPipeError``
  instead, an ``OSError`` that the database classification would otherwise call
  "database unreachable".

Typer 0.29 vendors Click as ``typer._click`` and exports only ``BadParameter`` of
its exceptions, hence the private imports: the classes are Click's, unchanged.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from typer._click import Context
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperGroup

from bot.commands.runner import exit_for, fail
from bot.i18n import t

BROKEN_PIPE_EXIT = 128 + signal.SIGPIPE


class OneLineErrors(TyperGroup):
    """``nhacviec`` itself; its subcommands run inside ``invoke``."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Parse and run; usage errors become one line (Typer's own would be a panel)."""
        if not standalone_mode:  # a caller (the demo) handles the outcome itself
            return super().main(
                args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra
            )
        try:
            result = super().main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )
        except NoArgsIsHelpError as exc:  # the help was printed already
            sys.exit(exc.exit_code)
        except ClickException as exc:
            fail(_usage_line(exc))
            sys.exit(exc.exit_code)
        except typer.Abort:
            fail(t("aborted"))
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: Context) -> Any:
        """Run the subcommand; what it raises ends as one line (see the module docstring)."""
        try:
            return super().invoke(ctx)
        except (ClickException, typer.Abort, typer.Exit):
            raise
        except BrokenPipeError:
            _reader_gone()
        except Exception as exc:
            raise exit_for(exc) from None


def _usage_line(exc: ClickException) -> str:
    """The one line for a usage error, in the user's language where we know the case."""
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "nhacviec"
    param = getattr(exc, "param", None)
    hint = param.get_error_hint() if param is not None else None
    if isinstance(exc, MissingParameter) and hint:
        return t("missing_option", option=hint, command=command)
    if isinstance(exc, BadParameter) and hint:
        return t("bad_option", option=hint, message=exc.message)
    if isinstance(exc, NoSuchOption):
        return t("no_such_option", option=exc.option_name, command=command)
    if isinstance(exc, UsageError):
        return t("usage", message=exc.format_message(), command=command)
    return exc.format_message()


def _reader_gone() -> NoReturn:
    """Stop writing to the closed pipe, so the interpreter's last flush is quiet too."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(BROKEN_PIPE_EXIT)
