// Package opencookiedatabase embeds the vendored Open Cookie Database (Apache-2.0, see
// LICENSE and README.md in this folder). Only the scanner (internal/scan) imports it.
package opencookiedatabase

import _ "embed"

// CSV is open-cookie-database.csv as published upstream, unchanged.
//
//go:embed open-cookie-database.csv
var CSV string
