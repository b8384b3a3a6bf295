package store

import (
	"context"
	"log/slog"
	"time"
)

// RunLeased runs fn while holder has the named lease of st, so that among
// processes sharing a store one at a time does the job. It takes the lease
// when it is free or expired, and renews it every ttl/3; fn's context ends
// when the lease is lost (another process has it, or it could not be renewed
// for ttl/2, well before it expires for the others) and fn is started again
// once the lease is back. An fn that returns by itself (its job failed at
// once, say) is started again no sooner than ttl/3 later, not in a tight
// loop. RunLeased returns when ctx ends and fn has returned. A store that grants no leases (the bbolt file, which one process
// holds) just runs fn.
func RunLeased(ctx context.Context, st Backend, name, holder string, ttl time.Duration, log *slog.Logger, fn func(context.Context)) {
	l, ok := st.(Leaser)
	if !ok {
		fn(ctx)
		return
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	every := ttl / 3
	for ctx.Err() == nil {
		ok, err := l.TryLease(ctx, name, holder, ttl)
		if err != nil && ctx.Err() == nil {
			log.Warn("cannot ask for the lease", "lease", name, "err", err)
		}
		if !ok {
			select {
			case <-ctx.Done():
			case <-time.After(every):
			}
			continue
		}
		log.Info("took the lease: this process runs the job", "lease", name)
		if holdLease(ctx, l, name, holder, ttl, every, log, fn) {
			select {
			case <-ctx.Done():
			case <-time.After(every):
			}
		}
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = l.ReleaseLease(rctx, name, holder)
}

// holdLease runs fn and renews the lease until fn returns, ctx ends or the
// lease is lost; it reports whether fn returned by itself.
func holdLease(ctx context.Context, l Leaser, name, holder string, ttl, every time.Duration, log *slog.Logger, fn func(context.Context)) (stoppedItself bool) {
	run, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan struct{})
	go func() { defer close(done); fn(run) }()
	renewed := time.Now()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return ctx.Err() == nil
		case <-ctx.Done():
			stop()
			<-done
			return false
		case <-tick.C:
		}
		ok, err := l.TryLease(ctx, name, holder, ttl)
		switch {
		case err == nil && ok:
			renewed = time.Now()
			continue
		case err == nil:
			log.Warn("another process took the lease; stopping the job here", "lease", name)
		case time.Since(renewed) < ttl/2:
			log.Warn("cannot renew the lease; retrying", "lease", name, "err", err)
			continue
		default:
			log.Warn("cannot renew the lease in time; stopping the job here", "lease", name, "err", err)
		}
		stop()
		<-done
		return false
	}
}
