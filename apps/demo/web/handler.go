package main

import (
	"context"
	"errors"
	"html/template"
	"io"
	"log"
	"net/http"
	"strings"
	"time"
)

const (
	maxValueBytes = 1 << 20
	maxKeyLen     = 200
	listLimit     = 100
)

var indexPage = template.Must(template.New("index").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>berth demo</title></head>
<body><h1>berth demo</h1>
<p>{{len .}} marker(s) (PUT /api/markers/&lt;key&gt; to add one)</p>
<ul>{{range .}}<li><code>{{.Key}}</code> = {{.Value}}</li>{{end}}</ul>
</body></html>
`))

func newHandler(s store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		err := s.Ping(ctx)
		if err != nil && ctx.Err() == nil {
			// One retry: after a database restart the first ping fails on a stale pooled connection.
			err = s.Ping(ctx)
		}
		if err != nil {
			log.Printf("readyz: database ping failed: %v", err)
			http.Error(w, "database not reachable", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("PUT /api/markers/{key}", func(w http.ResponseWriter, r *http.Request) {
		key, ok := markerKey(w, r)
		if !ok {
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxValueBytes))
		if err != nil {
			http.Error(w, "value too large or unreadable (max 1 MiB)", http.StatusRequestEntityTooLarge)
			return
		}
		if err := s.Put(r.Context(), key, string(body)); err != nil {
			dbError(w, "put", err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /api/markers/{key}", func(w http.ResponseWriter, r *http.Request) {
		key, ok := markerKey(w, r)
		if !ok {
			return
		}
		v, err := s.Get(r.Context(), key)
		if errors.Is(err, errNotFound) {
			http.Error(w, "no marker "+key, http.StatusNotFound)
			return
		}
		if err != nil {
			dbError(w, "get", err)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, v)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		ms, err := s.List(r.Context(), listLimit)
		if err != nil {
			dbError(w, "list", err)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		indexPage.Execute(w, ms)
	})
	return mux
}

func markerKey(w http.ResponseWriter, r *http.Request) (string, bool) {
	key := r.PathValue("key")
	if key == "" || len(key) > maxKeyLen || strings.ContainsAny(key, "/\x00") {
		http.Error(w, "marker key must be 1-200 characters without '/'", http.StatusBadRequest)
		return "", false
	}
	return key, true
}

func dbError(w http.ResponseWriter, op string, err error) {
	log.Printf("%s: database error: %v", op, err)
	http.Error(w, "database error", http.StatusBadGateway)
}
