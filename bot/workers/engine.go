package workers

import (
	"context"
	"time"

	"github.com/slipdesk/slipdesk/bot"
)

// Engine is what the workers need of the engine: *bot.Engine has it.
type Engine interface {
	// Process runs one event to its replies in one committed turn, with
	// the sending lease the commit took for them; a delivery ID seen
	// before gets the same replies and changes nothing.
	Process(ctx context.Context, ev bot.Event) (bot.Result, error)
	// Now is the clock conversations run on, which timers follow.
	Now() time.Time
	// PersonalFields names the case fields a purged case drops.
	PersonalFields() []string
}

var _ Engine = (*bot.Engine)(nil)
