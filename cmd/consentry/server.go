package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/consentry/consentry/receipts"
)

// policyFlags collects the repeatable -policy flag: every revision the server knows.
type policyFlags []string

func (p *policyFlags) String() string     { return strings.Join(*p, ",") }
func (p *policyFlags) Set(v string) error { *p = append(*p, v); return nil }

// runServer serves the consent receipts endpoint (CONTRACT.md §10) until interrupted.
func runServer(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	addr := fs.String("addr", ":8080", "listen `address` (host:port)")
	var policies policyFlags
	fs.Var(&policies, "policy", "policy.json `file` (repeat it for every revision still in visitors' cookies; default policy.json)")
	store := fs.String("store", "consentry-receipts.db", "receipts store: an SQLite `file`, or a postgres:// URL")
	adminToken := fs.String("admin-token", os.Getenv("CONSENTRY_ADMIN_TOKEN"), "token of the admin side (export, verify) under /_consentry/admin/; default $CONSENTRY_ADMIN_TOKEN; empty: disabled")
	keepNetwork := fs.Bool("keep-network", false, "store the client's network (IPv4 /24, IPv6 /48); by default no address is stored")
	ipHeader := fs.String("client-ip-header", "", "header your reverse proxy sets to the client's address (e.g. X-Real-IP), for rate limits")
	clientRate := fs.Float64("rate-client", 20, "receipts a second one client address may send (bursts of 5 times that); negative: no limit")
	globalRate := fs.Float64("rate-global", 20000, "receipts a second the endpoint accepts in all (bursts of twice that); negative: no limit")
	retention := fs.Duration("retention", 0, "how long receipts are kept (default: the policy's cookie.expiresAfterDays plus 365 days); pruned hourly")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if len(policies) == 0 {
		policies = policyFlags{"policy.json"}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var revs []*receipts.Revision
	for _, path := range policies {
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rev, err := receipts.ParseRevision(text)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		revs = append(revs, rev)
	}
	ps, err := receipts.NewPolicies(revs...)
	if err != nil {
		return err
	}
	st, err := receipts.OpenStore(ctx, *store)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, rev := range revs {
		if err := st.PutPolicy(ctx, rev); err != nil {
			return fmt.Errorf("storing the policy text: %w", err)
		}
	}
	w := receipts.NewWriter(st)
	defer w.Close()

	logger := log.New(stderr, "consentry server: ", log.LstdFlags)
	opts := receipts.Options{
		KeepNetwork: *keepNetwork,
		ClientRate:  *clientRate, ClientBurst: int(5 * *clientRate),
		GlobalRate: *globalRate, GlobalBurst: int(2 * *globalRate),
		Logf: logger.Printf,
	}
	if *ipHeader != "" {
		opts.ClientIP = receipts.HeaderClientIP(*ipHeader)
	}
	endpoint := ps.Current().Endpoint
	mux := http.NewServeMux()
	mux.Handle(endpoint, receipts.NewHandler(w, ps, opts))
	mux.Handle("/_consentry/admin/", receipts.AdminHandler(st, *adminToken))

	keep := *retention
	if keep <= 0 {
		keep = time.Duration(ps.Current().Policy.Cookie.ExpiresAfterDays+365) * 24 * time.Hour
	}
	go pruneEvery(ctx, st, keep, time.Hour, logger)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	// On SIGTERM: stop accepting, let the requests in flight finish (their receipts are
	// committed by the writer, closed after them by the deferred calls), then return.
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	fmt.Fprintf(stdout, "consentry server: receipts at http://%s%s (store %s, keeping receipts %d days)\n",
		ln.Addr(), endpoint, storeName(*store), int(keep/(24*time.Hour)))
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	<-stopped
	return nil
}

// pruneEvery deletes, at start and then every interval, the receipts older than keep.
func pruneEvery(ctx context.Context, st receipts.Store, keep, interval time.Duration, logger *log.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := st.Prune(ctx, time.Now().Add(-keep))
		if err != nil && ctx.Err() == nil {
			logger.Printf("prune: %v", err)
		} else if n > 0 {
			logger.Printf("pruned %d receipts older than %d days", n, int(keep/(24*time.Hour)))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// storeName is the store for messages: a postgres URL without its password.
func storeName(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		if at := strings.LastIndex(dsn, "@"); at > i {
			return dsn[:i+3] + "…" + dsn[at:]
		}
	}
	return dsn
}
