package scan

// srcRequest is a request as the src attribution sees it: its URL, the page it was made on
// and what sent it.
type srcRequest struct{ url, page, initiator string }

// markRanBySrc marks as ran the gated elements whose src was requested, for the phases where the category is not accepted (the first visit and after
// Reject all; other phases are returned unchanged). The markup alone can lie (a copy of the
// tag outside Consentry, code that loads the script itself), so a request for the src says
// the element's script ran, under two conditions that keep a site's legitimate loads out:
//   - the request was made on the element's own page: a page may load the same script
//     under a required category, or ungated, and that request says nothing about the
//     element of another page;
//   - for an element of an optional category, its page has no element with the same src
//     that needs no consent (a required category, or a consent-free service): that
//     element's load is the request.
func markRanBySrc(gated []GatedElement, reqs []srcRequest, phaseID string, pol *policy) []GatedElement {
	if phaseID != PhaseInitial && phaseID != PhaseReject {
		return gated
	}
	free := map[[2]string]bool{} // page, src → an element needing no consent loads src there
	for _, g := range gated {
		if g.Src != "" && !pol.categoryOptional(g.Category, g.Service) {
			free[[2]string{g.Page, g.Src}] = true
		}
	}
	out := make([]GatedElement, len(gated))
	copy(out, gated)
	for i, g := range out {
		if g.Ran || g.Src == "" || (free[[2]string{g.Page, g.Src}] && pol.categoryOptional(g.Category, g.Service)) {
			continue
		}
		for _, r := range reqs {
			if r.url == g.Src && r.page == g.Page {
				out[i].Ran, out[i].RanBy = true, "its src was requested ("+r.initiator+")"
				break
			}
		}
	}
	return out
}
