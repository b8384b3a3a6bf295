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
	ix, err := Open(filepath.Join(t.TempDir(), "index"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	add := func(id, guild string) {
		t.Helper()
		a := &news.Article{ID: id, Guild: guild, Title: "Title " + id, Paragraphs: []string{"Text of " + id + "."}}
		if err := ix.IndexArticles(ctx, []*news.Article{a}); err != nil {
			t.Fatal(err)
		}
	}
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
