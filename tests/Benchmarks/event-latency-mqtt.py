#!/usr/bin/env python3
"""End-to-end event latency with an MQTT source: no timer of ours between a sample and its event.

A publisher (a raw MQTT 3.1.1 client on a TCP socket, QoS 0, TCP_NODELAY) sends {"t": <time.time()>, "x": <value>}
at --rate Hz to a real mosquitto on loopback: a sine with noise and a level shift of 0.3 s every second. The agent's
pipeline subscribes to that topic (an `mqtt` source, timestampField "t"), windows of 16 samples with hop 4, alert on
the first anomalous window, and publishes anomaly_start through the durable outbox (SQLite WAL, QoS 1).
mosquitto_sub, subscribed to both the samples and the events, stamps arrivals (%U) on the same clock.

  event latency  = event arrival - window.end  (window.end = "t" of the sample that completed the window: the moment
                   the sample was handed to the socket; covers broker -> agent, the source, window, features, model,
                   score, alert, outbox commit, MQTT publish, broker -> subscriber)
  broker hop     = sample arrival at mosquitto_sub - "t"   (one publisher -> broker -> subscriber hop, for reference)

Usage: tests/Benchmarks/event-latency-mqtt.py [--seconds 60] [--rate 100] [--bin artifacts/edgeagent/edgeagent]

Breakdown of each event's latency by stage: build an agent with tests/Benchmarks/latency-trace.patch applied
(a measurement-only patch: the agent itself has no such probes) and pass --trace:
  git apply tests/Benchmarks/latency-trace.patch
  dotnet publish src/EdgeAgent -c Release -o /tmp/traced -p:UseAppHost=true
  git apply -R tests/Benchmarks/latency-trace.patch
  tests/Benchmarks/event-latency-mqtt.py --bin /tmp/traced/edgeagent --trace /tmp/trace.txt
"""
import argparse, json, math, os, random, socket, struct, subprocess, sys, tempfile, time
from datetime import datetime

repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ap = argparse.ArgumentParser()
ap.add_argument("--seconds", type=float, default=60)
ap.add_argument("--rate", type=float, default=100)
ap.add_argument("--bin", default=os.path.join(repo, "artifacts", "edgeagent", "edgeagent"))
ap.add_argument("--nice", type=int, default=0, help="run the agent at this nice level (negative: needs root)")
ap.add_argument("--trace", help="file the patched agent appends its stage stamps to (see above)")
ap.add_argument("--keep", help="directory to copy the raw arrivals into")
args = ap.parse_args()

TOPIC = "bench/latency/sensor"


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def remaining(n):
    out = bytearray()
    while True:
        byte, n = n % 128, n // 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def utf8(s):
    b = s.encode(); return struct.pack("!H", len(b)) + b


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    body = utf8("MQTT") + bytes([4, 0x02]) + struct.pack("!H", 60) + utf8("latency-publisher")
    sock.sendall(bytes([0x10]) + remaining(len(body)) + body)
    if sock.recv(4)[:2] != b"\x20\x02":
        sys.exit("broker refused the publisher")
    return sock


def publish(sock, payload):
    body = utf8(TOPIC) + payload
    sock.sendall(bytes([0x30]) + remaining(len(body)) + body)


def value(t, rng):
    v = 10 + math.sin(2 * math.pi * t / 5) + rng.gauss(0, 0.02)
    return v + 20 if (t % 1.0) >= 0.5 and (t % 1.0) < 0.8 else v


