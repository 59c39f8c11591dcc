# Ground truth from Eclipse paho-mqtt: connect over TLS, wait until the test says the path has gone idle-dead
# (one line on stdin), then publish at QoS 1 and say whether the PUBACK came within the given seconds.
import os
import ssl
import sys
import threading

import paho.mqtt.client as mqtt

host, port, servername, ca, cert, key, topic, wait_s = sys.argv[1:9]
connected = threading.Event()
client = mqtt.Client(client_id=f"paho-{topic.rsplit('/', 1)[-1]}", protocol=mqtt.MQTTv311)
context = ssl.create_default_context(cafile=ca)
context.load_cert_chain(cert, key)
context.check_hostname = False
client.tls_set_context(context)
client.on_connect = lambda *_: connected.set()
client.connect(host, int(port), keepalive=60)
client.loop_start()
if not connected.wait(float(wait_s)):
    print("no-connack", flush=True)
    sys.exit(1)
print("connected", flush=True)
sys.stdin.readline()
info = client.publish(topic, b"after idle", qos=1)
info.wait_for_publish(timeout=float(wait_s))
print("puback" if info.is_published() else "no-puback", flush=True)
# Not loop_stop(): on a dead path paho's network thread would wait minutes for the socket.
os._exit(0)
