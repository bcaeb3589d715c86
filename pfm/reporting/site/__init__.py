"""The static website of the portfolio (`pfm site`): the board pack's content and charts as linked pages.

`content` gathers what each item's page shows from the pack, `render` renders every page through the
pack's sandboxed templates (a portfolio overrides any of `templates/site/`), and `links` checks that
every link of a built site leads to a file inside it. The pages use relative links only and load
nothing from the network, so the site reads from the file system as well as from any static host.
"""

from pfm.reporting.site.links import BrokenLink, check_links
from pfm.reporting.site.render import check_site_folder, render_site, write_site

__all__ = ["BrokenLink", "check_links", "check_site_folder", "render_site", "write_site"]
