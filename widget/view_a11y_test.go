package widget

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The structural accessibility checks below run on the view trees, natively, in
// milliseconds: what axe-core checks in the browser that depends on the markup alone.

// viewProblems returns what is wrong with the structure of a layer (the banner or the
// dialog) shown inside a frame with frameAttrs, one line per problem.
func viewProblems(frameAttrs []Attr, layer *Node) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	frame := &Node{Tag: "div", Attrs: frameAttrs}
	if lang, _ := frame.Attr("lang"); lang == "" {
		bad("the frame has no lang")
	} else if dir, _ := frame.Attr("dir"); dir != textDirection(lang) {
		bad("the frame's dir is %q for lang %q", dir, lang)
	}
	ids := map[string]*Node{}
	layer.Walk(func(n *Node) bool {
		if id, ok := n.Attr("id"); ok {
			if ids[id] != nil {
				bad("id %q is used twice", id)
			}
			ids[id] = n
		}
		return true
	})
	h2 := 0
	layer.Walk(func(n *Node) bool {
		if n.Tag == "" {
			return true
		}
		if n.Tag == "h2" {
			h2++
		}
		if refs, ok := n.Attr("aria-labelledby"); ok {
			if strings.TrimSpace(refs) == "" {
				bad("<%s> has an empty aria-labelledby", n.Tag)
			}
			for _, id := range strings.Fields(refs) {
				if ids[id] == nil {
					bad("<%s aria-labelledby> refers to id %q, which is not in the view", n.Tag, id)
				}
			}
		}
		if n.Tag == "span" || n.Tag == "p" || n.Tag == "td" {
			if _, ok := n.Attr("lang"); ok {
				if dir, _ := n.Attr("dir"); dir == "" && n.Tag == "span" {
					bad("<span lang> without dir")
				}
			}
		}
		if slices.Contains([]string{"button", "input", "a", "select", "textarea"}, n.Tag) {
			if accessibleName(n, ids) == "" {
				bad("<%s %v> has no accessible name", n.Tag, n.Attrs)
			}
		}
		action, hasAction := n.Attr(AttrAction)
		if hasAction && !slices.Contains(Actions, action) {
			bad("<%s> has action %q, not in widget.Actions", n.Tag, action)
		}
		if escape, ok := n.Attr(AttrEscapeAction); ok && !slices.Contains(Actions, escape) {
			bad("<%s> has escape action %q, not in widget.Actions", n.Tag, escape)
		}
		switch n.Tag {
		case "button":
			if !hasAction {
				bad("a button without %s: %v", AttrAction, n.Attrs)
			}
			if typ, _ := n.Attr("type"); typ != "button" {
				bad("a button of type %q, not button", typ)
			}
		case "input":
			_, category := n.Attr(AttrCategory)
			_, service := n.Attr(AttrService)
			switch action {
			case ActionToggleCategory:
				if !category || service {
					bad("a category switch names no category, or a service: %v", n.Attrs)
				}
			case ActionToggleService:
				if !category || !service {
					bad("a service switch without its category and service: %v", n.Attrs)
				}
			default:
				bad("an input without a toggle action: %v", n.Attrs)
			}
			_, checked := n.Attr("checked")
			_, partly := n.Attr(AttrIndeterminate)
			if checked && partly {
				bad("a switch both checked and partly on: %v", n.Attrs)
			}
			if role, _ := n.Attr("role"); partly && role == RoleSwitch {
				bad(`a role="switch" partly on: aria-checked="mixed" is undefined for switches`)
			}
		}
		return true
	})
	if h2 != 1 {
		bad("%d h2 in the layer, want one", h2)
	}
	return problems
}

// accessibleName is the name a control gets from aria-labelledby, aria-label or its text.
func accessibleName(n *Node, ids map[string]*Node) string {
	if refs, ok := n.Attr("aria-labelledby"); ok {
		var parts []string
		for _, id := range strings.Fields(refs) {
			if ids[id] != nil {
				parts = append(parts, strings.TrimSpace(ids[id].TextContent()))
			}
		}
		return strings.TrimSpace(strings.Join(parts, " "))
	}
	if label, _ := n.Attr("aria-label"); strings.TrimSpace(label) != "" {
		return label
	}
	return strings.TrimSpace(n.TextContent())
}

