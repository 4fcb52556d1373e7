// The journeys of journeys.mjs in chromium. Run through journeys/run.mjs (`make engines`).
import { suite } from "./journeys.mjs";

suite("chromium");
