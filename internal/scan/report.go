package scan

import (
	"encoding/json"
	"io"
	"time"
)

// Format is the JSON report's "format" value (CONTRACT.md §12).
const Format = "consentry-scan/1"

// Phase ids of CONTRACT.md §12, in the order they are reported.
const (
	PhaseInitial  = "initial"
	PhaseReject   = "reject"
	PhaseAccept   = "accept"
	PhaseWithdraw = "withdraw"
)

// PhaseIDs lists the phases in report order.
var PhaseIDs = []string{PhaseInitial, PhaseReject, PhaseAccept, PhaseWithdraw}

// Report is the whole result of a scan, the JSON report of CONTRACT.md §12
// (documented by docs/scan-report.schema.json).
type Report struct {
	Format     string    `json:"format"`
	URL        string    `json:"url"`
	Policy     string    `json:"policy,omitempty"` // the policy file or URL the scan compared with
	Tool       string    `json:"tool"`             // the consent tool driven: consentry or selectors
	StartedAt  time.Time `json:"startedAt"`
	DurationMS int64     `json:"durationMs"`
	Summary    Summary   `json:"summary"`
	Phases     []*Phase  `json:"phases"`
	Findings   []Finding `json:"findings"`

	// policyText is the raw policy, for the reports that point into it (SARIF).
	policyText []byte
	// policyFile is the policy's path as given on the command line, for SARIF locations.
	policyFile string
	// pol is the parsed policy, for the draft policy.
	pol *policy
}

// Summary counts the findings by severity and by rule.
type Summary struct {
	Errors   int            `json:"errors"`
	Warnings int            `json:"warnings"`
	Infos    int            `json:"infos"`
	ByRule   map[string]int `json:"byRule"`
}

// Phase is what one phase saw, in its own browser context.
type Phase struct {
	ID         string         `json:"id"`
	Skipped    string         `json:"skipped,omitempty"` // why the phase could not run
	Pages      []string       `json:"pages"`
	Cookies    []Cookie       `json:"cookies"`
	Storage    []StorageEntry `json:"storage"`
	Requests   []Request      `json:"requests"`
	Gated      []GatedElement `json:"gatedElements"`
	Banner     *Banner        `json:"banner,omitempty"`
	DurationMS int64          `json:"durationMs"`
	// Screenshot is a PNG of the first page after the phase's choice (the banner in the
	// initial phase); only the HTML report shows it.
	Screenshot []byte `json:"-"`
}

// Cookie is a cookie found in the browser's cookie store at the end of a phase.
type Cookie struct {
	Name        string  `json:"name"`
	Domain      string  `json:"domain"`
	Path        string  `json:"path"`
	Expires     float64 `json:"expires,omitempty"`      // seconds since the epoch; absent for a session cookie
	LifetimeDay float64 `json:"lifetimeDays,omitempty"` // from the moment it was read
	HTTPOnly    bool    `json:"httpOnly,omitempty"`
	Secure      bool    `json:"secure,omitempty"`
	SameSite    string  `json:"sameSite,omitempty"`
	Partitioned bool    `json:"partitioned,omitempty"`
	ThirdParty  bool    `json:"thirdParty"`
	// SetBy is what set it: "Set-Cookie from URL" or "document.cookie in URL".
	SetBy string `json:"setBy,omitempty"`
	// AfterChoice is set when the cookie appeared (or changed) after the phase's choice.
	AfterChoice bool   `json:"afterChoice"`
	Category    string `json:"category,omitempty"` // of its declaration, "" when undeclared
	Service     string `json:"service,omitempty"`
	Pointer     string `json:"policyPointer,omitempty"`
	Suggested   string `json:"suggestedCategory,omitempty"` // from the Open Cookie Database, for undeclared cookies
	Provider    string `json:"suggestedProvider,omitempty"`
}

// StorageEntry is a localStorage or sessionStorage key, or an IndexedDB database.
type StorageEntry struct {
	Kind        string `json:"kind"` // localStorage, sessionStorage, indexedDB
	Origin      string `json:"origin"`
	Key         string `json:"key"`
	SetBy       string `json:"setBy,omitempty"`
	AfterChoice bool   `json:"afterChoice"`
	Category    string `json:"category,omitempty"`
	Pointer     string `json:"policyPointer,omitempty"`
}

// Request is a request to a third party (or to a host not of the scanned site).
type Request struct {
	URL         string `json:"url"`
	Host        string `json:"host"`
	Type        string `json:"type"`      // the resource type: Script, Image, Document…
	Initiator   string `json:"initiator"` // what sent it: parser at URL:line, script URL, …
	Page        string `json:"page"`
	Allowed     bool   `json:"allowed,omitempty"` // its host was allowed with -allow-host
	AfterChoice bool   `json:"afterChoice"`
	// AfterWithdrawal is set, in the withdraw phase, for a request sent after withdrawal.
	AfterWithdrawal bool `json:"afterWithdrawal,omitempty"`
}

// GatedElement is an element with data-category on a page, and whether it ran.
type GatedElement struct {
	Page     string `json:"page"`
	Tag      string `json:"tag"`
	Category string `json:"category"`
	Service  string `json:"service,omitempty"`
	Src      string `json:"src,omitempty"`
	Ran      bool   `json:"ran"`
	// RanBy says how it is known that it ran: activated by the widget, or its src requested.
	RanBy string `json:"ranBy,omitempty"`
}

// Banner is what the first visit showed.
type Banner struct {
	Shown          bool   `json:"shown"`
	RefusalVisible bool   `json:"refusalVisible"`
	AcceptVisible  bool   `json:"acceptVisible"`
	Detail         string `json:"detail,omitempty"`
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// summarise fills in Summary from Findings.
func (r *Report) summarise() {
	s := Summary{ByRule: map[string]int{}}
	for _, f := range r.Findings {
		switch f.Severity {
		case Error:
			s.Errors++
		case Warning:
			s.Warnings++
		case Info:
			s.Infos++
		}
		s.ByRule[f.Rule]++
	}
	r.Summary = s
}

// Count returns how many findings are at or above min.
func (r *Report) Count(min Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity >= min {
			n++
		}
	}
	return n
}

// Phase returns the phase with that id, or nil.
func (r *Report) Phase(id string) *Phase {
	for _, p := range r.Phases {
		if p.ID == id {
			return p
		}
	}
	return nil
}
