// A node:test reporter that prints the journey × engine table once every test has
// reported: one row a journey, one column an engine, each cell pass, FAIL, skip or n/a
// (a journey that an engine cannot have, such as Global Privacy Control outside Firefox).
const ENGINES = ["chromium", "firefox", "webkit"];

export default async function* table(source) {
  const cells = new Map(); // journey -> engine -> result
  const rows = [];
  const versions = {};
  let failures = 0;
  let passed = 0;
  let skipped = 0;
  const failedSuites = [];
  for await (const ev of source) {
    if (ev.type === "test:stdout" || ev.type === "test:stderr") {
      const m = /^# engine (\w+): (.*)$/m.exec(ev.data.message);
      if (m) versions[m[1]] = m[2];
      continue;
    }
    if (ev.type !== "test:pass" && ev.type !== "test:fail") continue;
    const d = ev.data;
    if (d.nesting === 0 && ev.type === "test:fail") failedSuites.push(d.name); // an engine's suite
    if (d.nesting !== 1) continue;
    // A journey's test is named "journey [engine]" (journeys.mjs, suite).
    const m = /^(.*) \[(\w+)\]$/.exec(d.name);
    if (!m) continue;
    const [, journey, engine] = m;
    if (!rows.includes(journey)) rows.push(journey);
    if (!cells.has(journey)) cells.set(journey, {});
    const result = ev.type === "test:fail" ? "FAIL" : d.skip !== undefined ? "skip" : "pass";
    if (result === "FAIL") failures++;
    if (result === "pass") passed++;
    if (result === "skip") skipped++;
    cells.get(journey)[engine] = result;
  }
  const w = Math.max(...rows.map((r) => r.length), 7);
  let out = "\n== cross-engine journeys (journeys/, journey × engine)\n";
  out += "journey".padEnd(w) + "  " + ENGINES.map((e) => e.padEnd(9)).join("") + "\n";
  for (const r of rows) {
    out += r.padEnd(w) + "  " + ENGINES.map((e) => (cells.get(r)[e] || "n/a").padEnd(9)).join("") + "\n";
  }
  for (const e of ENGINES) out += `${e}: ${versions[e] || "not run"}\n`;
  // A suite can fail outside its journeys (a hook): that is a failure too.
  for (const e of failedSuites) {
    if (![...cells.values()].some((c) => c[e] === "FAIL")) {
      failures++;
      out += `${e}: the suite failed outside its journeys (see above)\n`;
    }
  }
  out += `journeys: ${passed} passed, ${failures} failed, ${skipped} skipped${failures ? " (FAILED)" : ""}\n`;
  yield out;
}
