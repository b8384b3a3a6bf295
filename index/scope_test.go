package index

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/newsbot/newsbot/news"
)

// A scope that holds every document of the index needs no filter; as soon as
// another guild's article is indexed it does again.
func TestScopedWhole(t *testing.T) {
	ix, add := guildIndex(t)
	check := func(when string, want map[string]bool) {
		t.Helper()
		for guild, whole := range want {
			s := ix.scoped(Scope{Guild: guild})
			if s.whole != whole || s.Guild != guild {
				t.Errorf("%s: scope %q: whole %v, want %v", when, guild, s.whole, whole)
			}
			if (s.query() == nil) != whole {
				t.Errorf("%s: scope %q: filter %v with whole %v", when, guild, s.query(), whole)
			}
		}
	}
	check("empty index", map[string]bool{"": true, "111": true})
	add("g1", "")
	check("global articles only", map[string]bool{"": true, "111": true})
	add("own", "111")
	check("a guild's article", map[string]bool{"": false, "111": true, "222": false})
	add("other", "222")
	check("two guilds' articles", map[string]bool{"": false, "111": false, "222": false})
}

// Latest keeps to the scope whether or not the scope holds the whole index
// (Index.scoped drops the filter when it does).
func TestLatestKeepsToTheScope(t *testing.T) {
	ix, add := guildIndex(t)
	ctx := context.Background()
	ids := func(scope Scope) map[string]bool {
		t.Helper()
		got, err := ix.Latest(ctx, scope, 10)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, a := range got {
			out[a.ID] = true
		}
		return out
	}
	add("g1", "")
	add("own", "111")
	if got := ids(Scope{Guild: "111"}); len(got) != 2 || !got["g1"] || !got["own"] {
		t.Errorf("guild 111, whole index in scope: %v, want g1 and own", got)
	}
	if got := ids(Scope{}); len(got) != 1 || !got["g1"] {
		t.Errorf("no guild: %v, want g1 only", got)
	}
	add("other", "222")
	if got := ids(Scope{Guild: "111"}); len(got) != 2 || got["other"] {
		t.Errorf("guild 111 beside guild 222: %v, want g1 and own", got)
	}
}

// guildIndex opens an empty index and returns it with a function that adds
// an article of a guild ("" for a global one).
func guildIndex(t *testing.T) (*Index, func(id, guild string)) {
	t.Helper()
	arts := memArticles{}
	ix, err := Open(filepath.Join(t.TempDir(), "index"), arts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, func(id, guild string) {
		t.Helper()
		a := &news.Article{ID: id, Guild: guild, Title: "Title " + id, Paragraphs: []string{"Text of " + id + "."}}
		arts[id] = a
		if err := ix.IndexArticles(context.Background(), []*news.Article{a}); err != nil {
			t.Fatal(err)
		}
	}
}
