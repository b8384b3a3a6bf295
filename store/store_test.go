package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// The behaviour every backend shares is tested by storetest (conformance_test.go);
// what follows is the bbolt file's own.

func TestSecondOpenFailsFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = Open(path, 100*time.Millisecond)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: err = %v, want ErrLocked", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("second open hung")
	}
}
