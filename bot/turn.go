package bot

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slipdesk/slipdesk/bot/mask"
	"github.com/slipdesk/slipdesk/bot/understand"
)

// maxStepsPerTurn stops a flow that loops without asking anything.
const maxStepsPerTurn = 64

// Turn is one event being handled. Actions work on it; nothing it does
// reaches the store until the engine commits it.
type Turn struct {
	ctx     context.Context
	e       *Engine
	content *Content
	flow    *Flow

	// Conv is the conversation as this turn changes it.
	Conv  Conversation
	Event Event

	expect  int64
	loaded  loadedFlow
	now     time.Time
	replies []Reply
	log     []LogLine
	effects []Effect
	deleted bool
	moved   bool
	cmdArg  string
	// langNew is set when this turn chose the conversation's language.
	langNew bool

	effectPrefix string
}

// CommandArg returns the argument of the slash command this turn runs
// ("/start ABC" gives "ABC"), or "".
func (t *Turn) CommandArg() string { return t.cmdArg }

func (e *Engine) newTurn(ctx context.Context, conv Conversation, ev Event) *Turn {
	t := &Turn{
		ctx:     ctx,
		e:       e,
		content: e.content.Load(),
		Conv:    conv.clone(),
		Event:   ev,
		expect:  conv.Version,
		loaded:  loadedFlowOf(conv),
		now:     ev.At,
	}
	if t.Conv.Epoch == "" {
		t.Conv.Epoch = randomID()[:8]
	}
	return t
}

// Lang returns the conversation's language.
func (t *Turn) Lang() string { return t.Conv.Lang }

// Now returns the time of the event.
func (t *Turn) Now() time.Time { return t.now }

// Say adds a reply rendered from message id with the conversation's slots
// and data as template data.
func (t *Turn) Say(id string, data map[string]any) {
	t.reply(id, data, nil)
}

// Effect adds an effect to the turn's outbox entries.
func (t *Turn) Effect(kind string, data map[string]string, due time.Time) {
	var d int64
	if !due.IsZero() {
		d = due.Unix()
	}
	if t.effectPrefix == "" {
		// Effect IDs name the conversation's life, not only its turn:
		// after a deletion the turns count from 1 again, and an effect
		// of the new life must not pass for one already done.
		t.effectPrefix = KeyDigest(t.Event.Key) + ":" + t.Conv.Epoch + ":" + strconv.FormatInt(t.Conv.Turns+1, 10)
	}
	id := t.effectPrefix + ":" + strconv.Itoa(len(t.effects))
	t.effects = append(t.effects, Effect{ID: id, Kind: kind, Data: data, Due: d})
}

// Note adds a system line to the transcript.
func (t *Turn) Note(text string) {
	t.log = append(t.log, LogLine{At: t.now.Unix(), From: "system", Text: text})
}

// Delete makes the commit remove the conversation and its transcript.
func (t *Turn) Delete() { t.deleted = true }

// Goto moves the conversation to target ("step", "flow.step", "flow" or
// "return") and runs from there.
func (t *Turn) Goto(target string) {
	t.moved = true
	t.jump(target)
}

func (t *Turn) reply(id string, data map[string]any, opts []Option) {
	text, err := t.render(id, data)
	if err != nil {
		t.e.cfg.Logger.Error("render message", "id", id, "lang", t.Conv.Lang, "err", err)
		text = id
	}
	r := Reply{MsgID: id, Text: text, Options: opts}
	if len(opts) > 0 {
		r.Alert = t.presenting()
	}
	t.replies = append(t.replies, r)
	line := LogLine{At: t.now.Unix(), From: "bot", MsgID: id, Text: text}
	if err == nil && t.content.Catalog.Fixed(t.Conv.Lang, id) {
		line.Lang = t.Conv.Lang
	}
	t.log = append(t.log, line)
}

// render returns message id in the conversation's language, with the
// template data built only for a message that has placeholders.
func (t *Turn) render(id string, extra map[string]any) (string, error) {
	if text, ok := t.content.Catalog.Static(t.Conv.Lang, id); ok {
		return text, nil
	}
	return t.content.Catalog.Render(t.Conv.Lang, id, t.templateData(extra))
}

