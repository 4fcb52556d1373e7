package distbuild

import (
	"encoding/json"

	"github.com/consentry/consentry/widget"
)

// bakeView is one language's first layer as package widget's views build it: the root
// element with FrameAttrs (a node without children, whose attributes the loader sets on
// #consentry-root), BannerView and StatusView, in the compact JSON form of widget.Node.
func bakeView(p *widget.Policy, lang string) bakedView {
	return bakedView{
		Frame:  json.RawMessage(widget.El("div", p.FrameAttrs(lang)).AppendCompactJSON(nil)),
		Banner: json.RawMessage(p.BannerView(lang).AppendCompactJSON(nil)),
		Status: json.RawMessage(widget.StatusView().AppendCompactJSON(nil)),
	}
}
