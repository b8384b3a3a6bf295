package bot

import (
	"context"
	"time"
)

// sharedTimeout bounds one look at the shared state: an interaction has three
// seconds in all.
const sharedTimeout = 500 * time.Millisecond

// duplicate reports whether the interaction was taken already: by any replica
// when they share state (a shard that moved to another process replays its
// events), else by this process. When the shared state cannot be reached,
// this process's memory decides, so an outage answers rather than drops.
func (b *Bot) duplicate(id string) bool {
	if b.opt.Shared == nil || id == "" {
		return b.seen.add(id, time.Now())
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	first, err := b.opt.Shared.Claim(ctx, "seen", id, seenTTL)
	if err != nil {
		b.log.Warn("cannot mark the interaction in the shared store; this process remembers it", "id", id, "err", err)
		return b.seen.add(id, time.Now())
	}
	b.seen.add(id, time.Now())
	return !first
}

// allow applies the member's rate limit: across the replicas when they share
// state, else in this process (also when the shared state cannot be reached).
func (b *Bot) allow(member string) bool {
	if b.opt.Shared == nil || b.opt.RatePerMinute <= 0 || member == "" {
		return b.limiter.allow(member)
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	ok, err := b.opt.Shared.Hit(ctx, "rate", member, time.Minute, b.opt.RatePerMinute)
	if err != nil {
		b.log.Warn("cannot count the member's commands in the shared store; counting here", "err", err)
		return b.limiter.allow(member)
	}
	return ok
}
