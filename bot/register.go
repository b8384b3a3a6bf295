package bot

import (
	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/commands"
)

// moderatorPermissions is what moderator commands need by default: server
// admins can change it per command in Discord's settings.
var moderatorPermissions = int64(discordgo.PermissionManageMessages)

// applicationCommands turns the command set into Discord's command objects.
func applicationCommands() []*discordgo.ApplicationCommand {
	var out []*discordgo.ApplicationCommand
	noDMs := false
	for _, c := range commands.Definitions() {
		ac := &discordgo.ApplicationCommand{Name: c.Name, Description: c.Description}
		switch c.Kind {
		case commands.MessageCommand:
			ac.Type = discordgo.MessageApplicationCommand
			ac.Description = ""
		default:
			ac.Type = discordgo.ChatApplicationCommand
		}
		if c.Moderator {
			perms := moderatorPermissions
			ac.DefaultMemberPermissions = &perms
			ac.DMPermission = &noDMs
		}
		for _, sub := range c.Subcommands {
			ac.Options = append(ac.Options, &discordgo.ApplicationCommandOption{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: sub.Name, Description: sub.Description,
				Options: options(sub.Options),
			})
		}
		if len(c.Subcommands) == 0 {
			ac.Options = options(c.Options)
		}
		out = append(out, ac)
	}
	return out
}

func options(in []commands.Option) []*discordgo.ApplicationCommandOption {
	var out []*discordgo.ApplicationCommandOption
	for _, o := range in {
		opt := &discordgo.ApplicationCommandOption{
			Name: o.Name, Description: o.Description, Required: o.Required, Autocomplete: o.Autocomplete,
			MaxLength: o.MaxLength, MaxValue: 0,
		}
		switch o.Type {
		case commands.OptString:
			opt.Type = discordgo.ApplicationCommandOptionString
		case commands.OptInteger:
			opt.Type = discordgo.ApplicationCommandOptionInteger
			opt.MaxLength = 0
		case commands.OptBoolean:
			opt.Type = discordgo.ApplicationCommandOptionBoolean
		case commands.OptChannel:
			opt.Type = discordgo.ApplicationCommandOptionChannel
			opt.ChannelTypes = []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}
		case commands.OptAttachment:
			opt.Type = discordgo.ApplicationCommandOptionAttachment
		}
		if o.MinValue != nil {
			v := *o.MinValue
			opt.MinValue = &v
		}
		if o.MaxValue != nil {
			opt.MaxValue = *o.MaxValue
		}
		for _, ch := range o.Choices {
			opt.Choices = append(opt.Choices, &discordgo.ApplicationCommandOptionChoice{Name: ch.Name, Value: ch.Value})
		}
		out = append(out, opt)
	}
	return out
}
