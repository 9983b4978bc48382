"""Alembic environment: always runs on a connection handed over by ``data.db.upgrade``.

The application upgrades its own schema on start, so there is no alembic.ini and
no URL here; ``render_as_batch`` lets the same revisions alter tables on SQLite.
"""

from alembic import context

from data.models import Base
from data.partitions import in_models

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    include_object=in_models,
)
with context.begin_transaction():
    context.run_migrations()
