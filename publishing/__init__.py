"""Publishing regiosite: staging build, output checks, atomic switch, deploy.

Plain functions that tasks.py calls and the tests call directly:

- :mod:`publishing.local` — build into a fresh folder, check it, flip the
  ``output`` symlink to it in one step;
- :mod:`publishing.checks` — what a built site must satisfy before it is
  published (links resolve, nothing loaded from other hosts, CSP-clean);
- :mod:`publishing.deploy` — rsync into a new release folder on the target,
  flip ``current``, keep the last N releases, roll back;
- :mod:`publishing.nginx` — render deploy/nginx.conf and run it locally;
- :mod:`publishing.command` — the one `python -m pelican` command line;
- :mod:`publishing.preview` — the local preview server (`invoke serve`).
"""
