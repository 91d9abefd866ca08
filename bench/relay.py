"""An emulated internet link for the benchmarks: a delaying, rate-limiting TCP relay.

These machines have no ``netem``, so ``python bench/relay.py --target-port P --rtt-ms 40
--mbit 100`` listens on 127.0.0.1 (a free port, printed on the first line of stdout) and
relays each connection to 127.0.0.1:P. Each direction behaves like one link: bytes leave at
most at ``--mbit`` (serialised one after another) and arrive ``--rtt-ms``/2 later. A direction
holds at most ``--buffer-kib`` in flight; beyond it the relay stops reading, so TCP's own flow
control pushes back as on a full bottleneck queue (no drops are emulated). Loopback only, at
most ``--max-connections`` at once.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import sys
import time

READ_SIZE = 64 * 1024


class Direction:
    """One way of one connection: a bounded queue of (arrival time, bytes)."""

    def __init__(self, delay_s: float, bytes_per_s: float, buffer_bytes: int) -> None:
        self.delay_s = delay_s
        self.bytes_per_s = bytes_per_s
        self.buffer_bytes = buffer_bytes
        self.queue: collections.deque[tuple[float, bytes]] = collections.deque()
        self.queued = 0
        self.link_free_at = 0.0
        self.changed = asyncio.Event()
        self.closed = False

    async def pump_in(self, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                while self.queued >= self.buffer_bytes:
                    self.changed.clear()
                    await self.changed.wait()
                data = await reader.read(READ_SIZE)
                if not data:
                    break
                now = time.monotonic()
                leaves = max(now, self.link_free_at) + len(data) / self.bytes_per_s
                self.link_free_at = leaves
                self.queue.append((leaves + self.delay_s, data))
                self.queued += len(data)
                self.changed.set()
        except (ConnectionError, OSError):
            pass  # a reset ends this direction like a close
        finally:
            self.closed = True
            self.changed.set()

    async def pump_out(self, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                if not self.queue:
                    if self.closed:
                        break
                    self.changed.clear()
                    await self.changed.wait()
                    continue
                arrives, data = self.queue[0]
                wait = arrives - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self.queue.popleft()
                self.queued -= len(data)
                self.changed.set()
                writer.write(data)
                await writer.drain()
            if writer.can_write_eof():
                writer.write_eof()
        except (ConnectionError, OSError):
            pass


async def relay(args: argparse.Namespace) -> None:
    active = 0

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        nonlocal active
        if active >= args.max_connections:
            client_w.close()
            return
        active += 1
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", args.target_port)
            make = lambda: Direction(  # noqa: E731
                args.rtt_ms / 2000, args.mbit * 1e6 / 8, args.buffer_kib * 1024
            )
            up, down = make(), make()
            tasks = [
                asyncio.create_task(up.pump_in(client_r)),
                asyncio.create_task(up.pump_out(server_w)),
                asyncio.create_task(down.pump_in(server_r)),
                asyncio.create_task(down.pump_out(client_w)),
            ]
            await asyncio.gather(*tasks, return_exceptions=True)
            server_w.close()
        finally:
            active -= 1
            client_w.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target-port", type=int, required=True)
    parser.add_argument("--rtt-ms", type=float, default=40.0)
    parser.add_argument("--mbit", type=float, default=100.0)
    parser.add_argument("--buffer-kib", type=int, default=1024)
    parser.add_argument("--max-connections", type=int, default=64)
    args = parser.parse_args()
    try:
        asyncio.run(relay(args))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
