"""A small load generator for bench/run.py when wrk is not installed: one thread and one keep-alive
connection per client, configured by the same BENCH_* environment variables as bench/wrk.lua, printing
the same "BENCH_JSON {...}" line. Python threads share one core, so above a few hundred requests a
second it measures itself more than the server: prefer wrk (apt-get install wrk).
"""

import argparse
import http.client
import json
import os
import threading
import time
from urllib.parse import urlsplit


def percentile(sorted_values, share):
    if not sorted_values:
        return 0
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


def client(url, token, kinds, deadline, latencies, errors, lock):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Accept": os.environ.get("BENCH_ACCEPT", "application/json"),
               "Content-Type": "application/json"}
    mine, bad, answered = [], 0, 0
    while time.monotonic() < deadline:
        method, path, body = kinds[answered % len(kinds)]  # the next kind once this one is answered
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                bad += 1
        except (OSError, http.client.HTTPException):
            bad += 1
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            continue
        answered += 1
        mine.append(time.perf_counter() - started)
    with lock:
        latencies.extend(mine)
        errors.append(bad)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10)
    args = parser.parse_args()
    split = lambda name: [part for part in os.environ.get(name, "").split("|")]  # noqa: E731
    kinds = list(zip(split("BENCH_METHODS"), split("BENCH_PATHS"), split("BENCH_BODIES")))
    tokens = os.environ["BENCH_TOKENS"].split(",")
    latencies, errors, lock = [], [], threading.Lock()
    deadline = time.monotonic() + args.duration
    started = time.monotonic()
    threads = [
        threading.Thread(target=client, args=(args.url, tokens[i % len(tokens)], kinds, deadline, latencies, errors, lock))
        for i in range(args.connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    micro = lambda seconds: int(seconds * 1_000_000)  # noqa: E731
    print("BENCH_JSON " + json.dumps({
        "requests": len(latencies), "duration_us": micro(elapsed), "p50_us": micro(percentile(latencies, 0.50)),
        "p95_us": micro(percentile(latencies, 0.95)), "p99_us": micro(percentile(latencies, 0.99)),
        "max_us": micro(latencies[-1] if latencies else 0), "errors_status": sum(errors), "errors_socket": 0,
    }), flush=True)


if __name__ == "__main__":
    main()
