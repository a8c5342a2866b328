# shellcheck shell=bash
# PKI for the local cluster, made with openssl. Sourced by up.sh after lib.sh.
# Certificates are created once and reused; the apiserver serving cert is
# re-issued when the host IP changes (its SANs must contain the advertise IP).

CERT_DAYS=3650

_openssl() { openssl "$@" 2>>"$LOGS/pki.log"; }

# pki_ca NAME CN — a self-signed CA.
pki_ca() {
  local name=$1 cn=$2
  [[ -f $PKI/$name.crt && -f $PKI/$name.key ]] && return 0
  _openssl genrsa -out "$PKI/$name.key" 2048
  _openssl req -x509 -new -nodes -key "$PKI/$name.key" -sha256 -days "$CERT_DAYS" \
    -subj "/CN=$cn" -out "$PKI/$name.crt"
}

# pki_cert NAME SUBJECT KIND [SANS] [CA] — KIND is client or server; SANS like "DNS:a,IP:1.2.3.4".
pki_cert() {
  local name=$1 subj=$2 kind=$3 sans=${4:-} ca=${5:-ca} ext="$PKI/$1.ext"
  [[ -f $PKI/$name.crt && -f $PKI/$name.key ]] && return 0
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [[ $kind == server ]]; then echo "extendedKeyUsage=serverAuth"; else echo "extendedKeyUsage=clientAuth"; fi
    [[ -z $sans ]] || echo "subjectAltName=$sans"
  } >"$ext"
  _openssl genrsa -out "$PKI/$name.key" 2048
  _openssl req -new -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr"
  _openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" -CAcreateserial \
    -days "$CERT_DAYS" -sha256 -extfile "$ext" -out "$PKI/$name.crt"
  rm -f "$PKI/$name.csr"
}

# kubeconfig_write FILE USER CERTNAME [SERVER] — kubeconfig with embedded client cert, context berth-local.
# SERVER defaults to loopback; an extra node (own network namespace) needs the host's address.
kubeconfig_write() {
  local file=$1 user=$2 cert=$3 server=${4:-https://127.0.0.1:${API_PORT}}
  rm -f "$file"
  (umask 077 && cat >"$file") <<EOF
apiVersion: v1
kind: Config
clusters:
- name: berth-local
  cluster:
    server: ${server}
    certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
- name: ${user}
  user:
    client-certificate-data: $(base64 -w0 <"$PKI/$cert.crt")
    client-key-data: $(base64 -w0 <"$PKI/$cert.key")
contexts:
- name: berth-local
  context:
    cluster: berth-local
    user: ${user}
current-context: berth-local
EOF
}

pki_all() {
  local ip=$1
  mkdir -p "$PKI" "$CONF"
  chmod 700 "$PKI"
  pki_ca ca berth-local-ca
  # Separate CA for the aggregation layer's request-header auth (kube-controller-manager
  # and kube-scheduler read it; without it they log errors every few seconds).
  pki_ca front-proxy-ca berth-local-front-proxy-ca
  pki_cert front-proxy-client "/CN=front-proxy-client" client "" front-proxy-ca
  # Re-issue the serving cert if the host IP is not among its SANs any more.
  if [[ -f $PKI/apiserver.crt ]] && ! openssl x509 -in "$PKI/apiserver.crt" -noout -ext subjectAltName 2>/dev/null | grep -q "IP Address:$ip\b"; then
    log "host IP is now $ip: re-issuing the apiserver certificate"
    rm -f "$PKI/apiserver.crt" "$PKI/apiserver.key"
  fi
  pki_cert apiserver "/CN=kube-apiserver" server \
    "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,DNS:$NODE_NAME,IP:127.0.0.1,IP:$API_SERVICE_IP,IP:$ip"
  # system:masters is the simplest correct authority for the apiserver->kubelet client.
  pki_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" client
  pki_cert admin "/O=system:masters/CN=berth-admin" client
  pki_cert controller-manager "/CN=system:kube-controller-manager" client
  pki_cert scheduler "/CN=system:kube-scheduler" client
  pki_cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" client
  pki_cert kube-proxy "/CN=system:kube-proxy" client
  if [[ ! -f $PKI/sa.key ]]; then
    _openssl genrsa -out "$PKI/sa.key" 2048
    _openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub"
  fi
  kubeconfig_write "$KUBECONFIG_ADMIN" berth-admin admin
  kubeconfig_write "$CONF/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
  kubeconfig_write "$CONF/scheduler.kubeconfig" system:kube-scheduler scheduler
  kubeconfig_write "$CONF/kubelet.kubeconfig" "system:node:$NODE_NAME" kubelet
  kubeconfig_write "$CONF/kube-proxy.kubeconfig" system:kube-proxy kube-proxy
}
