package workers

import (
	"context"

	"github.com/slipdesk/slipdesk/bot"
)

// noteWanted carries out an EffectMerchantWanted. A name with nothing to
// match on is not counted.
func (w *Workers) noteWanted(ctx context.Context, e bot.Effect) error {
	if w.Wanted == nil || bot.NormalizeMerchantName(e.Data["name"]) == "" {
		return nil
	}
	return w.Wanted.NoteWantedMerchant(ctx, e.ID, e.Data["name"])
}
