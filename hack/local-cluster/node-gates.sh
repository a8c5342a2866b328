# shellcheck shell=bash
# cluster:up's gates across nodes (BERTH_NODES >= 2). Sourced after gates.sh and nodes.sh.
# For each extra node N, a web pod pinned to it (berth-smoke/node-web-N, its Service and an
# Ingress for host nN.berth.local) must be reachable:
#   - from a pod on node 1 by pod IP (pod to pod across nodes);
#   - from a pod on node 1 through its Service (the Service's only endpoint is on another node);
#   - from this host through the Ingress (a request answered by a pod on node N);
# and a pod on node N must resolve and reach smoke-web (DNS from node N, Service to node 1) and
# reach smoke-web's pod IP on node 1.

node_web_text() { echo "berth-node-$1-ok"; }

apply_node_web() {
  local n=$1 node="berth-local-$1"
  smoke_apply nodes "berth-smoke/node-web-$n" <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: node-web-$n
  labels: {app: node-web-$n, berth.dev/smoke: node-web}
spec:
  nodeSelector: {kubernetes.io/hostname: $node}
  terminationGracePeriodSeconds: 1
  containers:
    - name: web
      image: $BUSYBOX_IMAGE
      imagePullPolicy: Never
      command: [/bin/busybox, sh, -c, 'echo $(node_web_text "$n") > /www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www']
      ports: [{containerPort: 8080}]
      readinessProbe:
        tcpSocket: {port: 8080}
        periodSeconds: 1
      volumeMounts: [{name: www, mountPath: /www}]
  volumes: [{name: www, emptyDir: {}}]
---
apiVersion: v1
kind: Service
metadata:
  name: node-web-$n
spec:
  selector: {app: node-web-$n}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: node-web-$n
spec:
  rules:
    - host: n$n.berth.local
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: node-web-$n, port: {number: 80}}}
EOF
}

# gate_nodes N — every node up to N Ready, then the cross-node checks for each extra node.
gate_nodes() {
  local count=$1 n node ip svc smoke_ip host checks1="" checksN
  for ((n = 2; n <= count; n++)); do
    node="berth-local-$n"
    kc wait --for=condition=Ready "node/$node" --timeout=60s >/dev/null 2>&1 ||
      fail_gate "nodes" "node $node is not Ready (its logs: $STATE/nodes/n$n/logs/)" kubelet
    apply_node_web "$n"
  done
  smoke_ip=$(kc -n "$SMOKE_NS" get pod smoke-web -o jsonpath='{.status.podIP}')
  for ((n = 2; n <= count; n++)); do
    kc -n "$SMOKE_NS" wait --for=condition=Ready "pod/node-web-$n" --timeout=90s >/dev/null 2>&1 ||
      fail_gate "nodes" "pod $SMOKE_NS/node-web-$n on berth-local-$n is not Ready after 90s" kubelet
    ip=$(kc -n "$SMOKE_NS" get pod "node-web-$n" -o jsonpath='{.status.podIP}')
    svc=$(kc -n "$SMOKE_NS" get service "node-web-$n" -o jsonpath='{.spec.clusterIP}')
    checks1+="http://$ip:8080/|$(node_web_text "$n") http://$svc/|$(node_web_text "$n") "
  done
  log "gate: from node 1, pods on nodes 2..$count by pod IP and through Services whose only endpoint is there"
  check_pod berth-local "pod to pod / Service across nodes" "$checks1"
  for ((n = 2; n <= count; n++)); do
    log "gate: DNS and pod-to-pod from a pod on berth-local-$n"
    checksN="http://smoke-web.$SMOKE_NS.svc.cluster.local/|$SMOKE_TEXT http://$smoke_ip:8080/|$SMOKE_TEXT"
    check_pod "berth-local-$n" "DNS from berth-local-$n" "$checksN"
    host="n$n.berth.local"
    log "gate: Ingress Host $host answered by the pod on berth-local-$n"
    if ! wait_until 60 "ingress $host" bash -c "curl -fsS --max-time 2 -H 'Host: $host' 'http://127.0.0.1:$BERTH_INGRESS_PORT/' | grep -q '$(node_web_text "$n")'"; then
      curl -sS --max-time 2 -i -H "Host: $host" "http://127.0.0.1:$BERTH_INGRESS_PORT/" >&2 2>&1 || true
      fail_gate "Ingress to berth-local-$n" "Host $host did not return the page of node-web-$n within 60s" kubelet
    fi
  done
}

# Smoke objects of nodes that no longer exist (their pods would stay Pending/Unknown).
remove_node_web() {
  local n=$1
  [[ -f $KUBECONFIG_ADMIN ]] || return 0
  kc -n "$SMOKE_NS" delete pod,service,ingress "node-web-$n" --ignore-not-found --wait=false >/dev/null 2>&1 || true
}
