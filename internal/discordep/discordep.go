// Package discordep points discordgo's endpoint variables at an origin and an
// API version: discordgo derives them once, at init, from discord.com and v9.
package discordep

import "github.com/bwmarrin/discordgo"

// Point rewrites every endpoint variable for base (with a trailing slash, e.g.
// "https://discord.com/") and API version ("10"). It changes process-wide
// variables that discordgo reads without locking: call it before any session
// is in use.
func Point(base, version string) {
	api := base + "api/v" + version + "/"
	discordgo.APIVersion = version
	discordgo.EndpointDiscord = base
	discordgo.EndpointAPI = api
	discordgo.EndpointGuilds = api + "guilds/"
	discordgo.EndpointChannels = api + "channels/"
	discordgo.EndpointUsers = api + "users/"
	discordgo.EndpointGateway = api + "gateway"
	discordgo.EndpointGatewayBot = api + "gateway/bot"
	discordgo.EndpointWebhooks = api + "webhooks/"
	discordgo.EndpointStickers = api + "stickers/"
	discordgo.EndpointStageInstances = api + "stage-instances"
	discordgo.EndpointSKUs = api + "skus"
	discordgo.EndpointVoice = api + "voice/"
	discordgo.EndpointVoiceRegions = api + "voice/regions"
	discordgo.EndpointNitroStickersPacks = api + "sticker-packs"
	discordgo.EndpointGuildCreate = api + "guilds"
	discordgo.EndpointApplications = api + "applications"
	discordgo.EndpointOAuth2 = api + "oauth2/"
	discordgo.EndpointOAuth2Applications = api + "oauth2/applications"
	discordgo.EndpointOauth2 = discordgo.EndpointOAuth2
	discordgo.EndpointOauth2Applications = discordgo.EndpointOAuth2Applications
}
