"""Below the widgets, QtCore only: the open article's session, the operations runner,
the analysis worker and its engine processes, loading and importing files.

``session`` (what is open), ``analysis_feed`` (its names from the worker), ``operations``
(store and file work off the GUI thread), ``messages`` (what the researcher is told);
``analysis`` with ``scheduler``, ``engine_pool``, ``aggregation`` and ``commands`` (the
worker), ``backend`` (the interface the window holds); ``loading`` and ``importing``.
"""
