#!/usr/bin/python3
"""Drives a Kubernetes API server with the official Python client (Debian's python3-kubernetes) and prints what it
saw as one JSON object. The client sends its own spellings (watch=True, stdout=True, _continue, a v4.channel.k8s.io
exec WebSocket), so this checks the server against a client other than kubectl and client-node.

usage: python_client_check.py KUBECONFIG CONTEXT
"""
import json
import sys
import time

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException
from kubernetes.stream import stream

NS = "py-check"


def wait_for(fn, timeout=60.0, every=0.2):
    """Polls fn until it returns a truthy value; returns it, or raises after timeout."""
    end = time.time() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.time() > end:
            raise TimeoutError("condition not met")
        time.sleep(every)


def main():
    kubeconfig, context = sys.argv[1], sys.argv[2]
    config.load_kube_config(config_file=kubeconfig, context=context)
    v1 = client.CoreV1Api()
    apps = client.AppsV1Api()
    out = {"version": client.VersionApi().get_code().minor}

    v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=NS)))
    for i in range(5):
        v1.create_namespaced_config_map(
            NS, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cm-%d" % i), data={"i": str(i)})
        )

    # list
    out["list"] = sorted(cm.metadata.name for cm in v1.list_namespaced_config_map(NS).items)

    # paged list: limit + _continue
    pages, token = [], None
    while True:
        page = v1.list_namespaced_config_map(NS, limit=2, _continue=token) if token else v1.list_namespaced_config_map(
            NS, limit=2
        )
        pages.append([cm.metadata.name for cm in page.items])
        token = page.metadata._continue
        if not token:
            break
    out["pages"] = pages

    # watch (sends watch=True): the existing objects, then a change made while watching
    w = watch.Watch()
    events = []
    rv = v1.list_namespaced_config_map(NS).metadata.resource_version
    v1.patch_namespaced_config_map("cm-0", NS, {"data": {"i": "changed"}})
    for e in w.stream(v1.list_namespaced_config_map, NS, resource_version=rv, timeout_seconds=30):
        events.append([e["type"], e["object"].metadata.name])
        if len(events) >= 1:
            w.stop()
    out["watch"] = events
    w2 = watch.Watch()
    initial = []
    for e in w2.stream(v1.list_namespaced_config_map, NS, timeout_seconds=30):
        initial.append([e["type"], e["object"].metadata.name])
        if len(initial) == 5:
            w2.stop()
    out["watchInitial"] = sorted(initial)

    # a deployment, its pod, exec and logs
    apps.create_namespaced_deployment(
        NS,
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]},
                },
            },
        },
    )

    def running_pod():
        pods = v1.list_namespaced_pod(NS, label_selector="app=web").items
        for p in pods:
            if p.status.phase == "Running" and all(c.ready for c in (p.status.container_statuses or [])):
                return p.metadata.name
        return None

    pod = wait_for(running_pod)
    out["exec"] = stream(
        v1.connect_get_namespaced_pod_exec,
        pod,
        NS,
        command=["echo", "hello from python"],
        stderr=True,
        stdin=False,
        stdout=True,
        tty=False,
    )
    logs = wait_for(lambda: v1.read_namespaced_pod_log(pod, NS, container="nginx", tail_lines=5))
    out["logs"] = logs.splitlines()

    # scale through the scale subresource (a JSON patch: this client sends json-patch for PATCH)
    scale = apps.patch_namespaced_deployment_scale(
        "web", NS, [{"op": "replace", "path": "/spec/replicas", "value": 3}]
    )
    out["scale"] = {"kind": type(scale).__name__, "replicas": scale.spec.replicas}
    out["scaledSpec"] = apps.read_namespaced_deployment("web", NS).spec.replicas

    # optimistic concurrency: an update with a stale resourceVersion is a 409
    stale = v1.read_namespaced_config_map("cm-1", NS)
    fresh = v1.read_namespaced_config_map("cm-1", NS)
    fresh.data = {"i": "fresh"}
    v1.replace_namespaced_config_map("cm-1", NS, fresh)
    stale.data = {"i": "stale"}
    try:
        v1.replace_namespaced_config_map("cm-1", NS, stale)
        out["conflict"] = {"status": 200}
    except ApiException as e:
        body = json.loads(e.body)
        out["conflict"] = {"status": e.status, "reason": body.get("reason")}

    # namespace deletion: Terminating, then gone
    v1.delete_namespace(NS)
    out["nsPhase"] = v1.read_namespace(NS).status.phase

    def gone():
        try:
            v1.read_namespace(NS)
            return False
        except ApiException as e:
            return e.status == 404

    out["nsGone"] = wait_for(gone)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
