#!/usr/bin/env python3
"""Commit latency of the outbox's SQLite settings with SQLite's automatic checkpoint (in the commit that crosses 1,000
pages) versus a checkpoint thread on its own connection (what src/EdgeAgent/Outbox/WalCheckpointer.cs does: a passive
checkpoint after about 1,000 pages of commits, estimated the way the pump estimates them; RESTART past 4,096 pages). Each commit inserts one ~300-byte event row and deletes
the acknowledged one before it, as the outbox pump does; one commit every 0.5 ms. Modes alternate, --rounds each.

Usage: tests/Benchmarks/wal-checkpoint.py [--commits 20000] [--rounds 3] [--dir /var/tmp]
"""
import argparse, os, sqlite3, tempfile, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--commits", type=int, default=20000)
ap.add_argument("--rounds", type=int, default=3)
ap.add_argument("--dir", default=tempfile.gettempdir(), help="a directory on the filesystem the state directory uses")
args = ap.parse_args()


def run(mode):
    directory = tempfile.mkdtemp(dir=args.dir)
    path = os.path.join(directory, "outbox.db")
    c = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=NORMAL")
    c.execute("CREATE TABLE m(seq INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER, payload BLOB)")
    stop = threading.Event()
    checkpointer = None
    if mode == "thread":
        c.execute("PRAGMA wal_autocheckpoint=16384")
        c.execute("PRAGMA busy_timeout=10000")
        committed = threading.Event()

        def loop():
            k = sqlite3.connect(path, isolation_level=None)
            k.execute("PRAGMA synchronous=NORMAL")
            k.execute("PRAGMA busy_timeout=2000")
            while not stop.is_set():
                if not committed.wait(0.5):
                    continue
                committed.clear()
                _, log, _ = k.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                if log > 4096:
                    k.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
            k.close()

        checkpointer = threading.Thread(target=loop)
        checkpointer.start()
    latencies = []
    pages = 0
    payload = b"x" * 300
    for i in range(args.commits):
        t0 = time.perf_counter()
        c.execute("BEGIN IMMEDIATE")
        c.execute("INSERT INTO m(ts, payload) VALUES(?, ?)", (i, payload))
        c.execute("DELETE FROM m WHERE seq <= ?", (i,))
        c.execute("COMMIT")
        latencies.append(time.perf_counter() - t0)
        if checkpointer:
            # WalCheckpointer.OnCommitted's estimate: 2 pages + 1 per 2 KiB added + 2 when rows were deleted.
            pages += 2 + len(payload) // 2048 + 2
            if pages >= 1000:
                pages = 0
                committed.set()
        time.sleep(0.0005)
    stop.set()
    if checkpointer:
        checkpointer.join()
    wal = os.path.getsize(path + "-wal")
    c.close()
    for name in os.listdir(directory):
        os.remove(os.path.join(directory, name))
    os.rmdir(directory)
    latencies.sort()
    q = lambda p: latencies[int(p * (len(latencies) - 1))] * 1e3
    return (f"{mode:9} commit p50 {q(.5):.3f}  p99 {q(.99):.3f}  p99.9 {q(.999):.3f}  max {latencies[-1] * 1e3:.3f} ms; "
            f"commits over 1 ms: {sum(1 for v in latencies if v > 1e-3)} of {len(latencies)}; log {wal // 1024} KiB at the end")


for r in range(args.rounds):
    for mode in ("automatic", "thread"):
        print(f"round {r + 1} {run(mode)}", flush=True)