func (t *Turn) templateData(extra map[string]any) map[string]any {
	d := make(map[string]any, len(t.Conv.Slots)+len(extra))
	for k, v := range t.Conv.Slots {
		d[k] = v
	}
	for k, v := range extra {
		d[k] = v
	}
	// Texts name what the user's channel can do ("/attach FILE" in the
	// terminal, a photo elsewhere) by the channel's name.
	d["Channel"] = t.Event.Key.Channel
	return d
}

// idle reports a turn not worth a commit: a button of a conversation
// that does not exist (one deleted, say) started nothing. Committing it
// would bring back a conversation, with the user's ID in its keys.
func (t *Turn) idle() bool {
	return t.expect == 0 && t.Event.Kind == EventButton && t.Conv.Step == "" && len(t.effects) == 0 && !t.deleted
}

// commit assembles what the store writes for this turn.
func (t *Turn) commit() Commit {
	c := t.Conv
	c.bound(t.e.cfg.Limits)
	c.Turns++
	c.Updated = t.now.Unix()
	if c.Started == 0 {
		c.Started = c.Updated
	}
	replies := t.replies
	if replies == nil {
		replies = []Reply{}
	}
	delivery := t.Event.DeliveryID
	if t.deleted {
		// A delivery record would keep the user's ID in a key name. A
		// redelivered deletion finds no conversation and its button
		// stale, so it changes nothing either way.
		delivery = ""
	}
	cm := Commit{
		Key:        t.Event.Key,
		Expect:     t.expect,
		Conv:       c,
		Delete:     t.deleted,
		DeliveryID: delivery,
		Replies:    replies,
		Log:        t.log,
		Effects:    t.effects,
		TTL:        t.e.cfg.IdleTTL,
		DedupeTTL:  t.e.cfg.DedupeTTL,
		MaxLog:     t.e.cfg.Limits.TranscriptLines,
	}
	cm.FlowUse = t.e.flowUse(t.loaded, cm)
	return cm
}

// handle routes the event.
func (t *Turn) handle() {
	c := &t.Conv
	ev := t.Event
	if c.Lang == "" {
		// A slash command says nothing about the user's language.
		text := ev.Text
		if strings.HasPrefix(strings.TrimSpace(foldWidth(text)), "/") {
			text = ""
		}
		c.Lang = DetectLang(ev.LangHint, text, t.e.cfg.DefaultLang)
		t.langNew = true
	}
	if c.Step != "" && !c.Ended {
		t.flow = t.e.flowFor(t.ctx, t.content, c)
		if t.flow == nil {
			t.e.cfg.Logger.Warn("conversation's flow is gone; starting over", "flow", c.Flow, "step", c.Step)
			c.Step, c.Flow, c.FlowVersion = "", "", ""
		}
	}
	switch ev.Kind {
	case EventText:
		t.onText(ev.Text)
	case EventButton:
		// A button of ours never carries more; longer data came from
		// no button, and only its first bytes are kept.
		ev.Data = cutBytes(ev.Data, MaxButtonData)
		t.log = append(t.log, LogLine{At: t.now.Unix(), From: "user", Text: "[button] " + safeText(ev.Data)})
		t.onButton(ev.Data)
	case EventSignal:
		t.Note("signal " + safeText(ev.Name))
		t.onSignal(ev.Name, ev.Data)
	case EventTick:
		t.fireTimeout()
	case EventFile:
		t.onFile(ev.File, ev.Data, ev.Text)
	case EventUnsupported:
		t.logUserContent("["+safeText(ev.Data)+"]", ev.Text)
		if ev.Data == UnsupportedEdit {
			t.Say(MsgNotEdited, nil)
		} else {
			t.Say(MsgUnsupported, nil)
		}
		t.reprompt()
	}
}

