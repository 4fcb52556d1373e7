package widget

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// policyInvalidCases are policies that break one rule of CONTRACT.md §3 (or several, where
// the case says so) with the exact error ParsePolicy must give: every problem, one per
// line, each naming its place. The fuzz test uses them as seeds.
func policyInvalidCases() []struct{ desc, in, want string } {
	return []struct{ desc, in, want string }{
		{
			`§3: bad JSON is refused with the line and column of the syntax error`,
			`{
  "revision": 1,
  "defaultLanguage":
    }
}`,
			`policy: line 4, column 5: unexpected '}', expected a value`,
		},
		{
			`§3: bad JSON: a trailing comma, which JSON does not allow`,
			`{
  "revision": 1,
}`,
			`policy: line 3, column 1: unexpected '}', expected a key in double quotes`,
		},
		{
			`§3: bad JSON: a duplicate key is refused, as the values would be ambiguous`,
			`{"revision":1,"revision":2}`,
			`policy: line 1, column 15: duplicate key "revision"`,
		},
		{
			`§3: the policy is a JSON object`,
			`["necessary"]`,
			`policy: line 1, column 1: expected an object, got array`,
		},
		{
			`§3: unknown key at the top level, with the list of allowed keys`,
			`{"revision":1,"defaultLanguage":"en","colors":"dark","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: colors: unknown key; allowed keys: $schema, revision, defaultLanguage, cookie, respectGlobalPrivacyControl, reloadOnWithdraw, policyUrl, theme, layout, texts, categories, receipts, googleConsentMode, matomo (line 1, column 38)`,
		},
		{
			`§3: unknown key differing only by case from a known one gets a suggestion`,
			`{"revision":1,"defaultLanguage":"en","policyURL":"/cookies","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: policyURL: unknown key (did you mean "policyUrl"?); allowed keys: $schema, revision, defaultLanguage, cookie, respectGlobalPrivacyControl, reloadOnWithdraw, policyUrl, theme, layout, texts, categories, receipts, googleConsentMode, matomo (line 1, column 38)`,
		},
		{
			`§3: unknown key inside cookie`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"secure":true},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie.secure: unknown key; allowed keys: name, expiresAfterDays, domain, path, sameSite (line 1, column 48)`,
		},
		{
			`§3: unknown key inside a category, named by a JS path that quotes non-identifiers`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","always-on":true}]}`,
			`policy: categories[0]["always-on"]: unknown key; allowed keys: id, required, title, description, cookies, services (line 1, column 106)`,
		},
		{
			`§3: unknown key inside a service`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"},{"id":"statistics","title":"Statistics","services":[{"id":"matomo","title":"Matomo","vendor":"x"}]}]}`,
			`policy: categories[1].services[0].vendor: unknown key; allowed keys: id, title, description, consentRequired, cookies (line 1, column 191)`,
		},
		{
			`§3: unknown key inside a cookie declaration`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","cookies":[{"provider":"Opendatasoft","names":["sessionid"],"duration":"2 weeks"}]}]}`,
			`policy: categories[0].cookies[0].duration: unknown key; allowed keys: provider, names, storage, function, purpose, expiresAfterDays (line 1, column 166)`,
		},
		{
			`§3: texts keys are the UI text keys of §8 only`,
			`{"revision":1,"defaultLanguage":"en","texts":{"acceptEverything":"OK"},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: texts.acceptEverything: unknown key; allowed keys: bannerTitle, bannerDescription, acceptAll, rejectAll, customize, save, close, preferencesTitle, preferencesDescription, alwaysOn, policyLink, providerColumn, functionColumn, cookieNamesColumn, purposeColumn, continueWithoutAccepting, durationColumn, savedStatus, exemptService, cookieDetails, gpcHonoured, on, off, bannerPurposes, storageKeys (line 1, column 47)`,
		},
		{
			`§3: revision is required`,
			`{"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: revision: required but missing (line 1, column 1)`,
		},
		{
			`§3: revision is an integer, not a string`,
			`{"revision":"1","defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: revision: expected an integer ≥ 1, got string (line 1, column 13)`,
		},
		{
			`§3: revision is at least 1`,
			`{"revision":0,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: revision: expected an integer ≥ 1, got 0 (line 1, column 13)`,
		},
		{
			`§3: revision is an integer, not a fraction`,
			`{"revision":1.5,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: revision: expected an integer ≥ 1, got 1.5 (line 1, column 13)`,
		},
		{
			`§3: revision must be exact in JavaScript (at most 2^53)`,
			`{"revision":9007199254740993,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: revision: expected an integer ≥ 1, got 9007199254740993 (line 1, column 13)`,
		},
		{
			`§3: defaultLanguage is required`,
			`{"revision":1,"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: defaultLanguage: required but missing (line 1, column 1)`,
		},
		{
			`§3: defaultLanguage is a string`,
			`{"revision":1,"defaultLanguage":null,"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: defaultLanguage: expected a string, got null (line 1, column 33)`,
		},
		{
			`§3: defaultLanguage is a BCP 47 language code, hyphenated`,
			`{"revision":1,"defaultLanguage":"en_US","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: defaultLanguage: "en_US" is not a language code (like "en", "fr" or "pt-BR") (line 1, column 33)`,
		},
		{
			`§3: defaultLanguage has at least two letters`,
			`{"revision":1,"defaultLanguage":"e","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: defaultLanguage: "e" is not a language code (like "en", "fr" or "pt-BR") (line 1, column 33)`,
		},
		{
			`§3: cookie is an object`,
			`{"revision":1,"defaultLanguage":"en","cookie":"cookies_preferences","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie: expected an object, got string (line 1, column 47)`,
		},
		{
			`§3 and RFC 6265 §4.1.1: cookie.name is a token, without spaces`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"name":"my cookie"},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			"policy: cookie.name: \"my cookie\" is not a cookie name: RFC 6265 allows letters, digits and !#$%&'*+-.^_`|~ only (line 1, column 55)",
		},
		{
			`§3 and RFC 6265 §4.1.1: cookie.name is not empty`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"name":""},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			"policy: cookie.name: \"\" is not a cookie name: RFC 6265 allows letters, digits and !#$%&'*+-.^_`|~ only (line 1, column 55)",
		},
		{
			`§3 and RFC 6265 §4.1.1: cookie.name has no '=' (it would split the cookie)`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"name":"a=b"},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			"policy: cookie.name: \"a=b\" is not a cookie name: RFC 6265 allows letters, digits and !#$%&'*+-.^_`|~ only (line 1, column 55)",
		},
		{
			`§3: cookie.expiresAfterDays is at most 395 days (13 months)`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"expiresAfterDays":396},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie.expiresAfterDays: expected an integer from 1 to 395 (13 months), got 396 (line 1, column 67)`,
		},
		{
			`§3: cookie.expiresAfterDays is at least 1 day`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"expiresAfterDays":0},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie.expiresAfterDays: expected an integer from 1 to 395 (13 months), got 0 (line 1, column 67)`,
		},
		{
			`§3: cookie.expiresAfterDays is a whole number of days`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"expiresAfterDays":182.5},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie.expiresAfterDays: expected an integer from 1 to 395 (13 months), got 182.5 (line 1, column 67)`,
		},
		{
			`§3: cookie.expiresAfterDays is a number, not a string`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"expiresAfterDays":"182"},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie.expiresAfterDays: expected an integer from 1 to 395 (13 months), got string (line 1, column 67)`,
		},
		{
			`§3: cookie.domain is a domain name, without a scheme`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"domain":"https://example.com"},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie.domain: "https://example.com" is not a domain name: write it without the scheme, like ".example.com" (line 1, column 57)`,
		},
		{
			`§3: cookie.domain has no port`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"domain":"example.com:8080"},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie.domain: "example.com:8080" is not a domain name: write it without a port, like ".example.com" (line 1, column 57)`,
		},
		{
			`§3: cookie.domain has no path`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"domain":".example.com/data"},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie.domain: ".example.com/data" is not a domain name: write it without a path, like ".example.com" (line 1, column 57)`,
		},
		{
			`§3 and RFC 1123 §2.1: cookie.domain labels are letters, digits and inner hyphens`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"domain":"-data.example.com"},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie.domain: "-data.example.com" is not a domain name: use letters, digits and hyphens between dots, like ".example.com" (write international names in their "xn--" form) (line 1, column 57)`,
		},
		{
			`§3: cookie.domain has no empty label`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"domain":"example..com"},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie.domain: "example..com" is not a domain name: use letters, digits and hyphens between dots, like ".example.com" (write international names in their "xn--" form) (line 1, column 57)`,
		},
		{
			`§3 and RFC 6265 §5.2.4: cookie.path starts with '/'`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"path":"portal"},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie.path: "portal" is not a cookie path: it must start with "/" (line 1, column 55)`,
		},
		{
			`§3 and RFC 6265 §4.1.1: cookie.path has no ';', which would start another attribute`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"path":"/;Domain=evil.example"},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie.path: "/;Domain=evil.example" is not a cookie path: use printable ASCII characters other than ';' (percent-encode the others) (line 1, column 55)`,
		},
		{
			`§3: cookie.sameSite is exactly Lax, Strict or None: the case matters`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"sameSite":"lax"},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie.sameSite: "lax" is not allowed: write exactly "Lax", "Strict" or "None" (line 1, column 59)`,
		},
		{
			`§3 (theme, issue 3): theme is auto, light or dark`,
			`{"revision":1,"defaultLanguage":"en","theme":"night","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: theme: "night" is not allowed: write one of "auto", "light", "dark" (line 1, column 46)`,
		},
		{
			`§3 (layout, issue 3): layout is bar or box`,
			`{"revision":1,"defaultLanguage":"en","layout":"Box","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: layout: "Box" is not allowed: write one of "bar", "box" (line 1, column 47)`,
		},
		{
			`§3 (reloadOnWithdraw, issue 4): reloadOnWithdraw is a boolean`,
			`{"revision":1,"defaultLanguage":"en","reloadOnWithdraw":"yes","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: reloadOnWithdraw: expected a boolean (true or false), got string (line 1, column 57)`,
		},
		{
			`§3: cookie.sameSite has no other values`,
			`{"revision":1,"defaultLanguage":"en","cookie":{"sameSite":"Secure"},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: cookie.sameSite: "Secure" is not allowed: write exactly "Lax", "Strict" or "None" (line 1, column 59)`,
		},
		{
			`§3: respectGlobalPrivacyControl is a boolean`,
			`{"revision":1,"defaultLanguage":"en","respectGlobalPrivacyControl":"yes","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: respectGlobalPrivacyControl: expected a boolean (true or false), got string (line 1, column 68)`,
		},
		{
			`§3: policyUrl is not a javascript: URL`,
			`{"revision":1,"defaultLanguage":"en","policyUrl":"javascript:alert(1)","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: policyUrl: "javascript:alert(1)" is not allowed: use an http:, https:, mailto: or relative URL (line 1, column 50)`,
		},
		{
			`§3: policyUrl's scheme is compared case-insensitively`,
			`{"revision":1,"defaultLanguage":"en","policyUrl":"JaVaScRiPt:alert(1)","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: policyUrl: "JaVaScRiPt:alert(1)" is not allowed: use an http:, https:, mailto: or relative URL (line 1, column 50)`,
		},
		{
			`§3 and WHATWG URL: a tab inside the scheme is removed by browsers, so it hides nothing`,
			`{"revision":1,"defaultLanguage":"en","policyUrl":"java\tscript:alert(1)","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: policyUrl: "java\tscript:alert(1)" is not allowed: use an http:, https:, mailto: or relative URL (line 1, column 50)`,
		},
		{
			`§3: policyUrl is not a data: URL`,
			`{"revision":1,"defaultLanguage":"en","policyUrl":"data:text/html,<script>alert(1)</script>","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: policyUrl: "data:text/html,<script>alert(1)</script>" is not allowed: use an http:, https:, mailto: or relative URL (line 1, column 50)`,
		},
		{
			`§3: policyUrl is not empty`,
			`{"revision":1,"defaultLanguage":"en","policyUrl":"","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: policyUrl: "" is not allowed: use an http:, https:, mailto: or relative URL (line 1, column 50)`,
		},
		{
			`§3: policyUrl is a string`,
			`{"revision":1,"defaultLanguage":"en","policyUrl":true,"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: policyUrl: expected a string, got boolean (line 1, column 50)`,
		},
		{
			`§3: $schema, when present, is a string`,
			`{"$schema":1,"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: $schema: expected a string, got number (line 1, column 12)`,
		},
		{
			`§3: texts is an object`,
			`{"revision":1,"defaultLanguage":"en","texts":["Accept all"],"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: texts: expected an object, got array (line 1, column 46)`,
		},
		{
			`§3: a localized text in texts has the defaultLanguage`,
			`{"revision":1,"defaultLanguage":"en","texts":{"acceptAll":{"fr":"Tout accepter"}},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: texts.acceptAll: no "en" text (the defaultLanguage) (line 1, column 59)`,
		},
		{
			`§3: a localized text is a string or an object`,
			`{"revision":1,"defaultLanguage":"en","texts":{"acceptAll":["Accept all"]},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: texts.acceptAll: expected a string or an object of texts by language, got array (line 1, column 59)`,
		},
		{
			`§3: the values of a localized text are strings`,
			`{"revision":1,"defaultLanguage":"en","texts":{"acceptAll":{"en":null}},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: texts.acceptAll.en: expected a string, got null (line 1, column 65)`,
		},
		{
			`§3: the keys of a localized text are language codes, hyphenated (BCP 47)`,
			`{"revision":1,"defaultLanguage":"en","texts":{"acceptAll":{"en":"Accept all","fr_FR":"Tout accepter"}},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: texts.acceptAll.fr_FR: "fr_FR" is not a language code (like "en", "fr" or "pt-BR") (line 1, column 78)`,
		},
		{
			`§3: a language key that is not an identifier is quoted in the path`,
			`{"revision":1,"defaultLanguage":"en","texts":{"acceptAll":{"en":"Accept all","fr-":"Tout accepter"}},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: texts.acceptAll["fr-"]: "fr-" is not a language code (like "en", "fr" or "pt-BR") (line 1, column 78)`,
		},
		{
			`§8: a text is not blank, or a button would have no accessible name`,
			`{"revision":1,"defaultLanguage":"en","texts":{"rejectAll":{"en":" "}},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			`policy: texts.rejectAll.en: empty text (line 1, column 65)`,
		},
		{
			`§3: categories is required`,
			`{"revision":1,"defaultLanguage":"en"}`,
			`policy: categories: required but missing (line 1, column 1)`,
		},
		{
			`§3: categories is an array`,
			`{"revision":1,"defaultLanguage":"en","categories":{"necessary":{}}}`,
			`policy: categories: expected an array, got object (line 1, column 51)`,
		},
		{
			`§3: categories is not empty: a required category is needed`,
			`{"revision":1,"defaultLanguage":"en","categories":[]}`,
			`policy: categories: expected at least one category, got an empty array (a category with "required": true is needed) (line 1, column 51)`,
		},
		{
			`§3: at least one category is required`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"statistics","title":"Statistics"}]}`,
			`policy: categories: no required category: at least one category (the necessary cookies) must have "required": true (line 1, column 51)`,
		},
		{
			`§3: a category is an object`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"},"statistics"]}`,
			`policy: categories[1]: expected an object, got string (line 1, column 107)`,
		},
		{
			`§3: a category has an id`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"},{"title":"Statistics"}]}`,
			`policy: categories[1].id: required but missing (line 1, column 107)`,
		},
		{
			`§3: a category id is a string`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":1,"required":true,"title":"Necessary"}]}`,
			`policy: categories[0].id: expected a string, got number (line 1, column 58)`,
		},
		{
			`§3: category ids match [a-z0-9_-]+: no capitals`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"Necessary","required":true,"title":"Necessary"}]}`,
			`policy: categories[0].id: "Necessary" is not a valid id: use 1 to 64 characters among a-z, 0-9, "_" and "-" (line 1, column 58)`,
		},
		{
			`§3: category ids match [a-z0-9_-]+: no spaces`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"third party","required":true,"title":"Third parties"}]}`,
			`policy: categories[0].id: "third party" is not a valid id: use 1 to 64 characters among a-z, 0-9, "_" and "-" (line 1, column 58)`,
		},
		{
			`§3: category ids are not empty`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"","required":true,"title":"Necessary"}]}`,
			`policy: categories[0].id: "" is not a valid id: use 1 to 64 characters among a-z, 0-9, "_" and "-" (line 1, column 58)`,
		},
		{
			`§3: category ids have at most 64 characters`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","required":true,"title":"Necessary"}]}`,
			`policy: categories[0].id: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" is not a valid id: use 1 to 64 characters among a-z, 0-9, "_" and "-" (line 1, column 58)`,
		},
		{
			`§3: category ids are unique`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"},{"id":"statistics","title":"Statistics"},{"id":"statistics","title":"Statistics again"}]}`,
			`policy: categories[2].id: duplicate "statistics" (line 1, column 154)`,
		},
		{
			`§3: required is a boolean; the string "true" does not make the category required`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":"true","title":"Necessary"}]}`,
			`policy: categories: no required category: at least one category (the necessary cookies) must have "required": true (line 1, column 51)
policy: categories[0].required: expected a boolean (true or false), got string (line 1, column 81)`,
		},
		{
			`§3: a category has a title`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true}]}`,
			`policy: categories[0].title: required but missing (line 1, column 52)`,
		},
		{
			`§3: every localized text has the defaultLanguage`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":{"fr":"Nécessaires"}}]}`,
			`policy: categories[0].title: no "en" text (the defaultLanguage) (line 1, column 94)`,
		},
		{
			`§3: an empty localized object has no defaultLanguage text either`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":{}}]}`,
			`policy: categories[0].title: no "en" text (the defaultLanguage) (line 1, column 94)`,
		},
		{
			`§3: a title is a localized text`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":42}]}`,
			`policy: categories[0].title: expected a string or an object of texts by language, got number (line 1, column 94)`,
		},
		{
			`§3: links in a description use the policyUrl rule`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","description":{"en":"See [our policy](javascript:alert(1))."}}]}`,
			`policy: categories[0].description.en: link "javascript:alert(1" is not allowed: use an http:, https:, mailto: or relative URL (line 1, column 126)`,
		},
		{
			`§3: a link to a data: URL is refused, in every language of the text`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","description":{"en":"See [the policy](/cookies).","fr":"Voir [la politique](data:text/html,x)."}}]}`,
			`policy: categories[0].description.fr: link "data:text/html,x" is not allowed: use an http:, https:, mailto: or relative URL (line 1, column 161)`,
		},
		{
			`§3: a link needs a URL`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","description":"See [the policy]()."}]}`,
			`policy: categories[0].description: link "" is not allowed: use an http:, https:, mailto: or relative URL (line 1, column 120)`,
		},
		{
			`§3: cookies is an array of declarations`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","cookies":{"sessionid":"auth"}}]}`,
			`policy: categories[0].cookies: expected an array, got object (line 1, column 116)`,
		},
		{
			`§3: a cookie declaration is an object`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","cookies":["sessionid"]}]}`,
			`policy: categories[0].cookies[0]: expected an object, got string (line 1, column 117)`,
		},
		{
			`§3: a cookie declaration names its provider and its cookies`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","cookies":[{"function":"Authentication"}]}]}`,
			`policy: categories[0].cookies[0].provider: required but missing (line 1, column 117)
policy: categories[0].cookies[0].names: required but missing (line 1, column 117)`,
		},
		{
			`§3: names is an array`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","cookies":[{"provider":"Opendatasoft","names":"sessionid"}]}]}`,
			`policy: categories[0].cookies[0].names: expected an array of cookie names, got string (line 1, column 152)`,
		},
		{
			`§3: names is not empty`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","cookies":[{"provider":"Opendatasoft","names":[]}]}]}`,
			`policy: categories[0].cookies[0].names: expected at least one cookie name, got an empty array (line 1, column 152)`,
		},
		{
			`§3: names are strings`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","cookies":[{"provider":"Opendatasoft","names":["sessionid",7]}]}]}`,
			`policy: categories[0].cookies[0].names[1]: expected a string, got number (line 1, column 165)`,
		},
		{
			`§3 1.1: storage is an array of storage keys`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","cookies":[{"provider":"Matomo","storage":"_pk_*"}]}]}`,
			`policy: categories[0].cookies[0].storage: expected an array of localStorage or sessionStorage keys, got string (line 1, column 148)`,
		},
		{
			`§3 1.1: storage, when given, names at least one key`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","cookies":[{"provider":"Matomo","names":["_pk_id"],"storage":[]}]}]}`,
			`policy: categories[0].cookies[0].storage: expected at least one storage key, got an empty array (leave "storage" out instead) (line 1, column 167)`,
		},
		{
			`§3 1.1: storage keys are not empty and have no control characters`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","cookies":[{"provider":"Matomo","storage":["","a\u0007b",3]}]}]}`,
			`policy: categories[0].cookies[0].storage[0]: "" is not a storage key: it must not be empty or contain control characters (line 1, column 149)
policy: categories[0].cookies[0].storage[1]: "a\ab" is not a storage key: it must not be empty or contain control characters (line 1, column 152)
policy: categories[0].cookies[0].storage[2]: expected a string, got number (line 1, column 163)`,
		},
		{
			`§3: names are cookie names: not empty, no spaces`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","cookies":[{"provider":"Opendatasoft","names":["","session id"]}]}]}`,
			`policy: categories[0].cookies[0].names[0]: "" is not a cookie name: it must not be empty or contain spaces, control characters or any of " , ; = \ (line 1, column 153)
policy: categories[0].cookies[0].names[1]: "session id" is not a cookie name: it must not be empty or contain spaces, control characters or any of " , ; = \ (line 1, column 156)`,
		},
		{
			`§3: provider, function and purpose are localized texts`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","cookies":[{"provider":{"fr":"Opendatasoft"},"names":["sessionid"],"function":false}]}]}`,
			`policy: categories[0].cookies[0].provider: no "en" text (the defaultLanguage) (line 1, column 129)
policy: categories[0].cookies[0].function: expected a string or an object of texts by language, got boolean (line 1, column 184)`,
		},
		{
			`§3: services is an array`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"},{"id":"statistics","title":"Statistics","services":{"id":"matomo"}}]}`,
			`policy: categories[1].services: expected an array, got object (line 1, column 158)`,
		},
		{
			`§3: service ids are unique within their category`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"},{"id":"statistics","title":"Statistics","services":[{"id":"matomo","title":"Matomo"},{"id":"matomo","title":"Matomo again"}]}]}`,
			`policy: categories[1].services[1].id: duplicate "matomo" (line 1, column 198)`,
		},
		{
			`§3: service ids follow the category id rule`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"},{"id":"statistics","title":"Statistics","services":[{"id":"Matomo","title":"Matomo"}]}]}`,
			`policy: categories[1].services[0].id: "Matomo" is not a valid id: use 1 to 64 characters among a-z, 0-9, "_" and "-" (line 1, column 165)`,
		},
		{
			`§3: a service has a title`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"},{"id":"statistics","title":"Statistics","services":[{"id":"matomo"}]}]}`,
			`policy: categories[1].services[0].title: required but missing (line 1, column 159)`,
		},
		{
			`§3: consentRequired is a boolean`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"},{"id":"statistics","title":"Statistics","services":[{"id":"matomo","title":"Matomo","consentRequired":"no"}]}]}`,
			`policy: categories[1].services[0].consentRequired: expected a boolean (true or false), got string (line 1, column 209)`,
		},
		{
			`§3: every problem is reported, in document order, not just the first`,
			`{
  "revision": 0,
  "defaultLanguage": "en",
  "cookie": {"sameSite": "strict", "expiresAfterDays": 400},
  "categories": [
    {"id": "necessary", "required": true, "title": {"fr": "Nécessaires"}},
    {"id": "necessary", "title": "Statistics", "optional": true}
  ]
}`,
			`policy: revision: expected an integer ≥ 1, got 0 (line 2, column 15)
policy: cookie.sameSite: "strict" is not allowed: write exactly "Lax", "Strict" or "None" (line 4, column 26)
policy: cookie.expiresAfterDays: expected an integer from 1 to 395 (13 months), got 400 (line 4, column 56)
policy: categories[0].title: no "en" text (the defaultLanguage) (line 6, column 52)
policy: categories[1].id: duplicate "necessary" (line 7, column 12)
policy: categories[1].optional: unknown key; allowed keys: id, required, title, description, cookies, services (line 7, column 48)`,
		},
		{
			`json.go: positions after a byte order mark count from the first visible character`,
			"\uFEFF{\"revision\":\"1\",\"defaultLanguage\":\"en\",\"categories\":[{\"id\":\"necessary\",\"required\":true,\"title\":\"Necessary\"}]}",
			`policy: revision: expected an integer ≥ 1, got string (line 1, column 13)`,
		},
		{
			`json.go: columns count characters, so a problem after accented text is placed right`,
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"nécessaire","required":true,"title":{"en":"Necessary","fr":"Nécessaires"},"description":7}]}`,
			`policy: categories[0].id: "nécessaire" is not a valid id: use 1 to 64 characters among a-z, 0-9, "_" and "-" (line 1, column 58)
