"""The framework floor: a bare Bolt app served by the same stack as `ncpi-bot serve`.

uvicorn + `bot.server.ThreadedBoltHandler` (Bolt's ASGI adapter, dispatching on a worker
thread) + Bolt's own signature check, and no database, no router, no views. Two commands:

    /floor          acks "ok" in the HTTP response (the cheapest answer Slack can get)
    /floor-respond  acks, then posts "ok" to the response_url, as ncpi-bot's /ncpi does

Run as a subprocess by benchmarks/commands.py:

    python -m benchmarks.floor_app --port P     (SLACK_SIGNING_SECRET, SLACK_API_URL set)
"""

from __future__ import annotations

import argparse
import os

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

HEALTH = b"ok\n"


def create_floor_app(*, signing_secret: str, token: str, api_url: str) -> App:
    app = App(
        signing_secret=signing_secret,
        client=WebClient(token=token, base_url=api_url),
        token_verification_enabled=False,
    )

    @app.command("/floor")
    def floor(ack: Ack) -> None:
        ack("ok")

    @app.command("/floor-respond")
    def floor_respond(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="ok", response_type="ephemeral")

    return app


def build_floor_asgi(app: App):  # an ASGI callable
    from bot.server import EVENTS_PATH, ThreadedBoltHandler

    bolt = ThreadedBoltHandler(app, path=EVENTS_PATH)

    async def asgi(scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == "/healthz":
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"text/plain")],
                }
            )
            await send({"type": "http.response.body", "body": HEALTH})
            return
        await bolt(scope, receive, send)

    return asgi


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = create_floor_app(
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        token=os.environ["SLACK_BOT_TOKEN"],
        api_url=os.environ["SLACK_API_URL"],
    )
    # The same uvicorn settings as bot.server.serve.
    config = uvicorn.Config(
        build_floor_asgi(app),
        host="127.0.0.1",
        port=args.port,
        lifespan="off",
        log_config=None,
        timeout_graceful_shutdown=10,
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
