package discordtest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// PostInteraction delivers an interaction the way Discord does to an
// application's Interactions Endpoint URL: a POST to endpoint (a loopback
// URL, such as one replica's /interactions behind a test's load balancer),
// signed with key, the application's Ed25519 private key. The bot's HTTP
// reply is its first response: the fake relays it to its own callback route,
// so it is checked and recorded as a callback sent over REST would be (3 s
// deadline, allowed types, allowed_mentions), and later edits and follow-ups
// find the interaction. It returns the interaction and the HTTP status of
// the endpoint's reply.
func (f *Fake) PostInteraction(ctx context.Context, endpoint string, key ed25519.PrivateKey, i Interaction) (SentInteraction, int, error) {
	if _, ok := allowedCallbacks[i.Type]; !ok {
		return SentInteraction{}, 0, fmt.Errorf("discordtest: interaction type %d has no callback (use 2, 3, 4 or 5)", i.Type)
	}
	f.mu.Lock()
	payload := f.interactionPayloadLocked(i)
	now := f.now()
	it := &interaction{
		sent: SentInteraction{ID: str(payload["id"]), Token: str(payload["token"]), Payload: payload},
		typ:  i.Type, channelID: str(payload["channel_id"]), sentAt: now, deliveredAt: now,
	}
	f.interacts[it.sent.ID] = it
	f.byToken[it.sent.Token] = it
	f.mu.Unlock()

	body, err := json.Marshal(payload)
	if err != nil {
		return it.sent, 0, err
	}
	stamp := strconv.FormatInt(now.Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return it.sent, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(stamp), body...))))
	req.Header.Set("X-Signature-Timestamp", stamp)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return it.sent, 0, fmt.Errorf("discordtest: deliver interaction: %w", err)
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		return it.sent, resp.StatusCode, err
	}
	cb, err := http.NewRequestWithContext(ctx, http.MethodPost,
		fmt.Sprintf("%s/api/v10/interactions/%s/%s/callback", f.URL(), it.sent.ID, it.sent.Token), bytes.NewReader(reply))
	if err != nil {
		return it.sent, resp.StatusCode, err
	}
	cb.Header.Set("Content-Type", "application/json")
	// The reply is the bot's; the relay passes as a client Discord accepts.
	cb.Header.Set("User-Agent", "DiscordBot (https://github.com/newsbot/newsbot, relay)")
	cbResp, err := http.DefaultClient.Do(cb)
	if err != nil {
		return it.sent, resp.StatusCode, fmt.Errorf("discordtest: relay the reply: %w", err)
	}
	io.Copy(io.Discard, cbResp.Body)
	cbResp.Body.Close()
	return it.sent, resp.StatusCode, nil
}
