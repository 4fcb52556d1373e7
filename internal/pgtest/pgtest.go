// Package pgtest runs a throwaway PostgreSQL server for tests: Debian's binaries
// (/usr/lib/postgresql/<version>/bin), a temporary data directory, a free port on
// 127.0.0.1 and unix sockets inside that directory, torn down by Stop. As root it runs
// the server as the postgres user (PostgreSQL refuses to run as root).
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNotInstalled is returned by Start when no PostgreSQL binaries are found.
var ErrNotInstalled = errors.New("pgtest: PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb); `make postgresql` installs it")

// Server is a running throwaway PostgreSQL.
type Server struct {
	DSN  string // the postgres database, as the superuser postgres
	dir  string
	bin  string
	root bool // commands run through runuser -u postgres

	mu sync.Mutex
	n  int
}

// binDir returns the bin directory of the newest PostgreSQL installed.
func binDir() (string, error) {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return "", ErrNotInstalled
	}
	sort.Slice(matches, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(matches[i]))))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(matches[j]))))
		return vi > vj
	})
	return filepath.Dir(matches[0]), nil
}

// command runs one of PostgreSQL's programs, as postgres when we are root.
func (s *Server) command(name string, args ...string) *exec.Cmd {
	path := filepath.Join(s.bin, name)
	if s.root {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

// freePort asks the kernel for a free port on 127.0.0.1.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Start initialises a data directory and starts the server on a free loopback port.
func Start() (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "consentry-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, bin: bin, root: os.Geteuid() == 0}
	if s.root {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pgtest: running as root needs the postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := s.command("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: initdb: %v\n%s", err, out)
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=50 -c shared_buffers=32MB", port, dir)
		out, err := s.command("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start").CombinedOutput()
		if err == nil {
			s.DSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
			return s, nil
		}
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		lastErr = fmt.Errorf("pgtest: pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	os.RemoveAll(dir)
	return nil, lastErr
}

// Stop stops the server at once and removes its data directory.
func (s *Server) Stop() {
	s.command("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop").Run()
	os.RemoveAll(s.dir)
}

// NewDatabase creates an empty schema and returns a DSN whose search_path is that schema:
// a fresh database for one test, much cheaper than CREATE DATABASE.
func (s *Server) NewDatabase(ctx context.Context) (string, error) {
	s.mu.Lock()
	s.n++
	name := "t" + strconv.Itoa(s.n)
	s.mu.Unlock()
	conn, err := pgx.Connect(ctx, s.DSN)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		return "", err
	}
	return s.DSN + "&search_path=" + name, nil
}

// Shared starts one server for a test binary, on first use, and stops it when stop (to
// be called from TestMain after m.Run) is called.
type Shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Database returns the DSN of a new database on the shared server. Without PostgreSQL it
// skips the test, unless the environment says CI=true: then it fails, so that a CI
// machine that lost PostgreSQL does not pass by skipping.
func (sh *Shared) Database(t testing.TB) string {
	t.Helper()
	sh.once.Do(func() {
		start := time.Now()
		sh.srv, sh.err = Start()
		if sh.err == nil {
			t.Logf("pgtest: PostgreSQL started in %v at %s", time.Since(start).Round(time.Millisecond), sh.srv.DSN)
		}
	})
	if sh.err != nil {
		if errors.Is(sh.err, ErrNotInstalled) && os.Getenv("CI") != "true" {
			t.Skip(sh.err)
		}
		t.Fatal(sh.err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dsn, err := sh.srv.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

// Stop stops the shared server if it was started.
func (sh *Shared) Stop() {
	if sh.srv != nil {
		sh.srv.Stop()
	}
}
