// Package locales embeds the UI's texts (react-i18next's files beside it) for the server,
// so both speak with the same words: the activity log's CSV export names actions as the
// Activity page does, and a Go test fails when an audit action has no words here.
package locales

import "embed"

// FS holds <language>/<namespace>.json, as the UI reads them.
//
//go:embed */*.json
var FS embed.FS
