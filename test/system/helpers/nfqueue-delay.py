#!/usr/bin/env python3
"""Holds every packet of one NFQUEUE for DELAY ms, then accepts it, keeping their order (Python standard library only).

This kernel has no netem, so latency tests add delay this way: inside a network namespace,
`iptables -A OUTPUT -o IF -j NFQUEUE --queue-num N --queue-bypass` (and the same on INPUT) sends packets here.
With both directions queued, one round trip gains 2 * DELAY.

Usage: nfqueue-delay.py QUEUE_NUM DELAY_MS. Prints "ready" on stdout once bound; exits on SIGTERM.
The netlink layout follows linux/netfilter/nfnetlink_queue.h.
"""
import collections
import os
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET = 0
NFQNL_MSG_VERDICT = 1
NFQNL_MSG_CONFIG = 2
NFQA_CFG_CMD = 1
NFQA_CFG_PARAMS = 2
NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NF_ACCEPT = 1
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2


def attr(kind, payload):
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * ((4 - length % 4) % 4)


def message(msg_type, flags, queue, family, attrs, seq):
    body = struct.pack("=BBH", family, 0, socket.htons(queue)) + b"".join(attrs)
    return struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type, flags, seq, 0) + body


def expect_ack(sock):
    data = sock.recv(65536)
    length, kind = struct.unpack_from("=IH", data, 0)
    if kind == NLMSG_ERROR:
        (error,) = struct.unpack_from("=i", data, 16)
        if error != 0:
            raise OSError(-error, os.strerror(-error))


def packet_ids(data):
    """Yields the packet id of every NFQNL_MSG_PACKET in one recv buffer."""
    offset = 0
    while offset + 16 <= len(data):
        length, kind = struct.unpack_from("=IH", data, offset)
        if length < 16:
            break
        if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
            pos = offset + 20
            while pos + 4 <= offset + length:
                alen, akind = struct.unpack_from("=HH", data, pos)
                if alen < 4:
                    break
                if akind & 0x7FFF == NFQA_PACKET_HDR:
                    (packet_id,) = struct.unpack_from("!I", data, pos + 4)
                    yield packet_id
                pos += (alen + 3) & ~3
        offset += (length + 3) & ~3


def main():
    queue = int(sys.argv[1])
    delay = float(sys.argv[2]) / 1000.0
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.bind((0, 0))
    bind_cmd = struct.pack("!BBH", NFQNL_CFG_CMD_BIND, 0, socket.AF_INET)
    sock.send(message(NFQNL_MSG_CONFIG, NLM_F_REQUEST | NLM_F_ACK, queue, socket.AF_UNSPEC, [attr(NFQA_CFG_CMD, bind_cmd)], 1))
    expect_ack(sock)
    params = struct.pack("!IB", 0, NFQNL_COPY_META) + b"\0\0\0"
    sock.send(message(NFQNL_MSG_CONFIG, NLM_F_REQUEST | NLM_F_ACK, queue, socket.AF_UNSPEC, [attr(NFQA_CFG_PARAMS, params[:5])], 2))
    expect_ack(sock)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)

    held = collections.deque()
    seq = 3
    while True:
        now = time.monotonic()
        while held and held[0][0] <= now:
            _, packet_id = held.popleft()
            verdict = struct.pack("!II", NF_ACCEPT, packet_id)
            sock.send(message(NFQNL_MSG_VERDICT, NLM_F_REQUEST, queue, socket.AF_UNSPEC, [attr(NFQA_VERDICT_HDR, verdict)], seq))
            seq += 1
        timeout = max(0.0, held[0][0] - time.monotonic()) if held else None
        readable, _, _ = select.select([sock], [], [], timeout)
        if readable:
            data = sock.recv(1 << 20)
            arrived = time.monotonic()
            for packet_id in packet_ids(data):
                held.append((arrived + delay, packet_id))


if __name__ == "__main__":
    main()
