package widget

import "strconv"

// This file validates and words the lifetime of declared cookies (CONTRACT.md §3, 1.1:
// cookies[].expiresAfterDays), which the CJEU's Planet49 ruling (C-673/17) requires a site
// to disclose. A lifetime is a whole number of days; 0 stands for a session cookie, one
// without Expires or Max-Age, which the browser drops when it closes.

// maxCookieLifetimeDays is the largest expiresAfterDays of a declaration: ten years,
// well past what browsers keep (Chromium caps cookies at 400 days), so that a declaration
// can state what a third party asks for even where the browser keeps it less long.
const maxCookieLifetimeDays = 3650

// cookieLifetime validates a declaration's expiresAfterDays.
func (pp *policyParser) cookieLifetime(v *jsonValue, path string) *int {
	n := pp.integerIn(v, path, 0, maxCookieLifetimeDays, -1, "an integer from 0 (until the browser closes) to 3650 days")
	if n < 0 {
		return nil
	}
	return &n
}

// durationWords are the words of a duration, singular and plural, in the built-in
// languages (English, French).
var durationWords = [...]struct{ en, enPlural, fr, frPlural string }{
	{"day", "days", "jour", "jours"},
	{"week", "weeks", "semaine", "semaines"},
	{"month", "months", "mois", "mois"},
	{"year", "years", "an", "ans"},
}

const (
	unitDay = iota
	unitWeek
	unitMonth
	unitYear
)

// sessionLifetime is the wording of expiresAfterDays 0.
var sessionLifetime = struct{ en, fr string }{
	"until you close the browser",
	"jusqu’à la fermeture du navigateur",
}

// CookieLifetime words a lifetime of days for the declaration table, in lang when it is
// French and in English otherwise (the built-in languages): 0 is "until you close the
// browser"; whole years are years ("2 years"); a lifetime within three days of a whole
// number of average months (30.44 days) from 28 days on is months ("13 months" for 395 or
// 393 days, "6 months" for 182); whole weeks are weeks ("2 weeks"); anything else is days.
func CookieLifetime(days int, lang string) string {
	fr := isFrench(lang)
	if days <= 0 {
		if fr {
			return sessionLifetime.fr
		}
		return sessionLifetime.en
	}
	n, unit := days, unitDay
	// Months in hundredths of a day, to stay with integers: 30.4375 days a month.
	months := (days*10000 + 152187) / 304375
	switch {
	case days%365 == 0:
		n, unit = days/365, unitYear
	case days >= 28 && abs(months*304375-days*10000) <= 30000:
		n, unit = months, unitMonth
	case days%7 == 0:
		n, unit = days/7, unitWeek
	}
	w := durationWords[unit]
	word := w.en
	switch {
	case fr && n > 1:
		word = w.frPlural
	case fr:
		word = w.fr
	case n > 1:
		word = w.enPlural
	}
	if fr {
		return strconv.Itoa(n) + "\u00a0" + word // French keeps a number and its unit together
	}
	return strconv.Itoa(n) + " " + word
}

// abs is the absolute value of x.
func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Lifetime words the declaration's lifetime for a visitor reading lang, and returns the
// language of the words (French, else English): "", "" when the policy does not declare
// it.
func (d CookieDeclaration) Lifetime(lang string) (text, textLang string) {
	if d.ExpiresAfterDays == nil {
		return "", ""
	}
	textLang = "en"
	if isFrench(lang) {
		textLang = "fr"
	}
	return CookieLifetime(*d.ExpiresAfterDays, textLang), textLang
}

// isFrench reports whether lang is French or a variant of it ("fr", "fr-CA").
func isFrench(lang string) bool {
	return len(lang) >= 2 && (lang[0]|0x20) == 'f' && (lang[1]|0x20) == 'r' && (len(lang) == 2 || lang[2] == '-')
}
