"""Run localstripe for the tests: on the loopback address only, with its store in memory, and
only as long as the test run that started it.

Its own command listens on every address and writes its store to a file in /tmp that every
run on the machine shares; the tests need neither (docs/decisions/0020-localstripe-for-tests.md).

    python -m wijkbv.payments.tests.localstripe_server PORT
"""

import asyncio
import os
import signal
import sys

from aiohttp import web
from localstripe import resources, server


async def _stop_when_orphaned(app) -> None:
    """The test run ends it by its process id; should the run itself be killed first, the
    server notices that its parent is gone and stops too, instead of lingering."""
    parent = os.getppid()

    async def watch():
        while os.getppid() == parent:
            await asyncio.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    app["orphan_watch"] = asyncio.get_running_loop().create_task(watch())


def main(port: int) -> None:
    resources.Store.dump_to_disk = lambda store: None
    server.app.on_startup.append(_stop_when_orphaned)
    web.run_app(server.app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main(int(sys.argv[1]))
