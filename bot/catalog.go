package bot

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"text/template/parse"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages are the languages every text must exist in; the first is the
// default.
var Languages = []string{"zh-CN", "en"}

// Catalog holds the locale messages of every language: one go-i18n
// Bundle and one Localizer per language, for the life of the catalog.
type Catalog struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
	// messages and files are kept for validation: id by language, and
	// the file each language came from.
	messages map[string]map[string]*i18n.Message
	files    map[string]string
	// static holds, by language and ID, the rendering of every message
	// without a placeholder, made through go-i18n once at load: most
	// of what a turn says needs no template, and go-i18n's language
	// matching on each call would cost more than the text.
	static map[string]map[string]string
}

// LoadCatalog reads one TOML message file per language from fsys, named
// after the language ("zh-CN.toml", "en.toml").
func LoadCatalog(fsys fs.FS) (*Catalog, []Problem) {
	c := &Catalog{
		bundle:     i18n.NewBundle(language.Make(Languages[0])),
		localizers: map[string]*i18n.Localizer{},
		messages:   map[string]map[string]*i18n.Message{},
		files:      map[string]string{},
		static:     map[string]map[string]string{},
	}
	c.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	var problems []Problem
	for _, lang := range Languages {
		name := lang + ".toml"
		c.files[lang] = name
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			problems = append(problems, Problem{File: name, Msg: fmt.Sprintf("cannot read the %s messages: %v", lang, err), Fix: "add " + name + " beside the other locale files"})
			continue
		}
		mf, err := c.bundle.ParseMessageFileBytes(buf, name)
		if err != nil {
			problems = append(problems, Problem{File: name, Msg: fmt.Sprintf("cannot parse: %v", err), Fix: "correct the TOML syntax"})
			continue
		}
		msgs := make(map[string]*i18n.Message, len(mf.Messages))
		for _, m := range mf.Messages {
			msgs[m.ID] = m
		}
		c.messages[lang] = msgs
		c.localizers[lang] = i18n.NewLocalizer(c.bundle, lang)
	}
	for lang, msgs := range c.messages {
		c.static[lang] = c.renderStatic(lang, msgs)
	}
	problems = append(problems, c.checkPlaceholders()...)
	return c, problems
}

// renderStatic renders, through lang's localizer, the messages of msgs
// whose text has no placeholder, once: their text is the same for every
// conversation. A message go-i18n does not render is left out, so that
// Render reports its error.
func (c *Catalog) renderStatic(lang string, msgs map[string]*i18n.Message) map[string]string {
	out := make(map[string]string, len(msgs))
	for id, m := range msgs {
		left := m.LeftDelim
		if left == "" {
			left = "{{"
		}
		if m.Other == "" || strings.Contains(m.Other, left) {
			continue
		}
		s, err := c.localizers[lang].Localize(&i18n.LocalizeConfig{MessageID: id})
		if err != nil {
			continue
		}
		out[id] = strings.TrimSpace(s)
	}
	return out
}

// Static returns message id of lang when its text has no placeholder,
// rendered; ok is false for a message that needs template data, or
// that lang lacks.
func (c *Catalog) Static(lang, id string) (text string, ok bool) {
	text, ok = c.static[lang][id]
	return text, ok
}

// Has reports whether id exists in lang.
func (c *Catalog) Has(lang, id string) bool {
	_, ok := c.messages[lang][id]
	return ok
}

// Source returns message id of lang as written, placeholders unfilled.
func (c *Catalog) Source(lang, id string) (string, bool) {
	m, ok := c.messages[lang][id]
	if !ok {
		return "", false
	}
	return m.Other, true
}

// Fixed reports whether message id of lang renders the same whatever
// the data: one text, no placeholder, no plural form.
func (c *Catalog) Fixed(lang, id string) bool {
	m, ok := c.messages[lang][id]
	if !ok || m.Zero != "" || m.One != "" || m.Two != "" || m.Few != "" || m.Many != "" {
		return false
	}
	return !strings.Contains(m.Other, "{{")
}

// FillTexts gives the bot lines a store kept without their text (Lang
// set, Text empty) the text of their message from the catalog. A message
// gone from the catalog leaves the line's text empty: readers show its
// ID.
func (c *Catalog) FillTexts(lines []LogLine) {
	for i, l := range lines {
		if l.Text != "" || l.Lang == "" || l.MsgID == "" {
			continue
		}
		if text, err := c.Render(l.Lang, l.MsgID, nil); err == nil {
			lines[i].Text = text
		}
	}
}

