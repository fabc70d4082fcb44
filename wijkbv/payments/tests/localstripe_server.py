"""Run localstripe for the tests: on the loopback address only, with its store in memory.

Its own command listens on every address and writes its store to a file in /tmp that every
run on the machine shares; the tests need neither (docs/decisions/0020-localstripe-for-tests.md).

    python -m wijkbv.payments.tests.localstripe_server PORT
"""

import sys

from aiohttp import web
from localstripe import resources, server


def main(port: int) -> None:
    resources.Store.dump_to_disk = lambda store: None
    web.run_app(server.app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main(int(sys.argv[1]))
