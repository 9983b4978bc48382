"""``python -m bot`` runs the ``nhacviec`` command."""

from bot.cli import main

main()
