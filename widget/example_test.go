package widget_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/consentry/consentry/widget"
)

// examplePolicy is a small policy.json: the necessary cookies, and statistics with a
// consent-requiring analytics service and an anonymised audience count that needs none.
const examplePolicy = `{
  "revision": 1,
  "defaultLanguage": "en",
  "categories": [
    {"id": "necessary", "required": true, "title": "Necessary"},
    {"id": "statistics", "title": "Statistics", "services": [
      {"id": "analytics", "title": "Web analytics"},
      {"id": "audience", "title": "Anonymised audience", "consentRequired": false}
    ]}
  ]
}`

// exampleCookie is the consent cookie a browser sends after "Accept all", made here as the
// widget makes it.
func exampleCookie(p *widget.Policy, now time.Time) *http.Cookie {
	r, err := p.NewRecord(nil, widget.MethodAcceptAll, p.AcceptAll(), now, strings.NewReader("0123456789abcdef"))
	if err != nil {
		panic(err)
	}
	return &http.Cookie{Name: p.Cookie.Name, Value: r.Encode()}
}

// A Go handler decides server-side whether to render the analytics snippet, with the
// answers the page's window.Consentry would give.
func ExampleReadConsent() {
	policy, err := widget.ParsePolicy([]byte(examplePolicy))
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, 11, 28, 15, 4, 5, 0, time.UTC)

	handler := func(w http.ResponseWriter, r *http.Request) {
		consent := widget.ReadConsent(policy, r.Header, now) // time.Now() in a real server
		fmt.Fprintf(w, "valid=%v statistics=%v analytics=%v",
			consent.Valid(), consent.Accepted("statistics"), consent.AcceptedService("analytics", "statistics"))
		if consent.Allows("statistics", "analytics") {
			fmt.Fprint(w, " +analytics snippet")
		}
		if consent.Allows("statistics", "audience") {
			fmt.Fprint(w, " +audience counter")
		}
	}

	first := httptest.NewRequest("GET", "/", nil)
	w := httptest.NewRecorder()
	handler(w, first)
	fmt.Println("first visit:", w.Body.String())

	returning := httptest.NewRequest("GET", "/", nil)
	returning.AddCookie(exampleCookie(policy, now.Add(-24*time.Hour)))
	w = httptest.NewRecorder()
	handler(w, returning)
	fmt.Println("after accept all:", w.Body.String())

	expired := httptest.NewRequest("GET", "/", nil)
	expired.AddCookie(exampleCookie(policy, now.Add(-200*24*time.Hour)))
	w = httptest.NewRecorder()
	handler(w, expired)
	fmt.Println("200 days later:", w.Body.String())
	// Output:
	// first visit: valid=false statistics=false analytics=false +audience counter
	// after accept all: valid=true statistics=true analytics=true +analytics snippet +audience counter
	// 200 days later: valid=false statistics=false analytics=false +audience counter
}

// A raw Cookie header, as a proxy or another framework hands it over, gives the same
// answers; Preferences is what getUserPreferences() returns.
func ExampleConsentFromCookieHeader() {
	policy, err := widget.ParsePolicy([]byte(examplePolicy))
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, 11, 28, 15, 4, 5, 0, time.UTC)
	header := "sessionid=abc; " + exampleCookie(policy, now).String()

	consent := widget.ConsentFromCookieHeader(policy, header, now)
	if prefs, ok := consent.Preferences(); ok {
		fmt.Println(prefs.Method, prefs.AcceptedCategories, prefs.AcceptedServices["statistics"], prefs.Updated)
	}
	// Output:
	// accept-all [necessary statistics] [analytics audience] 2026-11-28T15:04:05Z
}
