package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
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

// TestOpenAfterReplace: a process waiting for the lock while the file is
// replaced (a migration renames the new file over the old, then lets the old
// one go) ends up holding the file the path names, not the old one.
func TestOpenAfterReplace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.db")
	holder, err := openDB(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	type opened struct {
		db  *bbolt.DB
		err error
	}
	got := make(chan opened, 1)
	go func() {
		db, err := openDB(path, 30*time.Second)
		got <- opened{db, err}
	}()
	// The waiter has the old file open once two descriptors name it.
	deadline := time.Now().Add(30 * time.Second)
	for openCount(t, path) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the second open never opened the file")
		}
		time.Sleep(time.Millisecond)
	}
	tmp := filepath.Join(dir, "s.db.new")
	fresh, err := bbolt.Open(tmp, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := fresh.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket([]byte("marker"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("new"))
	}); err != nil {
		t.Fatal(err)
	}
	fresh.Close()
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	holder.Close()
	o := <-got
	if o.err != nil {
		t.Fatal(o.err)
	}
	defer o.db.Close()
	if err := o.db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket([]byte("marker")) == nil {
			return errors.New("it holds the old, replaced file")
		}
		return nil
	}); err != nil {
		t.Error(err)
	}
}

// openCount is how many of this process's descriptors have path open.
func openCount(t *testing.T, path string) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	n := 0
	for _, fd := range fds {
		if target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && target == path {
			n++
		}
	}
	return n
}
