package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/commands"
	"github.com/newsbot/newsbot/digest"
)

// DigestPayloads renders a digest as the bodies of the messages that post it,
// in order, exactly as they are POSTed to /channels/{id}/messages: none for
// an empty digest that posts nothing. A digest too big for one message is
// split: at most 10 embeds and 6000 embed characters a message.
func DigestPayloads(d digest.Digest) ([]json.RawMessage, error) {
	msgs := digestMessages(d)
	out := make([]json.RawMessage, 0, len(msgs))
	for i, m := range msgs {
		body := digestBody{MessageSend: m.messageSend(), Nonce: digestNonce(d, i), EnforceNonce: true}
		if body.Embeds == nil {
			body.Embeds = []*discordgo.MessageEmbed{}
		}
		if body.Components == nil {
			body.Components = []discordgo.MessageComponent{}
		}
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("bot: encode digest message %d: %w", i+1, err)
		}
		out = append(out, raw)
	}
	return out, nil
}

// digestBody is a message with a nonce that Discord enforces: when a post is
// retried after Discord created the message but before we heard so (a
// timeout, a crash), Discord returns the first message instead of posting it
// twice.
type digestBody struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// digestNonce names one message of one digest: the same window of the same
// digest gets the same nonces, however often it is tried. Discord allows 25
// characters.
func digestNonce(d digest.Digest, part int) string {
	h := sha256.Sum256([]byte(d.Guild + "/" + d.Channel + "/" + strconv.FormatInt(d.To.UnixNano(), 10) + "/" + strconv.Itoa(part)))
	return hex.EncodeToString(h[:])[:25]
}

// digestMessages splits a digest's reply into messages: each story is rendered
// alone (render fits one embed to every limit), then the embeds are packed in
// order into as few messages as Discord's per-message limits allow.
func digestMessages(d digest.Digest) []message {
	r := commands.DigestReply(d)
	if d.Empty() {
		if !d.EmptyLine {
			return nil
		}
		return []message{{content: cutMarkdown(r.Text, maxContent)}}
	}
	var parts [][]*discordgo.MessageEmbed
	var cur []*discordgo.MessageEmbed
	total := 0
	for _, c := range r.Cards {
		one := render(&commands.Reply{Cards: []commands.Card{c}})
		if len(one.embeds) != 1 {
			continue
		}
		e := one.embeds[0]
		size := embedSize(e)
		if len(cur) == maxEmbeds || len(cur) > 0 && total+size > maxEmbedTotal {
			parts = append(parts, cur)
			cur, total = nil, 0
		}
		cur = append(cur, e)
		total += size
	}
	if len(cur) > 0 {
		parts = append(parts, cur)
	}
	msgs := make([]message, len(parts))
	for i, p := range parts {
		content := r.Text
		if i > 0 {
			content = fmt.Sprintf("*News digest, continued (%d of %d)*", i+1, len(parts))
		}
		msgs[i] = message{content: cutMarkdown(content, maxContent), embeds: p}
	}
	return msgs
}

// DigestPoster posts digests with the bot's session: over REST, so it works
// with or without the gateway.
func (b *Bot) DigestPoster() digest.Poster { return digestPoster{s: b.s} }

type digestPoster struct{ s *discordgo.Session }

func (p digestPoster) Render(d digest.Digest) ([]json.RawMessage, error) { return DigestPayloads(d) }

// Send posts one body. discordgo waits out rate limits and retries a 502 a
// few times itself; what still fails is the scheduler's to retry later.
func (p digestPoster) Send(ctx context.Context, channelID string, body json.RawMessage) (string, error) {
	ep := discordgo.EndpointChannelMessages(channelID)
	resp, err := p.s.RequestWithBucketID(http.MethodPost, ep, body, ep, discordgo.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("bot: post in channel %s: %w", channelID, err)
	}
	var m struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(resp, &m); err != nil || m.ID == "" {
		return "", fmt.Errorf("bot: post in channel %s: Discord's answer has no message id (%.200s)", channelID, resp)
	}
	return m.ID, nil
}
