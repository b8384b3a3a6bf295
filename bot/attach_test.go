package bot

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/ingest/fetch"
	"github.com/newsbot/newsbot/internal/discordtest"
)

// mapDNS resolves the names a test gives, and nothing else.
type mapDNS map[string]string

func (m mapDNS) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	a, ok := m[host]
	if !ok {
		return nil, fmt.Errorf("no such host %s (test DNS)", host)
	}
	return []netip.Addr{netip.MustParseAddr(a)}, nil
}

// addFile is /news add with a file: option, with the attachment Discord
// resolves it to.
func addFile(inv discordtest.Invoker, id, name, url string, size int) discordtest.Interaction {
	i := discordtest.SlashCommand(inv, "news", discordtest.Subcommand("add",
		discordtest.CommandOption{Name: "file", Type: 11, Value: id}))
	i.Data["resolved"] = map[string]any{"attachments": map[string]any{id: attachmentJSON(id, name, url, size)}}
	return i
}

func attachmentJSON(id, name, url string, size int) map[string]any {
	return map[string]any{"id": id, "filename": name, "size": size, "url": url, "proxy_url": url,
		"content_type": "text/plain; charset=utf-8"}
}

// TestAttachmentsGoThroughTheFetcher: /news add file: and "Add to news"
// download a member's files with the safe fetcher, so an attachment URL that
// names another host, or a CDN name that resolves to a private address, is
// refused without a connection, and the member is told why.
func TestAttachmentsGoThroughTheFetcher(t *testing.T) {
	const article = "Lighthouse keeper retires after forty years\n\nThe keeper of the Skerry lighthouse retired on Friday after forty years. \"The light never failed,\" keeper Tom Ardle said.\n"
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if strings.HasPrefix(r.URL.Path, "/slow/") {
			// A CDN slower than Discord's 3 seconds allow: the bot must
			// defer first, then answer.
			select {
			case <-r.Context().Done():
				return
			case <-time.After(3 * time.Second):
			}
			fmt.Fprint(w, "Ferry timetable changes\n\nThe island ferry moves to a winter timetable from Monday, the operator said.\n")
			return
		}
		fmt.Fprint(w, article)
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]

	// Like the fake Discord, this file server is on loopback: the test
	// allows 127.0.0.1 explicitly, as an operator would have to.
	f := fetch.New(config.Fetch{AllowHosts: []string{"127.0.0.1"}})
	f.SetResolver(mapDNS{"cdn.discordapp.com": "127.0.0.1", "media.discordapp.net": "10.20.30.40"})
	// A library of its own, empty: the articles added here must not answer
	// other tests' questions, nor be found stored by this test's next run
	// (-count).
	lib, err := ingest.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	h := startWith(t, lib, Options{Fetch: f})
	mod := moderator("100000000000000003")
	size := len(article)

	tests := []struct {
		name  string
		i     discordtest.Interaction
		want  string
		fetch bool // whether the file server is reached
	}{
		{"allowed host", addFile(mod, "900000000000000001", "keeper.txt", srv.URL+"/attachments/1/2/keeper.txt", size),
			"Added **Lighthouse keeper retires after forty years**", true},
		{"CDN name on loopback", addFile(mod, "900000000000000002", "a.txt", "http://cdn.discordapp.com:"+port+"/attachments/1/2/a.txt", size),
			"127.0.0.1 is a loopback address", false},
		{"CDN name on a private address", addFile(mod, "900000000000000003", "b.txt", "http://media.discordapp.net:"+port+"/attachments/1/2/b.txt", size),
			"10.20.30.40 is a private address", false},
		{"another host", addFile(mod, "900000000000000004", "c.txt", "http://localhost:"+port+"/c.txt", size),
			"localhost is not a host files are downloaded from", false},
		{"slow download", addFile(mod, "900000000000000007", "slow.txt", srv.URL+"/slow/slow.txt", 90),
			"Added **Ferry timetable changes**", true},
		{"over the size limit", addFile(mod, "900000000000000005", "d.txt", srv.URL+"/d.txt", maxAttachment+1),
			"over the 10 MB limit", false},
		{"Add to news, private address", discordtest.MessageCommand(mod, "Add to news", withAttachment(
			discordtest.MessageObject("300000000000000002", channel, discordtest.User{ID: "200000000000000009", Username: "poster"}, ""),
			attachmentJSON("900000000000000006", "e.txt", "http://media.discordapp.net/attachments/1/2/e.txt", size))),
			"Could not download the message's files: e.txt: fetch: refused", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := hits.Load()
			r := h.send(t, tt.i)
			got := text(r)
			if tt.name == "slow download" && r.Type != 5 {
				t.Errorf("response type %d, want 5 (deferred, then edited)", r.Type)
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("response lacks %q:\n%s", tt.want, got)
			}
			if reached := hits.Load() > before; reached != tt.fetch {
				t.Errorf("file server reached = %v, want %v", reached, tt.fetch)
			}
		})
	}

	// Without a fetcher of its own, a bot takes the default settings,
	// which allow no loopback address.
	b, err := New(Options{Token: "t", NoGateway: true}, h.svc, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := hits.Load()
	if _, err := b.download(context.Background(), srv.URL+"/attachments/1/2/keeper.txt", size); err == nil ||
		!strings.Contains(err.Error(), "is not a host files are downloaded from") {
		t.Errorf("default fetcher: %v, want refused", err)
	}
	if hits.Load() != before {
		t.Error("the default fetcher reached a loopback server")
	}
}

func withAttachment(msg map[string]any, att map[string]any) map[string]any {
	msg["attachments"] = []any{att}
	return msg
}