policy: categories[0].description: expected a string or an object of texts by language, got number (line 1, column 147)`,
		},
	}
}

// TestParsePolicyInvalid checks that each invalid policy is refused as a whole, with
// exactly the expected problems.
func TestParsePolicyInvalid(t *testing.T) {
	for _, tt := range policyInvalidCases() {
		t.Run(tt.desc, func(t *testing.T) {
			p, err := ParsePolicy([]byte(tt.in))
			assert.Nil(t, p)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			var pe *PolicyError
			require.True(t, errors.As(err, &pe))
			require.Len(t, pe.Problems, strings.Count(tt.want, "\n")+1)
		})
	}
}

// TestParsePolicyTooLarge checks the size limit: a policy over 256 KiB is refused before
// it is parsed.
func TestParsePolicyTooLarge(t *testing.T) {
	valid := `{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`
	atLimit := valid + strings.Repeat(" ", MaxPolicySize-len(valid))
	_, err := ParsePolicy([]byte(atLimit))
	require.NoError(t, err, "exactly 256 KiB is allowed")

	_, err = ParsePolicy([]byte(atLimit + " "))
	require.Error(t, err)
	assert.Equal(t, "policy: too large: 262145 bytes, more than the 262144 bytes (256 KiB) allowed", err.Error())
}

// TestParsePolicyTooManyProblems checks that a policy with 150 problems gets the
// first 100, in document order, and a count of the rest.
func TestParsePolicyTooManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"revision":1,"defaultLanguage":"en","categories":[`)
	for i := 0; i < 150; i++ {
		b.WriteString(`{"id":"Bad","required":true,"title":"T"},`)
	}
	b.WriteString(`{"id":"ok","required":true,"title":"T"}]}`)
	_, err := ParsePolicy([]byte(b.String()))
	var pe *PolicyError
	require.ErrorAs(t, err, &pe)
	require.Len(t, pe.Problems, 101)
	assert.Equal(t, Problem{Path: "categories[0].id", Line: 1, Column: 58, Msg: `"Bad" is not a valid id: use 1 to 64 characters among a-z, 0-9, "_" and "-"`}, pe.Problems[0])
	// Each category is 41 characters long; an invalid id is not also reported as a duplicate.
	assert.Equal(t, Problem{Path: "categories[1].id", Line: 1, Column: 58 + 41, Msg: `"Bad" is not a valid id: use 1 to 64 characters among a-z, 0-9, "_" and "-"`}, pe.Problems[1])
	assert.Equal(t, Problem{Path: "categories[99].id", Line: 1, Column: 58 + 99*41, Msg: `"Bad" is not a valid id: use 1 to 64 characters among a-z, 0-9, "_" and "-"`}, pe.Problems[99])
	assert.Equal(t, Problem{Msg: "and 50 more problems"}, pe.Problems[100])
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, 101)
	assert.Equal(t, "policy: and 50 more problems", lines[100])
}

