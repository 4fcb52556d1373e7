package scan

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/internal/headless"
)

// DefaultChromium is where Debian installs Chromium.
const DefaultChromium = "/usr/bin/chromium"

// Browser is one headless Chromium process; each phase of each scan gets a browser
// context of its own in it (a fresh profile: its own cookies, storage and cache), so
// several scans can share it.
type Browser struct {
	ctx     context.Context
	cancels []func()
}

// StartBrowser starts headless Chromium at path (DefaultChromium when empty) with the
// options of internal/headless, its profile in a temporary folder removed by Close.
func StartBrowser(path string) (*Browser, error) {
	if path == "" {
		path = DefaultChromium
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("scan: Chromium: %w", err)
	}
	dir, err := os.MkdirTemp("", "consentry-scan-chromium-")
	if err != nil {
		return nil, fmt.Errorf("scan: %w", err)
	}
	b := &Browser{cancels: []func(){func() { os.RemoveAll(dir) }}}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), headless.Options(path, dir)...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	b.cancels = append(b.cancels, cancelAlloc, func() { chromedp.Cancel(ctx); cancel() })
	if err := chromedp.Do(ctx); err != nil {
		b.Close()
		return nil, fmt.Errorf("scan: start Chromium: %w", err)
	}
	b.ctx = ctx
	return b, nil
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() {
	for i := len(b.cancels) - 1; i >= 0; i-- {
		b.cancels[i]()
	}
	b.cancels = nil
}

// Stages of a phase: what is seen is labelled with the stage it was seen in.
const (
	stageBefore    = 0 // no choice made yet
	stageChoice    = 1 // after the phase's choice
	stageWithdrawn = 2 // after withdrawal (the withdraw phase only)
)

// session is one phase's tab in its own browser context, and what it observed.
type session struct {
	ctx          context.Context // the tab, with the phase's deadline
	browserCtxID cdp.BrowserContextID

	mu        sync.Mutex
	stage     int
	page      string // the URL of the page being visited
	requests  map[network.RequestID]*observedRequest
	order     []*observedRequest
	inflight  int
	lastNet   time.Time
	cookieSet map[string]string // cookie name → what set it (the last write that was not a deletion)
	storeSet  map[string]string // kind + " " + key → the script that wrote it
	// cookieSeen is every cookie a snapshot of the phase found (name|domain|path → its
	// last state), in cookieOrder: a cookie one page sets and a later page deletes still
	// counts.
	cookieSeen  map[string]*network.Cookie
	cookieOrder []string
	frames      map[target.ID]bool
	// mainFrame is the tab's top frame (a page target's id is its main frame's id).
	mainFrame cdp.FrameID
}

// observedRequest is one request as the network events describe it.
type observedRequest struct {
	url, typ, initiator, page string
	stage                     int
	done                      bool
}

// newSession opens a tab in a new browser context of b, with the hook installed.
func (b *Browser) newSession(ctx context.Context, timeout time.Duration) (*session, func(), error) {
	s := &session{
		requests:   map[network.RequestID]*observedRequest{},
		cookieSet:  map[string]string{},
		storeSet:   map[string]string{},
		cookieSeen: map[string]*network.Cookie{},
		frames:     map[target.ID]bool{},
		lastNet:    time.Now(),
	}
	tabCtx, cancelTab := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(s.listen))
	stop := context.AfterFunc(ctx, cancelTab)
	if err := chromedp.Do(tabCtx); err != nil {
		cancelTab()
		return nil, nil, fmt.Errorf("open a tab: %w", err)
	}
	s.browserCtxID = chromedp.FromContext(tabCtx).BrowserContextID
	s.mu.Lock()
	s.mainFrame = cdp.FrameID(chromedp.FromContext(tabCtx).Target.TargetID)
	s.mu.Unlock()
	tctx, cancelTimeout := context.WithTimeout(tabCtx, timeout)
	s.ctx = tctx
	cancel := func() { cancelTimeout(); stop(); cancelTab() }
	if _, err := chromedp.Call(tctx, runtime.AddBinding, runtime.AddBindingParams{Name: bindingName}); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("add binding: %w", err)
	}
	if _, err := chromedp.Call(tctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: hookJS}); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("add hook: %w", err)
	}
	return s, cancel, nil
}

