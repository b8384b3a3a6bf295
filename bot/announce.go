package bot

import (
	"context"
	"fmt"

	"github.com/newsbot/newsbot/internal/metrics"
	"github.com/newsbot/newsbot/news"
)

// Announce posts new articles to a channel, at most ten embeds a message
// (Discord's limit), with mentions off like every message.
func (b *Bot) Announce(ctx context.Context, channelID, from string, arts []*news.Article) error {
	for start := 0; start < len(arts); start += maxEmbeds {
		if err := ctx.Err(); err != nil {
			return err
		}
		part := arts[start:min(start+maxEmbeds, len(arts))]
		r := b.svc.Announcement(part, from)
		if start > 0 {
			r.Text = ""
		}
		if _, err := b.s.ChannelMessageSendComplex(channelID, render(r).messageSend()); err != nil {
			return fmt.Errorf("bot: announce in %s: %w", channelID, err)
		}
	}
	return nil
}

// Metrics are the bot's metrics (nil when it has none: recording on nil is a
// no-op).
func (b *Bot) Metrics() *metrics.Metrics { return b.opt.Metrics }
