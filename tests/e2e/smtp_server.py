#!/usr/bin/python3
"""A test SMTP server for kaohe's delivery tests (tests/unit/test_smtp.c).

Runs with Debian's python3-aiosmtpd (/usr/bin/python3). Listens on
127.0.0.1 on a free port, and writes that port to --port-file (atomically)
once it accepts connections. Every accepted message is saved to --dir as
NNNN.eml, byte for byte as received, and every event is appended to
--dir/events.tsv, one line each, flushed before the reply is sent:

    RCPT  <address>  <reply code>
    DATA  <NNNN.eml>  <recipients, comma-separated>  tls=yes|no  auth=<user>|-
    AUTH  <user>  ok|fail

Behaviour for the tests:
    --reject ADDR          answer RCPT TO:<ADDR> with 550 (repeatable)
    --tempfail-once ADDR   answer the first RCPT TO:<ADDR> with 451 (repeatable)
    --drop-after-data ADDR take a message to ADDR whole (saved, DATA event),
                           then close the connection without answering it:
                           the client cannot know it arrived (repeatable)
    --tls-cert F --tls-key F   offer STARTTLS with this certificate
    --auth USER:PASSWORD   offer AUTH (also without TLS: a test server)
    --lifetime SECONDS     exit after this long even if nobody stops it

Stop it with SIGTERM.
"""
import argparse
import asyncio
import logging
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult


class Handler:
    def __init__(self, args):
        self.dir = args.dir
        self.reject = set(args.reject)
        self.tempfail = set(args.tempfail_once)
        self.drop = set(args.drop_after_data)
        self.count = 0
        self.events = open(os.path.join(args.dir, "events.tsv"), "a", encoding="utf-8")

    def event(self, *fields):
        self.events.write("\t".join(str(f) for f in fields) + "\n")
        self.events.flush()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            reply = "550 5.1.1 <%s>: Recipient address rejected" % address
        elif address in self.tempfail:
            self.tempfail.discard(address)
            reply = "451 4.3.0 <%s>: Try again later" % address
        else:
            envelope.rcpt_tos.append(address)
            reply = "250 OK"
        self.event("RCPT", address, reply[:3])
        return reply

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = "%04d.eml" % self.count
        with open(os.path.join(self.dir, name), "wb") as f:
            f.write(envelope.original_content)
        user = session.auth_data.login.decode() if session.authenticated else "-"
        self.event("DATA", name, ",".join(envelope.rcpt_tos),
                   "tls=yes" if session.ssl is not None else "tls=no", "auth=" + user)
        if self.drop.intersection(envelope.rcpt_tos):
            server.transport.abort()
            return "250 2.0.0 never seen: the connection is gone"
        return "250 2.0.0 Message accepted for delivery"


def authenticator(expected_user, expected_password, handler):
    def check(server, session, envelope, mechanism, auth_data):
        user = auth_data.login.decode()
        ok = user == expected_user and auth_data.password.decode() == expected_password
        handler.event("AUTH", user, "ok" if ok else "fail")
        # handled=False: aiosmtpd itself answers a failure with 535.
        return AuthResult(success=ok, handled=False, auth_data=auth_data)
    return check


async def serve(args):
    loop = asyncio.get_running_loop()
    handler = Handler(args)
    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    auth = {}
    if args.auth:
        user, _, password = args.auth.partition(":")
        auth = dict(authenticator=authenticator(user, password, handler),
                    auth_require_tls=False)
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="kaohe-test", tls_context=tls, loop=loop, **auth),
        host="127.0.0.1", port=0)
    port = server.sockets[0].getsockname()[1]
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, args.port_file)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), timeout=args.lifetime)
    except asyncio.TimeoutError:
        print("smtp_server.py: lifetime over, exiting", file=sys.stderr)
    server.close()


def main():
    # aiosmtpd warns about its own deprecated attributes on every AUTH and
    # prints a traceback for every failed TLS handshake, which tests cause.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dir", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--tempfail-once", action="append", default=[])
    p.add_argument("--drop-after-data", action="append", default=[])
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--auth")
    p.add_argument("--lifetime", type=float, default=300)
    asyncio.run(serve(p.parse_args()))


if __name__ == "__main__":
    main()
