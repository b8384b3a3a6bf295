package discordtest

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/newsbot/newsbot/internal/discordep"
)

// HTTPClient returns a client that sends every request for discord.com to the fake and
// refuses every other host (the CDN included), so a test can never reach the internet.
func (f *Fake) HTTPClient() *http.Client {
	target, err := url.Parse(f.srv.URL)
	if err != nil {
		panic(fmt.Sprintf("discordtest: parse server URL %q: %v", f.srv.URL, err))
	}
	return &http.Client{
		Transport: &redirectTransport{target: target, base: f.srv.Client().Transport},
		Timeout:   20 * time.Second,
	}
}

type redirectTransport struct {
	target *url.URL
	base   http.RoundTripper
}

func (t *redirectTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	switch r.URL.Host {
	case t.target.Host:
		return t.base.RoundTrip(r)
	case "discord.com", "www.discord.com", "discordapp.com", "canary.discord.com", "ptb.discord.com":
		r2 := r.Clone(r.Context())
		r2.URL.Scheme, r2.URL.Host, r2.Host = t.target.Scheme, t.target.Host, ""
		return t.base.RoundTrip(r2)
	default:
		return nil, fmt.Errorf("discordtest: refusing request to %s: tests must not leave the machine", r.URL.Host)
	}
}

// Configure points a discordgo session at the fake without touching globals: REST goes
// through HTTPClient and the gateway URL comes from the fake's GET /gateway.
func (f *Fake) Configure(s *discordgo.Session) {
	s.Client = f.HTTPClient()
	// No proxy from the environment: the fake is on loopback.
	s.Dialer = &websocket.Dialer{HandshakeTimeout: 5 * time.Second}
}

// NewSession returns a discordgo session for the fake's bot token, configured with
// Configure and not yet opened. Closing it (Session.Close sleeps 1 s) is the caller's job.
func (f *Fake) NewSession() (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + f.cfg.token)
	if err != nil {
		return nil, fmt.Errorf("discordtest: new discordgo session: %w", err)
	}
	f.Configure(s)
	return s, nil
}

// discordgoVars lists discordgo's package-level endpoint strings that are derived at
// init from EndpointDiscord and APIVersion. The Endpoint* functions read these at call
// time, so rewriting them moves every REST route.
func discordgoVars() []*string {
	return []*string{
		&discordgo.APIVersion, &discordgo.EndpointDiscord, &discordgo.EndpointAPI,
		&discordgo.EndpointGuilds, &discordgo.EndpointChannels, &discordgo.EndpointUsers,
		&discordgo.EndpointGateway, &discordgo.EndpointGatewayBot, &discordgo.EndpointWebhooks,
		&discordgo.EndpointStickers, &discordgo.EndpointStageInstances, &discordgo.EndpointSKUs,
		&discordgo.EndpointVoice, &discordgo.EndpointVoiceRegions, &discordgo.EndpointNitroStickersPacks,
		&discordgo.EndpointGuildCreate, &discordgo.EndpointApplications, &discordgo.EndpointOAuth2,
		&discordgo.EndpointOAuth2Applications, &discordgo.EndpointOauth2, &discordgo.EndpointOauth2Applications,
	}
}

// SetDiscordgoEndpoints rewrites discordgo's endpoint variables for another origin and
// API version, e.g. SetDiscordgoEndpoints("http://127.0.0.1:1234/", "10"). It mutates
// process globals that every discordgo session reads without locking: call it only while
// no session is in use.
func SetDiscordgoEndpoints(discordBase, apiVersion string) {
	discordep.Point(discordBase, apiVersion)
}

// PointDiscordgo rewrites discordgo's endpoint variables to the fake and API v10, and
// restores them when the test ends. It is for bot code that builds its own session; as it
// changes process globals, the test must not call t.Parallel and no other fake may be in
// use meanwhile. Prefer Configure.
func (f *Fake) PointDiscordgo() {
	vars := discordgoVars()
	saved := make([]string, len(vars))
	for i, v := range vars {
		saved[i] = *v
	}
	SetDiscordgoEndpoints(f.srv.URL+"/", "10")
	f.t.Cleanup(func() {
		for i, v := range vars {
			*v = saved[i]
		}
	})
}
