#!/usr/bin/env python3
"""A real SMTP server for tests: stores every message it accepts as a file.

Usage: smtp_sink.py DIR [PORT]   (PORT 0 or absent: pick a free one)
Prints "READY <port>" on stdout once it accepts connections; runs until SIGTERM/SIGINT/SIGHUP. Each message becomes
DIR/<n>.eml (the DATA as received) and DIR/<n>.json ({"mail_from", "rcpt_tos"}).
Recipients whose address starts with "reject" get a 550, those starting with "busy" a 451.
"""
import asyncio
import json
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 mailbox unavailable"
        if address.startswith("busy"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, "%06d" % self.count)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        os.rename(base + ".tmp", base + ".eml")
        return "250 Message accepted"


def main():
    # A parent that spawned us from a thread with signals blocked passed that mask on: unblock
    # them, so that SIGTERM and SIGINT stop the sink.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
    directory = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    os.makedirs(directory, exist_ok=True)
    if port == 0:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
    controller = Controller(Store(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("READY %d" % port, flush=True)
    # Runs until SIGTERM, SIGINT or SIGHUP.
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, lambda *_: stop.set())
    try:
        while not stop.wait(0.2):
            pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
