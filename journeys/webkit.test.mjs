// The journeys of journeys.mjs in webkit. Run through journeys/run.mjs (`make engines`).
import { suite } from "./journeys.mjs";

suite("webkit");
