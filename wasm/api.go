//go:build js && wasm

package main

import (
	"strconv"
	"time"

	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// api returns the implementation behind window.Consentry (CONTRACT.md §6). The loader's stub
// checks the arguments' types and forwards to it; every method here still takes any
// arguments without throwing: wrong ones get a console warning and a fail-closed answer.
// _open is the loader's, not the page's: it opens the gate once the start has succeeded.
func (a *app) api() safejs.Value {
	action := func(name string, fn func(args []safejs.Value)) safejs.Func {
		return a.callback("Consentry."+name, func(_ safejs.Value, args []safejs.Value) any {
			fn(args)
			return nil
		})
	}
	query := func(name string, fn func(args []safejs.Value) any) safejs.Func {
		return a.callback("Consentry."+name, func(_ safejs.Value, args []safejs.Value) any {
			return fn(args)
		})
	}
	methods := map[string]safejs.Func{
		"show":            action("show", func([]safejs.Value) { a.showBanner() }),
		"hide":            action("hide", func([]safejs.Value) { a.hideBanner() }),
		"showPreferences": action("showPreferences", func([]safejs.Value) { a.showPreferences() }),
		"hidePreferences": action("hidePreferences", func([]safejs.Value) { a.hidePreferences() }),
		"acceptAll":       action("acceptAll", func([]safejs.Value) { a.acceptAll() }),
		"rejectAll":       action("rejectAll", func([]safejs.Value) { a.rejectAll() }),
		"acceptCategory":  action("acceptCategory", a.acceptCategory),
		"setLanguage":     action("setLanguage", a.setLanguage),
		"reset":           action("reset", func([]safejs.Value) { a.reset() }),
		"_open":           action("_open", func([]safejs.Value) { a.gate.open() }),
		"acceptedCategory": query("acceptedCategory", func(args []safejs.Value) any {
			id := stringArg(args, 0)
			if a.policy.Category(id) == nil {
				a.console("warn", "Consentry.acceptedCategory: unknown category "+strconv.Quote(id))
				return false
			}
			return a.record.AcceptedCategory(id)
		}),
		"acceptedService": query("acceptedService", func(args []safejs.Value) any {
			serviceID, categoryID := stringArg(args, 0), stringArg(args, 1)
			if !a.knownService(categoryID, serviceID) {
				a.console("warn", "Consentry.acceptedService: unknown service "+strconv.Quote(serviceID)+
					" in category "+strconv.Quote(categoryID)+" (the arguments are serviceId, categoryId)")
				return false
			}
			return a.record.AcceptedService(categoryID, serviceID)
		}),
		"validConsent": query("validConsent", func([]safejs.Value) any { return a.record != nil }),
		"getUserPreferences": query("getUserPreferences", func([]safejs.Value) any {
			if a.record == nil {
				return nil
			}
			return a.preferences()
		}),
	}
	// safejs.ValueOf does not unwrap safejs.Func inside a map: set each property instead.
	impl := must(get(a.win, "Object").New())
	for name, fn := range methods {
		set(impl, name, fn)
	}
	return impl
}

// knownService reports whether the policy declares that service in that category.
func (a *app) knownService(categoryID, serviceID string) bool {
	c := a.policy.Category(categoryID)
	if c == nil {
		return false
	}
	for _, s := range c.Services {
		if s.ID == serviceID {
			return true
		}
	}
	return false
}

// stringArg returns args[i] when it is a string, else "".
func stringArg(args []safejs.Value, i int) string {
	if i >= len(args) {
		return ""
	}
	return str(args[i])
}

// acceptCategory records exactly the given optional categories as accepted: a string or an
// array of strings. Anything else, or an unknown id, is warned about and records nothing.
func (a *app) acceptCategory(args []safejs.Value) {
	var ids []string
	ok := len(args) > 0
	if ok {
		switch args[0].Type() {
		case safejs.TypeString:
			ids = []string{str(args[0])}
		case safejs.TypeObject:
			isArray := call(get(a.win, "Array"), "isArray", args[0])
			ok = truthy(isArray)
			ids = stringList(args[0])
		default:
			ok = false
		}
	}
	if !ok {
		a.console("warn", "Consentry.acceptCategory: expected a category id or an array of ids; nothing was recorded")
		return
	}
	// An unknown id is a mistake in the site's code: recording the rest would store a choice
	// the visitor did not make, so nothing is recorded.
	choice := widget.Choice{}
	for _, id := range ids {
		if c := a.policy.Category(id); c == nil {
			a.console("warn", "Consentry.acceptCategory: unknown category "+strconv.Quote(id)+"; nothing was recorded")
			return
		} else if !c.Required {
			choice.Categories = append(choice.Categories, id)
		}
	}
	a.choose(widget.MethodCustom, choice)
}

// setLanguage re-renders in the language asked for, negotiated against the policy's.
func (a *app) setLanguage(args []safejs.Value) {
	lang := stringArg(args, 0)
	if lang == "" {
		a.console("warn", "Consentry.setLanguage: expected a language code such as \"fr\"")
		return
	}
	a.lang = a.policy.NegotiateLanguage(lang)
	a.render()
}

// reset forgets the choice: the consent cookie is deleted and the banner shown again.
// Scripts already running cannot be stopped; a reload does that.
func (a *app) reset() {
	cookiesBefore := a.readCookies()
	a.deleteConsentCookies()
	previous := a.record
	a.record = nil
	a.hidePreferences()
	a.showBanner()
	// Forgetting a choice withdraws what it accepted: its cookies go, and the page reloads
	// when the policy asks for it, exactly as after un-ticking the categories.
	a.apply(previous, cookiesBefore)
	if previous != nil {
		a.sendReceipt(widget.EventReceiptWithdraw, a.policy.WithdrawnRecord(previous, time.Now()))
	}
}

// preferences converts the current choice for JavaScript, as getUserPreferences() (§6).
func (a *app) preferences() map[string]any {
	p := a.policy.Preferences(a.record)
	services := map[string]any{}
	for cat, ids := range p.AcceptedServices {
		services[cat] = anyList(ids)
	}
	return map[string]any{
		"method":             p.Method,
		"acceptedCategories": anyList(p.AcceptedCategories),
		"rejectedCategories": anyList(p.RejectedCategories),
		"acceptedServices":   services,
		"revision":           p.Revision,
		"id":                 p.ID,
		"created":            p.Created,
		"updated":            p.Updated,
	}
}
