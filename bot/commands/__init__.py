"""The ``nhacviec`` command groups, one module per group."""
