package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/consentry/consentry/internal/devserver"
)

// runServe serves the build output and the demo pages until interrupted.
func runServe(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", ":8080", "listen `address` (host:port)")
	dist := fs.String("dist", "dist", "build output `folder`, served under "+devserver.DistPrefix)
	demo := fs.String("demo", filepath.Join("web", "demo"), "demo pages `folder`, served at /")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	for _, dir := range []string{*dist, *demo} {
		if _, err := os.Stat(dir); err != nil {
			fmt.Fprintf(stderr, "consentry serve: warning: %v (run `make dist` from the repository root)\n", err)
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           devserver.Handler(*dist, *demo),
		ReadHeaderTimeout: 10 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()

	fmt.Fprintf(stdout, "Consentry demo: %s\n", devserver.URL(ln.Addr().String()))
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
