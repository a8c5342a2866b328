package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// epoch is the fixed mtime of every entry, so the same inputs give the same image digest.
var epoch = time.Unix(0, 0).UTC()

const (
	etcPasswd   = "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
	etcGroup    = "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n"
	etcNsswitch = "hosts: files dns\n"
)

// build writes the image described by spec as a docker-format tarball (what `ctr images import` reads).
func build(spec imageSpec) error {
	layerTar, err := rootfsTar(spec)
	if err != nil {
		return err
	}
	var layers []v1.Layer
	for _, p := range spec.BaseLayers {
		// Fastest gzip: these layers are big root filesystems, and the tarball is only a transport to a local engine.
		l, err := tarball.LayerFromFile(p, tarball.WithCompressionLevel(gzip.BestSpeed))
		if err != nil {
			return fmt.Errorf("-layer-tar %s: %w", p, err)
		}
		layers = append(layers, l)
	}
	if len(layerTar) > 1024 || len(layers) == 0 { // an empty tar is 1024 zero bytes: no layer for it
		layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(layerTar)), nil
		})
		if err != nil {
			return fmt.Errorf("layer: %w", err)
		}
		layers = append(layers, layer)
	}
	img, err := mutate.AppendLayers(empty.Image, layers...)
	if err != nil {
		return fmt.Errorf("append layer: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	cf = cf.DeepCopy()
	// containerd filters imports by platform, so OS/arch must be set.
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Created = v1.Time{Time: epoch}
	cf.Config.Entrypoint = spec.Entrypoint
	cf.Config.Cmd = spec.Cmd
	cf.Config.Env = append([]string{"PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"}, spec.Env...)
	cf.Config.User = spec.User
	cf.Config.WorkingDir = spec.Workdir
	cf.Config.StopSignal = spec.StopSignal
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	ref, err := name.NewTag(spec.Tag, name.StrictValidation)
	if err != nil {
		return fmt.Errorf("tag %q: %w (use a fully qualified tag like berth.local/name:1.0)", spec.Tag, err)
	}
	// Write to a temp file first so a half-written tarball never looks cached.
	tmp := spec.Out + ".tmp"
	if err := tarball.WriteToFile(tmp, ref, img); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", spec.Out, err)
	}
	return os.Rename(tmp, spec.Out)
}

// rootfsTar makes the single layer: parent directories first, then files, dirs and links, sorted.
func rootfsTar(spec imageSpec) ([]byte, error) {
	type entry struct {
		hdr  *tar.Header
		body []byte
	}
	entries := map[string]entry{}
	addParents := func(p string) {
		for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
			if _, ok := entries[d]; !ok {
				entries[d] = entry{hdr: &tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: epoch}}
			}
		}
	}
	addFile := func(p string, mode int64, body []byte) {
		addParents(p)
		entries[p] = entry{hdr: &tar.Header{Typeflag: tar.TypeReg, Name: p, Mode: mode, Size: int64(len(body)), ModTime: epoch}, body: body}
	}
	if spec.Etc {
		addFile("etc/passwd", 0o644, []byte(etcPasswd))
		addFile("etc/group", 0o644, []byte(etcGroup))
		addFile("etc/nsswitch.conf", 0o644, []byte(etcNsswitch))
		spec.Dirs = append(spec.Dirs, dirEntry{Image: "tmp", Mode: 0o1777}, dirEntry{Image: "home/nonroot", Mode: 0o755, UID: 65532, GID: 65532})
	}
	if spec.CACerts != "" {
		spec.Files = append(spec.Files, fileEntry{Host: spec.CACerts, Image: "etc/ssl/certs/ca-certificates.crt", Mode: 0o644})
	}
	for _, f := range spec.Files {
		body, err := os.ReadFile(f.Host)
		if err != nil {
			return nil, fmt.Errorf("-file %s: %w", f.Host, err)
		}
		addFile(f.Image, f.Mode, body)
	}
	for _, d := range spec.Dirs {
		addParents(d.Image)
		entries[d.Image] = entry{hdr: &tar.Header{Typeflag: tar.TypeDir, Name: d.Image + "/", Mode: d.Mode, Uid: d.UID, Gid: d.GID, ModTime: epoch}}
	}
	for _, l := range spec.Symlinks {
		addParents(l.Image)
		entries[l.Image] = entry{hdr: &tar.Header{Typeflag: tar.TypeSymlink, Name: l.Image, Linkname: l.Target, Mode: 0o777, ModTime: epoch}}
	}

	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names) // parents sort before their children
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range names {
		e := entries[n]
		e.hdr.Format = tar.FormatPAX
		if err := tw.WriteHeader(e.hdr); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.body); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