// TestParsePolicyManyProblemsIsFast checks that a large policy full of problems is
// reported in linear time: positions are counted in one pass, not once per problem.
func TestParsePolicyManyProblemsIsFast(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"revision":1,"defaultLanguage":"en","categories":[{"id":"ok","required":true,"title":"T"`)
	for i := 0; b.Len() < MaxPolicySize-100; i++ {
		b.WriteString(`,"x` + strings.Repeat("y", i%7) + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676%26)) + `":0`)
	}
	b.WriteString(`}]}`)
	_, err := ParsePolicy([]byte(b.String()))
	var pe *PolicyError
	require.ErrorAs(t, err, &pe)
	assert.Len(t, pe.Problems, 101)
}

// TestProblemString checks the one-line form of a problem in each of its shapes.
func TestProblemString(t *testing.T) {
	tests := []struct {
		desc string
		p    Problem
		want string
	}{
		{"§3: a place has a path and a position", Problem{Path: "categories[1].id", Line: 40, Column: 13, Msg: `duplicate "statistics"`}, `categories[1].id: duplicate "statistics" (line 40, column 13)`},
		{"§3: a JSON syntax error has a position only", Problem{Line: 3, Column: 5, Msg: "unexpected '}', expected a value"}, `line 3, column 5: unexpected '}', expected a value`},
		{"a problem of the whole document has neither", Problem{Msg: "too large"}, `too large`},
		{"a path without a position is still named", Problem{Path: "revision", Msg: "required but missing"}, `revision: required but missing`},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.p.String())
			assert.Equal(t, "policy: "+tt.want, (&PolicyError{Problems: []Problem{tt.p}}).Error())
		})
	}
}

// policyMinimal is the smallest valid policy: every optional key left out.
const policyMinimal = `{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`

// TestParsePolicyDefaults checks that the defaults of §3 fill in every key left out.
func TestParsePolicyDefaults(t *testing.T) {
	p, err := ParsePolicy([]byte(policyMinimal))
	require.NoError(t, err)
	assert.Equal(t, &Policy{
		Revision:        1,
		DefaultLanguage: "en",
		Cookie: CookieSettings{
			Name:             "cookies_preferences",
			ExpiresAfterDays: 182,
			Domain:           "",
			Path:             "/",
			SameSite:         "Lax",
		},
		RespectGPC: true,
		Theme:      ThemeAuto,
		Layout:     LayoutBar,
		Categories: []Category{{ID: "necessary", Required: true, Title: Text{"": "Necessary"}}},
	}, p)
}

// TestParsePolicyValid checks valid policies that use the optional keys, and what they
// become.
func TestParsePolicyValid(t *testing.T) {
	tests := []struct {
		desc  string
		in    string
		check func(t *testing.T, p *Policy)
	}{
		{
			"§3: every cookie setting written out is kept",
			`{"$schema":"./policy.schema.json","revision":7,"defaultLanguage":"fr","cookie":{"name":"consent","expiresAfterDays":395,"domain":".data.example.org","path":"/portal","sameSite":"Strict"},"respectGlobalPrivacyControl":false,"policyUrl":"mailto:dpo@example.org","categories":[{"id":"necessary","required":true,"title":"Nécessaires"}]}`,
			func(t *testing.T, p *Policy) {
				assert.Equal(t, "./policy.schema.json", p.Schema)
				assert.Equal(t, 7, p.Revision)
				assert.Equal(t, "fr", p.DefaultLanguage)
				assert.Equal(t, CookieSettings{Name: "consent", ExpiresAfterDays: 395, Domain: ".data.example.org", Path: "/portal", SameSite: "Strict"}, p.Cookie)
				assert.False(t, p.RespectGPC)
				assert.Equal(t, "mailto:dpo@example.org", p.PolicyURL)
			},
		},
		{
			"§3: theme, layout and reloadOnWithdraw written out are kept",
			`{"revision":1,"defaultLanguage":"en","theme":"dark","layout":"box","reloadOnWithdraw":true,"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			func(t *testing.T, p *Policy) {
				assert.Equal(t, ThemeDark, p.Theme)
				assert.Equal(t, LayoutBox, p.Layout)
				assert.True(t, p.ReloadOnWithdraw)
			},
		},
		{
			"§3: expiresAfterDays may be 1, sameSite None, domain a host without a dot",
			`{"revision":1,"defaultLanguage":"en","cookie":{"expiresAfterDays":1,"sameSite":"None","domain":"localhost"},"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`,
			func(t *testing.T, p *Policy) {
				assert.Equal(t, CookieSettings{Name: "cookies_preferences", ExpiresAfterDays: 1, Domain: "localhost", Path: "/", SameSite: "None"}, p.Cookie)
			},
		},
		{
			"§3: services default to consentRequired true, and exempt services live in an optional category",
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"},{"id":"statistics","title":"Statistics","services":[{"id":"matomo","title":"Matomo"},{"id":"audience","title":"Anonymised audience","consentRequired":false,"cookies":[{"provider":"Example","names":["_pk_*"]}]}]}]}`,
			func(t *testing.T, p *Policy) {
				stats := p.Category("statistics")
				require.NotNil(t, stats)
				assert.False(t, stats.Required)
				assert.True(t, stats.Service("matomo").ConsentRequired)
				assert.False(t, stats.Service("audience").ConsentRequired)
				assert.Equal(t, []CookieDeclaration{{Provider: Text{"": "Example"}, Names: []string{"_pk_*"}}}, stats.Service("audience").Cookies)
			},
		},
		{
			"§3: localized texts are strings or objects by language; texts overrides are kept",
			`{"revision":1,"defaultLanguage":"pt-BR","texts":{"acceptAll":{"pt-BR":"Aceitar tudo","en":"Accept all"},"close":"×"},"categories":[{"id":"necessary","required":true,"title":{"pt-BR":"Necessários","es":"Necesarias"},"description":"[Política](https://example.org/privacidade#cookies)"}]}`,
			func(t *testing.T, p *Policy) {
				assert.Equal(t, map[string]Text{"acceptAll": {"pt-BR": "Aceitar tudo", "en": "Accept all"}, "close": {"": "×"}}, p.Texts)
				assert.Equal(t, Text{"pt-BR": "Necessários", "es": "Necesarias"}, p.Categories[0].Title)
				assert.Equal(t, Text{"": "[Política](https://example.org/privacidade#cookies)"}, p.Categories[0].Description)
			},
		},
		{
			"§3: several required categories are allowed, and an empty services array in one is harmless",
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","services":[]},{"id":"security","required":true,"title":"Security"}]}`,
			func(t *testing.T, p *Policy) {
				assert.True(t, p.Categories[0].Required)
				assert.True(t, p.Categories[1].Required)
			},
		},
		{
			"json.go: a policy saved with a byte order mark is accepted",
			"\uFEFF" + policyMinimal,
			func(t *testing.T, p *Policy) { assert.Equal(t, 1, p.Revision) },
		},
		{
			"§3: links in descriptions may be relative, protocol-relative, http(s) or mailto",
			`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary","description":"[a](/cookies) [b](//example.org) [c](HTTPS://example.org) [d](mailto:dpo@example.org) [e](./a:b) [not a link] (x)"}]}`,
			func(t *testing.T, p *Policy) {
				var urls []string
				for _, seg := range SplitLinks(p.Categories[0].Description[""]) {
					if seg.Link {
						urls = append(urls, seg.URL)
					}
				}
				assert.Equal(t, []string{"/cookies", "//example.org", "HTTPS://example.org", "mailto:dpo@example.org", "./a:b"}, urls)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			p, err := ParsePolicy([]byte(tt.in))
			require.NoError(t, err)
			require.NotNil(t, p)
			tt.check(t, p)
		})
	}
}