// logUserContent keeps in the transcript what the user sent that is not
// an answer (a file, a forwarded or edited message), under label, with
// its text masked like any text; the user is told when something was
// masked.
func (t *Turn) logUserContent(label, text string) {
	if text != "" {
		masked, kinds := mask.SensitiveKinds(cutForMasking(text, MaxTextLen))
		label += " " + truncateRunes(safeText(masked), MaxTextLen)
		if kinds != 0 {
			t.Say(MsgMasked, map[string]any{"Card": kinds.Has(mask.Card), "ID": kinds.Has(mask.ID), "Code": kinds.Has(mask.Code)})
		}
	}
	t.log = append(t.log, LogLine{At: t.now.Unix(), From: "user", Text: label})
}

func (t *Turn) onText(raw string) {
	c := &t.Conv
	if p := textProblem(raw); p != "" {
		if p != MsgEmpty {
			// Mask before the final cut, so that a card number across it
			// is masked whole, but only the part kept and a margin: the
			// masker's cost grows with the text.
			t.log = append(t.log, LogLine{At: t.now.Unix(), From: "user", Text: truncateRunes(safeText(cutForMasking(raw, MaxTextLen)), MaxTextLen)})
		}
		t.Say(p, map[string]any{"Max": MaxTextLen})
		t.reprompt()
		return
	}
	text, masked := t.maskAnswer(raw)
	t.log = append(t.log, LogLine{At: t.now.Unix(), From: "user", Text: text})
	if masked != 0 {
		t.Say(MsgMasked, map[string]any{"Card": masked.Has(mask.Card), "ID": masked.Has(mask.ID), "Code": masked.Has(mask.Code)})
	}
	if masked.Has(mask.Card) && t.keepLast4(text) {
		return
	}
	if cmd := t.content.Command(text); cmd != nil {
		t.cmdArg = commandArg(text)
		t.runCommand(cmd)
		return
	}
	if strings.HasPrefix(strings.TrimSpace(foldWidth(text)), "/") {
		t.Say(MsgUnknownCommand, nil)
		t.reprompt()
		return
	}
	t.followLang(text)
	if c.Human {
		t.Say(MsgWithHuman, nil)
		return
	}
	if t.flow == nil {
		t.afterEnd(text)
		return
	}
	if t.timedOut() {
		t.fireTimeout()
		return
	}
	t.answer(text)
}

// afterEnd answers a message that comes when no flow runs. In a shop's
// chat, the shop's home flow starts. After the end
// of a conversation, thanks get a short answer and other text the
// content's after_end step (a menu that does not ask for consent given
// lately); a new conversation starts the start flow.
func (t *Turn) afterEnd(text string) {
	c := &t.Conv
	if t.homeFlow() != t.content.StartFlow {
		// A shop's chat is greeted as the shop: no consumer's intents
		// or menu there.
		t.start()
		return
	}
	if !c.Ended || c.Step == "" {
		t.startFor(text)
		return
	}
	if understand.IsThanks(text) {
		t.Say(MsgThanks, nil)
		return
	}
	if t.Conv.Merchant != "" {
		// A shop's chat goes back to its own home, not the consumer's
		// menu or paths.
		t.start()
		return
	}
	if r, ok := t.content.Route(t.slotEnv(), text); ok {
		t.startRoute(r)
		return
	}
	if t.content.AfterEnd == "" {
		t.start()
		return
	}
	t.startAt(t.content.AfterEnd)
}

// start begins the start flow afresh for a new or ended conversation.
func (t *Turn) start() { t.startAt(t.homeFlow()) }

func (t *Turn) step() *Step {
	if t.flow == nil {
		return nil
	}
	return t.flow.Step(t.Conv.Step)
}

func (t *Turn) answer(text string) {
	s := t.step()
	switch {
	case s == nil:
		t.start()
	case (s.Kind == KindAsk || s.Kind == KindChoice) && t.takeNotice(s, text):
	case s.Kind == KindAsk || s.Kind == KindChoice:
		r := t.content.Read(t.e.reg, t.slotEnv(), s, text, func() map[string]any { return t.templateData(nil) })
		switch {
		case r.Why:
			t.explain(s)
		case r.Problem != "":
			t.retry(s, r.Problem)
		case r.Option != nil:
			t.choose(s, r.Option)
		default:
			t.setSlot(s.Slot, r.Value)
			t.Conv.Tries = 0
			t.jump(s.Next)
		}
	case s.Kind == KindWait:
		t.reprompt()
	default:
		t.start()
	}
}

