#!/usr/bin/env python3
"""Reads a command's output from stdin; when the first line arrives, notes how many bytes the writer process (pid in
argv[1]) had read so far (/proc/<pid>/io rchar) and the elapsed time. Prints: bytes_at_first seconds_at_first seconds_total."""
import sys, time

def rchar(pid):
    try:
        with open(f"/proc/{pid}/io") as f:
            for line in f:
                if line.startswith("rchar:"):
                    return int(line.split()[1])
    except OSError:
        return -1
    return -1

pid = sys.argv[1]
start = float(sys.argv[2]) if len(sys.argv) > 2 else time.time()
stream = sys.stdin.buffer
first = stream.readline()
at_first = rchar(pid)
t_first = time.time() - start
while stream.read(1 << 20):
    pass
print(at_first if first else -1, "%.3f" % t_first, "%.3f" % (time.time() - start))
