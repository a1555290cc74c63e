#!/usr/bin/env python3
"""A peer that stops in the middle of a (D)TLS handshake.

Relays between one client and a server (UDP datagrams, or one TCP
connection) but forwards only the first N packets (or chunks) from the
client, then goes silent in both directions while keeping the socket open,
so the server is left with a half-open handshake.

Usage: stall_proxy.py udp|tcp LISTEN_PORT SERVER_PORT N SECONDS
Exits after SECONDS.
"""
import select
import socket
import sys
import time


def main():
    kind, listen_port, server_port, limit, seconds = sys.argv[1:6]
    listen_port, server_port, limit = int(listen_port), int(server_port), int(limit)
    deadline = time.time() + float(seconds)
    server = ("127.0.0.1", server_port)
    forwarded = 0
    if kind == "udp":
        front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        front.bind(("127.0.0.1", listen_port))
        back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        back.connect(server)
        client = None
        while time.time() < deadline:
            ready, _, _ = select.select([front, back], [], [], 0.2)
            for s in ready:
                data, peer = s.recvfrom(65536)
                if s is front:
                    client = peer
                    if forwarded < limit:
                        back.send(data)
                        forwarded += 1
                elif client is not None and forwarded < limit:
                    front.sendto(data, client)
        return
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", listen_port))
    listener.listen(1)
    listener.settimeout(float(seconds))
    try:
        conn, _ = listener.accept()
    except socket.timeout:
        return
    back = socket.create_connection(server)
    while time.time() < deadline:
        ready, _, _ = select.select([conn, back], [], [], 0.2)
        for s in ready:
            data = s.recv(65536)
            if not data:
                time.sleep(0.2)
                continue
            if s is conn:
                if forwarded < limit:
                    back.sendall(data)
                    forwarded += 1
            elif forwarded < limit:
                conn.sendall(data)


if __name__ == "__main__":
    main()
