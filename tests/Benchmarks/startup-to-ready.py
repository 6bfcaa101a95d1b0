#!/usr/bin/env python3
"""Whole-process start-up time to READY=1 and idle RSS of the published agent.

Starts artifacts/edgeagent/edgeagent run as systemd would (NOTIFY_SOCKET on a real unix datagram socket),
measures from spawn to the READY datagram, samples VmRSS after an idle period, then SIGTERMs it.
Usage: tests/Benchmarks/startup-to-ready.py [--runs 5] [--config FILE] [--idle-seconds 10]
"""
import argparse, json, os, signal, socket, statistics, subprocess, sys, tempfile, time

repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--config", default=os.path.join(repo, "config", "edgeagent.json"))
ap.add_argument("--idle-seconds", type=float, default=10)
ap.add_argument("--bin", default=os.path.join(repo, "artifacts", "edgeagent", "edgeagent"))
args = ap.parse_args()

times, rss, cpu = [], [], []
for i in range(args.runs):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        sock.settimeout(120)
        env = dict(os.environ, NOTIFY_SOCKET=path, STATE_DIRECTORY=os.path.join(tmp, "state"),
                   LOGS_DIRECTORY=os.path.join(tmp, "logs"))
        start = time.perf_counter()
        proc = subprocess.Popen([args.bin, "run", "--config", args.config], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            msg = sock.recv(4096).decode()
            if "READY=1" in msg.split("\n"):
                break
        times.append((time.perf_counter() - start) * 1000)
        # CPU time used until READY (utime + stime): what a busy machine does not inflate, unlike the wall time.
        stat = open(f"/proc/{proc.pid}/stat").read().rsplit(")", 1)[1].split()
        cpu.append((int(stat[11]) + int(stat[12])) * 1000 / os.sysconf("SC_CLK_TCK"))
        if i == args.runs - 1:
            time.sleep(args.idle_seconds)
            with open(f"/proc/{proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss.append(int(line.split()[1]) * 1024)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
        if code != 0:
            sys.exit(f"agent exited {code}")
        sock.close()

print(json.dumps({
    "runs": args.runs,
    "ready_ms_median": round(statistics.median(times), 1),
    "ready_ms_all": [round(t, 1) for t in times],
    "ready_cpu_ms_median": round(statistics.median(cpu), 1),
    "idle_rss_bytes": rss[-1] if rss else None,
    "idle_seconds": args.idle_seconds,
    "config": os.path.relpath(args.config, repo),
}, indent=2))
