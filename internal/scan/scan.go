package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"
)

// Options configure a scan (the flags of `consentry scan`, CONTRACT.md §12).
type Options struct {
	URL string
	// Policy is the policy.json to compare with: a file name. Empty: the policy the page
	// uses (its inline policy, its script tag's data-policy, or policy.json next to
	// consentry.js).
	Policy string
	// Pages is how many same-site links each phase follows after the first page (default 3).
	Pages int
	// Accept and Reject are CSS selectors of another consent tool's buttons, searched in
	// the document and its open shadow roots; empty for a Consentry page.
	Accept, Reject string
	// AllowHosts are third-party hosts requests may go to before consent (the site's CDN).
	AllowHosts []string
	// Chromium is the browser's path (DefaultChromium when empty); ignored with Browser.
	Chromium string
	// Browser, when set, is used instead of starting one: several scans can share it.
	Browser *Browser
	// Progress receives one line per phase (stderr for the command).
	Progress io.Writer
	// PhaseTimeout bounds each phase (default 2 minutes).
	PhaseTimeout time.Duration
	// Screenshots takes a PNG per phase, for the HTML report.
	Screenshots bool
}

// ErrCannotRun wraps every error that stops a scan (exit status 2 of §12).
var ErrCannotRun = errors.New("scan could not run")

// Run scans o.URL in four phases and returns the report. Its error wraps ErrCannotRun.
func Run(ctx context.Context, o Options) (*Report, error) {
	r, err := run(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCannotRun, err)
	}
	return r, nil
}