// explain answers "why do you need this?" at question s with its why
// text, or a general one, and asks the question again. It is no wrong
// answer: the tries are left as they were.
func (t *Turn) explain(s *Step) {
	msg := s.Why
	if msg == "" {
		msg = MsgWhy
	}
	t.Say(msg, nil)
	t.reprompt()
}

func (t *Turn) setSlot(name, v string) {
	if name == "" {
		return
	}
	if t.Conv.Slots == nil {
		t.Conv.Slots = map[string]string{}
	}
	t.Conv.Slots[name] = v
}

func (t *Turn) slotEnv() SlotEnv {
	return SlotEnv{Now: t.now, Loc: t.e.cfg.Location}
}

// retry answers a wrong answer with problem when it is specific, else
// with the step's retry message, or falls back once the step's tries are
// used up.
func (t *Turn) retry(s *Step, problem string) {
	t.Conv.Tries++
	if s.Fallback != "" && s.Tries > 0 && t.Conv.Tries >= s.Tries {
		t.Conv.Tries = 0
		t.jump(s.Fallback)
		return
	}
	msg := problem
	if s.Retry != "" && (problem == MsgRetry || problem == MsgChooseOne) {
		msg = s.Retry
	}
	t.Say(msg, nil)
	t.reprompt()
}

func (t *Turn) choose(s *Step, o *ChoiceOption) {
	t.setSlot(s.Slot, o.Value)
	t.Conv.Tries = 0
	next := o.Next
	if next == "" {
		next = s.Next
	}
	t.jump(next)
}

func (t *Turn) onButton(data string) {
	s := t.step()
	tok, value, ok := parseButtonData(data)
	if !ok || s == nil || s.Kind != KindChoice || tok != t.Conv.Token || t.Conv.Human {
		t.Say(MsgStaleButton, nil)
		t.reprompt()
		return
	}
	for _, o := range s.Options {
		if o.Value == value {
			t.choose(s, o)
			return
		}
	}
	t.Say(MsgStaleButton, nil)
	t.reprompt()
}

func (t *Turn) onSignal(name, value string) {
	if t.onCaseSignal(name, value) || t.onShopLink(name, value) || t.onOperator(name, value) {
		return
	}
	s := t.step()
	if s == nil || s.Kind != KindWait || s.Wait != name {
		return
	}
	t.onWaitSignal(s, name, value)
}

// onWaitSignal moves a step waiting for signal name on by value.
func (t *Turn) onWaitSignal(s *Step, name, value string) {
	target, ok := s.On[value]
	if !ok {
		target, ok = s.On["*"]
	}
	if !ok {
		return
	}
	t.setSlot(name, value)
	t.Conv.Deadline = 0
	t.jump(target)
}

func (t *Turn) timedOut() bool {
	s := t.step()
	return s != nil && s.Kind == KindWait && t.Conv.Deadline > 0 && t.now.Unix() >= t.Conv.Deadline
}

func (t *Turn) fireTimeout() {
	if !t.timedOut() {
		return
	}
	s := t.step()
	t.Conv.Deadline = 0
	t.jump(s.OnTimeout)
}

// reprompt asks the current question again, unchanged.
func (t *Turn) reprompt() {
	s := t.step()
	if s == nil || t.Conv.Human || t.Conv.Ended {
		return
	}
	switch s.Kind {
	case KindAsk, KindChoice:
		t.ask(s, false)
	case KindWait:
		hold := s.Hold
		if hold == "" {
			hold = MsgWaiting
		}
		t.Say(hold, nil)
	}
}

// ask asks question s: the first time with its whole message, again
// with its reask message when it has one, so that what comes before the
// question (the privacy text) is not repeated with every wrong answer.
func (t *Turn) ask(s *Step, first bool) {
	msg := s.Ask
	if s.Kind == KindChoice {
		msg = s.Choice
	}
	if !first && s.Reask != "" {
		msg = s.Reask
	}
	if s.Kind == KindChoice {
		t.reply(msg, nil, t.options(s))
		return
	}
	t.Say(msg, nil)
}

