package workers

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/slipdesk/slipdesk/bot"
)

// relayAnswer hands a merchant's answer to the case's consumer.
func (w *Workers) relayAnswer(ctx context.Context, e bot.Effect) error {
	c, err := w.Cases.Case(ctx, e.Data["case"])
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		w.Logger.Warn("merchant answered an unknown case; dropped", "case", e.Data["case"])
		return nil
	}
	if err != nil {
		return err
	}
	if m := e.Data["merchant"]; m != "" && c.Merchant != m {
		w.Logger.Warn("answer from a merchant the case is not about; dropped", "case", c.No)
		return nil
	}
	if c.Consumer == nil {
		// The consumer deleted their data: nobody to tell.
		return w.recordAnonymousAnswer(ctx, c, e)
	}
	round, _ := strconv.Atoi(e.Data["round"])
	data, _ := json.Marshal(bot.AnswerSignal{Case: c.No, Value: e.Data["value"], Text: e.Data["text"], Correction: e.Data["correction"] == "1", Need: e.Data["need"], Round: round})
	ev := bot.Event{Key: *c.Consumer, Kind: bot.EventSignal, Name: bot.SignalMerchantAnswer, Data: string(data), DeliveryID: "answer:" + e.ID}
	return w.settle(w.deliver(ctx, ev), ev)
}

// recordAnonymousAnswer keeps a shop's answer on a case whose consumer
// deleted their data: nobody is told, but operators see how the case
// ended. The answer's words are not kept, as on any anonymous record.
func (w *Workers) recordAnonymousAnswer(ctx context.Context, c bot.Case, e bot.Effect) error {
	if !c.RecordAnonymousAnswer(e.Data["value"], w.Engine.Now().Unix()) {
		return nil
	}
	return w.Cases.SyncCase(ctx, c)
}
