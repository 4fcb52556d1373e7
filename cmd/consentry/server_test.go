package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentry/consentry/internal/pgtest"
	"github.com/consentry/consentry/receipts"
)

// testReceipt returns the JSON of a valid "accept all" receipt on the repository's
// policy.json, with a new receiptId, and that id.
func testReceipt(t testing.TB, rev *receipts.Revision, now time.Time) ([]byte, string) {
	uuid := func() string {
		var b [16]byte
		rand.Read(b[:])
		b[6] = b[6]&0x0f | 0x40
		b[8] = b[8]&0x3f | 0x80
		return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
	}
	now = now.UTC().Truncate(time.Second)
	rc := receipts.Receipt{
		V: 1, ReceiptID: uuid(), ConsentID: uuid(), Event: receipts.EventConsent, Method: "accept-all",
		Revision: rev.Policy.Revision, Scope: rev.Policy.Scope(), PolicyDigest: rev.Digest, Language: "en",
		Categories: []string{"necessary", "statistics"}, Services: map[string][]string{"statistics": {"analytics"}},
		Created: receipts.Time{Time: now}, Updated: receipts.Time{Time: now}, Page: "https://example.org/",
	}
	b, err := json.Marshal(rc)
	require.NoError(t, err)
	return b, rc.ReceiptID
}

func repoRevision(t testing.TB) *receipts.Revision {
	text, err := os.ReadFile("../../policy.json")
	require.NoError(t, err)
	rev, err := receipts.ParseRevision(text)
	require.NoError(t, err)
	return rev
}

// buildConsentry builds the consentry binary into a temporary folder of the test.
func buildConsentry(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "consentry")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

// TestServerBinary builds the consentry binary once and runs it as a site would.
func TestServerBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server")
	}
	bin := buildConsentry(t)
	t.Run("endpoint and admin", func(t *testing.T) { testServerEndpointAndAdmin(t, bin) })
	t.Run("sqlite: 20 kill -9 under load lose no acknowledged receipt", func(t *testing.T) {
		testServerCrashLosesNoAcknowledgedReceipt(t, bin, filepath.Join(t.TempDir(), "receipts.db"))
	})
	t.Run("postgres: 20 kill -9 under load lose no acknowledged receipt", func(t *testing.T) {
		srv, err := pgtest.Start()
		if errors.Is(err, pgtest.ErrNotInstalled) && os.Getenv("CI") != "true" {
			t.Skip(err)
		}
		require.NoError(t, err)
		t.Cleanup(srv.Stop)
		testServerCrashLosesNoAcknowledgedReceipt(t, bin, srv.DSN)
	})
}

// testServerEndpointAndAdmin runs `consentry server` with a policy that names its own
// endpoint and an admin token: the receipt goes to that path, and the admin side exports
// it to the token's holder only.
func testServerEndpointAndAdmin(t *testing.T, bin string) {
	dir := t.TempDir()
	text, err := os.ReadFile("../../policy.json")
	require.NoError(t, err)
	withEndpoint := strings.Replace(string(text), `"revision": 1,`, `"revision": 1, "receipts": {"endpoint": "/api/consent"},`, 1)
	policy := filepath.Join(dir, "policy.json")
	require.NoError(t, os.WriteFile(policy, []byte(withEndpoint), 0o644))
	cmd, url := startServer(t, bin, "-policy", policy, "-store", filepath.Join(dir, "r.db"), "-admin-token", "t0ken")
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	require.True(t, strings.HasSuffix(url, "/api/consent"), url)

	rev := repoRevision(t)
	body, id := testReceipt(t, rev, time.Now())
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Set-Cookie"), "cookies_preferences=")

	admin := strings.TrimSuffix(url, "/api/consent") + "/_consentry/admin/export"
	resp, err = http.Get(admin)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	req, _ = http.NewRequest("GET", admin, nil)
	req.Header.Set("Authorization", "Bearer t0ken")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	export, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(export), id)
}

// startServer starts `consentry server` on a free loopback port and returns the process
// and the endpoint's URL, read from its first line of output.
func startServer(t *testing.T, bin string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"server", "-addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "server output: %s", stderr.String())
	m := regexp.MustCompile(`receipts at (http://\S+)`).FindStringSubmatch(line)
	require.NotNil(t, m, line)
	go io.Copy(io.Discard, stdout)
	return cmd, m[1]
}