func run(ctx context.Context, o Options) (*Report, error) {
	start := time.Now()
	u, err := url.Parse(o.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("URL %q: want an absolute http or https URL", o.URL)
	}
	if o.Pages < 0 {
		return nil, fmt.Errorf("-pages %d: want 0 or more", o.Pages)
	}
	if o.PhaseTimeout == 0 {
		o.PhaseTimeout = 2 * time.Minute
	}
	if (o.Accept == "") != (o.Reject == "") {
		return nil, errors.New("-accept and -reject go together")
	}
	policySource, policyData, err := loadPolicy(ctx, o)
	if err != nil {
		return nil, err
	}
	var pol *policy
	if policyData != nil {
		if pol, err = parsePolicy(policyData); err != nil {
			return nil, fmt.Errorf("%s: %w", policySource, err)
		}
	}
	b := o.Browser
	if b == nil {
		if b, err = StartBrowser(o.Chromium); err != nil {
			return nil, err
		}
		defer b.Close()
	}
	rep := &Report{Format: Format, URL: u.String(), Policy: policySource, Tool: "consentry", StartedAt: start.UTC().Truncate(time.Second),
		policyText: policyData, policyFile: o.Policy, pol: pol}
	if o.Accept != "" {
		rep.Tool = "selectors"
	}
	sc := &scanner{o: o, start: u, pol: pol, tool: rep.Tool}
	rep.Phases = make([]*Phase, len(PhaseIDs))
	errs := make([]error, len(PhaseIDs))
	var wg sync.WaitGroup
	for i, id := range PhaseIDs {
		wg.Go(func() {
			ph, err := sc.phase(ctx, b, id)
			rep.Phases[i], errs[i] = ph, err
			if o.Progress != nil {
				if err != nil {
					fmt.Fprintf(o.Progress, "scan: %-8s failed: %v\n", id, err)
				} else {
					fmt.Fprintf(o.Progress, "scan: %-8s %d pages, %d cookies, %d storage entries, %d third-party requests (%.1fs)\n",
						id, len(ph.Pages), len(ph.Cookies), len(ph.Storage), len(ph.Requests), float64(ph.DurationMS)/1000)
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	rep.Findings = evaluate(rep, pol, o.AllowHosts)
	rep.summarise()
	rep.DurationMS = time.Since(start).Milliseconds()
	return rep, nil
}

// loadPolicy returns the policy to compare with and where it came from: the -policy file,
// else the one the page uses, found in its HTML (CONTRACT.md §2); none for a page
// without Consentry.
func loadPolicy(ctx context.Context, o Options) (string, []byte, error) {
	if o.Policy != "" {
		data, err := os.ReadFile(o.Policy)
		if err != nil {
			return "", nil, err
		}
		return o.Policy, data, nil
	}
	body, err := get(ctx, o.URL)
	if err != nil {
		return "", nil, err
	}
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", o.URL, err)
	}
	var inline, policyURL string
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != "script" {
			continue
		}
		if attr(n, "id") == "consentry-policy" && n.FirstChild != nil {
			inline = n.FirstChild.Data
		}
		src := attr(n, "src")
		if path, _, _ := strings.Cut(src, "?"); policyURL == "" && (path == "consentry.js" || strings.HasSuffix(path, "/consentry.js")) {
			// CONTRACT.md §2: data-policy, else policy.json next to consentry.js.
			policyURL = attr(n, "data-policy")
			if policyURL == "" {
				policyURL = strings.TrimSuffix(path, "consentry.js") + "policy.json"
			}
		}
	}
	if inline != "" {
		return o.URL + " (inline policy)", []byte(strings.TrimSpace(inline)), nil
	}
	if policyURL == "" {
		return "", nil, nil // no Consentry on the page
	}
	base, _ := url.Parse(o.URL)
	ref, err := url.Parse(policyURL)
	if err != nil {
		return "", nil, fmt.Errorf("data-policy %q: %w", policyURL, err)
	}
	abs := base.ResolveReference(ref).String()
	data, err := get(ctx, abs)
	if err != nil {
		return "", nil, err
	}
	return abs, data, nil
}

// get fetches a URL, at most 1 MiB of it.
func get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// attr returns an HTML attribute's value.
func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// scanner holds what the phases of one scan share.
type scanner struct {
	o     Options
	start *url.URL
	pol   *policy
	tool  string
}

// phase runs one phase in a fresh browser context and returns what it saw.
func (sc *scanner) phase(ctx context.Context, b *Browser, id string) (*Phase, error) {
	t0 := time.Now()
	s, cancel, err := b.newSession(ctx, sc.o.PhaseTimeout)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", id, err)
	}
	defer cancel()
	ph := &Phase{ID: id, Pages: []string{}, Cookies: []Cookie{}, Storage: []StorageEntry{}, Requests: []Request{}, Gated: []GatedElement{}}
	seen := &pageSeen{gated: map[string]GatedElement{}, storage: map[string]StorageEntry{}}
	first := sc.start.String()
	if err := s.visit(first); err != nil {
		return nil, fmt.Errorf("%s: %w", id, err)
	}
	ph.Pages = append(ph.Pages, first)
	if id != PhaseInitial && sc.tool == "consentry" && pollTrue(s, `!!window.Consentry`) != nil {
		// Nothing to choose with: the first visit's banner-missing says so.
		ph.Skipped = "the page has no Consentry widget (window.Consentry), and no -accept/-reject selectors were given"
		ph.DurationMS = time.Since(t0).Milliseconds()
		return ph, nil
	}
	var before map[string]string
	switch id {
	case PhaseInitial:
		ph.Banner = sc.banner(s)
		sc.screenshot(s, ph)
		if err := sc.observePage(s, seen, stageBefore); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		if err := s.collectCookies(); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
	case PhaseReject, PhaseAccept:
		sc.observePage(s, seen, stageBefore)
		if before, err = cookieSnapshot(s); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		choice := "reject"
		if id == PhaseAccept {
			choice = "accept"
		}
		if err := sc.choose(s, choice); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		s.setStage(stageChoice)
	case PhaseWithdraw:
		if sc.tool != "consentry" {
			ph.Skipped = "withdrawal is driven through the Consentry API; a page with another consent tool is not scanned for it"
			ph.DurationMS = time.Since(t0).Milliseconds()
			return ph, nil
		}
		if err := sc.choose(s, "accept"); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		s.setStage(stageChoice)
		if err := s.reload(); err != nil { // the accepted scripts run at load, as on a return visit
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		if err := sc.withdraw(s); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		s.setStage(stageWithdrawn)
	}
	// Every phase reloads (what a returning visitor gets) and follows same-site links.
	stage := stageBefore
	if id != PhaseInitial {
		stage = stageChoice
		if id == PhaseWithdraw {
			stage = stageWithdrawn
		}
	}
	if err := s.reload(); err != nil {
		return nil, fmt.Errorf("%s: %w", id, err)
	}
	if id != PhaseInitial {
		sc.screenshot(s, ph)
	}
	links, _ := sc.links(s)
	sc.observePage(s, seen, stage)
	// Cookies are read after every page, not once at the end: a page may delete what an
	// earlier one set (Matomo's requireCookieConsent on a page that tracks nothing), and
	// the cookie was set all the same.
	if err := s.collectCookies(); err != nil {
		return nil, fmt.Errorf("%s: %w", id, err)
	}
	for _, link := range links {
		if err := s.visit(link); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		ph.Pages = append(ph.Pages, link)
		sc.observePage(s, seen, stage)
		if err := s.collectCookies(); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
	}
	sc.fill(s, ph, seen, s.seenCookies(), before)
	ph.DurationMS = time.Since(t0).Milliseconds()
	return ph, nil
}

// pageSeen gathers what the pages of a phase showed, by key.
type pageSeen struct {
	gated   map[string]GatedElement
	storage map[string]StorageEntry
	order   []string
	sorder  []string
}

// observePage records the current page's storage and gated elements, labelled with stage.
func (sc *scanner) observePage(s *session, seen *pageSeen, stage int) error {
	origin, entries, err := s.storageEntries()
	if err != nil {
		return err
	}
	for _, e := range entries {
		k := e.Kind + " " + origin + " " + e.Key
		if _, ok := seen.storage[k]; ok {
			continue
		}
		s.mu.Lock()
		by := s.storeSet[e.Kind+" "+e.Key]
		s.mu.Unlock()
		seen.storage[k] = StorageEntry{Kind: e.Kind, Origin: origin, Key: e.Key, SetBy: by, AfterChoice: stage > stageBefore}
		seen.sorder = append(seen.sorder, k)
	}
	type gatedJSON struct {
		Tag, Category, Service, Src string
		Ran                         bool
	}
	els, err := chromedp.Run(s.ctx, chromedp.Evaluate[[]gatedJSON](gatedJS))
	if err != nil {
		return err
	}
	page := s.page
	for _, e := range els {
		k := page + " " + e.Tag + " " + e.Category + " " + e.Service + " " + e.Src
		g, ok := seen.gated[k]
		if !ok {
			g = GatedElement{Page: page, Tag: e.Tag, Category: e.Category, Service: e.Service, Src: e.Src}
			seen.order = append(seen.order, k)
		}
		if e.Ran && !g.Ran {
			g.Ran, g.RanBy = true, "activated on the page"
		}
		seen.gated[k] = g
	}
	return nil
}

// links returns up to o.Pages same-site links of the current page, other than itself, in
// page order.
func (sc *scanner) links(s *session) ([]string, error) {
	hrefs, err := chromedp.Run(s.ctx, chromedp.Evaluate[[]string](linksJS))
	if err != nil {
		return nil, err
	}
	var out []string
	here := strings.SplitN(sc.start.String(), "#", 2)[0]
	for _, h := range hrefs {
		u, err := url.Parse(h)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || siteOf(u.Host) != siteOf(sc.start.Host) {
			continue
		}
		u.Fragment = ""
		l := u.String()
		if l == here || slices.Contains(out, l) {
			continue
		}
		if len(out) == sc.o.Pages {
			break
		}
		out = append(out, l)
	}
	return out, nil
}

// screenshot keeps a PNG of the viewport when the report wants one.
func (sc *scanner) screenshot(s *session, ph *Phase) {
	if !sc.o.Screenshots {
		return
	}
	if png, err := chromedp.Run(s.ctx, chromedp.CaptureScreenshot()); err == nil {
		ph.Screenshot = png
	}
}

// cookieSnapshot returns the cookies present now, name/domain/path → value.
func cookieSnapshot(s *session) (map[string]string, error) {
	cs, err := s.cookies()
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, c := range cs {
		m[c.Name+"|"+c.Domain+"|"+c.Path] = c.Value
	}
	return m, nil
}
