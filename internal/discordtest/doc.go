// Package discordtest is a fake Discord (REST API and gateway websocket) for tests: it
// speaks the protocol discordgo expects, validates every request and records what the bot did.
package discordtest
