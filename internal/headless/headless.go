// Package headless holds the Chromium options shared by the end-to-end tests and the
// benchmark (cmd/bench), so that both drive the same browser the same way.
package headless

import (
	"path/filepath"

	"github.com/chromedp/chromedp"
)

// Options returns chromedp's defaults plus what both need: headless Chromium at chromium,
// run as root (no sandbox), with its profile and its shared-memory files in dir, which the
// caller creates and removes, so that nothing outlives the run.
func Options(chromium, dir string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox, // we run as root
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		// Without these Chromium keeps calling home, and the network is closed.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(dir, "user-data")),
		chromedp.Env("TMPDIR="+dir),
		chromedp.WindowSize(1280, 800),
	)
}
