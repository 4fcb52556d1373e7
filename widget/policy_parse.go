package widget

import (
	"slices"
	"strconv"
	"strings"
)

// This file reads policy.json, version 1 (CONTRACT.md §3), into a Policy. The policy is
// refused as a whole when any rule is broken, and every broken rule is reported, each with
// the place: a JavaScript-like path to the value ("categories[1].id") and its line and
// column, so that a site owner, or a linter printing the problems, can fix them all at once.

// MaxPolicySize is the largest policy.json accepted, in bytes (256 KiB). The default
// policy is about 4 KB; the limit keeps a wrong URL (a video, a data dump) from being
// parsed by every visitor's browser.
const MaxPolicySize = 256 << 10

// maxProblems bounds the problems reported for one policy: past it a policy is not a
// policy, and a list of thousands of problems helps nobody.
const maxProblems = 100

// Rules of §3 with numbers in them.
const (
	defaultConsentDays = 182 // about 6 months (CNIL, recommendation 2020-092, art. 2)
	maxConsentDays     = 395 // 13 months
	maxIDLength        = 64
	maxRevision        = 1 << 53 // JavaScript's exact integers, as jsonValue.integer
)

// The keys each object of policy.json may hold (CONTRACT.md §3).
var (
	policyKeys      = []string{"$schema", "revision", "defaultLanguage", "cookie", "respectGlobalPrivacyControl", "reloadOnWithdraw", "policyUrl", "theme", "layout", "texts", "categories", "receipts", "googleConsentMode", "matomo"}
	cookieKeys      = []string{"name", "expiresAfterDays", "domain", "path", "sameSite"}
	categoryKeys    = []string{"id", "required", "title", "description", "cookies", "services"}
	serviceKeys     = []string{"id", "title", "description", "consentRequired", "cookies"}
	declarationKeys = []string{"provider", "names", "storage", "function", "purpose", "expiresAfterDays"}
)

// Problem is one broken rule of a refused policy.
type Problem struct {
	Path         string // where, as a JavaScript-like path ("categories[1].id"); "" for the whole document
	Line, Column int    // 1-based position of the value (or key) at fault; 0 when it has none
	Msg          string
}

// String formats the problem as one line without the "policy: " prefix: "path: message
// (line L, column C)", or "line L, column C: message" when there is no path (JSON
// syntax).
func (p Problem) String() string {
	position := "line " + strconv.Itoa(p.Line) + ", column " + strconv.Itoa(p.Column)
	switch {
	case p.Path != "" && p.Line > 0:
		return p.Path + ": " + p.Msg + " (" + position + ")"
	case p.Path != "":
		return p.Path + ": " + p.Msg
	case p.Line > 0:
		return position + ": " + p.Msg
	}
	return p.Msg
}

// PolicyError is the error of ParsePolicy: every problem found, in document order.
type PolicyError struct {
	Problems []Problem
}

// Error returns one line per problem, each prefixed "policy: ".
func (e *PolicyError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("policy: ")
		b.WriteString(p.String())
	}
	return b.String()
}

// ParsePolicy parses and validates a policy.json document (CONTRACT.md §3) and fills in
// the defaults. It refuses the policy as a whole when any rule is broken: the error is then
// a *PolicyError listing every problem.
func ParsePolicy(data []byte) (*Policy, error) {
	return ParsePolicyOn(data, "")
}

// ParsePolicyOn is ParsePolicy for a page whose origin is known, as location.origin writes
// it ("https://example.org"): rules that depend on the page, such as receipts.endpoint
// being on the page's own origin (CONTRACT.md §10), are checked against it too. An empty
// origin checks what can be checked without one, as ParsePolicy does.
func ParsePolicyOn(data []byte, origin string) (*Policy, error) {
	if len(data) > MaxPolicySize {
		return nil, &PolicyError{Problems: []Problem{{
			Msg: "too large: " + strconv.Itoa(len(data)) + " bytes, more than the " + strconv.Itoa(MaxPolicySize) + " bytes (256 KiB) allowed",
		}}}
	}
	root, err := parseJSON(data)
	if err != nil {
		problem := Problem{Msg: err.Error()}
		if se, ok := err.(*SyntaxError); ok {
			problem = Problem{Line: se.Line, Column: se.Column, Msg: se.Msg}
		}
		return nil, &PolicyError{Problems: []Problem{problem}}
	}
	pp := &policyParser{data: data, origin: origin}
	p := pp.policy(root)
	if len(pp.problems) == 0 {
		return p, nil
	}
	return nil, &PolicyError{Problems: pp.positioned()}
}

