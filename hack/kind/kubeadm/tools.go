//go:build tools

// Package tools pins what the kind node image needs beyond the local cluster's Kubernetes
// binaries: kubeadm, from the same k8s.io/kubernetes version (and go.mod replace block) as
// hack/local-cluster/images/k8s, so the two share the Go build cache.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kubeadm"
)