with tempfile.TemporaryDirectory() as tmp:
    # Normal data for calibration: the same signal without the shift, as a CSV the replay path reads.
    rng = random.Random(7)
    with open(os.path.join(tmp, "normal.csv"), "w") as f:
        f.write("timestamp,x\n")
        start = 1_700_000_000.0
        for i in range(int(600 * args.rate)):
            t = i / args.rate
            f.write(f"{start + t:.6f},{10 + math.sin(2 * math.pi * t / 5) + rng.gauss(0, 0.02):.6f}\n")
    pipeline = {
        "name": "lat",
        "sources": [{"type": "mqtt", "channels": [{"name": "x"}], "mqtt": {"topic": TOPIC, "timestampField": "t"}}],
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
    subprocess.run([args.bin, "calibrate", "-c", path, "-i", os.path.join(tmp, "normal.csv"), "-o", os.path.join(tmp, "model")],
                   check=True, stdout=subprocess.DEVNULL)
    broker = subprocess.Popen(["mosquitto", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sub = agent = None
    try:
        time.sleep(0.5)
        sub = subprocess.Popen(["stdbuf", "-oL", "mosquitto_sub", "-p", str(port), "-t", "edgeagent/+/events/lat", "-t", TOPIC, "-F", "%U %t %p"],
                               stdout=open(os.path.join(tmp, "arrivals.txt"), "w"))  # a file, not a pipe: a full pipe would stall it
        env = dict(os.environ, EDGEAGENT_LATENCY_TRACE=args.trace) if args.trace else None
        if args.trace and os.path.exists(args.trace):
            os.remove(args.trace)
        agent = subprocess.Popen((["nice", "-n", str(args.nice)] if args.nice else []) + [args.bin, "run", "-c", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(3)  # connected, subscribed, model loaded
        pub = connect(port)
        period = 1.0 / args.rate
        t0 = time.time()
        n = 0
        rng = random.Random(11)
        while True:
            due = t0 + n * period
            if due - t0 > args.seconds:
                break
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            now = time.time()
            publish(pub, json.dumps({"t": round(now, 6), "x": round(value(now - t0, rng), 6)}).encode())
            n += 1
        print(f"published {n} samples in {time.time() - t0:.1f} s", file=sys.stderr)
        time.sleep(1)
        pub.close()
    finally:
        if agent:
            agent.terminate(); agent.wait(30)
        if sub:
            sub.terminate()
        if sub:
            sub.wait(10)
        out = open(os.path.join(tmp, "arrivals.txt")).read() if sub else ""
        broker.terminate(); broker.wait()
    if args.keep:
        open(os.path.join(args.keep, "arrivals.txt"), "w").write(out)

events, hops, ends = [], [], {}
for line in out.splitlines():
    arrival, topic, payload = line.split(" ", 2)
    body = json.loads(payload)
    if topic == TOPIC:
        hops.append((float(arrival) - body["t"]) * 1000)
    elif body["type"] == "anomaly_start":
        end = datetime.fromisoformat(body["window"]["end"].replace("Z", "+00:00")).timestamp()
        events.append((float(arrival) - end) * 1000)
        ends[round(end, 6)] = float(arrival)
if not events:
    sys.exit("no anomaly_start events arrived")


def summary(values):
    values = sorted(values)
    p = lambda q: round(values[min(len(values) - 1, int(q * len(values)))], 3)
    return {"count": len(values), "p50_ms": p(0.5), "p90_ms": p(0.9), "p99_ms": p(0.99), "max_ms": round(values[-1], 3)}


result = {"seconds": args.seconds, "rate_hz": args.rate, "nice": args.nice, "loadavg": os.getloadavg(),
          "event_latency": summary(events), "broker_hop": summary(hops)}
if args.trace:
    # Stamps are .NET ticks (100 ns since 0001-01-01, UTC): the triggering sample's time (window end), its arrival
    # on libmosquitto's thread, the subscription dispatch, the pipeline loop, the outbox Enqueue of anomaly_start,
    # the pump waking, its transaction begin and commit, the publish call returning, and the broker's PUBACK for it
    # read on libmosquitto's thread. The PUBACK bounds "reached the broker" from above: it adds the broker's reply
    # and the network thread's wake-up to read it.
    stages = ["broker -> agent (network thread)", "network thread -> subscription dispatch", "dispatch -> pipeline loop",
              "window, features, model, score, alert, JSON", "Enqueue -> pump woken (0: the caller ran the round)", "pump round -> transaction begins",
              "SQLite commit (WAL)", "commit -> publish returned", "publish -> subscriber (network thread, broker)"]
    to_broker = "sample on the agent's network thread -> PUBACK from the broker (the goal's span, upper bound)"
    columns = {name: [] for name in stages + ["publish returned -> PUBACK read", "in agent: network thread -> publish returned", to_broker]}
    seconds = lambda ticks: (ticks - 621355968000000000) / 1e7
    for line in open(args.trace):
        end, received, dispatched, loop, enqueued, woke, begin, committed, published, acked = map(int, line.split())
        arrival = ends.get(round(seconds(end), 6))
        if arrival is None:
            continue
        woke = max(woke, enqueued)  # the pump was busy, not asleep, when the event came
        marks = [seconds(end), seconds(received), seconds(dispatched), seconds(loop), seconds(enqueued), seconds(woke),
                 seconds(begin), seconds(committed), seconds(published), arrival]
        for i, name in enumerate(stages):
            columns[name].append((marks[i + 1] - marks[i]) * 1000)
        columns["in agent: network thread -> publish returned"].append((marks[8] - marks[1]) * 1000)
        columns["publish returned -> PUBACK read"].append((seconds(acked) - marks[8]) * 1000)
        columns[to_broker].append((seconds(acked) - marks[1]) * 1000)
    result["breakdown"] = {name: summary(values) for name, values in columns.items() if values}
print(json.dumps(result, indent=2))
