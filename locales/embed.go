// Package locales ships the default message files inside the binary.
package locales

import "embed"

// FS holds one go-i18n TOML message file per language.
//
//go:embed *.toml
var FS embed.FS
