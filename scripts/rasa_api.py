"""Runs `rasa` with `--auth-token` from ASA_RASA_API_TOKEN, so the token stays out of `ps`.

`asa-bot run` starts the Rasa server through this script when ASA_RASA_API_TOKEN is set: the
process list shows every command-line argument to all users of the machine, the environment only
to the bot's own user.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    token = os.environ.get("ASA_RASA_API_TOKEN", "")
    if not token:
        sys.exit("Fehler: ASA_RASA_API_TOKEN ist leer; ohne Token bleibt die HTTP-API aus.")
    from rasa.__main__ import main

    sys.argv = ["rasa", *sys.argv[1:], "--auth-token", token]
    main()
