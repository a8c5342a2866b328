package main

import (
	"fmt"
	"path"
	"strconv"
	"strings"
)

// imageSpec is everything one image needs: its filesystem and its run config.
type imageSpec struct {
	Tag, Out        string
	Files           []fileEntry
	Dirs            []dirEntry
	Symlinks        []symlinkEntry
	Etc             bool
	CACerts         string
	Entrypoint, Cmd []string
	Env             []string
	User, Workdir   string
	// BaseLayers are prebuilt layer tarballs (uncompressed, e.g. a Debian root filesystem), applied in
	// order below the layer made from Files/Dirs/Symlinks.
	BaseLayers []string
	StopSignal string
}

type fileEntry struct {
	Host, Image string
	Mode        int64
}

type dirEntry struct {
	Image    string
	Mode     int64
	UID, GID int
}

type symlinkEntry struct{ Image, Target string }

func cleanImagePath(p string) (string, error) {
	if !strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("image path %q must be absolute", p)
	}
	return strings.TrimPrefix(path.Clean(p), "/"), nil
}

func parseMode(s string) (int64, error) {
	m, err := strconv.ParseInt(s, 8, 32)
	if err != nil {
		return 0, fmt.Errorf("mode %q is not octal", s)
	}
	return m, nil
}

func parseFiles(in []string) ([]fileEntry, error) {
	var out []fileEntry
	for _, s := range in {
		parts := strings.Split(s, ":")
		if len(parts) < 2 || len(parts) > 3 {
			return nil, fmt.Errorf("-file %q: want HOSTPATH:IMAGEPATH[:MODE]", s)
		}
		e := fileEntry{Host: parts[0], Mode: 0o644}
		var err error
		if e.Image, err = cleanImagePath(parts[1]); err != nil {
			return nil, fmt.Errorf("-file %q: %w", s, err)
		}
		if len(parts) == 3 {
			if e.Mode, err = parseMode(parts[2]); err != nil {
				return nil, fmt.Errorf("-file %q: %w", s, err)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

func parseDirs(in []string) ([]dirEntry, error) {
	var out []dirEntry
	for _, s := range in {
		parts := strings.Split(s, ":")
		if len(parts) != 1 && len(parts) != 2 && len(parts) != 4 {
			return nil, fmt.Errorf("-dir %q: want IMAGEPATH[:MODE[:UID:GID]]", s)
		}
		e := dirEntry{Mode: 0o755}
		var err error
		if e.Image, err = cleanImagePath(parts[0]); err != nil {
			return nil, fmt.Errorf("-dir %q: %w", s, err)
		}
		if len(parts) >= 2 {
			if e.Mode, err = parseMode(parts[1]); err != nil {
				return nil, fmt.Errorf("-dir %q: %w", s, err)
			}
		}
		if len(parts) == 4 {
			if e.UID, err = strconv.Atoi(parts[2]); err != nil {
				return nil, fmt.Errorf("-dir %q: uid %q is not a number", s, parts[2])
			}
			if e.GID, err = strconv.Atoi(parts[3]); err != nil {
				return nil, fmt.Errorf("-dir %q: gid %q is not a number", s, parts[3])
			}
		}
		out = append(out, e)
	}
	return out, nil
}

func parseSymlinks(in []string) ([]symlinkEntry, error) {
	var out []symlinkEntry
	for _, s := range in {
		img, target, ok := strings.Cut(s, ":")
		if !ok || target == "" {
			return nil, fmt.Errorf("-symlink %q: want IMAGEPATH:TARGET", s)
		}
		p, err := cleanImagePath(img)
		if err != nil {
			return nil, fmt.Errorf("-symlink %q: %w", s, err)
		}
		out = append(out, symlinkEntry{Image: p, Target: target})
	}
	return out, nil
}