// IDs returns every message ID of lang, sorted.
func (c *Catalog) IDs(lang string) []string {
	ids := make([]string, 0, len(c.messages[lang]))
	for id := range c.messages[lang] {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Render returns message id in lang with data filled in. A message missing
// in lang is an error even when go-i18n found a fallback: validation at
// load is meant to make that impossible.
func (c *Catalog) Render(lang, id string, data map[string]any) (string, error) {
	l, ok := c.localizers[lang]
	if !ok {
		return "", Errorf(EINVALID, "unknown language %q", lang)
	}
	if text, ok := c.static[lang][id]; ok {
		return text, nil
	}
	if !c.Has(lang, id) {
		return "", Errorf(ENOTFOUND, "message %q missing in %s", id, lang)
	}
	s, err := l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return "", fmt.Errorf("render %s/%s: %w", lang, id, err)
	}
	return strings.TrimSpace(s), nil
}

// checkPlaceholders reports messages whose placeholders differ between
// languages, and messages present in one language only.
func (c *Catalog) checkPlaceholders() []Problem {
	var problems []Problem
	seen := map[string]bool{}
	for _, lang := range Languages {
		for _, id := range c.IDs(lang) {
			if seen[id] {
				continue
			}
			seen[id] = true
			var ref []string
			refLang := ""
			for _, other := range Languages {
				m, ok := c.messages[other][id]
				if !ok {
					if c.messages[other] != nil {
						problems = append(problems, Problem{File: c.files[other], Msg: fmt.Sprintf("message %q exists in %s but not in %s", id, lang, other), Fix: fmt.Sprintf("add [%s] to %s", id, c.files[other])})
					}
					continue
				}
				ph, err := placeholders(m)
				if err != nil {
					problems = append(problems, Problem{File: c.files[other], Msg: fmt.Sprintf("message %q: %v", id, err), Fix: "correct the {{ }} template"})
					continue
				}
				if refLang == "" {
					ref, refLang = ph, other
					continue
				}
				if !slices.Equal(ph, ref) {
					problems = append(problems, Problem{File: c.files[other], Msg: fmt.Sprintf("message %q uses placeholders %v in %s but %v in %s", id, ph, other, ref, refLang), Fix: "use the same {{.Name}} placeholders in every language"})
				}
			}
		}
	}
	return problems
}

// templateBuiltins names text/template's built-in functions, which the
// parser must know to accept a message such as {{if eq .State "x"}}.
var templateBuiltins = func() map[string]any {
	m := map[string]any{}
	for _, f := range []string{"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne"} {
		m[f] = true
	}
	return m
}()

// placeholders returns the sorted, distinct {{.Name}} fields a message's
// texts use.
func placeholders(m *i18n.Message) ([]string, error) {
	set := map[string]bool{}
	for _, src := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
		if src == "" {
			continue
		}
		trees, err := parse.Parse("m", src, "{{", "}}", templateBuiltins)
		if err != nil {
			return nil, err
		}
		for _, t := range trees {
			collectFields(t.Root, set)
		}
	}
	out := make([]string, 0, len(set))
	for f := range set {
		out = append(out, f)
	}
	slices.Sort(out)
	return out, nil
}

func collectFields(n parse.Node, set map[string]bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			collectFields(c, set)
		}
	case *parse.ActionNode:
		collectFields(n.Pipe, set)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			collectFields(c, set)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			collectFields(a, set)
		}
	case *parse.FieldNode:
		set[strings.Join(n.Ident, ".")] = true
	case *parse.IfNode:
		collectFields(n.Pipe, set)
		collectFields(n.List, set)
		collectFields(n.ElseList, set)
	case *parse.RangeNode:
		collectFields(n.Pipe, set)
		collectFields(n.List, set)
		collectFields(n.ElseList, set)
	case *parse.WithNode:
		collectFields(n.Pipe, set)
		collectFields(n.List, set)
		collectFields(n.ElseList, set)
	}
}

// ChannelReply is a message a channel says itself, outside any turn (a
// file it refused, a group it does not talk in): message id in the
// language of hint, or in the first language when hint names none. A
// message missing from the catalog shows its ID, which validation at load
// makes impossible for the system messages.
func (c *Catalog) ChannelReply(hint, id string, data map[string]any) Reply {
	lang := NormalizeLang(hint)
	if lang == "" {
		lang = Languages[0]
	}
	text, err := c.Render(lang, id, data)
	if err != nil {
		text = id
	}
	return Reply{MsgID: id, Text: text}
}
