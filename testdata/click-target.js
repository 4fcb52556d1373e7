// Where a real mouse click on el lands, for both browser suites (e2e_helpers_test.go's
// clickAt and journeys/journeys.mjs's click): el is scrolled into view, and the click goes
// to the centre of its box only if that point hits el (or its label). A visually hidden
// switch is clicked through its label, as a person would. The file is one expression,
// called with the element: (FILE)(el).
(el) => {
  if (!el) return {ok: false, why: 'not found'};
  let box = el;
  let r = el.getBoundingClientRect();
  if ((r.width < 4 || r.height < 4) && el.labels && el.labels.length) { box = el.labels[0]; }
  box.scrollIntoView({block: 'center', inline: 'center'});
  r = box.getBoundingClientRect();
  if (!(r.width > 0 && r.height > 0)) return {ok: false, why: 'zero-size box'};
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const root = el.getRootNode();
  const hit = (root.elementFromPoint ? root : document).elementFromPoint(x, y);
  const inLabel = el.labels && Array.from(el.labels).some((l) => l.contains(hit));
  if (!hit || !(hit === el || el.contains(hit) || inLabel)) {
    return {ok: false, why: 'covered by ' + (hit ? hit.outerHTML.slice(0, 160) : 'nothing'), x, y};
  }
  return {ok: true, x, y};
}
