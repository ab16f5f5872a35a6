"""The peer's Django command line (`migrate`, `load_peer`), run by the bench in the peer's own
virtualenv with this directory as the working directory."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