// TestDefaultPolicyJSON checks the policy the project ships (CONTRACT.md, the table at the
// top and §3): it parses, and it declares exactly the contract's cookies.
func TestDefaultPolicyJSON(t *testing.T) {
	data, err := os.ReadFile("../policy.json")
	require.NoError(t, err)
	p, err := ParsePolicy(data)
	require.NoError(t, err)

	assert.Equal(t, 1, p.Revision)
	assert.Equal(t, "en", p.DefaultLanguage)
	assert.Equal(t, CookieSettings{Name: "cookies_preferences", ExpiresAfterDays: 182, Domain: "", Path: "/", SameSite: "Lax"}, p.Cookie)
	assert.True(t, p.RespectGPC)
	assert.Equal(t, "/cookies-policy.html", p.PolicyURL)
	assert.Empty(t, p.Texts)
	assert.Equal(t, []string{"en", "fr"}, p.Languages())

	require.Len(t, p.Categories, 2)
	necessary := p.Categories[0]
	assert.Equal(t, "necessary", necessary.ID)
	assert.True(t, necessary.Required)
	assert.Equal(t, Text{"en": "Necessary cookies", "fr": "Cookies nécessaires"}, necessary.Title)
	assert.Empty(t, necessary.Services)
	// The contract's table, row by row: provider, function, name, purpose.
	var rows [][4]string
	for _, d := range necessary.Cookies {
		require.Len(t, d.Names, 1)
		rows = append(rows, [4]string{d.Provider.In("en", "en"), d.Function["en"], d.Names[0], d.Purpose["en"]})
		assert.NotEmpty(t, d.Function["fr"])
		assert.NotEmpty(t, d.Purpose["fr"])
	}
	assert.Equal(t, [][4]string{
		{"Opendatasoft", "Authentication (front and back office)", "sessionid", "To remember the user from one page to another"},
		{"Opendatasoft", "Language selection (front and back office)", "django_language", "To remember the visitor's language"},
		{"Opendatasoft", "API (CSRF) (front and back office)", "csrftoken", "To retrieve data via API calls"},
		{"Opendatasoft", "Choices related to your cookie preferences", "cookies_preferences", "To remember the visitor's cookie preferences"},
	}, rows)

	statistics := p.Categories[1]
	assert.Equal(t, "statistics", statistics.ID)
	assert.False(t, statistics.Required)
	assert.Equal(t, Text{"en": "Statistics", "fr": "Statistiques"}, statistics.Title)
	assert.Contains(t, statistics.Description["en"], "Anonymised statistics")
	require.Len(t, statistics.Services, 1)
	analytics := statistics.Services[0]
	assert.Equal(t, "analytics", analytics.ID)
	assert.True(t, analytics.ConsentRequired)
	assert.Equal(t, "Web analytics", analytics.Title["en"])
	require.Len(t, analytics.Cookies, 1)
	assert.Equal(t, []string{"_pk_id.*", "_pk_ses.*"}, analytics.Cookies[0].Names)
	assert.Equal(t, Text{"": "Opendatasoft"}, analytics.Cookies[0].Provider)

	// French texts use typographic apostrophes.
	for _, lang := range []string{"fr"} {
		for _, c := range p.Categories {
			assert.NotContains(t, c.Description[lang], "'", c.ID)
		}
	}
}

