package receipts

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/consentry/consentry/widget"
)

// DefaultEndpoint is the endpoint's path when the policy's receipts.endpoint is not set
// (CONTRACT.md §10).
const DefaultEndpoint = "/consent/receipts"

// Revision is one policy the server knows: the text a visitor was shown, parsed by the
// widget's own parser so that server and browser apply the same rules.
type Revision struct {
	Policy *widget.Policy
	Text   []byte // the bytes of policy.json, stored once per digest
	Digest string // SHA-256 of Text, lower-case hex: a receipt's policyDigest
	// Endpoint is the path of the policy's receipts.endpoint, or DefaultEndpoint.
	Endpoint string
}

// ParseRevision parses a policy.json document with the widget's own parser
// (widget.ParsePolicy, which checks receipts.endpoint's form) and takes the path of its
// receipts.endpoint. The widget posts to the endpoint as written, query included; the
// server routes by its path.
func ParseRevision(text []byte) (*Revision, error) {
	sum := sha256.Sum256(text)
	rev := &Revision{Text: text, Digest: hex.EncodeToString(sum[:]), Endpoint: DefaultEndpoint}
	p, err := widget.ParsePolicy(text)
	if err != nil {
		return nil, err
	}
	if e := p.Receipts.Endpoint; e != "" {
		u, err := url.Parse(e)
		if err != nil || !strings.HasPrefix(u.Path, "/") {
			// The parser accepts only a path or an absolute http(s) URL: not reached.
			return nil, fmt.Errorf("policy: receipts.endpoint: %q has no absolute path", e)
		}
		rev.Endpoint = u.Path
	}
	rev.Policy = p
	return rev, nil
}

// Policies are the policy revisions a server knows. Receipts are checked against the
// revision they name; the cookie is set only for the newest one (older revisions are asked
// again by the widget anyway).
type Policies struct {
	byRevision map[int]*Revision
	byDigest   map[string]*Revision
	current    *Revision
}

// NewPolicies gathers revisions. Two texts of the same revision must ask the same
// questions (the same scope); the one given last wins for that revision's checks.
func NewPolicies(revs ...*Revision) (*Policies, error) {
	if len(revs) == 0 {
		return nil, errors.New("receipts: no policy")
	}
	ps := &Policies{byRevision: map[int]*Revision{}, byDigest: map[string]*Revision{}}
	for _, r := range revs {
		if old, ok := ps.byRevision[r.Policy.Revision]; ok && old.Policy.Scope() != r.Policy.Scope() {
			return nil, fmt.Errorf("receipts: two policies of revision %d ask different questions (scope %s and %s): raise the revision of the newer one",
				r.Policy.Revision, old.Policy.Scope(), r.Policy.Scope())
		}
		ps.byRevision[r.Policy.Revision] = r
		ps.byDigest[r.Digest] = r
		if ps.current == nil || r.Policy.Revision >= ps.current.Policy.Revision {
			ps.current = r
		}
	}
	return ps, nil
}

// Current returns the newest revision.
func (ps *Policies) Current() *Revision { return ps.current }

// All returns every revision text, newest revision first.
func (ps *Policies) All() []*Revision {
	out := make([]*Revision, 0, len(ps.byDigest))
	for _, r := range ps.byDigest {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Policy.Revision != out[j].Policy.Revision {
			return out[i].Policy.Revision > out[j].Policy.Revision
		}
		return out[i].Digest < out[j].Digest
	})
	return out
}

// MaxReceiptAge is how long after its "updated" time a receipt is still accepted: the
// widget keeps an unacknowledged receipt for at most 30 days (§10), plus a day of clock
// skew.
const MaxReceiptAge = 31 * 24 * time.Hour

// maxFutureSkew is how far ahead of the server's clock a visitor's may run.
const maxFutureSkew = 24 * time.Hour

// Check returns nil when the receipt reports a choice that the policy revision it names
// allows, at now, and otherwise a *DecodeError naming the field: the revision must be
// known, the policyDigest (when the server knows it) must be of that revision, the record
// must pass the widget's own Check (scope, categories and services of that revision,
// required categories, a service for each accepted category that has services), the
// times must be sane (not more than a day ahead, not older than MaxReceiptAge), and a
// withdraw must report the state after withdrawal (reject-all, required categories only,
// no services).
func (ps *Policies) Check(rc *Receipt, now time.Time) error {
	rev, ok := ps.byRevision[rc.Revision]
	if !ok {
		return fieldError("revision", "%d is not a revision this server knows", rc.Revision)
	}
	if d, ok := ps.byDigest[rc.PolicyDigest]; ok && d.Policy.Revision != rc.Revision {
		return fieldError("policyDigest", "names a policy of revision %d, not %d", d.Policy.Revision, rc.Revision)
	}
	if scope := rev.Policy.Scope(); rc.Scope != scope {
		return fieldError("scope", "%s, but revision %d's is %s", rc.Scope, rc.Revision, scope)
	}
	if rc.Updated.After(now.Add(maxFutureSkew)) {
		return fieldError("updated", "%s is more than a day ahead of the server's clock", rc.Updated.Format(timeLayout))
	}
	if rc.Updated.Before(now.Add(-MaxReceiptAge)) {
		return fieldError("updated", "%s is more than %d days old", rc.Updated.Format(timeLayout), int(MaxReceiptAge/(24*time.Hour)))
	}
	// The widget's Check at the receipt's own time: its freshness test then always holds,
	// and the rules about ids are exactly the browser's.
	if err := rev.Policy.Check(rc.Record(), rc.Updated.Time); err != nil {
		return &DecodeError{Msg: strings.TrimPrefix(err.Error(), "consent: ")}
	}
	if rc.Event == EventWithdraw {
		if rc.Method != widget.MethodRejectAll || len(rc.Services) > 0 {
			return fieldError("method", "a withdraw receipt reports the state after withdrawal: reject-all, no services")
		}
		for _, id := range rc.Categories {
			if c := rev.Policy.Category(id); c == nil || !c.Required {
				return fieldError("categories", "a withdraw receipt lists required categories only, not %q", id)
			}
		}
	}
	return nil
}

// revision returns the revision r names, or nil.
func (ps *Policies) revision(n int) *Revision { return ps.byRevision[n] }
