// Package widget is the platform-independent core of Consentry, a cookie-consent widget:
// it implements the policy, consent-cookie and gating rules of Consentry's public contract
// (CONTRACT.md, version 1) for the WebAssembly front end and for Go servers alike.
package widget
