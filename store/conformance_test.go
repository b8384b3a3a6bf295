package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/newsbot/newsbot/store"
	"github.com/newsbot/newsbot/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Backend {
		s, err := store.Open(filepath.Join(t.TempDir(), "s.db"), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
