package bot

import (
	"maps"
	"slices"
	"strings"

	"github.com/slipdesk/slipdesk/bot/understand"
)

// choicesOf returns the reader of typed answers to choice step s: each
// option's value, its label in every language (whole and in its parts,
// see labelWords) and its words. Labels that depend on the conversation
// (a template) are compared per turn instead, by matchOption.
func (c *Content) choicesOf(s *Step) *understand.Choices {
	s.choicesOnce.Do(func() {
		phrases := make([][]string, len(s.Options))
		for i, o := range s.Options {
			p := []string{o.Value}
			for _, lang := range Languages {
				if label, ok := c.Catalog.Source(lang, o.Label); ok && !strings.Contains(label, "{{") {
					p = append(p, labelWords(label)...)
				}
			}
			for _, lang := range slices.Sorted(maps.Keys(o.Words)) {
				p = append(p, o.Words[lang]...)
			}
			phrases[i] = p
		}
		s.choices = understand.NewChoices(phrases)
	})
	return s.choices
}

// matchOption finds the option a typed answer means: by its place, its
// value, its label in any language or one of its words, whole or inside
// a longer answer when only one option fits (see understand.Choices).
func (c *Content) matchOption(s *Step, text string, data func() map[string]any) *ChoiceOption {
	if i := c.choicesOf(s).Match(text); i >= 0 {
		return s.Options[i]
	}
	w := foldWord(text)
	var d map[string]any
	for _, o := range s.Options {
		for _, lang := range Languages {
			src, ok := c.Catalog.Source(lang, o.Label)
			if !ok || !strings.Contains(src, "{{") {
				continue
			}
			if d == nil && data != nil {
				d = data()
			}
			label, err := c.Catalog.Render(lang, o.Label, d)
			if err == nil && slices.Contains(labelWords(label), w) {
				return o
			}
		}
	}
	return nil
}

// labelWords returns the ways a person may type an option's label: whole,
// without its bracketed note, the note alone, and each part around a
// slash, so "借记卡（储蓄卡）" is chosen by "借记卡" or "储蓄卡".
// foldWord has already turned full-width brackets and slashes into ASCII.
func labelWords(label string) []string {
	l := foldWord(label)
	words := []string{l}
	if open := strings.IndexByte(l, '('); open > 0 {
		if end := strings.LastIndexByte(l, ')'); end > open {
			words = append(words, foldWord(l[:open]), foldWord(l[open+1:end]))
		}
	}
	for _, part := range strings.Split(l, "/") {
		if p := foldWord(part); p != l && p != "" {
			words = append(words, p)
		}
	}
	return words
}
