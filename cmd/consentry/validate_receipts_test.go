package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestValidateReceiptsOrigin: without the site's origin, `consentry validate` can only judge
// the form of receipts.endpoint, so an absolute URL passes; with -origin it refuses one on
// another origin, as the widget does on the site's pages (CONTRACT.md §10).
func TestValidateReceiptsOrigin(t *testing.T) {
	policy := `{"revision":1,"defaultLanguage":"en",
"categories":[{"id":"necessary","required":true,"title":"Necessary"}],
"receipts":{"endpoint":"https://receipts.example.net/consent"}}`
	f := filepath.Join(t.TempDir(), "policy.json")
	require.NoError(t, os.WriteFile(f, []byte(policy), 0o644))

	var out, errOut bytes.Buffer
	assert.Equal(t, 0, run([]string{"validate", f}, &out, &errOut), "without -origin: %s%s", &out, &errOut)
	assert.Contains(t, out.String(), f+": valid")

	out.Reset()
	assert.Equal(t, 0, run([]string{"validate", "-origin", "https://receipts.example.net", f}, &out, &errOut), "its own origin: %s%s", &out, &errOut)

	out.Reset()
	assert.Equal(t, 1, run([]string{"validate", "-origin", "https://example.org", f}, &out, &errOut))
	want := f + `:3:24: receipts.endpoint: "https://receipts.example.net/consent" is on another origin than this page (https://example.org)`
	assert.True(t, strings.HasPrefix(out.String(), want), "output %q, want it to start with %q", out.String(), want)
}
