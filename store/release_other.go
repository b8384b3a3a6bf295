//go:build !linux

package store

import "go.etcd.io/bbolt"

// release is a no-op where the kernel's mapping of file pages is not known
// (see release_linux.go).
func release(*bbolt.Tx, []byte) {}
