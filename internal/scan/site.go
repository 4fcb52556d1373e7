package scan

import (
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// siteOf returns what "the same site" compares for host (CONTRACT.md §12): its registrable
// domain (eTLD+1, from the Public Suffix List), or, for an IP address or a loopback name,
// the host itself, so that 127.0.0.1 and localhost are two parties.
func siteOf(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "" || net.ParseIP(host) != nil || host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return host
	}
	site, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host // a public suffix itself, or a single label: only itself
	}
	return site
}

// thirdParty reports whether a request or cookie host belongs to another site than the
// scanned page's host.
func thirdParty(pageHost, host string) bool {
	return siteOf(pageHost) != siteOf(host)
}

// hostOf returns the host name of a URL, without port, or "" when it has none.
func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// cookieHostOf turns a cookie's Domain attribute (".example.com" for a domain cookie) into
// a host name.
func cookieHostOf(domain string) string {
	return strings.TrimPrefix(strings.ToLower(domain), ".")
}

// allowedHost reports whether host is one of the -allow-host hosts, or a subdomain of one
// given with a leading dot (".cdn.example").
func allowedHost(allow []string, host string) bool {
	for _, a := range allow {
		a = strings.ToLower(strings.TrimSpace(a))
		if a == "" {
			continue
		}
		if strings.HasPrefix(a, ".") {
			if host == a[1:] || strings.HasSuffix(host, a) {
				return true
			}
		} else if host == a {
			return true
		}
	}
	return false
}
