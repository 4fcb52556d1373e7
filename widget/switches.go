package widget

// Roles of the on/off controls of the preferences dialog (CONTRACT.md §8: "a switch
// (role="switch" or a checkbox)").
const (
	RoleSwitch   = "switch"
	RoleCheckbox = "checkbox"
)

// CanBePartlyOn reports whether the category's control can be partly on: the category
// has at least two services that need consent, so one can be on and another off.
func (c *Category) CanBePartlyOn() bool {
	n := 0
	for _, s := range c.Services {
		if s.ConsentRequired {
			n++
		}
	}
	return !c.Required && n >= 2
}

// CategoryControlRole returns the ARIA role of the category's control in the preferences
// dialog. A switch has two states only: WAI-ARIA 1.2 leaves aria-checked="mixed"
// undefined for role="switch" (user agents treat it as "false"), so a category that can be
// partly on is a plain checkbox, whose native indeterminate state assistive technology
// announces as "mixed" / "partially checked" (the tri-state checkbox of the ARIA Authoring
// Practices). Every other optional category, and every service, is a switch.
func (c *Category) CategoryControlRole() string {
	if c.CanBePartlyOn() {
		return RoleCheckbox
	}
	return RoleSwitch
}

// SwitchState is what the control of an optional category shows in the preferences dialog.
type SwitchState uint8

// The states of a category's control: a category that can be partly on (CanBePartlyOn)
// uses all three, every other one only off and on.
const (
	SwitchOff SwitchState = iota
	SwitchOn
	SwitchPartlyOn
)

// Switches is the state of every control of the preferences dialog: the choice the dialog
// shows, which Save records. The session computes it (from the choice in force when the
// dialog opens, then after each toggle); the preferences view renders it.
type Switches struct {
	Categories map[string]SwitchState     // optional category id → its control
	Services   map[string]map[string]bool // category id → service id → on, for services that need consent
}

// SwitchesFor returns the controls of the preferences dialog showing the choice r (nil: no
// choice, every optional control off). A category with services that need consent shows
// them: on when all are on, partly on when some are, off when none is.
func SwitchesFor(p *Policy, r *Record) Switches {
	sw := Switches{Categories: map[string]SwitchState{}, Services: map[string]map[string]bool{}}
	for i := range p.Categories {
		c := &p.Categories[i]
		if c.Required {
			continue
		}
		sw.Categories[c.ID] = SwitchOff
		if r.AcceptedCategory(c.ID) {
			sw.Categories[c.ID] = SwitchOn
		}
		for _, s := range c.Services {
			if s.ConsentRequired {
				if sw.Services[c.ID] == nil {
					sw.Services[c.ID] = map[string]bool{}
				}
				sw.Services[c.ID][s.ID] = r.AcceptedService(c.ID, s.ID)
			}
		}
		sw.follow(c.ID)
	}
	return sw
}

// follow sets a category's control from its services' controls, when it has any.
func (sw *Switches) follow(category string) {
	services, ok := sw.Services[category]
	if !ok {
		return
	}
	on := 0
	for _, v := range services {
		if v {
			on++
		}
	}
	switch {
	case on == len(services):
		sw.Categories[category] = SwitchOn
	case on > 0:
		sw.Categories[category] = SwitchPartlyOn
	default:
		sw.Categories[category] = SwitchOff
	}
}

// ToggleCategory flips an optional category's control, as a click does: on goes off, off
// and partly on go on; every service of the category follows. It reports whether the
// category has a control.
func (sw *Switches) ToggleCategory(category string) bool {
	state, ok := sw.Categories[category]
	if !ok {
		return false
	}
	on := state != SwitchOn
	for id := range sw.Services[category] {
		sw.Services[category][id] = on
	}
	sw.Categories[category] = SwitchOff
	if on {
		sw.Categories[category] = SwitchOn
	}
	return true
}

// ToggleService flips a service's control; its category shows on, off or partly on after
// it. It reports whether the service has a control.
func (sw *Switches) ToggleService(category, service string) bool {
	on, ok := sw.Services[category][service]
	if !ok {
		return false
	}
	sw.Services[category][service] = !on
	sw.follow(category)
	return true
}

// Choice returns the choice the controls show, which Save records: the categories that
// are on and, for those with services, the services that are on (a category with none on
// is refused).
func (sw *Switches) Choice(p *Policy) Choice {
	choice := Choice{Services: map[string][]string{}}
	for i := range p.Categories {
		c := &p.Categories[i]
		state, ok := sw.Categories[c.ID]
		if !ok {
			continue
		}
		services, hasServices := sw.Services[c.ID]
		if !hasServices {
			if state == SwitchOn {
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

// Clone returns a copy of sw that shares no map with it.
func (sw Switches) Clone() Switches {
	c := Switches{Categories: make(map[string]SwitchState, len(sw.Categories)), Services: make(map[string]map[string]bool, len(sw.Services))}
	for k, v := range sw.Categories {
		c.Categories[k] = v
	}
	for k, m := range sw.Services {
		c.Services[k] = make(map[string]bool, len(m))
		for id, v := range m {
			c.Services[k][id] = v
		}
	}
	return c
}
