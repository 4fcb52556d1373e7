// The journeys of journeys.mjs in firefox. Run through journeys/run.mjs (`make engines`).
import { suite } from "./journeys.mjs";

suite("firefox");
