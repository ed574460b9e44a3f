package bot

import (
	"maps"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Command is a command that works from any step, declared in a flow file
// with the words that trigger it in each language.
type Command struct {
	Name string `yaml:"name"`
	// Words trigger the command, by language; "any" holds words for every
	// language. Matching ignores case, width and surrounding space, and a
	// Telegram-style "@botname" suffix and an argument after slash words.
	Words map[string][]string `yaml:"words"`
	// Exactly one of Goto, Call, Say and Action says what it does:
	// Goto starts a flow ("flow" or "flow.step") afresh, dropping slots;
	// Call runs "flow.step" and comes back where the user was when that
	// flow reaches "next: return"; Say answers with a message and asks the
	// current question again; Action runs a named action, then re-asks.
	Goto   string            `yaml:"goto"`
	Call   string            `yaml:"call"`
	Say    string            `yaml:"say"`
	Action string            `yaml:"action"`
	With   map[string]string `yaml:"with"`
	// Menu, when set, is the message describing the command in a
	// channel's command menu (Telegram's "/" list); the command shows
	// there under its slash word. Commands without one stay out of it.
	Menu string `yaml:"menu"`

	Line int    `yaml:"-"`
	File string `yaml:"-"`
}

// UnmarshalYAML records the command's line.
func (c *Command) UnmarshalYAML(n *yaml.Node) error {
	type plain Command
	if err := decodeNode(n, (*plain)(c)); err != nil {
		return err
	}
	c.Line = n.Line
	return nil
}

// CommandFile is the file that declares the commands and where new
// conversations start.
type CommandFile struct {
	// StartFlow is the flow a new conversation starts in.
	StartFlow string `yaml:"start_flow"`
	// AfterEnd is where a message after the end of a conversation goes
	// ("flow.step"); without it, the start flow begins again.
	AfterEnd string     `yaml:"after_end"`
	Commands []*Command `yaml:"commands"`
}

// commandIndex maps every folded trigger word to its command.
type commandIndex map[string]*Command

func newCommandIndex(cmds []*Command) commandIndex {
	idx := commandIndex{}
	for _, c := range cmds {
		for _, lang := range slices.Sorted(maps.Keys(c.Words)) {
			for _, w := range c.Words[lang] {
				if k := foldWord(w); k != "" {
					if _, dup := idx[k]; !dup {
						idx[k] = c
					}
				}
			}
		}
	}
	return idx
}

// match returns the command text triggers, or nil. Words of every
// language work in every conversation, so "English" and "中文" switch
// language whatever the current one is.
func (idx commandIndex) match(text string) *Command {
	t := foldWord(text)
	if c := idx[t]; c != nil || !strings.HasPrefix(t, "/") {
		return c
	}
	// A slash command may carry an argument: Telegram's deep links send
	// "/start REF". Actions read it with Turn.CommandArg.
	t, _, _ = strings.Cut(t, " ")
	if at := strings.IndexByte(t, '@'); at > 0 {
		t = t[:at]
	}
	return idx[t]
}

// commandArg returns what follows a slash command's word ("/start ABC"
// gives "ABC"), or "".
func commandArg(text string) string {
	t := strings.TrimSpace(foldWidth(text))
	if !strings.HasPrefix(t, "/") {
		return ""
	}
	_, arg, _ := strings.Cut(t, " ")
	return strings.TrimSpace(arg)
}

// MenuEntry is one command of a channel's command menu.
type MenuEntry struct {
	// Command is the slash word without its slash, such as "start".
	Command string
	// Description is the menu message, rendered.
	Description string
}

// Menu returns the commands that have a menu message, described in lang,
// in the order the commands file declares them.
func (c *Content) Menu(lang string) []MenuEntry {
	var out []MenuEntry
	for _, cmd := range c.Commands {
		word := menuWord(cmd)
		if cmd.Menu == "" || word == "" {
			continue
		}
		text, err := c.Catalog.Render(lang, cmd.Menu, nil)
		if err != nil {
			continue
		}
		out = append(out, MenuEntry{Command: word, Description: text})
	}
	return out
}

// menuWord returns a command's first slash word without the slash, ""
// when it has none.
func menuWord(cmd *Command) string {
	for _, lang := range slices.Sorted(maps.Keys(cmd.Words)) {
		for _, w := range cmd.Words[lang] {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(w), "/"); ok && rest != "" {
				return rest
			}
		}
	}
	return ""
}

// menuCommandOK reports a slash word a command menu can show: 1 to 32
// lower-case letters, digits and underscores.
func menuCommandOK(w string) bool {
	if len(w) == 0 || len(w) > 32 {
		return false
	}
	for _, r := range w {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}