func (t *Turn) options(s *Step) []Option {
	opts := make([]Option, len(s.Options))
	var data map[string]any
	for i, o := range s.Options {
		label, ok := t.content.Catalog.Static(t.Conv.Lang, o.Label)
		var err error
		if !ok {
			if data == nil {
				data = t.templateData(nil)
			}
			label, err = t.content.Catalog.Render(t.Conv.Lang, o.Label, data)
		}
		if err != nil {
			label = o.Value
		}
		opts[i] = Option{Value: o.Value, Label: label, Data: buttonData(t.Conv.Token, o.Value)}
	}
	return opts
}

func (t *Turn) runCommand(cmd *Command) {
	c := &t.Conv
	switch {
	case cmd.Goto != "":
		c.Human = false
		t.startAt(cmd.Goto)
	case cmd.Call != "":
		// A call from inside a called path keeps the first resume point:
		// "return" must lead back to where the user was, not into the
		// called path again.
		if t.flow != nil && !c.Ended && !c.Human && c.Return == nil {
			c.Return = &Resume{Flow: c.Flow, FlowVersion: c.FlowVersion, Step: c.Step}
		}
		// The called path asks its own question, which the bot does not
		// ask while a person has the conversation (as with goto).
		c.Human = false
		t.jump(cmd.Call)
	case cmd.Say != "":
		t.Say(cmd.Say, nil)
		t.reprompt()
	case cmd.Action != "":
		t.moved = false
		t.runAction(cmd.Action, cmd.With)
		if !t.moved && !t.deleted {
			t.reprompt()
		}
	}
}

// startAt starts target afresh, dropping what was collected.
func (t *Turn) startAt(target string) {
	c := &t.Conv
	c.Slots, c.Prefill, c.Tries, c.Ended, c.Return, c.Deadline = nil, nil, 0, false, nil, 0
	t.jump(target)
}

// startFor starts where a first message leads (see Content.Route), or
// the start flow.
func (t *Turn) startFor(text string) {
	if r, ok := t.content.Route(t.slotEnv(), text); ok {
		t.startRoute(r)
		return
	}
	t.start()
}

// startRoute starts at r's target with the slots the message filled,
// whose questions are then not asked.
func (t *Turn) startRoute(r Route) {
	c := &t.Conv
	c.Slots, c.Prefill, c.Tries, c.Ended, c.Return, c.Deadline = nil, nil, 0, false, nil, 0
	for _, k := range slices.Sorted(maps.Keys(r.Slots)) {
		t.setSlot(k, r.Slots[k])
		c.Prefill = append(c.Prefill, k)
	}
	if r.Notice != nil {
		t.sayNotice(*r.Notice)
	}
	t.jump(r.Target)
}

// takePrefilled takes question s as answered when a first message or a
// notification filled its slot, and reports whether it did. A choice
// follows the option of that value; a value no option has is asked.
func (t *Turn) takePrefilled(s *Step) bool {
	c := &t.Conv
	i := slices.Index(c.Prefill, s.Slot)
	if s.Slot == "" || i < 0 {
		return false
	}
	c.Prefill = slices.Delete(c.Prefill, i, i+1)
	v, ok := c.Slots[s.Slot]
	if !ok {
		return false
	}
	if s.Kind == KindAsk {
		c.Tries = 0
		t.jump(s.Next)
		return true
	}
	for _, o := range s.Options {
		if o.Value == v {
			t.choose(s, o)
			return true
		}
	}
	return false
}

func (t *Turn) runAction(name string, with map[string]string) {
	a := t.e.reg.Actions[name]
	if a == nil {
		t.e.cfg.Logger.Error("unknown action", "action", name)
		t.Say(MsgInternal, nil)
		return
	}
	if err := a(t, with); err != nil {
		t.e.cfg.Logger.Error("action failed", "action", name, "err", err)
		t.Say(MsgInternal, nil)
	}
}

