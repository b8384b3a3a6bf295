//go:build unix

package control

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"
	"testing"
)

func TestSocketPermissions(t *testing.T) {
	// A permissive umask must not leave the socket open to others.
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	s := start(t, func(context.Context, Request, io.Reader, io.Writer, io.Writer) int { return 0 })
	fi, err := os.Lstat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Type() != fs.ModeSocket || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want a socket with 0600", fi.Mode())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(s.Path()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("socket left after Close: %v", err)
	}
}
