//go:build tools

// Package tools pins local-path-provisioner (its main package is the module root) in this module,
// which also builds CoreDNS (./coredns), so both share one set of k8s.io/client-go packages.
package tools

import _ "github.com/rancher/local-path-provisioner"
