#!/usr/bin/python3
"""Captures aiortc's data-channel offer (legacy `DTLS/SCTP 5000` + `a=sctpmap` form) and the
answer a second aiortc peer gives to it. Must run inside a fresh network namespace holding only
`lo` (capture.sh does `unshare -n`).

aiortc does not trickle candidates (it gathers inside setLocalDescription and puts them in the
SDP), so no .candidates.txt is written for it.

usage: /usr/bin/python3 aiortc-run.py OUT_DIR
"""
import asyncio
import os
import socket
import sys
import time

T0 = time.monotonic()


def say(msg):
    print(f"[aiortc-run +{int((time.monotonic() - T0) * 1000)}ms] {msg}", flush=True)


others = [name for _, name in socket.if_nameindex() if name != "lo"]
if others:
    print("refusing to run: network interfaces other than lo are present: " + ", ".join(others)
          + " (run inside `unshare -n`, see capture.sh)", file=sys.stderr)
    sys.exit(2)

import aioice.ice  # noqa: E402
import aiortc  # noqa: E402
from aiortc import RTCConfiguration, RTCPeerConnection  # noqa: E402

# aioice skips 127.0.0.1 / ::1 when it lists host addresses; in a lo-only namespace that would
# leave no candidate at all, so gather on loopback only.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"] if use_ipv4 else []


def write(out, name, desc):
    # newline="" keeps the CRLF line endings aiortc produced.
    with open(os.path.join(out, name + ".sdp"), "w", encoding="utf-8", newline="") as f:
        f.write(desc.sdp)
    say(f"wrote {name}.sdp ({len(desc.sdp.encode('utf-8'))} bytes, type {desc.type})")


async def main(out):
    os.makedirs(out, exist_ok=True)
    say(f"aiortc {aiortc.__version__}, aioice {aioice.__version__}")
    # Empty iceServers: aiortc otherwise uses a public Google STUN server by default.
    offerer = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    answerer = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    try:
        channel = offerer.createDataChannel("data")
        await offerer.setLocalDescription(await offerer.createOffer())
        write(out, "aiortc-offer", offerer.localDescription)

        opened = asyncio.get_running_loop().create_future()
        got = asyncio.get_running_loop().create_future()

        @answerer.on("datachannel")
        def on_datachannel(ch):
            if not opened.done():
                opened.set_result(ch)

            @ch.on("message")
            def on_message(m):
                if not got.done():
                    got.set_result(m)

        await answerer.setRemoteDescription(offerer.localDescription)
        await answerer.setLocalDescription(await answerer.createAnswer())
        write(out, "aiortc-answer", answerer.localDescription)

        # Sanity check that the captured pair connects; only logged.
        try:
            await offerer.setRemoteDescription(answerer.localDescription)
            await asyncio.wait_for(opened, 20)
            if channel.readyState != "open":
                open_evt = asyncio.get_running_loop().create_future()
                channel.on("open", lambda: open_evt.done() or open_evt.set_result(True))
                if channel.readyState != "open":
                    await asyncio.wait_for(open_evt, 20)
            channel.send("ping")
            say(f'connected: echo check got "{await asyncio.wait_for(got, 20)}"')
        except Exception as e:  # noqa: BLE001 - logged only, fixtures stay valid
            say(f"connect check failed: {e!r}")
    finally:
        await asyncio.wait_for(asyncio.gather(offerer.close(), answerer.close()), 10)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    asyncio.run(asyncio.wait_for(main(sys.argv[1]), 60))
    say("exit 0")
