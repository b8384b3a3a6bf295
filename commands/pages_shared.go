package commands

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"

	"github.com/newsbot/newsbot/store"
)

// The paging state of a search lives in the shared store when replicas share
// one (a button may be pressed on any of them), else in this process.

func (s *Service) shared() store.Shared {
	if s.Lib == nil {
		return nil
	}
	sh, _ := s.Lib.Store.(store.Shared)
	return sh
}

// putPage keeps a search's paging state and returns its key; ok is false when
// it could not be kept (the search is then answered without buttons).
func (s *Service) putPage(ctx context.Context, args SearchArgs) (key string, ok bool) {
	sh := s.shared()
	if sh == nil {
		return s.pages.put(args, s.Now()), true
	}
	var b [9]byte
	_, _ = rand.Read(b[:])
	key = base64.RawURLEncoding.EncodeToString(b[:])
	data, err := json.Marshal(args)
	if err == nil {
		err = sh.PutTemp(ctx, "pages", key, data, PageTTL)
	}
	return key, err == nil
}

// getPage reads a search's paging state; ok is false when it expired.
func (s *Service) getPage(ctx context.Context, key string) (args SearchArgs, ok bool, err error) {
	sh := s.shared()
	if sh == nil {
		args, ok = s.pages.get(key, s.Now())
		return args, ok, nil
	}
	data, err := sh.GetTemp(ctx, "pages", key)
	if errors.Is(err, store.ErrNotFound) {
		return SearchArgs{}, false, nil
	}
	if err != nil {
		return SearchArgs{}, false, err
	}
	if err := json.Unmarshal(data, &args); err != nil {
		return SearchArgs{}, false, nil
	}
	return args, true, nil
}
