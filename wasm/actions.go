//go:build js && wasm

package main

import (
	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// onAction carries out the action of a control of a view (widget.AttrAction), or the
// escape action of a layer (widget.AttrEscapeAction); target is the control or the layer.
// Every control of the widget comes here, from the one delegated listener set of
// render.go.
//
// For now it calls the app's own methods; the session (widget.Session, issue 10) takes
// this over, and with it the state of the switches below.
func (a *app) onAction(action string, target safejs.Value) {
	switch action {
	case widget.ActionAcceptAll:
		a.acceptAll()
		a.announce(a.t("savedStatus")) // WCAG 2.2 SC 4.1.3
	case widget.ActionRejectAll, widget.ActionContinue:
		a.rejectAll()
		a.announce(a.t("savedStatus"))
	case widget.ActionCustomize:
		a.showPreferences()
	case widget.ActionSave:
		a.saveFromDialog()
	case widget.ActionClose:
		a.hidePreferences()
	case widget.ActionToggleCategory:
		a.categorySwitched(attr(target, widget.AttrCategory), truthy(get(target, "checked")))
	case widget.ActionToggleService:
		a.serviceSwitched(attr(target, widget.AttrCategory), attr(target, widget.AttrService), truthy(get(target, "checked")))
	}
}

// recordSwitches returns the switches of the choice in force; with no choice every
// optional switch is off (consent is never pre-ticked: EDPB cookie banner taskforce,
// type B). A category with services that need consent shows theirs.
func (a *app) recordSwitches() widget.Switches {
	sw := widget.Switches{Categories: map[string]widget.SwitchState{}, Services: map[string]map[string]bool{}}
	for i := range a.policy.Categories {
		c := &a.policy.Categories[i]
		if c.Required {
			continue
		}
		state := widget.SwitchOff
		if a.record.AcceptedCategory(c.ID) {
			state = widget.SwitchOn
		}
		for _, s := range c.Services {
			if s.ConsentRequired {
				if sw.Services[c.ID] == nil {
					sw.Services[c.ID] = map[string]bool{}
				}
				sw.Services[c.ID][s.ID] = a.record.AcceptedService(c.ID, s.ID)
			}
		}
		if services, ok := sw.Services[c.ID]; ok {
			state = servicesState(services)
		}
		sw.Categories[c.ID] = state
	}
	return sw
}

// servicesState is a category's switch for its services' switches.
func servicesState(services map[string]bool) widget.SwitchState {
	on := 0
	for _, v := range services {
		if v {
			on++
		}
	}
	switch {
	case on == len(services) && on > 0:
		return widget.SwitchOn
	case on > 0:
		return widget.SwitchPartlyOn
	}
	return widget.SwitchOff
}

// categorySwitched sets every service of a category to the category's switch.
func (a *app) categorySwitched(category string, on bool) {
	state := widget.SwitchOff
	if on {
		state = widget.SwitchOn
	}
	a.ui.switches.Categories[category] = state
	for id := range a.ui.switches.Services[category] {
		a.ui.switches.Services[category][id] = on
	}
	a.patchSwitches(a.ui.dialog, a.ui.switches)
}

// serviceSwitched shows a category as on, off or partly on after one of its services
// changed.
func (a *app) serviceSwitched(category, service string, on bool) {
	services := a.ui.switches.Services[category]
	if services == nil {
		return
	}
	services[service] = on
	a.ui.switches.Categories[category] = servicesState(services)
	a.patchSwitches(a.ui.dialog, a.ui.switches)
}

// dialogChoice is the choice the switches show.
func (a *app) dialogChoice() widget.Choice {
	choice := widget.Choice{Services: map[string][]string{}}
	for i := range a.policy.Categories {
		c := &a.policy.Categories[i]
		state, ok := a.ui.switches.Categories[c.ID]
		if !ok {
			continue
		}
		services, hasServices := a.ui.switches.Services[c.ID]
		if !hasServices {
			if state == widget.SwitchOn {
				choice.Categories = append(choice.Categories, c.ID)
			}
			continue
		}
		accepted := []string{}
		for _, s := range c.Services {
			if services[s.ID] {
				accepted = append(accepted, s.ID)
			}
		}
		if len(accepted) > 0 {
			choice.Categories = append(choice.Categories, c.ID)
		}
		choice.Services[c.ID] = accepted
	}
	return choice
}