// policyParser validates the JSON tree of one policy and collects its problems.
type policyParser struct {
	data     []byte
	lang     string // the defaultLanguage once known to be valid: every localized text needs it
	origin   string // the page's origin, or "" when unknown (ParsePolicyOn)
	problems []offsetProblem
}

// offsetProblem is a problem whose place is still a byte offset: positions are computed
// once, in one pass, for the problems kept (see positioned).
type offsetProblem struct {
	path   string
	offset int
	msg    string
}

// report records a problem with the value that starts at offset.
func (pp *policyParser) report(path string, offset int, msg string) {
	pp.problems = append(pp.problems, offsetProblem{path: path, offset: offset, msg: msg})
}

// positioned returns the problems in document order, at most maxProblems of them plus a
// line counting the rest, with their lines and columns as LineColumn counts them.
func (pp *policyParser) positioned() []Problem {
	found := pp.problems
	sortProblemsByOffset(found)
	more := 0
	if len(found) > maxProblems {
		found, more = found[:maxProblems], len(found)-maxProblems
	}
	problems := make([]Problem, 0, len(found)+1)
	line, column, from := 1, 1, 0
	for _, f := range found {
		// Count from the previous problem's offset on, so that the whole pass is linear.
		// Offsets point at JSON punctuation, never inside a character or at a byte
		// order mark, so counting can restart there.
		l, c := LineColumn(pp.data[from:], f.offset-from)
		if l > 1 {
			line, column = line+l-1, c
		} else {
			column += c - 1
		}
		from = f.offset
		problems = append(problems, Problem{Path: f.path, Line: line, Column: column, Msg: f.msg})
	}
	if more > 0 {
		problems = append(problems, Problem{Msg: "and " + strconv.Itoa(more) + " more problems"})
	}
	return problems
}

// wrongType reports a value of the wrong JSON type; want names the right one with its
// article ("a string").
func (pp *policyParser) wrongType(v *jsonValue, path, want string) {
	pp.report(path, v.offset, "expected "+want+", got "+v.kind.String())
}

// memberPath returns the path of key inside the object at path, written as JavaScript
// would: a.b when key is an identifier, a["pt-BR"] otherwise.
func memberPath(path, key string) string {
	if !isIdentifier(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// elemPath returns the path of element i of the array at path.
func elemPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// isIdentifier reports whether key can follow a '.' in a JavaScript path: ASCII letters,
// digits, '_' and '$', not starting with a digit.
func isIdentifier(key string) bool {
	if key == "" || '0' <= key[0] && key[0] <= '9' {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '$') {
			return false
		}
	}
	return true
}

// keyOffset returns the offset of the opening quote of the key written before the value
// at valueOffset, so that a problem with a key points at the key. The document has parsed,
// so the key is a string followed by ':' and white space: the scan goes back to the first
// '"' not escaped by an odd number of backslashes. It falls back to valueOffset.
func (pp *policyParser) keyOffset(valueOffset int) int {
	d := pp.data
	i := valueOffset - 1
	skipSpace := func() {
		for i >= 0 && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r') {
			i--
		}
	}
	skipSpace()
	if i < 0 || d[i] != ':' {
		return valueOffset
	}
	i--
	skipSpace()
	if i < 0 || d[i] != '"' {
		return valueOffset
	}
	for i--; i >= 0; i-- {
		if d[i] != '"' {
			continue
		}
		backslashes := 0
		for j := i - 1; j >= 0 && d[j] == '\\'; j-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return i
		}
	}
	return valueOffset
}

// object checks that v is an object holding only the allowed keys, and reports every
// other key with the list of allowed ones. It returns false when v is not an object.
func (pp *policyParser) object(v *jsonValue, path string, allowed []string) bool {
	if v.kind != jsonObject {
		pp.wrongType(v, path, "an object")
		return false
	}
	for _, m := range v.members {
		if !slices.Contains(allowed, m.key) {
			pp.unknownKey(m, path, allowed)
		}
	}
	return true
}

