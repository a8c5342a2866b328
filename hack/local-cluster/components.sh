# shellcheck shell=bash
# How each cluster process is started and how we know it is up.
# Sourced after lib.sh. Each start_* is idempotent (skips a running process).

start_etcd() {
  check_ports_free etcd 2379 2380
  # etcd 3.4 from Debian; client + peer on loopback only.
  start_component etcd "$ETCD_BIN" --name berth --data-dir "$STATE/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster berth=http://127.0.0.1:2380 --listen-metrics-urls "" \
    --logger zap --log-outputs stderr --quota-backend-bytes 4294967296
}
ready_etcd() { curl -fsS --max-time 2 http://127.0.0.1:2379/health | grep -q '"health":"true"'; }

start_containerd() {
  start_component containerd "$CONTAINERD_BIN" --config "$CONF/containerd.toml"
}
# ctr keeps re-dialling a missing socket for 10 s whatever its --timeout: check and bound it.
ready_containerd() { [[ -S $CONTAINERD_SOCK ]] && timeout 3 ctr --address "$CONTAINERD_SOCK" version; }

start_kube_apiserver() {
  local ip=$1
  check_ports_free kube-apiserver "$API_PORT"
  start_component kube-apiserver "$BIN/kube-apiserver" \
    --advertise-address="$ip" --bind-address=0.0.0.0 --secure-port="$API_PORT" \
    --etcd-servers=http://127.0.0.1:2379 \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=InternalIP,Hostname \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --authorization-mode=Node,RBAC --allow-privileged=true \
    --enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,DefaultTolerationSeconds,Priority,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ResourceQuota,NodeRestriction \
    --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$PKI/front-proxy-client.crt" --proxy-client-key-file="$PKI/front-proxy-client.key" \
    --profiling=false --v=1 \
    --feature-gates=SizeBasedListCostEstimate=false
  # etcd 3.4.23 has no RequestWatchProgress, so the watch cache lags for quiet resources and
  # the size-based list cost estimate logs "Too large resource version" every second.
}
ready_kube_apiserver() {
  curl -fsS --max-time 2 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://127.0.0.1:$API_PORT/readyz" | grep -qx ok
}

start_kube_controller_manager() {
  start_component kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig="$CONF/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$CONF/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$CONF/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --use-service-account-credentials=true --controllers='*' \
    --service-cluster-ip-range="$SERVICE_CIDR" --cluster-cidr="$POD_CIDR" --allocate-node-cidrs=false \
    --profiling=false --v=1
}
ready_kube_controller_manager() { curl -fsSk --max-time 2 https://127.0.0.1:10257/healthz | grep -qx ok; }

start_kube_scheduler() {
  start_component kube-scheduler "$BIN/kube-scheduler" --config="$CONF/kube-scheduler.yaml" \
    --authentication-kubeconfig="$CONF/scheduler.kubeconfig" --authorization-kubeconfig="$CONF/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --profiling=false --v=1
}
ready_kube_scheduler() { curl -fsSk --max-time 2 https://127.0.0.1:10259/healthz | grep -qx ok; }

start_kubelet() {
  local ip=$1
  check_ports_free kubelet 10250 10248
  start_component kubelet "$BIN/kubelet" --config="$CONF/kubelet.yaml" \
    --kubeconfig="$CONF/kubelet.kubeconfig" --root-dir="$STATE/kubelet" --cert-dir="$STATE/kubelet/pki" \
    --hostname-override="$NODE_NAME" --node-ip="$ip" --v=1
}
ready_kubelet() { curl -fsS --max-time 2 http://127.0.0.1:10248/healthz | grep -qx ok; }

start_kube_proxy() {
  start_component kube-proxy "$BIN/kube-proxy" --config="$CONF/kube-proxy.yaml" --v=1
}
ready_kube_proxy() { curl -fsS --max-time 2 http://127.0.0.1:10256/healthz >/dev/null; }

# start_and_wait NAME TIMEOUT_S [ARGS] — start, then poll its readiness; fail naming the log.
start_and_wait() {
  local name=$1 timeout=$2; shift 2
  local fn=${name//-/_}
  "start_$fn" "$@"
  if ! wait_until "$timeout" "$name" "ready_$fn"; then
    if ! component_pid "$name" >/dev/null; then
      fail "$name exited during start-up" "$name"
    fi
    fail "$name did not become ready within ${timeout}s" "$name"
  fi
}
