package distbuild_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentry/consentry/internal/distbuild"
)

// TestSHA256SUMSMatchesTheFiles: SHA256SUMS lists every other file the build wrote, once,
// with its SHA-256, in sha256sum's format; GNU sha256sum -c agrees when it is installed.
func TestSHA256SUMSMatchesTheFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "dist")
	res, err := distbuild.Build(out, inputs(t, "\x00asm\x01\x00\x00\x00"+strings.Repeat("w", 5000), loaderWithBuild))
	require.NoError(t, err)
	sums := read(t, out, distbuild.SumsName)
	line := regexp.MustCompile(`^([0-9a-f]{64})  (\S+)$`)
	listed := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSuffix(sums, "\n"), "\n") {
		m := line.FindStringSubmatch(l)
		require.NotNil(t, m, "line %q is not in sha256sum's format", l)
		sum := sha256.Sum256([]byte(read(t, out, m[2])))
		assert.Equal(t, hex.EncodeToString(sum[:]), m[1], m[2])
		assert.False(t, listed[m[2]], "%s listed twice", m[2])
		listed[m[2]] = true
	}
	for _, name := range res.Files {
		if name != distbuild.SumsName {
			assert.True(t, listed[name], "%s is not in SHA256SUMS", name)
		}
	}
	assert.Len(t, listed, len(res.Files)-1)

	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Log("sha256sum is not installed: the format was checked above only")
		return
	}
	cmd := exec.Command("sha256sum", "-c", "--strict", distbuild.SumsName)
	cmd.Dir = out
	outText, err := cmd.CombinedOutput()
	require.NoError(t, err, "sha256sum -c: %s", outText)

	// And it notices a changed file.
	require.NoError(t, os.WriteFile(filepath.Join(out, "policy.json"), []byte(`{"revision": 2}`), 0o644))
	cmd = exec.Command("sha256sum", "-c", "--quiet", distbuild.SumsName)
	cmd.Dir = out
	outText, err = cmd.CombinedOutput()
	require.Error(t, err)
	assert.Contains(t, string(outText), "policy.json: FAILED")
}

const loaderWithBuild = `load(new URL("__CONSENTRY_WASM__", base)); var build = "__CONSENTRY_BUILD__";` + "\n"

// TestBuildID: the build id is the version and a hash of the code (glue, loader template,
// wasm), not of the policy; consentry.js carries it in place of the placeholder.
func TestBuildID(t *testing.T) {
	wasm := "\x00asm\x01\x00\x00\x00widget"
	out := filepath.Join(t.TempDir(), "dist")
	in := inputs(t, wasm, loaderWithBuild)
	res, err := distbuild.Build(out, in)
	require.NoError(t, err)
	assert.Regexp(t, `^`+regexp.QuoteMeta(distbuild.Version)+`\+[0-9a-f]{12}$`, res.BuildID)
	assert.Equal(t, distbuild.BuildID(distbuild.Version, []byte("// runtime glue\n"), []byte(loaderWithBuild), []byte(wasm)), res.BuildID)
	script := read(t, out, "consentry.js")
	assert.Contains(t, script, `var build = "`+res.BuildID+`";`)
	assert.NotContains(t, script, distbuild.BuildPlaceholder)

	// Another policy: the same code, the same id.
	require.NoError(t, os.WriteFile(in.Policy, []byte(`{"revision": 7}`), 0o644))
	again, err := distbuild.Build(out, in)
	require.NoError(t, err)
	assert.Equal(t, res.BuildID, again.BuildID, "the policy is not part of the build id")

	glue, loader, code := []byte("glue"), []byte("loader"), []byte("wasm")
	base := distbuild.BuildID("1.1.0", glue, loader, code)
	for desc, other := range map[string]string{
		"another wasm":                  distbuild.BuildID("1.1.0", glue, loader, []byte("wasm2")),
		"another loader":                distbuild.BuildID("1.1.0", glue, []byte("loader2"), code),
		"another glue":                  distbuild.BuildID("1.1.0", []byte("glue2"), loader, code),
		"bytes moved between the parts": distbuild.BuildID("1.1.0", []byte("gluel"), []byte("oader"), code),
	} {
		assert.NotEqual(t, base[len("1.1.0+"):], other[len("1.1.0+"):], desc)
	}
	assert.Equal(t, "1.2.0"+base[len("1.1.0"):], distbuild.BuildID("1.2.0", glue, loader, code), "the version is a prefix only")
}