// TestSafeURL checks the URL rule of policyUrl and description links (§3): http, https,
// mailto and relative URLs only, read the way a browser's URL parser reads them.
func TestSafeURL(t *testing.T) {
	tests := []struct {
		desc string
		url  string
		want bool
	}{
		{"§3: https is allowed", "https://example.org/cookies", true},
		{"§3: http is allowed", "http://example.org/cookies", true},
		{"§3: mailto is allowed", "mailto:dpo@example.org", true},
		{"§3: schemes are case-insensitive (RFC 3986 §3.1)", "HTTPS://example.org", true},
		{"§3: a path-absolute relative URL is allowed", "/cookies-policy.html", true},
		{"§3: a path-relative URL is allowed", "cookies.html", true},
		{"§3: a fragment is allowed", "#cookies", true},
		{"§3: a query is allowed", "?page=cookies", true},
		{"§3: a protocol-relative URL is relative http(s)", "//evil.example", true},
		{"RFC 3986 §4.2: a colon after a '/' is in the path, not a scheme", "./a:b", true},
		{"a colon after '?' is in the query", "/search?q=a:b", true},
		{"a colon after '#' is in the fragment", "#a:b", true},
		{"WHATWG URL: surrounding spaces and controls are stripped", " \x00https://example.org\n", true},
		{"javascript: runs script", "javascript:alert(1)", false},
		{"javascript: in mixed case is still javascript:", "JaVaScRiPt:alert(1)", false},
		{"WHATWG URL: a tab inside the scheme is removed, so it is still javascript:", "java\tscript:alert(1)", false},
		{"WHATWG URL: a newline inside the scheme is removed too", "java\nscript:alert(1)", false},
		{"WHATWG URL: leading spaces and controls are stripped", " \x01javascript:alert(1)", false},
		{"data: can hold a page", "data:text/html,<script>alert(1)</script>", false},
		{"vbscript: runs script in old browsers", "vbscript:msgbox(1)", false},
		{"file: is not a web page", "file:///etc/passwd", false},
		{"other schemes are refused, even harmless ones", "tel:+33123456789", false},
		{"RFC 3986 §4.2: a colon in the first segment needs ./, else it reads as a scheme", "a b:c", false},
		{"a control character inside a would-be scheme does not hide it", "java\x00script:alert(1)", false},
		{"the empty URL is refused: it links to nothing useful", "", false},
		{"blank is empty once stripped", " \t\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			assert.Equal(t, tt.want, SafeURL(tt.url), "%q", tt.url)
		})
	}
}

// TestLanguagesOfPolicy checks Policy.Languages: defaultLanguage first, then every language
// key of a localized text, sorted, without duplicates.
func TestLanguagesOfPolicy(t *testing.T) {
	p, err := ParsePolicy([]byte(`{"revision":1,"defaultLanguage":"fr","texts":{"save":{"fr":"Enregistrer","nl":"Opslaan"}},"categories":[{"id":"necessary","required":true,"title":{"fr":"Nécessaires","en":"Necessary"},"cookies":[{"provider":"X","names":["a"],"purpose":{"fr":"…","de":"…"}}]},{"id":"stats","title":"Stats","services":[{"id":"s","title":{"fr":"S","pt-BR":"S","en":"S"}}]}]}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"fr", "de", "en", "nl", "pt-BR"}, p.Languages())

	p, err = ParsePolicy([]byte(policyMinimal))
	require.NoError(t, err)
	assert.Equal(t, []string{"en"}, p.Languages(), "plain strings add no language")

	assert.Nil(t, (*Policy)(nil).Languages())
}
