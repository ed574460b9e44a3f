package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"
)

// Content is everything operators edit, loaded and validated together:
// the flows, the commands, the service numbers and the messages of every
// language.
type Content struct {
	Flows     map[string]*Flow
	Commands  []*Command
	StartFlow string
	// AfterEnd is where a message after the end goes, if set.
	AfterEnd string
	Catalog  *Catalog
	// Services are the service numbers the contact action gives, from
	// the services file; nil when there is none.
	Services *Services
	// Sources holds each flow's file content by version, so that a
	// version can be archived and loaded again after the file changed.
	Sources map[string][]byte

	commands commandIndex
	intents  *intentIndex
	// contacts holds the contact action's rendered lines by language and
	// list of services (see contactText): they depend on the content
	// only, and the content is never changed once loaded.
	contacts sync.Map
}

// LoadContent reads every *.yaml flow file at the top of flowsFS and the
// message files of localesFS, and validates them against reg. Content is
// usable only when the problems hold no error (see Errors); the problems
// name file, line, step and fix.
func LoadContent(flowsFS, localesFS fs.FS, reg *Registry) (*Content, []Problem) {
	c := &Content{Flows: map[string]*Flow{}, Sources: map[string][]byte{}}
	cat, problems := LoadCatalog(localesFS)
	c.Catalog = cat

	names, err := fs.Glob(flowsFS, "*.y*ml")
	if err != nil || len(names) == 0 {
		return c, append(problems, Problem{File: ".", Msg: "no flow files (*.yaml) found", Fix: "point the flows directory at a folder with flow files"})
	}
	slices.Sort(names)
	for _, name := range names {
		buf, err := fs.ReadFile(flowsFS, name)
		if err != nil {
			problems = append(problems, Problem{File: name, Msg: err.Error()})
			continue
		}
		problems = append(problems, c.addFile(name, buf)...)
	}
	var cmdFiles []string
	for _, cmd := range c.Commands {
		if !slices.Contains(cmdFiles, cmd.File) {
			cmdFiles = append(cmdFiles, cmd.File)
		}
	}
	if len(cmdFiles) > 1 {
		problems = append(problems, Problem{File: cmdFiles[1], Msg: "commands are declared in more than one file (" + strings.Join(cmdFiles, ", ") + ")", Fix: "keep every command in one file"})
	}
	c.commands = newCommandIndex(c.Commands)
	c.intents = newIntentIndex(c)
	problems = append(problems, validate(c, reg)...)
	return c, problems
}

// addFile parses one flow, command or services file.
func (c *Content) addFile(name string, buf []byte) []Problem {
	var probe struct {
		Flow     string `yaml:"flow"`
		Commands any    `yaml:"commands"`
		Services any    `yaml:"services"`
	}
	if err := yaml.Unmarshal(buf, &probe); err != nil {
		return []Problem{{File: name, Msg: "cannot parse YAML: " + err.Error(), Fix: "correct the YAML syntax"}}
	}
	switch {
	case probe.Commands != nil:
		var cf CommandFile
		if err := decodeStrict(buf, &cf); err != nil {
			return []Problem{{File: name, Msg: err.Error(), Fix: "see flows/README.md for the command file format"}}
		}
		for _, cmd := range cf.Commands {
			cmd.File = name
		}
		c.Commands = append(c.Commands, cf.Commands...)
		if cf.StartFlow != "" {
			c.StartFlow = cf.StartFlow
		}
		if cf.AfterEnd != "" {
			c.AfterEnd = cf.AfterEnd
		}
		return nil
	case probe.Flow != "":
		f := &Flow{}
		if err := decodeStrict(buf, f); err != nil {
			return []Problem{{File: name, Msg: err.Error(), Fix: "see flows/README.md for the flow file format"}}
		}
		f.File = name
		f.Version = contentVersion(buf)
		f.index()
		if prev, dup := c.Flows[f.Name]; dup {
			return []Problem{{File: name, Msg: fmt.Sprintf("flow %q is also defined in %s", f.Name, prev.File), Fix: "give each flow its own name"}}
		}
		c.Flows[f.Name] = f
		c.Sources[f.Version] = buf
		return nil
	case probe.Services != nil:
		return c.addServices(name, buf)
	default:
		return []Problem{{File: name, Msg: "neither a flow (no 'flow:' key), a command file (no 'commands:' key) nor a services file (no 'services:' key)", Fix: "start the file with 'flow: NAME', 'commands:' or 'services:'"}}
	}
}

// addServices parses the services file; there may be only one.
func (c *Content) addServices(name string, buf []byte) []Problem {
	var sf ServiceFile
	if err := decodeStrict(buf, &sf); err != nil {
		return []Problem{{File: name, Msg: err.Error(), Fix: "see flows/README.md for the services file format"}}
	}
	if c.Services != nil {
		return []Problem{{File: name, Msg: "services are also listed in " + c.Services.File, Fix: "keep every service in one file"}}
	}
	c.Services = &Services{File: name, List: sf.Services}
	return nil
}

// ParseFlow reads one flow file's content, as archived for an older
// version; the flow is checked for structure only.
func ParseFlow(name string, buf []byte) (*Flow, error) {
	f := &Flow{}
	if err := decodeStrict(buf, f); err != nil {
		return nil, fmt.Errorf("parse flow %s: %w", name, err)
	}
	f.File = name
	f.Version = contentVersion(buf)
	f.index()
	for _, s := range f.Steps {
		for i := range s.Branch {
			if err := s.Branch[i].compile(); err != nil {
				return nil, fmt.Errorf("parse flow %s: step %s: %w", name, s.ID, err)
			}
		}
	}
	return f, nil
}

func decodeStrict(buf []byte, v any) error {
	dec := yaml.NewDecoder(strings.NewReader(string(buf)))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("cannot read: %v", err)
	}
	return nil
}

// contentVersion is the version of a flow: a short hash of its file.
func contentVersion(buf []byte) string {
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:6])
}

// Resolve turns a goto target written in flow from into a flow and a step.
// "step" stays in from; "flow.step" and "flow" (its start) leave it.
func (c *Content) Resolve(from *Flow, target string) (*Flow, string, bool) {
	if f, s, ok := strings.Cut(target, "."); ok {
		fl := c.Flows[f]
		if fl == nil || fl.Step(s) == nil {
			return nil, "", false
		}
		return fl, s, true
	}
	if from != nil && from.Step(target) != nil {
		return from, target, true
	}
	if fl := c.Flows[target]; fl != nil {
		return fl, fl.StartStep(), fl.StartStep() != ""
	}
	return nil, "", false
}

// Command returns the command text triggers, or nil.
func (c *Content) Command(text string) *Command { return c.commands.match(text) }
