#!/usr/bin/env python3
"""The disk under the database, without marginalia: append 8 KB and fsync, in a loop, for
DURATION seconds, as a WAL commit does. Prints metric lines (key=value) for metrics.env.

A comment POST is answered after its group commit's fsync, so this disk's slowest fsyncs
are a floor under the POST p99 that no server code can go below."""
import os
import sys
import time

path, duration = sys.argv[1], float(sys.argv[2])
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
block = b"x" * 8192
latencies = []
end = time.monotonic() + duration
try:
    while time.monotonic() < end:
        os.write(fd, block)
        start = time.perf_counter()
        os.fsync(fd)
        latencies.append((time.perf_counter() - start) * 1000)
finally:
    os.close(fd)
    os.unlink(path)
latencies.sort()
n = len(latencies)
print(f"fsync_count={n}")
print(f"fsync_p50_ms={latencies[n // 2]:.2f}")
print(f"fsync_p99_ms={latencies[int(n * 0.99)]:.2f}")
print(f"fsync_max_ms={latencies[-1]:.1f}")
print(f"fsync_over_20ms={sum(1 for x in latencies if x > 20)}")
