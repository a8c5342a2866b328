# shellcheck shell=bash
# Images, addons and the readiness gates of cluster:up. Sourced after lib.sh.
# Every wait is a poll with a deadline; every failure names the gate and the log.

ADDON_VARS='${COREDNS_IMAGE} ${LOCAL_PATH_PROVISIONER_IMAGE} ${BUSYBOX_IMAGE} ${TRAEFIK_IMAGE} ${DNS_IP} ${LOCAL_PATH_DIR} ${BERTH_INGRESS_PORT}'
SMOKE_NS=berth-smoke
# Every namespace the addons create (their Namespace objects are applied again with the addons).
ADDON_NAMESPACES="local-path-storage traefik $SMOKE_NS"
SMOKE_HOST=smoke.berth.local
SMOKE_TEXT=berth-smoke-ok

# Import each tarball of images/index.txt unless this exact file is already in containerd.
import_images() {
  local stamp="$STATE/images.imported" tar ref key present
  touch "$stamp"
  present=$(ctr_k8s images ls -q 2>/dev/null || true)
  while read -r tar ref; do
    [[ -n ${tar:-} && -n ${ref:-} ]] || continue
    [[ -f $tar ]] || fail "image tarball $tar ($ref) from $IMAGES_DIR/index.txt is missing: run build.sh" build
    key="$ref $(stat -c '%s %Y' "$tar")"
    if grep -qxF "$key" "$stamp" && grep -qxF "$ref" <<<"$present"; then continue; fi
    log "importing image $ref"
    ctr_k8s images import "$tar" >>"$LOGS/images.log" 2>&1 || fail "importing $tar into containerd failed" images
    { grep -vF "$ref " "$stamp" || true; echo "$key"; } >"$stamp.tmp"
    mv "$stamp.tmp" "$stamp"
  done <"$IMAGES_DIR/index.txt"
}

# pod_final_phase NS POD TIMEOUT: Succeeded or Failed once the pod ends, else its phase at the deadline.
pod_final_phase() {
  local ns=$1 pod=$2 phase="" deadline=$((SECONDS + $3))
  while ((SECONDS < deadline)); do
    phase=$(kc -n "$ns" get pod "$pod" -o jsonpath='{.status.phase}' 2>/dev/null || true)
    [[ $phase == Succeeded || $phase == Failed ]] && break
    sleep 0.5
  done
  echo "$phase"
}

render_addon() { envsubst "$ADDON_VARS" <"$LOCAL_DIR/addons/$1.yaml"; }

apply_addons() {
  export COREDNS_IMAGE LOCAL_PATH_PROVISIONER_IMAGE BUSYBOX_IMAGE TRAEFIK_IMAGE DNS_IP BERTH_INGRESS_PORT
  export LOCAL_PATH_DIR="$STATE/local-path"
  mkdir -p "$LOCAL_PATH_DIR"
  local a ns
  # Namespaces first, and their `default` ServiceAccount: the API server refuses a bare Pod (smoke-web)
  # in a namespace whose ServiceAccount controller has not caught up yet, which a cold machine loses.
  for ns in $ADDON_NAMESPACES; do
    kc create namespace "$ns" >>"$LOGS/addons.log" 2>&1 || kc get namespace "$ns" >/dev/null 2>&1 ||
      fail "could not create namespace $ns; kubectl's error is at the end of $LOGS/addons.log" addons
  done
  for ns in kube-system $ADDON_NAMESPACES; do
    wait_until 60 "serviceaccount $ns/default" kc -n "$ns" get serviceaccount default ||
      fail_gate "addons" "namespace $ns has no default ServiceAccount after 60s (is kube-controller-manager running?)" kube-controller-manager
  done
  # Cluster-wide defaults (StorageClass, IngressClass) are applied before the smoke objects that rely on them:
  # admission fills in a PVC's and an Ingress's default class only if the class already exists at their creation.
  if ! for a in coredns local-path traefik; do render_addon "$a"; echo "---"; done | kc apply -f - >>"$LOGS/addons.log" 2>&1; then
    fail "applying the addons (hack/local-cluster/addons/*.yaml) failed; kubectl's error is at the end of $LOGS/addons.log" addons
  fi
  if ! render_addon smoke | kc apply -f - >>"$LOGS/addons.log" 2>&1; then
    fail "applying the smoke objects (hack/local-cluster/addons/smoke.yaml) failed; kubectl's error is at the end of $LOGS/addons.log" addons
  fi
}

