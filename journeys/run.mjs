// Runs the cross-engine journeys (`make engines`): starts the journey server (Go, the
// repository's own dev server plus the fixtures of testdata/journeys) on a free loopback
// port, then node --test on the engines' files with the journey × engine table, and exits
// with node --test's status. JOURNEYS_CONCURRENCY engines run at once (default 2).
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const concurrency = process.env.JOURNEYS_CONCURRENCY || "2";
const files = process.argv.slice(2).length ? process.argv.slice(2) : ["journeys/chromium.test.mjs", "journeys/firefox.test.mjs", "journeys/webkit.test.mjs"];

const server = spawn(process.env.JOURNEYS_SERVER || "build/journeyserver", ["-dist", process.env.CONSENTRY_DIST || "dist"], {
  stdio: ["pipe", "pipe", "inherit"],
});
const base = await new Promise((resolve, reject) => {
  createInterface({ input: server.stdout }).once("line", resolve);
  server.once("error", reject);
  server.once("exit", (code) => reject(new Error(`journey server exited (${code})`)));
});
server.stdout.resume();

const child = spawn(
  process.execPath,
  [
    "--test",
    `--test-concurrency=${concurrency}`,
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=./journeys/table.mjs",
    "--test-reporter-destination=stdout",
    ...files,
  ],
  { stdio: "inherit", env: { ...process.env, JOURNEYS_BASE_URL: base, PUPPETEER_SKIP_DOWNLOAD: "1" } },
);
const code = await new Promise((resolve) => child.once("exit", (c, sig) => resolve(c === null ? 1 : c)));
server.stdin.end();
server.kill();
process.exit(code);