// unknownKey reports a key that the object at path may not hold, suggesting the allowed
// key it differs from only by case, if any ("policyURL" for "policyUrl").
func (pp *policyParser) unknownKey(m jsonMember, path string, allowed []string) {
	msg := "unknown key"
	for _, a := range allowed {
		if strings.EqualFold(a, m.key) {
			msg += " (did you mean " + strconv.Quote(a) + "?)"
			break
		}
	}
	pp.report(memberPath(path, m.key), pp.keyOffset(m.value.offset), msg+"; allowed keys: "+strings.Join(allowed, ", "))
}

// required returns the member key of the object v at path, and reports it missing when
// it is not there, at the object's position.
func (pp *policyParser) required(v *jsonValue, path, key string) *jsonValue {
	m := v.member(key)
	if m == nil {
		pp.report(memberPath(path, key), v.offset, "required but missing")
	}
	return m
}

// str returns v's string, or reports that v is not a string.
func (pp *policyParser) str(v *jsonValue, path string) (string, bool) {
	if v.kind != jsonString {
		pp.wrongType(v, path, "a string")
		return "", false
	}
	return v.str, true
}

// boolean returns v's boolean, or def after reporting that v is not a boolean.
func (pp *policyParser) boolean(v *jsonValue, path string, def bool) bool {
	if v.kind != jsonBool {
		pp.wrongType(v, path, "a boolean (true or false)")
		return def
	}
	return v.boolean
}

// oneOf returns v's string when it is one of allowed, or def after reporting the problem.
func (pp *policyParser) oneOf(v *jsonValue, path string, allowed []string, def string) string {
	s, ok := pp.str(v, path)
	if !ok {
		return def
	}
	if slices.Contains(allowed, s) {
		return s
	}
	quoted := make([]string, len(allowed))
	for i, a := range allowed {
		quoted[i] = strconv.Quote(a)
	}
	pp.report(path, v.offset, strconv.Quote(s)+" is not allowed: write one of "+strings.Join(quoted, ", "))
	return def
}

// integerIn returns v as an integer from lo to hi, or def after reporting the problem;
// want describes the range for the message.
func (pp *policyParser) integerIn(v *jsonValue, path string, lo, hi, def int, want string) int {
	if v.kind != jsonNumber {
		pp.wrongType(v, path, want)
		return def
	}
	n, ok := v.integer()
	if !ok || n < lo || n > hi {
		pp.report(path, v.offset, "expected "+want+", got "+v.number)
		return def
	}
	return n
}

// policy validates the document's root object (CONTRACT.md §3).
func (pp *policyParser) policy(v *jsonValue) *Policy {
	p := &Policy{
		Cookie: CookieSettings{
			Name:             DefaultCookieName,
			ExpiresAfterDays: defaultConsentDays,
			Path:             "/",
			SameSite:         "Lax",
		},
		RespectGPC: true,
		Theme:      ThemeAuto,
		Layout:     LayoutBar,
	}
	if !pp.object(v, "", policyKeys) {
		return p
	}
	// defaultLanguage comes first: every localized text is checked against it.
	if lv := pp.required(v, "", "defaultLanguage"); lv != nil {
		if s, ok := pp.str(lv, "defaultLanguage"); ok {
			if validLanguageTag(s) {
				p.DefaultLanguage, pp.lang = s, s
			} else {
				pp.report("defaultLanguage", lv.offset, notLanguageCode(s))
			}
		}
	}
	if sv := v.member("$schema"); sv != nil {
		p.Schema, _ = pp.str(sv, "$schema")
	}
	if rv := pp.required(v, "", "revision"); rv != nil {
		p.Revision = pp.integerIn(rv, "revision", 1, maxRevision, 0, "an integer ≥ 1")
	}
	if cv := v.member("cookie"); cv != nil {
		pp.cookie(cv, &p.Cookie)
	}
	if gv := v.member("respectGlobalPrivacyControl"); gv != nil {
		p.RespectGPC = pp.boolean(gv, "respectGlobalPrivacyControl", true)
	}
	if rv := v.member("reloadOnWithdraw"); rv != nil {
		p.ReloadOnWithdraw = pp.boolean(rv, "reloadOnWithdraw", false)
	}
	if tv := v.member("theme"); tv != nil {
		p.Theme = pp.oneOf(tv, "theme", []string{ThemeAuto, ThemeLight, ThemeDark}, ThemeAuto)
	}
	if lv := v.member("layout"); lv != nil {
		p.Layout = pp.oneOf(lv, "layout", []string{LayoutBar, LayoutBox}, LayoutBar)
	}
	if uv := v.member("policyUrl"); uv != nil {
		if s, ok := pp.str(uv, "policyUrl"); ok {
			if SafeURL(s) {
				p.PolicyURL = s
			} else {
				pp.report("policyUrl", uv.offset, unsafeURL(s))
			}
		}
	}
	if tv := v.member("texts"); tv != nil {
		p.Texts = pp.texts(tv)
	}
	if cv := pp.required(v, "", "categories"); cv != nil {
		p.Categories = pp.categories(cv)
	}
	if rv := v.member("receipts"); rv != nil {
		p.Receipts = pp.receipts(rv)
	}
	// Keys that name categories come after them (§11).
	if gv := v.member("googleConsentMode"); gv != nil {
		p.ConsentMode = pp.consentMode(gv, p.Categories)
	}
	if mv := v.member("matomo"); mv != nil {
		p.Matomo = pp.matomo(mv, p.Categories)
	}
	return p
}