# Where to look when pods do not come up: pods, recent events, and the node-side logs.
diagnose() {
  {
    echo "--- pods (all namespaces)"
    kc get pods -A -o wide 2>&1 | sed 's/^/    /'
    echo "--- recent warning events"
    kc get events -A --field-selector type=Warning --sort-by=.lastTimestamp 2>&1 | tail -n 12 | sed 's/^/    /'
  } >&2 || true
}

fail_gate() {
  local gate=$1 msg=$2 comp=${3:-}
  diagnose
  fail "gate '$gate' did not pass: $msg" "$comp"
}

# smoke_apply GATE WHAT < YAML: apply into the smoke namespace (output to addons.log); failing fails GATE.
smoke_apply() {
  kc -n "$SMOKE_NS" apply -f - >>"$LOGS/addons.log" 2>&1 || fail_gate "$1" "could not create $2" addons
}

gate_node_ready() {
  log "gate: node $NODE_NAME Ready"
  wait_until 60 "node registered" kc get node "$NODE_NAME" ||
    fail_gate "node Ready" "kubelet never registered node $NODE_NAME" kubelet
  kc wait --for=condition=Ready "node/$NODE_NAME" --timeout=90s >/dev/null 2>&1 ||
    fail_gate "node Ready" "node $NODE_NAME is not Ready after 90s ($(kc get node "$NODE_NAME" -o jsonpath='{range .status.conditions[?(@.status!="False")]}{.type}={.status}: {.message}; {end}' 2>&1))" kubelet
}

# wait_rollout NS DEPLOY SELECTOR TIMEOUT — available, or fail fast on a pod that cannot start.
wait_rollout() {
  local ns=$1 deploy=$2 sel=$3 timeout=$4 deadline reasons
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if kc -n "$ns" rollout status "deploy/$deploy" --timeout=2s >/dev/null 2>&1; then return 0; fi
    reasons=$(kc -n "$ns" get pods -l "$sel" -o jsonpath='{range .items[*]}{range .status.containerStatuses[*]}{.state.waiting.reason}{" "}{end}{end}' 2>/dev/null || true)
    case " $reasons " in
      *" ErrImageNeverPull "* | *" InvalidImageName "* | *" CreateContainerConfigError "*)
        fail_gate "addons" "deployment $ns/$deploy cannot start: $reasons(is its image in $IMAGES_DIR/index.txt and imported? see $LOGS/images.log)" kubelet ;;
    esac
    sleep 1
  done
  kc -n "$ns" logs "deploy/$deploy" --tail=15 >&2 2>&1 || true
  fail_gate "addons" "deployment $ns/$deploy is not available after ${timeout}s (kubectl -n $ns describe deploy $deploy)" kubelet
}

wait_addons() {
  log "waiting for addons: CoreDNS, local-path-provisioner, Traefik"
  wait_rollout kube-system coredns k8s-app=kube-dns 120
  wait_rollout local-path-storage local-path-provisioner app=local-path-provisioner 120
  wait_rollout traefik traefik app=traefik 120
}

# A fresh claim every time (the smoke-data claim stays Bound across restarts, so it alone
# would not prove the provisioner works now): create claim + pod, wait Bound, clean up.
gate_pvc_bound() {
  log "gate: PVC binds (local-path)"
  local name phase=""
  name="smoke-pvc-$(date +%s)"
  kc -n "$SMOKE_NS" delete pod,pvc -l berth.dev/smoke=pvc --wait=false >/dev/null 2>&1 || true
  smoke_apply "PVC binds" "claim $name" <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: $name
  labels: {berth.dev/smoke: pvc}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Mi}}
---
apiVersion: v1
kind: Pod
metadata:
  name: $name
  labels: {berth.dev/smoke: pvc}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 1
  containers:
    - name: write
      image: $BUSYBOX_IMAGE
      imagePullPolicy: Never
      command: [/bin/busybox, sh, -c, 'echo ok > /data/probe && /bin/busybox cat /data/probe']
      volumeMounts: [{name: data, mountPath: /data}]
  volumes:
    - name: data
      persistentVolumeClaim: {claimName: $name}
