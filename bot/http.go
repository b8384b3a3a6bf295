package bot

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// maxInteractionBody caps the body of a POST /interactions.
const maxInteractionBody = 1 << 20

// clockSkew is how far an interaction's timestamp may be from now.
const clockSkew = 5 * time.Minute

// InteractionsHandler serves POST /interactions: Discord's HTTP delivery of
// interactions, signed with the application's Ed25519 key. The first response
// is the HTTP reply; a deferred one is completed over REST.
func (b *Bot) InteractionsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxInteractionBody+1))
		if err != nil {
			// Most often the server's ReadTimeout: a client too slow to
			// send its body is cut off.
			http.Error(w, "body unreadable", http.StatusBadRequest)
			return
		}
		if len(body) > maxInteractionBody {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if !b.verify(r.Header, body) {
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		var i discordgo.Interaction
		if err := json.Unmarshal(body, &i); err != nil {
			http.Error(w, "malformed interaction", http.StatusBadRequest)
			return
		}
		// The first response goes back in this HTTP reply; handle may
		// continue afterwards (a deferred answer), so it gets its own
		// context, not the request's.
		first := make(chan *discordgo.InteractionResponse, 1)
		sent := make(chan error, 1)
		go b.handle(context.Background(), &i, func(resp *discordgo.InteractionResponse) error {
			if resp.Data != nil && len(resp.Data.Files) > 0 {
				// An HTTP reply cannot carry files: answer "thinking...",
				// then put the reply and its files in @original over REST.
				first <- &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
					Data: &discordgo.InteractionResponseData{Flags: resp.Data.Flags}}
				if err := <-sent; err != nil {
					return err
				}
				d := resp.Data
				_, err := b.s.InteractionResponseEdit(&i, &discordgo.WebhookEdit{
					Content: &d.Content, Embeds: &d.Embeds, Components: &d.Components, AllowedMentions: d.AllowedMentions, Files: d.Files,
				})
				return err
			}
			first <- resp
			return <-sent
		})
		select {
		case resp := <-first:
			data, err := json.Marshal(resp)
			if err != nil {
				sent <- err
				http.Error(w, "internal error", http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, err = w.Write(data)
			sent <- err
		case <-time.After(3 * time.Second):
			sent <- context.DeadlineExceeded
			http.Error(w, "no response in time", http.StatusServiceUnavailable)
		}
	})
}

// verify checks Discord's signature of timestamp+body and the timestamp's age.
func (b *Bot) verify(h http.Header, body []byte) bool {
	if len(b.opt.PublicKey) != ed25519.PublicKeySize {
		return false
	}
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return false
	}
	ts := h.Get("X-Signature-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	if d := b.svc.Now().Sub(time.Unix(sec, 0)); d > clockSkew || d < -clockSkew {
		return false
	}
	var msg bytes.Buffer
	msg.WriteString(ts)
	msg.Write(body)
	return ed25519.Verify(b.opt.PublicKey, msg.Bytes(), sig)
}
