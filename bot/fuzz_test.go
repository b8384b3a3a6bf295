package bot

import (
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/commands"
)

// FuzzInteractionPayload decodes arbitrary interaction payloads into requests:
// a malformed one is an error (answered with an ephemeral message), never a
// panic. Run: go test ./bot -fuzz FuzzInteractionPayload
func FuzzInteractionPayload(f *testing.F) {
	for _, seed := range []string{
		`{"type":2,"data":{"name":"ask","type":1,"options":[{"name":"question","type":3,"value":"Who?"}]}}`,
		`{"type":2,"guild_id":"1","member":{"permissions":"8192","roles":["2"]},"data":{"name":"news","type":1,"options":[{"name":"add","type":1,"options":[{"name":"file","type":11,"value":"9"}]}]}}`,
		`{"type":4,"data":{"name":"quotes","options":[{"name":"speaker","type":3,"value":"st","focused":true}]}}`,
		`{"type":2,"data":{"name":"Add to news","type":3,"target_id":"5","resolved":{"messages":{"5":{"id":"5","content":"hi"}}}}}`,
		`{"type":3,"data":{"custom_id":"pg:a:1","component_type":2}}`,
		`{"type":2,"data":{"options":[{"type":4,"value":"x"}]}}`,
		`{"type":99}`,
	} {
		f.Add([]byte(seed))
	}
	b := &Bot{opt: Options{ModeratorRoles: []string{"2"}}, svc: commands.New(nil)}
	f.Fuzz(func(t *testing.T, payload []byte) {
		var i discordgo.Interaction
		if err := json.Unmarshal(payload, &i); err != nil {
			return
		}
		req, err := b.request(&i)
		if err != nil {
			return
		}
		if req.Guild == "" && req.Moderator {
			t.Fatal("a DM counted as a moderator")
		}
	})
}
