package bot

// caseLine says where case c stands in words: what happened and what
// the consumer does next (the outcome's message), then its proof.
func (t *Turn) caseLine(c *Case) {
	data := t.checklistData(c)
	data["Merchant"] = c.Fields["merchant"]
	data["Opened"] = t.shortDate(c.Opened)
	data["Date"], data["Text"], data["Need"] = "", "", ""
	if c.Answer != nil {
		data["Date"] = t.shortDate(c.Answer.At)
		data["Text"] = c.Answer.Text
		data["Corrected"] = c.Answer.Corrected
		data["Need"] = t.needLabel(c.Answer.Need)
	}
	state, err := t.content.Catalog.Render(t.Conv.Lang, MsgCaseStatePrefix+c.Outcome(), data)
	if err != nil {
		t.e.cfg.Logger.Error("render case state", "outcome", c.Outcome(), "err", err)
		state = c.No + ": " + string(c.Status)
	}
	data["State"] = state
	t.Say(MsgCaseLine, data)
}

// shortDate writes a Unix time as the month and day ("11-24") in the
// desk's time zone: enough for a case of the last few weeks.
func (t *Turn) shortDate(sec int64) string {
	return unixTime(sec).In(t.e.cfg.Location).Format("01-02")
}
