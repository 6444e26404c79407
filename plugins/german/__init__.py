"""german: the one place for German dates, umlaut-safe slugs and interface text.

Dates are formatted without the system locale (CI machines rarely have
``de_DE`` installed), slugs transliterate umlauts ("Fachkräfte" →
``fachkraefte``) and the theme's visible strings come from one catalogue.
"""

from .dates import format_date
from .plugin import register
from .slugs import SLUG_SUBSTITUTIONS, slugify_de

__all__ = ["SLUG_SUBSTITUTIONS", "format_date", "register", "slugify_de"]