// listen records the tab's events. It runs in chromedp's event loop, so it never calls
// chromedp.Run (that would deadlock): attaching to a frame is handed to a goroutine.
func (s *session) listen(ev any) {
	switch ev := ev.(type) {
	case *target.EventAttachedToTarget:
		if ev.TargetInfo != nil && ev.TargetInfo.Type == "iframe" {
			s.mu.Lock()
			seen := s.frames[ev.TargetInfo.TargetID]
			s.frames[ev.TargetInfo.TargetID] = true
			s.mu.Unlock()
			if !seen {
				go s.attachFrame(ev.TargetInfo.TargetID)
			}
		}
	case *runtime.EventBindingCalled:
		if ev.Name == bindingName {
			s.recordWrite(ev.Payload)
		}
	default:
		s.network(ev)
	}
}

// attachFrame attaches to a cross-site iframe's target (it runs in a process of its own,
// CONTRACT.md §12: "cross-origin frames are attached"), so that its requests and the
// cookies its responses set are seen too.
func (s *session) attachFrame(id target.ID) {
	fctx, cancel := chromedp.NewContext(s.ctx, chromedp.WithTargetID(id), chromedp.WithListener(s.network))
	go func() { <-s.ctx.Done(); cancel() }()
	if err := chromedp.Do(fctx); err != nil {
		return // the frame went away first
	}
	chromedp.Call(fctx, runtime.AddBinding, runtime.AddBindingParams{Name: bindingName})
}

// network records requests and the Set-Cookie lines of their responses.
func (s *session) network(ev any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Request == nil {
			return
		}
		r, ok := s.requests[ev.RequestID]
		if !ok {
			r = &observedRequest{}
			s.requests[ev.RequestID] = r
			if ev.Type == network.ResourceTypeDocument && ev.FrameID != s.mainFrame {
				// A cross-site frame's document finishes in the frame's own process, whose
				// events reach us only once attached: never wait for it, only for what it
				// loads after.
				r.done = true
			} else {
				s.inflight++
			}
		}
		if ok && ev.RedirectResponse == nil {
			return
		}
		// A redirect keeps the id: the new URL is one more request.
		if ok {
			r = &observedRequest{}
			s.requests[ev.RequestID] = r
		}
		r.url, r.typ, r.initiator, r.page, r.stage = ev.Request.URL, string(ev.Type), initiatorText(ev.Initiator), s.page, s.stage
		s.order = append(s.order, r)
		s.lastNet = time.Now()
	case *network.EventLoadingFinished:
		s.finish(ev.RequestID)
	case *network.EventLoadingFailed:
		s.finish(ev.RequestID)
	case *network.EventResponseReceivedExtraInfo:
		var from string
		if r := s.requests[ev.RequestID]; r != nil {
			from = r.url
		}
		v, _ := ev.Headers["set-cookie"].(string)
		if v == "" {
			v, _ = ev.Headers["Set-Cookie"].(string)
		}
		for line := range strings.SplitSeq(v, "\n") {
			name, _, ok := strings.Cut(line, "=")
			if !ok || deletion(line) {
				continue
			}
			s.cookieSet[strings.TrimSpace(name)] = "Set-Cookie from " + from
		}
	}
}

// finish marks a request done.
func (s *session) finish(id network.RequestID) {
	if r := s.requests[id]; r != nil && !r.done {
		r.done = true
		s.inflight--
		s.lastNet = time.Now()
	}
}

// initiatorText says what sent a request: the parser of a page at a line, a script, …
func initiatorText(in *network.Initiator) string {
	if in == nil {
		return ""
	}
	t := string(in.Type)
	url := in.URL
	if url == "" && in.Stack != nil {
		for st := in.Stack; st != nil && url == ""; st = st.Parent {
			for _, f := range st.CallFrames {
				if f.URL != "" {
					url = f.URL + ":" + strconv.FormatInt(f.LineNumber+1, 10)
					break
				}
			}
		}
	} else if url != "" && in.LineNumber > 0 {
		url += ":" + strconv.FormatInt(int64(in.LineNumber)+1, 10)
	}
	if url == "" {
		return t
	}
	return t + " " + url
}

// maxAgeZero matches a cookie line that deletes its cookie.
var maxAgeZero = regexp.MustCompile(`(?i);\s*max-age\s*=\s*(-\d+|0+)\s*(;|$)|;\s*expires\s*=\s*thu,\s*01\s*jan\s*1970`)