// notLanguageCode is the message for a string that is not a language code.
func notLanguageCode(s string) string {
	return strconv.Quote(s) + ` is not a language code (like "en", "fr" or "pt-BR")`
}

// unsafeURL is the message for a URL that SafeURL refuses.
func unsafeURL(s string) string {
	return strconv.Quote(s) + " is not allowed: use an http:, https:, mailto: or relative URL"
}

// cookie validates the "cookie" object into c, which holds the defaults (CONTRACT.md §3
// and §4).
func (pp *policyParser) cookie(v *jsonValue, c *CookieSettings) {
	const path = "cookie"
	if !pp.object(v, path, cookieKeys) {
		return
	}
	if nv := v.member("name"); nv != nil {
		if s, ok := pp.str(nv, "cookie.name"); ok {
			if isCookieNameToken(s) {
				c.Name = s
			} else {
				pp.report("cookie.name", nv.offset, strconv.Quote(s)+" is not a cookie name: RFC 6265 allows letters, digits and !#$%&'*+-.^_`|~ only")
			}
		}
	}
	if ev := v.member("expiresAfterDays"); ev != nil {
		c.ExpiresAfterDays = pp.integerIn(ev, "cookie.expiresAfterDays", 1, maxConsentDays, defaultConsentDays, "an integer from 1 to 395 (13 months)")
	}
	if dv := v.member("domain"); dv != nil {
		if s, ok := pp.str(dv, "cookie.domain"); ok {
			if msg := cookieDomainProblem(s); msg != "" {
				pp.report("cookie.domain", dv.offset, msg)
			} else {
				c.Domain = s
			}
		}
	}
	if pv := v.member("path"); pv != nil {
		if s, ok := pp.str(pv, "cookie.path"); ok {
			if msg := cookiePathProblem(s); msg != "" {
				pp.report("cookie.path", pv.offset, msg)
			} else {
				c.Path = s
			}
		}
	}
	if sv := v.member("sameSite"); sv != nil {
		if s, ok := pp.str(sv, "cookie.sameSite"); ok {
			switch s {
			case "Lax", "Strict", "None":
				c.SameSite = s
			default:
				pp.report("cookie.sameSite", sv.offset, strconv.Quote(s)+` is not allowed: write exactly "Lax", "Strict" or "None"`)
			}
		}
	}
}

// isCookieNameToken reports whether s is a cookie-name as RFC 6265 section 4.1.1 defines
// it: a token of RFC 2616 section 2.2, that is one or more US-ASCII characters other than
// controls, space and the separators ()<>@,;:\"/[]?={}.
func isCookieNameToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}