// jump resolves target from the current flow and runs from there.
func (t *Turn) jump(target string) {
	c := &t.Conv
	if target == ReturnTarget {
		r := c.Return
		c.Return = nil
		if r == nil {
			t.start()
			return
		}
		c.Flow, c.FlowVersion, c.Step = r.Flow, r.FlowVersion, r.Step
		t.flow = t.e.flowFor(t.ctx, t.content, c)
		if t.flow == nil {
			t.start()
			return
		}
		t.enter(c.Step, true)
		return
	}
	f, step, ok := t.content.Resolve(t.flow, target)
	if !ok {
		t.e.cfg.Logger.Error("goto target not found", "target", target, "flow", c.Flow)
		t.Say(MsgInternal, nil)
		c.Ended = true
		return
	}
	t.flow = f
	c.Flow, c.FlowVersion = f.Name, f.Version
	t.enter(step, false)
}

// enter runs the flow from step until it needs input or ends. resume is
// set when coming back to a question: it is asked again as it was.
func (t *Turn) enter(step string, resume bool) {
	c := &t.Conv
	for range maxStepsPerTurn {
		s := t.flow.Step(step)
		if s == nil {
			t.e.cfg.Logger.Error("step not found", "flow", t.flow.Name, "step", step)
			t.Say(MsgInternal, nil)
			c.Ended = true
			return
		}
		c.Step = s.ID
		c.Ended = false
		switch s.Kind {
		case KindSay:
			t.Say(s.Say, nil)
		case KindAsk, KindChoice:
			if !resume && t.takePrefilled(s) {
				return
			}
			if !resume {
				c.Token++
				c.Tries = 0
			}
			t.ask(s, !resume)
			return
		case KindWait:
			if !resume || c.Deadline == 0 {
				c.Token++
				c.Deadline = t.now.Add(time.Duration(s.Timeout)).Unix()
				t.schedule(SignalTick, t.flow.Name+"."+s.ID, unixTime(c.Deadline))
				if s.Prompt != "" {
					t.Say(s.Prompt, nil)
				}
				return
			}
			t.reprompt()
			return
		case KindBranch:
			next := s.Next
			env := branchEnv(c)
			for _, cs := range s.Branch {
				if ok, err := cs.eval(env); err != nil {
					t.e.cfg.Logger.Error("branch condition failed", "flow", t.flow.Name, "step", s.ID, "err", err)
				} else if ok {
					next = cs.Next
					break
				}
			}
			releaseBranchEnv(env)
			if t.crossFlow(next) {
				return
			}
			step, resume = next, false
			continue
		case KindAction:
			t.moved = false
			t.runAction(s.Action, s.With)
			if t.moved || t.deleted {
				return
			}
		case KindEnd:
			if *s.End != "" {
				t.Say(*s.End, nil)
			}
			c.Ended, c.Return, c.Deadline, c.Prefill = true, nil, 0, nil
			return
		}
		if t.crossFlow(s.Next) {
			return
		}
		step, resume = s.Next, false
	}
	t.e.cfg.Logger.Error("flow looped without asking anything", "flow", t.flow.Name, "step", step)
	t.Say(MsgInternal, nil)
	c.Ended = true
}

// crossFlow jumps when target leaves the current flow or returns, and
// reports whether it did.
func (t *Turn) crossFlow(target string) bool {
	if target == ReturnTarget || t.flow.Step(target) == nil {
		t.jump(target)
		return true
	}
	return false
}

func truncateRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

// buttonData is what a button carries: the question's token and the
// option's value, "t<token>:<value>".
func buttonData(token uint32, value string) string {
	return "t" + strconv.FormatUint(uint64(token), 36) + ":" + value
}

// ButtonOverhead is the most bytes buttonData adds to a value.
const ButtonOverhead = 1 + 7 + 1

// MaxButtonData is the most bytes a button may carry (Telegram's limit
// for callback data).
const MaxButtonData = 64

func parseButtonData(d string) (uint32, string, bool) {
	tok, value, ok := strings.Cut(d, ":")
	if !ok || !strings.HasPrefix(tok, "t") {
		return 0, "", false
	}
	n, err := strconv.ParseUint(tok[1:], 36, 32)
	if err != nil {
		return 0, "", false
	}
	return uint32(n), value, true
}
