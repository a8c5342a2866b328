package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// memStore is an in-memory store for the handler logic; the real database is exercised on the cluster.
type memStore struct {
	m       map[string]string
	pingErr error
}

func (s *memStore) Ping(context.Context) error { return s.pingErr }
func (s *memStore) Put(_ context.Context, k, v string) error {
	s.m[k] = v
	return nil
}
func (s *memStore) Get(_ context.Context, k string) (string, error) {
	v, ok := s.m[k]
	if !ok {
		return "", errNotFound
	}
	return v, nil
}
func (s *memStore) List(context.Context, int64) ([]marker, error) {
	var out []marker
	for k, v := range s.m {
		out = append(out, marker{k, v})
	}
	return out, nil
}
func (s *memStore) Close(context.Context) error { return nil }

func do(h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
	return rec
}

func TestMarkersRoundTrip(t *testing.T) {
	s := &memStore{m: map[string]string{}}
	h := newHandler(s)
	if rec := do(h, "GET", "/api/markers/a", ""); rec.Code != 404 {
		t.Fatalf("missing marker: got %d, want 404", rec.Code)
	}
	if rec := do(h, "PUT", "/api/markers/a", "hello"); rec.Code != 204 {
		t.Fatalf("put: got %d", rec.Code)
	}
	if rec := do(h, "GET", "/api/markers/a", ""); rec.Code != 200 || rec.Body.String() != "hello" {
		t.Fatalf("get: got %d %q", rec.Code, rec.Body.String())
	}
	if rec := do(h, "GET", "/", ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), "<code>a</code> = hello") {
		t.Fatalf("index: got %d %q", rec.Code, rec.Body.String())
	}
}

func TestIndexEscapesValues(t *testing.T) {
	h := newHandler(&memStore{m: map[string]string{"x": "<script>"}})
	if body := do(h, "GET", "/", "").Body.String(); strings.Contains(body, "<script>") {
		t.Fatalf("value not escaped: %s", body)
	}
}

func TestReadyzFollowsPing(t *testing.T) {
	s := &memStore{m: map[string]string{}, pingErr: errors.New("down")}
	h := newHandler(s)
	if rec := do(h, "GET", "/readyz", ""); rec.Code != 503 {
		t.Fatalf("readyz with failing ping: got %d, want 503", rec.Code)
	}
	if rec := do(h, "GET", "/healthz", ""); rec.Code != 200 {
		t.Fatalf("healthz: got %d, want 200", rec.Code)
	}
	s.pingErr = nil
	if rec := do(h, "GET", "/readyz", ""); rec.Code != 200 {
		t.Fatalf("readyz with ping ok: got %d, want 200", rec.Code)
	}
}

func TestConfigAuthSource(t *testing.T) {
	env := map[string]string{"MONGO_URL": "mongodb://db:27017/app", "MONGO_USERNAME": "u", "MONGO_PASSWORD": "p"}
	c, err := configFromEnv(func(k string) string { return env[k] })
	if err != nil || c.Database != "app" || c.AuthSource != "admin" || c.Port != "8080" {
		t.Fatalf("got %+v, %v", c, err)
	}
	env["MONGO_URL"] = "mongodb://db:27017/app?authSource=app"
	if c, _ = configFromEnv(func(k string) string { return env[k] }); c.AuthSource != "" {
		t.Fatalf("authSource from URL must win, got %q", c.AuthSource)
	}
	env["MONGO_URL"] = "http://db"
	if _, err := configFromEnv(func(k string) string { return env[k] }); err == nil {
		t.Fatal("want error for non-mongodb URL")
	}
}
