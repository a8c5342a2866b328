//go:build tools

// Package tools pins FerretDB (v1, SQLite backend): this go.sum checks the module build.sh downloads;
// build.sh then builds it inside a copy of its own source tree (it needs build/version/version.txt).
package tools

import _ "github.com/FerretDB/FerretDB/cmd/ferretdb"