// testServerCrashLosesNoAcknowledgedReceipt runs the real `consentry server` binary
// under load and kills it with SIGKILL 20 times at random moments: every receipt that was
// answered 2xx must be in the store afterwards, and the hash chain must verify.
func testServerCrashLosesNoAcknowledgedReceipt(t *testing.T, bin, store string) {
	rev := repoRevision(t)
	// At most 600 receipts a killed round, a bounded load; the last round, which ends with
	// a clean stop, sends 100.
	const kills, workers, perWorker, lastPerWorker = 20, 4, 150, 25

	var mu sync.Mutex
	acked := map[string]bool{}
	cut := 0 // rounds in which the kill cut a request short
	client := &http.Client{Timeout: 10 * time.Second}
	for round := range kills + 1 {
		roundStart := time.Now()
		cmd, url := startServer(t, bin, "-policy", "../../policy.json", "-store", store, "-rate-client", "-1", "-rate-global", "-1")
		var wg sync.WaitGroup
		var cutThisRound sync.Once
		stop := make(chan struct{})
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n := perWorker
				if round == kills {
					n = lastPerWorker
				}
				for range n {
					select {
					case <-stop:
						return
					default:
					}
					body, id := testReceipt(t, rev, time.Now())
					req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Sec-Fetch-Site", "same-origin")
					resp, err := client.Do(req)
					if err != nil {
						// The server died under us: this receipt was not acknowledged.
						cutThisRound.Do(func() { mu.Lock(); cut++; mu.Unlock() })
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					switch {
					case resp.StatusCode/100 == 2:
						mu.Lock()
						acked[id] = true
						mu.Unlock()
					case resp.StatusCode == http.StatusServiceUnavailable:
						// The store refused for now (§10 lets the widget send it again
						// later): not acknowledged, so not expected in the store.
					default:
						t.Errorf("round %d: status %d", round, resp.StatusCode)
						return
					}
				}
			}()
		}
		if round < kills {
			time.Sleep(time.Duration(5+mathrand.IntN(150)) * time.Millisecond) // a random moment of the load
			require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
			close(stop)
			wg.Wait()
			cmd.Wait()
		} else {
			wg.Wait() // the last round runs to its end, then the server stops cleanly
			require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
			require.NoError(t, cmd.Wait())
		}
		if testing.Verbose() {
			t.Logf("round %d: %v", round, time.Since(roundStart).Round(time.Millisecond))
		}
	}
	require.NotEmpty(t, acked)
	assert.Positive(t, cut, "no kill landed while a request was in flight")

	st, err := receipts.OpenStore(context.Background(), store)
	require.NoError(t, err)
	defer st.Close()
	storedIDs := map[string]bool{}
	require.NoError(t, st.Scan(context.Background(), receipts.Filter{}, func(e *receipts.Entry) error {
		storedIDs[e.ReceiptID] = true
		return nil
	}))
	lost := 0
	for id := range acked {
		if !storedIDs[id] {
			lost++
		}
	}
	assert.Zero(t, lost, "acknowledged receipts lost")
	t.Logf("%d kills (%d of them with requests in flight): %d receipts acknowledged, %d stored (the rest were cut off before an answer)",
		kills, cut, len(acked), len(storedIDs))
	n, err := receipts.Verify(context.Background(), st)
	require.NoError(t, err)
	assert.Equal(t, int64(len(storedIDs)), n)

	var stdout, stderr bytes.Buffer
	assert.Equal(t, 0, run([]string{"receipts", "verify", "-store", store}, &stdout, &stderr), stderr.String())
}

// TestReceiptsCommands drives export, verify and prune on a store, and verify on the
// same store after one row was edited behind its back.
func TestReceiptsCommands(t *testing.T) {
	ctx := context.Background()
	store := filepath.Join(t.TempDir(), "receipts.db")
	rev := repoRevision(t)
	st, err := receipts.OpenSQLite(ctx, store)
	require.NoError(t, err)
	w := receipts.NewWriter(st)
	var ids []string
	for i := range 3 {
		body, id := testReceipt(t, rev, time.Now().Add(time.Duration(i-3)*time.Hour))
		rc, err := receipts.DecodeReceipt(bytes.NewReader(body))
		require.NoError(t, err)
		_, err = w.Append(ctx, &receipts.Entry{ReceiptID: id, ConsentID: rc.ConsentID, Updated: rc.Updated.Time, Browser: "Firefox", Body: body})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	w.Close()
	st.Close()

	cli := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"receipts"}, args...), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	code, out, errOut := cli("export", "-store", store)
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3)
	var line receipts.ExportLine
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &line))
	assert.Equal(t, int64(2), line.Seq)
	assert.Equal(t, "Firefox", line.Browser)
	assert.Contains(t, string(line.Receipt), ids[1])

	code, out, _ = cli("export", "-store", store, "-from", time.Now().Add(-150*time.Minute).UTC().Format(time.RFC3339))
	require.Equal(t, 0, code)
	assert.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 2)
	code, _, errOut = cli("export", "-store", store, "-from", "yesterday")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "not an RFC 3339 time")

	code, out, _ = cli("verify", "-store", store)
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "3 receipts, chain intact")

	db, err := sql.Open("sqlite", store)
	require.NoError(t, err)
	_, err = db.Exec(`UPDATE receipts SET body = replace(body, '"accept-all"', '"reject-all"') WHERE seq = 2`)
	require.NoError(t, err)
	db.Close()
	code, _, errOut = cli("verify", "-store", store)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "row 2 (receipt "+ids[1]+"): edited")

	code, _, errOut = cli("prune", "-store", store)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "-before is required")
	code, out, _ = cli("prune", "-store", store, "-before", "2000-01-01")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "pruned 0 receipts")
}
