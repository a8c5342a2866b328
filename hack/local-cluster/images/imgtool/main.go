// Command imgtool builds a single-layer container image tarball from host files,
// without a Docker engine or registry: the local test cluster imports the result
// with `ctr -n k8s.io images import`.
//
// Usage:
//
//	imgtool -tag berth.local/x:1.0 -out x.tar \
//	  -file /host/bin/x:/x:0755 -symlink /bin/sh:busybox -dir /data:0777:65532:65532 \
//	  -etc -entrypoint /x -cmd --flag -env K=V -user 65532:65532 -workdir /data
//	imgtool -tag berth.local/node:1 -out node.tar -layer-tar rootfs.tar -entrypoint /sbin/init -stopsignal SIGRTMIN+3
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

// listFlag collects a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var spec imageSpec
	var files, dirs, symlinks, entrypoint, cmd, env, layers listFlag
	flag.StringVar(&spec.Tag, "tag", "", "image reference to tag the tarball with, e.g. berth.local/ferretdb:1.24.0 (required)")
	flag.StringVar(&spec.Out, "out", "", "output tarball path (required)")
	flag.Var(&files, "file", "HOSTPATH:IMAGEPATH[:MODE] (octal mode; repeatable)")
	flag.Var(&dirs, "dir", "IMAGEPATH[:MODE[:UID:GID]] empty directory (repeatable)")
	flag.Var(&symlinks, "symlink", "IMAGEPATH:TARGET symbolic link (repeatable)")
	flag.BoolVar(&spec.Etc, "etc", false, "add minimal /etc/passwd, /etc/group, /etc/nsswitch.conf (root, nobody, nonroot=65532) and /tmp")
	flag.StringVar(&spec.CACerts, "ca-certs", "", "host CA bundle to install at /etc/ssl/certs/ca-certificates.crt")
	flag.Var(&entrypoint, "entrypoint", "entrypoint argument (repeatable, in order)")
	flag.Var(&cmd, "cmd", "cmd argument (repeatable, in order)")
	flag.Var(&env, "env", "KEY=VALUE environment variable (repeatable)")
	flag.StringVar(&spec.User, "user", "", "user[:group] the container runs as")
	flag.StringVar(&spec.Workdir, "workdir", "", "working directory")
	flag.Var(&layers, "layer-tar", "prebuilt uncompressed layer tarball (e.g. a root filesystem) below the -file/-dir layer (repeatable, in order)")
	flag.StringVar(&spec.StopSignal, "stopsignal", "", "signal that stops the container, e.g. SIGRTMIN+3 for systemd")
	flag.Parse()

	if spec.Tag == "" || spec.Out == "" {
		fail(fmt.Errorf("-tag and -out are required"))
	}
	var err error
	if spec.Files, err = parseFiles(files); err != nil {
		fail(err)
	}
	if spec.Dirs, err = parseDirs(dirs); err != nil {
		fail(err)
	}
	if spec.Symlinks, err = parseSymlinks(symlinks); err != nil {
		fail(err)
	}
	spec.Entrypoint, spec.Cmd, spec.Env, spec.BaseLayers = entrypoint, cmd, env, layers
	if err := build(spec); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "imgtool:", err)
	os.Exit(1)
}
