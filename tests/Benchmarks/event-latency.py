#!/usr/bin/env python3
"""End-to-end latency from a sample entering a source to its anomaly_start reaching the broker.

A simulated source at 100 Hz with a short level shift every second; windows of 16 samples (hop 4), alert after one
window. The source stamps each sample when it is produced; an event's window.end is the stamp of the sample that
completed the triggering window. mosquitto_sub records when the event reached the broker's subscriber (%U), on the
same clock. Latency = arrival - window.end (includes window → features → model → score → alert → outbox commit →
MQTT publish → delivery; the model's own run is ~10 us).
Usage: tests/Benchmarks/event-latency.py [--seconds 120]
"""
import argparse, json, os, socket, statistics, subprocess, sys, tempfile, time
from datetime import datetime

repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ap = argparse.ArgumentParser()
ap.add_argument("--seconds", type=float, default=120)
ap.add_argument("--bin", default=os.path.join(repo, "artifacts", "edgeagent", "edgeagent"))
args = ap.parse_args()

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

with tempfile.TemporaryDirectory() as tmp:
    pipeline = {
        "name": "lat", "kind": "sensor",
        "sources": [{"type": "simulated", "channels": [{"name": "x"}],
                     "simulated": {"sampleRateHz": 100, "seed": 7,
                                   "signals": [{"shape": "sine", "offset": 10, "amplitude": 1, "periodSeconds": 5, "noise": 0.02}],
                                   "anomalies": [{"kind": "levelShift", "channel": 0, "atSeconds": 0.5, "durationSeconds": 0.3, "magnitude": 20, "everySeconds": 1}]}}],
        "window": {"unit": "samples", "size": 16, "hop": 4},
        "features": [{"kind": "statistics", "statistics": ["mean", "std", "min", "max"]}, {"kind": "standardize"}],
        "model": {"path": os.path.join(tmp, "model", "model.onnx")},
        "alert": {"raiseWindows": 1, "clearWindows": 1, "cooldownSeconds": 0, "updateIntervalSeconds": 0},
    }
    port = free_port()
    config = {"mqtt": {"host": "127.0.0.1", "port": port}, "telemetry": {"enabled": False}, "pipelines": [pipeline],
              "stateDirectory": os.path.join(tmp, "state"), "logging": {"file": {"enabled": False}, "console": "none"}}
    path = os.path.join(tmp, "config.json")
    json.dump(config, open(path, "w"))
    subprocess.run([args.bin, "simulate", "-c", path, "--seconds", "600", "--normal", "--out", os.path.join(tmp, "normal.csv")], check=True)
    subprocess.run([args.bin, "calibrate", "-c", path, "-i", os.path.join(tmp, "normal.csv"), "-o", os.path.join(tmp, "model")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    broker = subprocess.Popen(["mosquitto", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    sub = subprocess.Popen(["mosquitto_sub", "-p", str(port), "-t", "edgeagent/+/events/lat", "-F", "%U %p"], stdout=subprocess.PIPE, text=True)
    agent = subprocess.Popen([args.bin, "run", "-c", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(args.seconds)
    agent.terminate(); agent.wait(30); sub.terminate()
    out = sub.communicate()[0]
    broker.terminate(); broker.wait()

latencies = []
for line in out.splitlines():
    arrival, payload = line.split(" ", 1)
    event = json.loads(payload)
    if event["type"] != "anomaly_start":
        continue
    end = datetime.fromisoformat(event["window"]["end"].replace("Z", "+00:00")).timestamp()
    latencies.append((float(arrival) - end) * 1000)
latencies.sort()
if not latencies:
    sys.exit("no anomaly_start events arrived")
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
print(json.dumps({"events": len(latencies), "p50_ms": round(p(0.5), 3), "p90_ms": round(p(0.9), 3), "p99_ms": round(p(0.99), 3),
                  "max_ms": round(latencies[-1], 3), "seconds": args.seconds}, indent=2))