// deletion reports whether a cookie line deletes the cookie rather than setting it.
func deletion(line string) bool { return maxAgeZero.MatchString(line) }

// recordWrite records one write reported by the hook.
func (s *session) recordWrite(payload string) {
	var w struct{ Kind, Key, Line, Script, Page string }
	if json.Unmarshal([]byte(payload), &w) != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if w.Kind == "cookie" {
		if !deletion(w.Line) {
			s.cookieSet[w.Key] = "document.cookie in " + w.Script
		}
		return
	}
	if _, ok := s.storeSet[w.Kind+" "+w.Key]; !ok {
		s.storeSet[w.Kind+" "+w.Key] = w.Script
	}
}

// setStage labels what is seen from now on.
func (s *session) setStage(stage int) {
	s.mu.Lock()
	s.stage = stage
	s.mu.Unlock()
}

// visit loads url and waits until it has settled: the load event, Consentry.ready when
// the page has the widget, then the network quiet.
func (s *session) visit(url string) error {
	s.mu.Lock()
	s.page = url
	s.mu.Unlock()
	if err := chromedp.Do(s.ctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("load %s: %w", url, err)
	}
	return s.settle()
}

// reload reloads the current page and waits until it has settled.
func (s *session) reload() error {
	if err := chromedp.Do(s.ctx, chromedp.Reload()); err != nil {
		return fmt.Errorf("reload %s: %w", s.page, err)
	}
	return s.settle()
}

// quietFor is how long the network must stay idle for a page to count as settled, and
// settleLimit caps the wait (a page that polls forever never gets quiet).
const (
	quietFor    = 300 * time.Millisecond
	settleLimit = 4 * time.Second
	// readyLimit caps the wait for Consentry.ready: compiling the module takes seconds
	// on a loaded machine.
	readyLimit = 15 * time.Second
)

// settle waits for Consentry.ready (when the page has the widget) and then for the
// network to be quiet, each bounded.
func (s *session) settle() error {
	rctx, cancel := context.WithTimeout(s.ctx, readyLimit)
	chromedp.Do(rctx, chromedp.Evaluate[chromedp.Void](
		`window.Consentry && window.Consentry.ready ? window.Consentry.ready.then(() => true, () => false) : false`,
		chromedp.EvalAwaitPromise))
	cancel()
	deadline := time.Now().Add(settleLimit)
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		s.mu.Lock()
		quiet := s.inflight <= 0 && time.Since(s.lastNet) >= quietFor
		s.mu.Unlock()
		if quiet {
			return nil
		}
		select {
		case <-s.ctx.Done():
			return s.ctx.Err()
		case <-tick.C:
		}
	}
	return nil // still busy: what was seen so far is what is reported
}

// cookies returns every cookie of the phase's browser context, partitioned ones included.
func (s *session) cookies() ([]*network.Cookie, error) {
	res, err := chromedp.CallBrowser(s.ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: s.browserCtxID})
	if err != nil {
		return nil, fmt.Errorf("read cookies: %w", err)
	}
	return res.Cookies, nil
}

// collectCookies adds the cookies present now to those the phase has seen.
func (s *session) collectCookies() error {
	cs, err := s.cookies()
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range cs {
		k := c.Name + "|" + c.Domain + "|" + c.Path
		if _, ok := s.cookieSeen[k]; !ok {
			s.cookieOrder = append(s.cookieOrder, k)
		}
		s.cookieSeen[k] = c
	}
	return nil
}

// seenCookies returns every cookie collectCookies found, in the order first seen.
func (s *session) seenCookies() []*network.Cookie {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*network.Cookie, len(s.cookieOrder))
	for i, k := range s.cookieOrder {
		out[i] = s.cookieSeen[k]
	}
	return out
}

// storageEntries reads the current document's storage.
func (s *session) storageEntries() (origin string, entries []struct{ Kind, Key string }, err error) {
	var out struct {
		Origin  string
		Entries []struct{ Kind, Key string }
	}
	out, err = chromedp.Run(s.ctx, chromedp.Evaluate[struct {
		Origin  string
		Entries []struct{ Kind, Key string }
	}](storageJS, chromedp.EvalAwaitPromise))
	return out.Origin, out.Entries, err
}
