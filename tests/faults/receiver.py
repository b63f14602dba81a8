#!/usr/bin/env python3
"""receiver.py - the HTTP output's peer for tests/faults/outputs.sh, a real
HTTP server on 127.0.0.1 that behaves as the file MODE_FILE says, read per
request: "ok" (200, the alert counted), "500" (Internal Server Error) or
"hang" (reads the request, never answers). Prints "ready PORT" once
listening; COUNT_FILE holds the number of alerts answered 200.

Usage: receiver.py MODE_FILE COUNT_FILE
"""
import http.server
import sys
import threading
import time

MODE_FILE, COUNT_FILE = sys.argv[1], sys.argv[2]
lock = threading.Lock()
count = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        mode = open(MODE_FILE).read().strip()
        if mode == "hang":
            time.sleep(3600)
            return
        if mode == "500":
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with lock:
            count += 1
            with open(COUNT_FILE, "w") as f:
                f.write(f"{count}\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(f"ready {server.server_address[1]}", flush=True)
server.serve_forever()
