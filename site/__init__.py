"""The evidence browser: a static website generated from a built dataset.

    from diplonews.site import build_site
    build_site("dataset", "site-build")   # then open site-build/index.html, or: diplonews site --serve
"""

from .build import PAGE_SIZE, SiteError, SiteResult, build_site
from .serve import make_server

__all__ = ["build_site", "make_server", "SiteError", "SiteResult", "PAGE_SIZE"]
