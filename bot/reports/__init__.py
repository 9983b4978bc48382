"""Reports leaders file: the plan's state as of a date, as Word, Excel, PDF and charts.

``data/report_states.py`` computes a ``PlanReport``; the modules here only lay it
out, each for one format, from the same words (``content.py``) and header
(``header.py``).
"""
