"""Notes: the researcher's own words on a passage, a whole article or an entity.

No Qt here. ``model`` holds the ``Note`` record, ``anchoring`` finds a passage again after
the text changed, ``citation`` says where a passage is, and ``export`` writes and reads
Markdown, CSV and W3C Web Annotation JSON-LD. Storage lives in ``reader.store.notes``.
"""

from __future__ import annotations
