// Package flows ships the default flow files inside the binary.
package flows

import "embed"

// FS holds the default flow files.
//
//go:embed *.yaml
var FS embed.FS
