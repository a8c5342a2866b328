// Command etcd is etcd's own server main, built from the Go module proxy for the kind node image:
// kubeadm 1.34 probes etcd on /livez and /readyz, which Debian's etcd 3.4 does not serve.
// (etcd's root module has replace directives, so `go install go.etcd.io/etcd/v3` cannot build it.)
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
