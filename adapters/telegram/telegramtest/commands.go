package telegramtest

import (
	"context"
	"encoding/json"
	"maps"
	"regexp"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// setMyCommands keeps a command menu, checked as Telegram checks it.
func (s *Server) setMyCommands(_ context.Context, p params) (any, *apiError) {
	var cmds []models.BotCommand
	if err := json.Unmarshal([]byte(p["commands"]), &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, badRequest("too many commands")
	}
	for _, c := range cmds {
		if !commandName.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(c.Description); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.commands == nil {
		s.commands = map[string][]models.BotCommand{}
	}
	s.commands[p["language_code"]] = cmds
	return true, nil
}

// Commands returns the command menus set, by language code ("" for the
// menu of users whose language has none of its own).
func (s *Server) Commands() map[string][]models.BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.commands)
}
