// Command coredns is CoreDNS with only the plugins the local cluster's Corefile uses, built the
// documented way for a custom plugin set (own main package, own directive list): far less to
// compile than the full plugin set of github.com/coredns/coredns.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/hosts"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
	_ "github.com/coredns/coredns/plugin/template"
)

// directives keeps upstream's execution order (core/dnsserver/zdirectives.go) for the plugins above.
var directives = []string{
	"reload",
	"ready",
	"health",
	"errors",
	"log",
	"loadbalance",
	"cache",
	"template", // answers NXDOMAIN for non-cluster names offline (no upstream to forward to)
	"hosts",
	"kubernetes",
	"forward",
}

func init() { dnsserver.Directives = directives }

func main() { coremain.Run() }
