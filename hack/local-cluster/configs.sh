# shellcheck shell=bash
# Config files for the node components, written to $CONF on every up
# (cheap, and keeps them in sync with this script). Sourced after lib.sh.

write_containerd_config() {
  mkdir -p "$STATE/containerd" "$CONTAINERD_STATE"
  cat >"$CONF/containerd.toml" <<EOF
version = 2
root = "$STATE/containerd/root"
state = "$CONTAINERD_STATE/state"
# Snapshotters that cannot work here only add start-up noise.
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]

[grpc]
  address = "$CONTAINERD_SOCK"

[ttrpc]
  address = ""

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$STATE/containerd/opt"
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "registry.k8s.io/pause:3.10"
    # netns bind mounts under our state dir, so teardown finds exactly ours.
    netns_mounts_under_state_dir = true
    stream_server_address = "127.0.0.1"
    enable_unprivileged_ports = true
    tolerate_missing_hugetlb_controller = true
    # Checked on the CI VM: CAP_SYS_RESOURCE is not in the bounding set, so runc cannot
    # lower oom_score_adj (pause wants -998) and every sandbox fails with "can't get final
    # child's PID from pipe: EOF". Clamp to containerd's own score instead.
    restrict_oom_score_adj = true
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          # Host is cgroup v1 without systemd as init: cgroupfs driver.
          SystemdCgroup = false
          # runc state of our containers apart from any other containerd on the host.
          Root = "$CONTAINERD_STATE/runc"
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "$CNI_BIN_DIR"
      conf_dir = "$CNI_CONF_DIR"
      max_conf_num = 1
EOF
}

write_cni_config() {
  mkdir -p "$CNI_CONF_DIR" "$CNI_IPAM_DIR"
  cat >"$CNI_CONF_DIR/10-berth.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "$CNI_NETWORK",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$CNI_IPAM_DIR",
        "ranges": [[{ "subnet": "$POD_CIDR" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
}

write_scheduler_config() {
  cat >"$CONF/kube-scheduler.yaml" <<EOF
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: $CONF/scheduler.kubeconfig
leaderElection:
  leaderElect: false
EOF
}

write_kubelet_config() {
  mkdir -p "$STATE/kubelet" "$STATE/pod-logs"
  cat >"$CONF/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
# containerd 1.6 has no CRI RuntimeConfig call, so kubelet uses this value.
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
cgroupsPerQOS: true
failCgroupV1: false
failSwapOn: false
clusterDNS: ["$DNS_IP"]
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
podLogsDir: $STATE/pod-logs
address: 0.0.0.0
readOnlyPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization:
  mode: Webhook
rotateCertificates: false
serializeImagePulls: false
# Images are imported from tarballs and cannot be pulled again: never GC them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
# A busy CI disk must not taint the node with DiskPressure.
evictionHard:
  memory.available: "50Mi"
  nodefs.available: "256Mi"
  nodefs.inodesFree: "1%"
  imagefs.available: "256Mi"
  imagefs.inodesFree: "1%"
evictionPressureTransitionPeriod: 10s
nodeStatusReportFrequency: 10s
maxPods: 110
EOF
}

write_kube_proxy_config() {
  cat >"$CONF/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection:
  kubeconfig: $CONF/kube-proxy.kubeconfig
hostnameOverride: $NODE_NAME
clusterCIDR: $POD_CIDR
bindAddress: 0.0.0.0
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# Leave the host's conntrack table size alone.
conntrack:
  maxPerCore: 0
iptables:
  localhostNodePorts: true
EOF
}
