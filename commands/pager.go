package commands

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// PageTTL is how long /search paging buttons work.
const PageTTL = 15 * time.Minute

// pageStore keeps the state of paged replies on the server, so a custom_id
// only carries a short key and a page number (Discord allows 100 characters).
// It is bounded: the oldest entries go first.
type pageStore struct {
	mu    sync.Mutex
	items map[string]pageState
	order []string
}

type pageState struct {
	args    SearchArgs
	created time.Time
}

const maxPages = 10000

func (p *pageStore) put(args SearchArgs, now time.Time) string {
	var b [9]byte
	_, _ = rand.Read(b[:])
	key := base64.RawURLEncoding.EncodeToString(b[:])
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.items == nil {
		p.items = map[string]pageState{}
	}
	for len(p.order) >= maxPages {
		delete(p.items, p.order[0])
		p.order = p.order[1:]
	}
	p.items[key] = pageState{args: args, created: now}
	p.order = append(p.order, key)
	return key
}

func (p *pageStore) get(key string, now time.Time) (SearchArgs, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st, ok := p.items[key]
	if !ok || now.Sub(st.created) > PageTTL {
		return SearchArgs{}, false
	}
	return st.args, true
}

// custom_id form of a search page: "pg:<key>:<page>".
const pagePrefix = "pg:"

// addPager puts ◀ ▶ buttons under a search reply with more than one page.
func (s *Service) addPager(ctx context.Context, r *Reply, req Request) {
	data, ok := r.Data.(*SearchJSON)
	if !ok || data.Total <= searchPageSize {
		return
	}
	args := SearchArgs{Query: req.String("query"), Source: req.String("source"), Since: req.String("since"), Guild: req.Guild, Limit: searchPageSize}
	if key, ok := s.putPage(ctx, args); ok {
		r.Buttons = pageButtons(key, 0, data.Total)
	}
}

const searchPageSize = 5

func pageButtons(key string, page, total int) []Button {
	last := (total - 1) / searchPageSize
	return []Button{
		{Label: "◀", CustomID: fmt.Sprintf("%s%s:%d", pagePrefix, key, page-1), Disabled: page <= 0},
		{Label: "▶", CustomID: fmt.Sprintf("%s%s:%d", pagePrefix, key, page+1), Disabled: page >= last},
	}
}

// Component answers a button press. The reply replaces the message the button
// is on, unless it is ephemeral.
func (s *Service) Component(ctx context.Context, customID string, req Request) (*Reply, error) {
	rest, ok := strings.CutPrefix(customID, pagePrefix)
	if !ok {
		return ErrorReply("That button is not one of mine."), nil
	}
	key, pageStr, ok := strings.Cut(rest, ":")
	page, err := strconv.Atoi(pageStr)
	if !ok || err != nil || page < 0 || page > 1000 {
		return ErrorReply("That button is not one of mine."), nil
	}
	args, ok, err := s.getPage(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("commands: search page: %w", err)
	}
	if !ok || args.Guild != req.Guild {
		return ErrorReply("These results are more than 15 minutes old: run /search again for fresh ones."), nil
	}
	args.Page = page
	r, err := s.Search(ctx, args)
	if err != nil {
		return nil, err
	}
	if data, ok := r.Data.(*SearchJSON); ok {
		r.Buttons = pageButtons(key, page, data.Total)
	}
	return r, nil
}
