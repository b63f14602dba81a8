#!/usr/bin/env python3
"""hostile.py - hostile HTTP clients against shrike-agent's webserver.

Usage: hostile.py PORT EVENT_FILE

Raw sockets, because the shapes below are ones no well-behaved client (curl)
sends: request smuggling (Content-Length with Transfer-Encoding, two
Content-Lengths, an unknown transfer coding), huge and many headers, many
idle connections and slow clients from one address (127.0.0.2) while a
well-behaved client (127.0.0.1) posts audit events. Prints one line per case
with what came back (status lines, whether the agent closed the connection),
no times or ports, for run.sh to compare with run.out.
"""
import socket
import sys
import threading
import time

PORT = int(sys.argv[1])
EVENT = open(sys.argv[2], "rb").read()
POST = (b"POST /k8s-audit HTTP/1.1\r\nHost: shrike\r\nContent-Type: application/json\r\n")
# The agent's limits (agent/webserver.c, README "Limits and guarantees").
PER_ADDRESS = 32
IDLE_TIMEOUT = 30


def connect(src="127.0.0.1"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((src, 0))
    s.connect(("127.0.0.1", PORT))
    return s


def responses(buf):
    """The status lines of the complete responses at the start of buf."""
    status = []
    while True:
        end = buf.find(b"\r\n\r\n")
        if end < 0:
            return status
        head = buf[:end].split(b"\r\n")
        length = 0
        for h in head[1:]:
            k, _, v = h.partition(b":")
            if k.strip().lower() == b"content-length":
                length = int(v.strip())
        if len(buf) < end + 4 + length:
            return status
        status.append(head[0].decode())
        buf = buf[end + 4 + length:]


def exchange(data, src="127.0.0.1", wait=5.0):
    """Sends data, reads until the agent closes, or until a response is
    complete and nothing more comes for half a second, or until wait
    passes: the status lines of every response, and 'closed' or 'open'."""
    s = connect(src)
    s.sendall(data)
    out, state = b"", "open"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        s.settimeout(0.5 if responses(out) else max(0.01, deadline - time.monotonic()))
        try:
            b = s.recv(65536)
        except socket.timeout:
            if responses(out):
                break
            continue
        except ConnectionResetError:
            b = b""
        if not b:
            state = "closed"
            break
        out += b
    s.close()
    return responses(out), state


def show(name, data, **kw):
    status, state = exchange(data, **kw)
    print(f"{name:34} {' | '.join(status) or 'no response'}; connection {state}")


def well_behaved(name):
    """A proper POST from 127.0.0.1, on a fresh connection."""
    show(name, POST + b"Content-Length: %d\r\n\r\n" % len(EVENT) + EVENT, wait=10.0)


def closed_by_peer(s):
    s.setblocking(False)
    try:
        return s.recv(1) == b""
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True


def main():
    # Opened first, checked last: a connection that sends nothing.
    idle = connect()
    idle_since = time.monotonic()

    well_behaved("POST an audit event")
    chunked = b"%x\r\n" % len(EVENT) + EVENT + b"\r\n0\r\n\r\n"
    show("Content-Length and chunked", POST + b"Content-Length: 4\r\n"
         b"Transfer-Encoding: chunked\r\n\r\n" + chunked + b"GET /healthz HTTP/1.1\r\n\r\n")
    show("chunked and Content-Length", POST + b"Transfer-Encoding: chunked\r\n"
         b"Content-Length: 4\r\n\r\n" + chunked)
    show("two Content-Lengths", POST + b"Content-Length: %d\r\nContent-Length: 4\r\n\r\n"
         % len(EVENT) + EVENT)
    show("Transfer-Encoding: xchunked", POST + b"Transfer-Encoding: xchunked\r\n\r\n" + chunked)
    show("Transfer-Encoding: gzip, chunked", POST + b"Transfer-Encoding: gzip, chunked\r\n\r\n"
         + chunked)
    show("chunked, valid", POST + b"Transfer-Encoding: chunked\r\n\r\n" + chunked)
    show("Content-Length: -1", POST + b"Content-Length: -1\r\n\r\n" + EVENT)
    show("Content-Length: 2^64", POST + b"Content-Length: 18446744073709551616\r\n\r\n")
    show("chunk size 2^72", POST + b"Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n")
    show("a 100 KB header", POST + b"X-Big: " + b"a" * 100000 + b"\r\n\r\n")
    show("5,000 headers", POST + b"".join(b"X-%d: v\r\n" % i for i in range(5000)) + b"\r\n")
    show("pipelined POST and GET /healthz", POST + b"Content-Length: %d\r\n\r\n" % len(EVENT)
         + EVENT + b"GET /healthz HTTP/1.1\r\nHost: shrike\r\n\r\n")

    # Many idle connections from one address: the agent keeps PER_ADDRESS
    # of them and closes the rest; another address is served meanwhile.
    hogs = []
    for _ in range(300):
        try:
            hogs.append(connect("127.0.0.2"))
        except OSError:
            break
    time.sleep(1)
    kept = sum(1 for s in hogs if not closed_by_peer(s))
    print(f"300 idle connections from 127.0.0.2: {kept} kept open, {len(hogs) - kept} closed")
    well_behaved("POST from 127.0.0.1 meanwhile")
    for s in hogs:
        s.close()
    time.sleep(1)  # the agent sees them closed before the next case

    # Slow clients: PER_ADDRESS connections from 127.0.0.2 each trickling a
    # request's headers one byte a second while 127.0.0.1 posts.
    stop = threading.Event()

    def trickle():
        try:
            s = connect("127.0.0.2")
            for i in range(10**6):
                if stop.is_set():
                    break
                s.send(POST[i % len(POST):i % len(POST) + 1])
                stop.wait(1)
            s.close()
        except OSError:
            pass

    slow = [threading.Thread(target=trickle) for _ in range(PER_ADDRESS)]
    for t in slow:
        t.start()
    time.sleep(2)
    well_behaved(f"POST with {PER_ADDRESS} slow clients")
    stop.set()
    for t in slow:
        t.join()

    # The idle connection is closed once IDLE_TIMEOUT passed.
    while time.monotonic() - idle_since < IDLE_TIMEOUT + 3:
        if closed_by_peer(idle):
            break
        time.sleep(0.2)
    waited = time.monotonic() - idle_since
    print("idle connection: closed by the agent after %s" %
          ("the timeout" if closed_by_peer(idle) and waited >= IDLE_TIMEOUT - 1 else
           "%.0f s (timeout %d s)" % (waited, IDLE_TIMEOUT)))
    well_behaved("POST at the end")


if __name__ == "__main__":
    main()