// TestViewAccessibility runs the structural checks on every layer of every view case, on
// the shipped policy in every built-in language, and on the host page's declaration.
func TestViewAccessibility(t *testing.T) {
	cases := append([]viewCase(nil), viewCases...)
	for _, lang := range BuiltinLanguages() {
		cases = append(cases, viewCase{name: "builtin-" + lang, policy: "default", lang: lang})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := parseViewPolicy(t, c.policy)
			frame := c.frameView(t)
			banner, dialog := frame.Children[0], frame.Children[1]
			assert.Empty(t, viewProblems(p.FrameAttrs(c.lang), banner), "banner")
			assert.Empty(t, viewProblems(p.FrameAttrs(c.lang), dialog), "dialog")

			// Refusing is as easy as accepting: the same class and the same shared part.
			style := func(action string) [2]string {
				var got [2]string
				banner.Walk(func(n *Node) bool {
					if a, _ := n.Attr(AttrAction); a == action {
						got[0], _ = n.Attr("class")
						part, _ := n.Attr("part")
						got[1] = strings.Fields(part)[0]
					}
					return true
				})
				return got
			}
			assert.Equal(t, style(ActionAcceptAll), style(ActionRejectAll), "accept and reject look alike")
			assert.Equal(t, PartButton, style(ActionRejectAll)[1])

			// The host page's declaration: its tables are named by headings inside it.
			decl := p.DeclarationView(c.lang, 0)
			ids := map[string]bool{}
			decl.Walk(func(n *Node) bool {
				if id, ok := n.Attr("id"); ok {
					assert.False(t, ids[id], "id %q twice", id)
					ids[id] = true
				}
				return true
			})
			decl.Walk(func(n *Node) bool {
				if refs, ok := n.Attr("aria-labelledby"); ok {
					for _, id := range strings.Fields(refs) {
						assert.True(t, ids[id], "aria-labelledby %q", id)
					}
				}
				return true
			})
			lang, _ := decl.Attr("lang")
			assert.Equal(t, c.lang, lang)
		})
	}
}

// TestViewProblems: the checks find what they look for, on broken trees.
func TestViewProblems(t *testing.T) {
	good := func() *Node {
		return El("section", nil, El("h2", at("id", "t"), TextNode("Title")),
			El("button", at("type", "button", AttrAction, ActionSave), TextNode("Save")))
	}
	frame := at("lang", "en", "dir", "ltr")
	assert.Empty(t, viewProblems(frame, good()))
	for _, c := range []struct {
		desc  string
		frame []Attr
		edit  func(n *Node)
		want  string
	}{
		{"no lang on the frame", at("dir", "ltr"), func(*Node) {}, "no lang"},
		{"ltr on an rtl language", at("lang", "ar", "dir", "ltr"), func(*Node) {}, `dir is "ltr"`},
		{"an unnamed button", frame, func(n *Node) { n.Children[1].Children = nil }, "no accessible name"},
		{"a dangling aria-labelledby", frame, func(n *Node) {
			n.Append(El("input", at("type", "checkbox", AttrAction, ActionToggleCategory, AttrCategory, "x", "aria-labelledby", "nope")))
		}, `"nope", which is not in the view`},
		{"a labelledby pointing at empty text", frame, func(n *Node) {
			n.Append(El("span", at("id", "e")), El("a", at("href", "/", "aria-labelledby", "e")))
		}, "no accessible name"},
		{"an id twice", frame, func(n *Node) { n.Append(El("p", at("id", "t"))) }, `id "t" is used twice`},
		{"two h2", frame, func(n *Node) { n.Append(El("h2", nil, TextNode("Again"))) }, "2 h2"},
		{"no h2", frame, func(n *Node) { n.Children = n.Children[1:] }, "0 h2"},
		{"an unknown action", frame, func(n *Node) { n.Children[1].SetAttr(AttrAction, "acept-all") }, `"acept-all", not in widget.Actions`},
		{"a button without action", frame, func(n *Node) { n.Children[1].Attrs = at("type", "button") }, "a button without"},
		{"a service switch without its service", frame, func(n *Node) {
			n.Append(El("input", at("type", "checkbox", AttrAction, ActionToggleService, AttrCategory, "c", "aria-label", "x")))
		}, "a service switch"},
		{"a partly-on switch", frame, func(n *Node) {
			n.Append(El("input", at("type", "checkbox", "role", "switch", AttrAction, ActionToggleCategory, AttrCategory, "c", "aria-label", "x", AttrIndeterminate, "")))
		}, "undefined for switches"},
	} {
		t.Run(c.desc, func(t *testing.T) {
			n := good()
			c.edit(n)
			problems := viewProblems(c.frame, n)
			assert.True(t, slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, c.want) }),
				"want a problem with %q, got %q", c.want, problems)
		})
	}
}
