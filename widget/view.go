package widget

import (
	"strconv"
	"strings"
)

// This file holds views as data (STYLE.md): the banner, the preferences dialog and the
// cookie declaration are built in widget/ as a tree of plain nodes, from the policy, the
// language and the state, and nothing else. The tree is printed as a golden transcript
// (Transcript), checked for accessibility structure natively, and turned into DOM by the
// loader (web/loader.js) from their compact form (AppendCompactJSON): baked into
// consentry.js for the first paint, handed over by the wasm for every other view. Every
// control carries an action name (AttrAction) that the loader's one delegated listener hands
// on; no node holds a function.

// Node is an element of a view, or a text node when Tag is "". An element has attributes,
// in order, and children; a text node has Text only. Text is plain text, never markup: a
// front end creates text nodes with it (createTextNode), never HTML.
type Node struct {
	Tag      string
	Attrs    []Attr
	Children []*Node
	Text     string
}

// Attr is an attribute of an element. An attribute with an empty value is a boolean one
// (hidden, checked): it is present.
type Attr struct{ Name, Value string }

// AttrIndeterminate on a checkbox of a view means "partly on": HTML has no such attribute,
// only the indeterminate property, so a front end sets the property (el.indeterminate =
// true) instead of the attribute. Assistive technology announces such a checkbox as
// "mixed" / "partially checked".
const AttrIndeterminate = "indeterminate"

// El returns an element with attributes and children.
func El(tag string, attrs []Attr, children ...*Node) *Node {
	return &Node{Tag: tag, Attrs: attrs, Children: children}
}

// TextNode returns a text node.
func TextNode(s string) *Node { return &Node{Text: s} }

// Attrs returns attributes from name, value pairs; an odd last name is dropped.
func Attrs(pairs ...string) []Attr {
	attrs := make([]Attr, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		attrs = append(attrs, Attr{pairs[i], pairs[i+1]})
	}
	return attrs
}

// Append adds children to n and returns n.
func (n *Node) Append(children ...*Node) *Node {
	n.Children = append(n.Children, children...)
	return n
}

// Attr returns the value of n's attribute name, and whether n has it.
func (n *Node) Attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// SetAttr sets n's attribute name to value, in place when n has it, else last.
func (n *Node) SetAttr(name, value string) {
	for i := range n.Attrs {
		if n.Attrs[i].Name == name {
			n.Attrs[i].Value = value
			return
		}
	}
	n.Attrs = append(n.Attrs, Attr{name, value})
}

// TextContent returns the text of n and its descendants, as the DOM's textContent.
func (n *Node) TextContent() string {
	if n.Tag == "" {
		return n.Text
	}
	var b strings.Builder
	n.Walk(func(d *Node) bool {
		if d.Tag == "" {
			b.WriteString(d.Text)
		}
		return true
	})
	return b.String()
}

// Walk calls fn for n and its descendants in document order; fn returning false skips a
// node's children.
func (n *Node) Walk(fn func(*Node) bool) {
	if !fn(n) {
		return
	}
	for _, c := range n.Children {
		c.Walk(fn)
	}
}

// Transcript returns n as readable indented text, for golden files: one line per element
// (`<tag name="value" boolean>`, values quoted as Go strings), each child two spaces further
// in, and each text node as a quoted Go string.
func (n *Node) Transcript() string {
	var b strings.Builder
	n.transcript(&b, 0)
	return b.String()
}

func (n *Node) transcript(b *strings.Builder, depth int) {
	b.WriteString(strings.Repeat("  ", depth))
	if n.Tag == "" {
		b.WriteString(strconv.Quote(n.Text))
		b.WriteByte('\n')
		return
	}
	b.WriteString("<" + n.Tag)
	for _, a := range n.Attrs {
		b.WriteString(" " + a.Name)
		if a.Value != "" {
			b.WriteString("=" + strconv.Quote(a.Value))
		}
	}
	b.WriteString(">\n")
	for _, c := range n.Children {
		c.transcript(b, depth+1)
	}
}

