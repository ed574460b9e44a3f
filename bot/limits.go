package bot

// Limits bound what one conversation keeps, so that nothing grows with
// its life: the store trims the transcript, and each turn trims the
// conversation's lists before its commit.
type Limits struct {
	// TranscriptLines is how many transcript lines a conversation keeps,
	// the newest (default 500).
	TranscriptLines int
	// Cases is how many cases a consumer's conversation lists (default
	// 20): finished cases go first, oldest first. The case index keeps
	// every case for its retention.
	Cases int
	// Alerts is how many unanswered alerts a merchant chat queues
	// (default 50); the oldest go first, and stay in the case index.
	Alerts int
	// FlowVersions is how many older flow versions the engine keeps in
	// memory (default 32); others are read again from the archive when
	// a conversation needs them.
	FlowVersions int
}

func (l *Limits) setDefaults() {
	if l.TranscriptLines <= 0 {
		l.TranscriptLines = 500
	}
	if l.Cases <= 0 {
		l.Cases = 20
	}
	if l.Alerts <= 0 {
		l.Alerts = 50
	}
	if l.FlowVersions <= 0 {
		l.FlowVersions = 32
	}
}

// bound trims c's lists to l.
func (c *Conversation) bound(l Limits) {
	for len(c.Cases) > l.Cases {
		drop := 0
		for i, cs := range c.Cases {
			if cs.Status.Done() {
				drop = i
				break
			}
		}
		c.Cases = append(c.Cases[:drop:drop], c.Cases[drop+1:]...)
	}
	if n := len(c.Alerts); n > l.Alerts {
		c.Alerts = append(c.Alerts[:0:0], c.Alerts[n-l.Alerts:]...)
	}
}