EOF
  if ! kc -n "$SMOKE_NS" wait --for=jsonpath='{.status.phase}'=Bound "pvc/$name" --timeout=90s >/dev/null 2>&1; then
    kc -n local-path-storage logs deploy/local-path-provisioner --tail=15 >&2 2>&1 || true
    fail_gate "PVC binds" "PVC $SMOKE_NS/$name is not Bound after 90s (provisioner log above)" kubelet
  fi
  phase=$(pod_final_phase "$SMOKE_NS" "$name" 60)
  [[ $phase == Succeeded ]] || fail_gate "PVC binds" "pod $SMOKE_NS/$name could not write to its new volume (phase '${phase:-none}')" kubelet
  kc -n "$SMOKE_NS" delete pod,pvc -l berth.dev/smoke=pvc --wait=false >/dev/null 2>&1 || true
  # The page the Ingress gate fetches lives on the long-lived claim smoke-data.
  kc -n "$SMOKE_NS" wait --for=jsonpath='{.status.phase}'=Bound pvc/smoke-data --timeout=90s >/dev/null 2>&1 ||
    fail_gate "PVC binds" "PVC $SMOKE_NS/smoke-data is not Bound after 90s" kubelet
  kc -n "$SMOKE_NS" wait --for=condition=Ready pod/smoke-web --timeout=90s >/dev/null 2>&1 ||
    fail_gate "PVC binds" "pod $SMOKE_NS/smoke-web using PVC smoke-data is not Ready after 90s" kubelet
}

# check_pod NODE GATE CHECKS — a one-shot busybox pod (on NODE; anywhere when NODE is empty) that
# retries for up to 60 s until each of CHECKS (space-separated "URL|TEXT") answers with TEXT; on
# failure it prints the pod's output and CoreDNS's log and fails GATE. Used here and by node-gates.sh.
check_pod() {
  local node=$1 gate=$2 checks=$3 pod phase="" placement=""
  pod="smoke-check-$(date +%s%N | cut -c1-13)"
  [[ -n $node ]] && placement="nodeSelector: {kubernetes.io/hostname: $node}"
  smoke_apply "$gate" "pod $pod" <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $pod
  labels: {berth.dev/smoke: check}
spec:
  $placement
  restartPolicy: Never
  terminationGracePeriodSeconds: 1
  containers:
    - name: check
      image: $BUSYBOX_IMAGE
      imagePullPolicy: Never
      env: [{name: CHECKS, value: "$checks"}]
      command:
        - /bin/busybox
        - sh
        - -c
        - |
          # (Debian's static busybox wget segfaults with -T: bound it with timeout instead.)
          i=0
          while [ \$i -lt 60 ]; do
            ok=1
            for c in \$CHECKS; do
              url=\${c%%|*}; text=\${c#*|}
              if /bin/busybox timeout 3 /bin/busybox wget -q -O - "\$url" 2>&1 | /bin/busybox grep -q "\$text"; then
                echo "ok \$url"
              else
                echo "not yet \$url"; ok=0
              fi
            done
            [ \$ok = 1 ] && exit 0
            i=\$((i+1)); /bin/busybox sleep 1
          done
          /bin/busybox cat /etc/resolv.conf; exit 1
EOF
  phase=$(pod_final_phase "$SMOKE_NS" "$pod" 120)
  if [[ $phase != Succeeded ]]; then
    kc -n "$SMOKE_NS" logs "$pod" --tail=20 >&2 2>&1 || true
    kc -n kube-system logs deploy/coredns --tail=10 >&2 2>&1 || true
    fail_gate "$gate" "pod $SMOKE_NS/$pod${node:+ on $node} did not get every answer (phase '${phase:-none}'; its output above)" kube-proxy
  fi
  kc -n "$SMOKE_NS" delete pod "$pod" --wait=false >/dev/null 2>&1 || true
}

# A fresh pod resolves the smoke Service by name and fetches from it (CoreDNS + kube-proxy).
gate_dns() {
  log "gate: DNS resolves a Service name from inside a pod"
  check_pod "" DNS "http://smoke-web.$SMOKE_NS.svc.cluster.local/|$SMOKE_TEXT"
}

gate_ingress() {
  log "gate: Ingress routes Host $SMOKE_HOST via http://127.0.0.1:$BERTH_INGRESS_PORT"
  local url="http://127.0.0.1:$BERTH_INGRESS_PORT/"
  if ! wait_until 90 "ingress" bash -c "curl -fsS --max-time 2 -H 'Host: $SMOKE_HOST' '$url' | grep -q '$SMOKE_TEXT'"; then
    echo "--- last response:" >&2
    curl -sS --max-time 2 -i -H "Host: $SMOKE_HOST" "$url" >&2 2>&1 || true
    kc -n traefik logs deploy/traefik --tail=15 >&2 2>&1 || true
    fail_gate "Ingress" "GET $url with Host: $SMOKE_HOST did not return the smoke page within 90s (traefik log above)" kubelet
  fi
}
