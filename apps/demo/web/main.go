// Command demo-web is the demo web app of the berth local cluster: a tiny HTTP service that stores
// "markers" (key -> value) in a MongoDB-wire database, so restart and persistence checks have
// something real to talk to.
//
// Environment: PORT (default 8080), MONGO_URL (e.g. mongodb://db:27017/demo), optional
// MONGO_USERNAME / MONGO_PASSWORD (MONGO_AUTH_SOURCE, default admin, unless the URL sets authSource).
package main

import (
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	cfg, err := configFromEnv(os.Getenv)
	if err != nil {
		log.Fatalf("demo-web: %v", err)
	}
	store, err := newMongoStore(cfg)
	if err != nil {
		log.Fatalf("demo-web: %v", err)
	}

	srv := &http.Server{
		Addr:              ":" + cfg.Port,
		Handler:           newHandler(store),
		ReadHeaderTimeout: 10 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Printf("demo-web: listening on :%s (database %q at %s)", cfg.Port, cfg.Database, cfg.RedactedURL)

	select {
	case err := <-errc:
		log.Fatalf("demo-web: %v", err)
	case <-ctx.Done():
	}
	// Graceful: stop accepting, let in-flight requests finish, then close the database client.
	log.Printf("demo-web: shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Printf("demo-web: shutdown: %v", err)
	}
	if err := store.Close(shutCtx); err != nil {
		log.Printf("demo-web: closing database client: %v", err)
	}
	log.Printf("demo-web: stopped")
}