// isDeclaredCookieName reports whether s can be the name of a cookie declared in the
// policy, '*' standing for any run of characters. It departs from RFC 6265's token on
// purpose: sites do set names such as "wp-settings-[1]" that browsers accept, and a
// declaration only has to match what document.cookie shows. So only what cannot be part of
// a name there is refused: controls, space, '"', ',', ';', '=' and '\'.
func isDeclaredCookieName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == 0x7f || strings.IndexByte(`",;=\`, c) >= 0 {
			return false
		}
	}
	return true
}

// cookieDomainProblem checks a cookie.domain value and returns what is wrong with it, or "".
// It must be "" (a host-only cookie) or a domain name, with an optional leading '.' that
// RFC 6265 section 5.2.3 ignores: labels of ASCII letters, digits and hyphens, 1 to 63
// characters, not starting or ending with a hyphen, 253 characters in all (RFC 1035
// section 2.3.1, RFC 1123 section 2.1). Internationalized names are written in their
// "xn--" form. Addresses such as "https://example.com/" get a message saying what to drop.
func cookieDomainProblem(s string) string {
	if s == "" {
		return ""
	}
	q := strconv.Quote(s)
	switch {
	case strings.Contains(s, "://"):
		return q + ` is not a domain name: write it without the scheme, like ".example.com"`
	case strings.ContainsAny(s, "/?#"):
		return q + ` is not a domain name: write it without a path, like ".example.com"`
	case strings.Contains(s, ":"):
		return q + ` is not a domain name: write it without a port, like ".example.com"`
	}
	name := strings.TrimPrefix(s, ".")
	if len(name) > 253 {
		return q + " is not a domain name: longer than 253 characters"
	}
	for _, label := range strings.Split(name, ".") {
		ok := len(label) >= 1 && len(label) <= 63 && label[0] != '-' && label[len(label)-1] != '-'
		for i := 0; ok && i < len(label); i++ {
			c := label[i] | 0x20
			ok = 'a' <= c && c <= 'z' || '0' <= label[i] && label[i] <= '9' || label[i] == '-'
		}
		if !ok {
			return q + ` is not a domain name: use letters, digits and hyphens between dots, like ".example.com" (write international names in their "xn--" form)`
		}
	}
	return ""
}

// cookiePathProblem checks a cookie.path value and returns what is wrong with it, or "".
// The path must start with '/' (RFC 6265 section 5.2.4 ignores any other) and be a
// path-value of section 4.1.1: US-ASCII characters other than controls and ';'.
func cookiePathProblem(s string) string {
	if !strings.HasPrefix(s, "/") {
		return strconv.Quote(s) + ` is not a cookie path: it must start with "/"`
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c >= 0x7f || c == ';' {
			return strconv.Quote(s) + " is not a cookie path: use printable ASCII characters other than ';' (percent-encode the others)"
		}
	}
	return ""
}

// validID reports whether s is a category or service id: 1 to 64 characters among a-z,
// 0-9, '_' and '-' (CONTRACT.md §3). Ids appear in data-category attributes and in the
// consent cookie, so they are kept to characters that need no escaping in either.
func validID(s string) bool {
	if len(s) < 1 || len(s) > maxIDLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// id validates the "id" of the category or service object v at path, unique among seen.
func (pp *policyParser) id(v *jsonValue, path string, seen map[string]bool) string {
	iv := pp.required(v, path, "id")
	if iv == nil {
		return ""
	}
	s, ok := pp.str(iv, memberPath(path, "id"))
	switch {
	case !ok:
		return ""
	case !validID(s):
		pp.report(memberPath(path, "id"), iv.offset, strconv.Quote(s)+` is not a valid id: use 1 to 64 characters among a-z, 0-9, "_" and "-"`)
	case seen[s]:
		pp.report(memberPath(path, "id"), iv.offset, "duplicate "+strconv.Quote(s))
	}
	seen[s] = true
	return s
}

// text validates a localized text (CONTRACT.md §3): a string, the same in every language,
// or an object keyed by language code whose values are strings, which must include the
// defaultLanguage. A plain string is stored under the key "".
func (pp *policyParser) text(v *jsonValue, path string) Text {
	switch v.kind {
	case jsonString:
		pp.textString(v, path)
		return Text{"": v.str}
	case jsonObject:
		t := make(Text, len(v.members))
		for _, m := range v.members {
			langPath := memberPath(path, m.key)
			if !validLanguageTag(m.key) {
				pp.report(langPath, pp.keyOffset(m.value.offset), notLanguageCode(m.key))
				continue
			}
			if m.value.kind != jsonString {
				pp.wrongType(m.value, langPath, "a string")
				continue
			}
			pp.textString(m.value, langPath)
			t[m.key] = m.value.str
		}
		if pp.lang != "" && v.member(pp.lang) == nil {
			pp.report(path, v.offset, "no "+strconv.Quote(pp.lang)+" text (the defaultLanguage)")
		} else if len(v.members) == 0 {
			pp.report(path, v.offset, "expected at least one text, got an empty object")
		}
		return t
	}
	pp.wrongType(v, path, "a string or an object of texts by language")
	return nil
}

// textString checks one string of a localized text: it must not be blank, and each
// [label](url) link in it must pass SafeURL, wherever the text is shown.
func (pp *policyParser) textString(v *jsonValue, path string) {
	if strings.TrimSpace(v.str) == "" {
		pp.report(path, v.offset, "empty text")
		return
	}
	for _, seg := range SplitLinks(v.str) {
		if seg.Link && !SafeURL(seg.URL) {
			pp.report(path, v.offset, "link "+unsafeURL(seg.URL))
		}
	}
}

// texts validates the "texts" overrides: an object keyed by UI text key.
func (pp *policyParser) texts(v *jsonValue) map[string]Text {
	if !pp.object(v, "texts", uiTextKeys) {
		return nil
	}
	texts := make(map[string]Text, len(v.members))
	for _, m := range v.members {
		if isUITextKey(m.key) {
			texts[m.key] = pp.text(m.value, memberPath("texts", m.key))
		}
	}
	return texts
}

// categories validates the "categories" array: at least one category, ids unique, at least
// one required category (CONTRACT.md §3).
func (pp *policyParser) categories(v *jsonValue) []Category {
	const path = "categories"
	if v.kind != jsonArray {
		pp.wrongType(v, path, "an array")
		return nil
	}
	if len(v.elems) == 0 {
		pp.report(path, v.offset, `expected at least one category, got an empty array (a category with "required": true is needed)`)
		return nil
	}
	seen := map[string]bool{}
	categories := make([]Category, 0, len(v.elems))
	anyRequired := false
	for i, e := range v.elems {
		c := pp.category(e, elemPath(path, i), seen)
		anyRequired = anyRequired || c.Required
		categories = append(categories, c)
	}
	if !anyRequired {
		pp.report(path, v.offset, `no required category: at least one category (the necessary cookies) must have "required": true`)
	}
	return categories
}

// category validates one category. A service inside a required category is allowed
// (CONTRACT.md §4: a policy the contract allows is never refused) and always on, like its
// category; `consentry validate` warns about it, since the visitor is not asked.
func (pp *policyParser) category(v *jsonValue, path string, seen map[string]bool) Category {
	var c Category
	if !pp.object(v, path, categoryKeys) {
		return c
	}
	c.ID = pp.id(v, path, seen)
	if rv := v.member("required"); rv != nil {
		c.Required = pp.boolean(rv, memberPath(path, "required"), false)
	}
	if tv := pp.required(v, path, "title"); tv != nil {
		c.Title = pp.text(tv, memberPath(path, "title"))
	}
	if dv := v.member("description"); dv != nil {
		c.Description = pp.text(dv, memberPath(path, "description"))
	}
	if cv := v.member("cookies"); cv != nil {
		c.Cookies = pp.declarations(cv, memberPath(path, "cookies"))
	}
	if sv := v.member("services"); sv != nil {
		servicesPath := memberPath(path, "services")
		if sv.kind != jsonArray {
			pp.wrongType(sv, servicesPath, "an array")
			return c
		}
		seenServices := map[string]bool{}
		for i, e := range sv.elems {
			c.Services = append(c.Services, pp.service(e, elemPath(servicesPath, i), seenServices))
		}
	}
	return c
}

// service validates one service of a category; consentRequired defaults to true.
func (pp *policyParser) service(v *jsonValue, path string, seen map[string]bool) Service {
	s := Service{ConsentRequired: true}
	if !pp.object(v, path, serviceKeys) {
		return s
	}
	s.ID = pp.id(v, path, seen)
	if tv := pp.required(v, path, "title"); tv != nil {
		s.Title = pp.text(tv, memberPath(path, "title"))
	}
	if dv := v.member("description"); dv != nil {
		s.Description = pp.text(dv, memberPath(path, "description"))
	}
	if cv := v.member("consentRequired"); cv != nil {
		s.ConsentRequired = pp.boolean(cv, memberPath(path, "consentRequired"), true)
	}
	if cv := v.member("cookies"); cv != nil {
		s.Cookies = pp.declarations(cv, memberPath(path, "cookies"))
	}
	return s
}

// declarations validates a "cookies" array, the cookie declaration table: each row has a
// provider and at least one cookie name; function and purpose are optional.
func (pp *policyParser) declarations(v *jsonValue, path string) []CookieDeclaration {
	if v.kind != jsonArray {
		pp.wrongType(v, path, "an array")
		return nil
	}
	declarations := make([]CookieDeclaration, 0, len(v.elems))
	for i, e := range v.elems {
		rowPath := elemPath(path, i)
		var d CookieDeclaration
		if pp.object(e, rowPath, declarationKeys) {
			if pv := pp.required(e, rowPath, "provider"); pv != nil {
				d.Provider = pp.text(pv, memberPath(rowPath, "provider"))
			}
			// A row declares cookies ("names"), storage keys ("storage", 1.1), or both.
			if sv := e.member("storage"); sv != nil {
				d.Storage = pp.storageKeys(sv, memberPath(rowPath, "storage"))
				if nv := e.member("names"); nv != nil {
					d.Names = pp.cookieNames(nv, memberPath(rowPath, "names"))
				}
			} else if nv := pp.required(e, rowPath, "names"); nv != nil {
				d.Names = pp.cookieNames(nv, memberPath(rowPath, "names"))
			}
			if fv := e.member("function"); fv != nil {
				d.Function = pp.text(fv, memberPath(rowPath, "function"))
			}
			if pv := e.member("purpose"); pv != nil {
				d.Purpose = pp.text(pv, memberPath(rowPath, "purpose"))
			}
			if ev := e.member("expiresAfterDays"); ev != nil {
				d.ExpiresAfterDays = pp.cookieLifetime(ev, memberPath(rowPath, "expiresAfterDays"))
			}
		}
		declarations = append(declarations, d)
	}
	return declarations
}

// cookieNames validates the "names" of a declaration: a non-empty array of cookie names,
// '*' being a wildcard (see isDeclaredCookieName).
func (pp *policyParser) cookieNames(v *jsonValue, path string) []string {
	if v.kind != jsonArray {
		pp.wrongType(v, path, "an array of cookie names")
		return nil
	}
	if len(v.elems) == 0 {
		pp.report(path, v.offset, "expected at least one cookie name, got an empty array")
		return nil
	}
	names := make([]string, 0, len(v.elems))
	for i, e := range v.elems {
		namePath := elemPath(path, i)
		s, ok := pp.str(e, namePath)
		if !ok {
			continue
		}
		if !isDeclaredCookieName(s) {
			pp.report(namePath, e.offset, strconv.Quote(s)+` is not a cookie name: it must not be empty or contain spaces, control characters or any of " , ; = \`)
			continue
		}
		names = append(names, s)
	}
	return names
}

// SafeURL reports whether s may be used as the policyUrl or as the URL of a [label](url)
// link in a text (CONTRACT.md §3): an http:, https: or mailto: URL, or a relative one,
// which the page resolves against its own http(s) address ("//host/path" included).
//
// It reads s as the WHATWG URL Standard's basic URL parser would: leading and trailing C0
// controls and spaces are stripped and every tab and newline removed, so "java\tscript:"
// is read as "javascript:" (and refused), as a browser would. Then, when a ':' comes before
// any '/', '?' or '#', what precedes it is the scheme, compared case-insensitively. This is
// stricter than a browser on purpose: "a b:c", which a browser would resolve as a relative
// path, is refused, as RFC 3986 section 4.2 requires such a path to start with "./". The
// empty string, a link to the page itself, is refused as well.
func SafeURL(s string) bool {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return false
	}
	colon := strings.IndexByte(s, ':')
	if colon < 0 || strings.ContainsAny(s[:colon], "/?#") {
		return true // no scheme: a relative URL
	}
	switch strings.ToLower(s[:colon]) {
	case "http", "https", "mailto":
		return true
	}
	return false
}
