#!/usr/bin/env python3
"""Renders Home Assistant MQTT discovery configs against a recorded message sequence, as Home Assistant does.

stdin: {"configs": [{"topic": ..., "payload": <discovery JSON string>}], "messages": [{"topic": ..., "payload": ...}]}
stdout: {"<config topic>": [{"index": i, "state": "<state or error: ...>"}]} with one entry per message on the
entity's state_topic. Templates are rendered by Jinja2 in a sandbox with `value` and `value_json`, strictly: a
template that reads a field the message lacks is an error here (Home Assistant would log it and show nothing).
"""
import json
import sys

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

env = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
data = json.load(sys.stdin)
result = {}
for config in data["configs"]:
    discovery = json.loads(config["payload"])
    component = config["topic"].split("/")[1]
    template = discovery.get("value_template")
    compiled = env.from_string(template) if template else None
    states = []
    for index, message in enumerate(data["messages"]):
        if message["topic"] != discovery["state_topic"]:
            continue
        value = message["payload"]
        try:
            if compiled is not None:
                try:
                    value_json = json.loads(value)
                except ValueError:
                    value_json = None
                rendered = compiled.render(value=value, value_json=value_json).strip()
            else:
                rendered = value
            if component == "binary_sensor":
                if rendered == discovery.get("payload_on", "ON"):
                    state = "on"
                elif rendered == discovery.get("payload_off", "OFF"):
                    state = "off"
                else:
                    state = "error: neither payload_on nor payload_off: " + rendered
            else:
                state = rendered
        except Exception as error:  # a template error is a finding, reported with the message that caused it
            state = "error: " + type(error).__name__ + ": " + str(error)
        states.append({"index": index, "state": state})
    result[config["topic"]] = states
json.dump(result, sys.stdout)