// AppendCompactJSON appends n in the compact form that consentry.js turns into DOM with
// createElement, setAttribute and createTextNode (CONTRACT.md §9, first paint), and
// returns the extended buffer. The form is JSON:
//
//	node    = text | element
//	text    = a JSON string                           (a text node)
//	element = [tag, attrs, child, child, …]            (a JSON array)
//	attrs   = {"name": "value", …}                    (always present, {} when none; in order)
//
// For example ["p",{"id":"x"},"Hello ",["a",{"href":"/p"},"policy"]]. A loader sets each
// attribute with setAttribute, except AttrIndeterminate, which is the indeterminate
// property. The output is ASCII-safe for a script: '<', '>', '&', U+2028 and U+2029 are
// written as \u escapes (appendJSONString), so the text can sit inside a JavaScript file
// or a <script> element; invalid UTF-8 becomes U+FFFD.
func (n *Node) AppendCompactJSON(b []byte) []byte {
	if n.Tag == "" {
		return appendJSONString(b, n.Text)
	}
	b = append(b, '[')
	b = appendJSONString(b, n.Tag)
	b = append(b, ",{"...)
	for i, a := range n.Attrs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, a.Name)
		b = append(b, ':')
		b = appendJSONString(b, a.Value)
	}
	b = append(b, '}')
	for _, c := range n.Children {
		b = append(b, ',')
		b = c.AppendCompactJSON(b)
	}
	return append(b, ']')
}

// textDirection is the dir attribute for text in lang.
func textDirection(lang string) string {
	if IsRightToLeft(lang) {
		return "rtl"
	}
	return "ltr"
}

// viewBuilder builds the views of one policy in one language.
type viewBuilder struct {
	p    *Policy
	lang string
}

// at is shorthand for an attribute list (names_test.go reads its part and class values).
func at(pairs ...string) []Attr { return Attrs(pairs...) }

// t returns a UI text in the view's language, for attributes (aria-label, data-label).
func (v viewBuilder) t(key string) string { return v.p.UIText(key, v.lang) }

// tx returns a UI text as a node: the text itself when it is in the view's language, else a
// span carrying the language it fell back to (WCAG 2.2 SC 3.1.2), so that a screen reader
// reads an English button in an Arabic banner in English.
func (v viewBuilder) tx(key string) *Node { return v.inLang(v.p.UITextLang(key, v.lang)) }

// locx is tx for a policy text.
func (v viewBuilder) locx(text Text) *Node {
	return v.inLang(text.InLang(v.lang, v.p.DefaultLanguage))
}

// inLang wraps text in <span lang dir> when its language is not the view's.
func (v viewBuilder) inLang(text, lang string) *Node {
	if lang == "" || SameLanguage(lang, v.lang) {
		return TextNode(text)
	}
	return El("span", at("lang", lang, "dir", textDirection(lang)), TextNode(text))
}

// button is a <button type=button> with part names, a class and the action it stands for.
func (v viewBuilder) button(label *Node, part, class, action string) *Node {
	return El("button", at("type", "button", "part", part, "class", class, AttrAction, action), label)
}

// richText renders a description, in language lang, in which links are written
// [label](url). Only URLs that pass SafeURL become links; anything else stays text
// (ParsePolicy has refused such a policy already: this is the second line of defence).
func (v viewBuilder) richText(tag, s, lang string) *Node {
	e := El(tag, nil)
	if lang != "" && !SameLanguage(lang, v.lang) {
		e.Attrs = at("lang", lang, "dir", textDirection(lang))
	}
	for _, seg := range SplitLinks(s) {
		if seg.Link && SafeURL(seg.URL) {
			e.Append(El("a", at("href", seg.URL), TextNode(seg.Text)))
		} else {
			e.Append(TextNode(seg.Text))
		}
	}
	return e
}
