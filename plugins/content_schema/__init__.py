"""content_schema: one schema per content kind, checked in every build.

Editors get every problem at once, each as ``path:line: what is wrong — how
to fix it``, before Pelican can fail on a file with a traceback or silently
misread it. ``invoke check`` runs the same validation without writing a site;
``invoke new`` writes a commented file from the same schema.
"""

from .plugin import CheckComplete, register
from .schema import SCHEMAS, Field, fields_of

__all__ = ["SCHEMAS", "CheckComplete", "Field", "fields_of", "register"]
